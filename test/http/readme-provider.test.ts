/**
 * README "Build an identity server": the code block runs as it is (with `clientele`
 * resolved to the built package) and a browser-like client signs in through its login
 * form and exchanges the code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore, Tenant } from '../../src/index.js';
import { ensureBuilt, ROOT } from '../identity-server/helpers.js';
import { readmeBlocks } from '../support/readme.js';

const CALLBACK = 'http://127.0.0.1:8080/callback';
let child: ChildProcess;
let dir: string;
let url: string;
let clientId: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'clientele-readme-provider-'));
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const code = readmeBlocks(readme).find(
    (block) => block.heading === 'Build an identity server',
  )?.code;
  if (code === undefined) throw new Error('no js block in the README section');
  const dist = (file: string) => pathToFileURL(path.join(ROOT, 'dist', file)).href;
  const script = path.join(dir, 'server.mjs');
  await writeFile(
    script,
    code
      .replace("'clientele/http'", `'${dist('http/index.js')}'`)
      .replace("'clientele'", `'${dist('index.js')}'`),
  );
  const store = path.join(dir, 'tenant.json');
  const port = await freePort();
  const tenant = await Tenant.create({ domain: `127.0.0.1:${port}`, store: new FileStore(store) });
  clientId = (
    await tenant.clients.create({ name: "Shop & Co's", app_type: 'spa', callbacks: [CALLBACK] })
  ).client_id;
  await tenant.close();
  child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: String(port), STORE: store },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)\//.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

describe('README: Build an identity server', () => {
  it('shows its own login page, then redirects with a code that exchanges for tokens', async () => {
    const verifier = 'readme-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
    const authorize = new URL('/authorize', url);
    for (const [name, value] of Object.entries({
      client_id: clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid profile',
      state: 's1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(name, value);
    }
    const page = await fetch(authorize);
    const html = await page.text();
    expect(html).toContain('Sign in to Shop &#38; Co&#39;s'); // escaped client name
    const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const unknown = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, username: 'mallory' }),
    });
    expect(unknown.status).toBe(401);
    const login = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, username: 'alice' }),
    });
    expect(login.status).toBe(302);
    const callback = new URL(login.headers.get('location') as string);
    expect(callback.searchParams.get('state')).toBe('s1');
    const tokens = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }),
    });
    expect(tokens.status).toBe(200);
    const body = (await tokens.json()) as { id_token: string };
    const claims = JSON.parse(
      Buffer.from(body.id_token.split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'auth0|alice', name: 'Alice', aud: clientId });
    // The login started a session: the next authorization needs no login page (SSO).
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^clientele_session=/);
    const sso = await fetch(authorize, { redirect: 'manual', headers: { cookie } });
    expect(sso.status).toBe(302);
    expect(new URL(sso.headers.get('location') as string).searchParams.get('code')).toBeTruthy();
    authorize.searchParams.set('prompt', 'login');
    const again = await (await fetch(authorize, { headers: { cookie } })).text();
    expect(again).toContain('Sign in again to Shop &#38; Co&#39;s');
  });
});
