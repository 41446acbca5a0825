/**
 * The example identity server as a process: clean exit on SIGTERM and SIGINT with every
 * audit event written, two servers sharing one FileStore, and refusals at start-up.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE,
  ensureBuilt,
  fetchManual,
  runScript,
  scratch,
  seedStore,
  startServer,
} from './helpers.js';

const APP = 'http://127.0.0.1:8080';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const [, made] = await Promise.all([ensureBuilt(), scratch()]);
  ({ dir, remove: cleanup } = made);
}, 120_000);

afterAll(async () => {
  await cleanup?.();
});

/** Seeds a new store and returns its path and the SPA's client id. */
function seeded(name: string): { store: string; spaId: string } {
  const store = path.join(dir, name);
  return { store, spaId: seedStore(store, APP) };
}

async function auditTypes(file: string): Promise<string[]> {
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  return lines.map((line) => (JSON.parse(line) as { type: string }).type);
}

describe('the server process', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal} after writing every audit event (s, f, slo, flo)`, async () => {
      const { store, spaId } = seeded(`${signal}.json`);
      const auditLog = path.join(dir, `${signal}-audit.ndjson`);
      const server = await startServer(['--store', store, '--audit-log', auditLog]);
      const authorize = (redirectUri: string) =>
        fetchManual(
          `${server.url}/authorize?${new URLSearchParams({
            client_id: spaId,
            redirect_uri: redirectUri,
            response_type: 'code',
            scope: 'openid',
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256',
          })}`,
        );
      expect((await authorize(`${APP}/callback`)).status).toBe(302);
      expect((await authorize('https://evil.example.net/callback')).status).toBe(400);
      const logout = (returnTo: string) =>
        fetchManual(
          `${server.url}/v2/logout?${new URLSearchParams({ client_id: spaId, returnTo })}`,
        );
      expect((await logout(`${APP}/`)).status).toBe(302);
      expect((await logout('https://evil.example.net/')).status).toBe(400);

      const exit = await server.stop(signal);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(server.stderr()).toContain(`stopped (${signal})`);
      const types = await auditTypes(auditLog);
      expect(types).toEqual(['s', 'f', 'slo', 'flo']);
      const events = (await readFile(auditLog, 'utf8')).trim().split('\n');
      expect(JSON.parse(events[0]!)).toMatchObject({
        type: 's',
        client_id: spaId,
        client_name: 'Demo SPA',
        ip: '127.0.0.1',
        details: { user_id: 'demo|alice' },
      });
    });
  }

  it('serves one FileStore from two processes: a client registered on one works on the other', async () => {
    const { store } = seeded('shared.json');
    const [first, second] = await Promise.all([
      startServer(['--store', store]),
      startServer(['--store', store]),
    ]);
    try {
      const response = await fetch(`${first.url}/oidc/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'Shared',
          redirect_uris: ['https://shared.example.com/cb'],
          token_endpoint_auth_method: 'client_secret_post',
        }),
      });
      const registered = (await response.json()) as Record<string, string>;
      const read = await fetch(`${second.url}/oidc/register/${registered['client_id']}`, {
        headers: { authorization: `Bearer ${registered['registration_access_token']}` },
      });
      expect(read.status).toBe(200);
      // Both publish the same keys: the ones in the store.
      const [jwksA, jwksB] = await Promise.all(
        [first, second].map(async (server) =>
          (await fetch(`${server.url}/.well-known/jwks.json`)).json(),
        ),
      );
      expect(jwksB).toEqual(jwksA);
    } finally {
      const exits = await Promise.all([first.stop(), second.stop()]);
      expect(exits).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
    }
  });

  it('refuses unknown options and a bad port with exit code 2 and the usage', () => {
    for (const args of [['--nope'], ['--port', 'abc'], ['--port', '70000'], ['--issuer', 'x']]) {
      const result = runScript(path.join(EXAMPLE, 'server.js'), args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage:');
      expect(result.stdout).toBe('');
    }
  });

  it('fails at start-up, exit code 1, on a store that is not a tenant file, and leaves it untouched', async () => {
    const store = path.join(dir, 'corrupt.json');
    await writeFile(store, '{ not json');
    const result = runScript(path.join(EXAMPLE, 'server.js'), ['--port', '0', '--store', store]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^identity-server: /);
    expect(await readFile(store, 'utf8')).toBe('{ not json');
  });
});
