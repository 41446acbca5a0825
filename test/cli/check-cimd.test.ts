import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

let dir: string;
const URL_ = 'https://tools.example.com/oauth/client.json';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'check-cimd-'));
  await writeFile(
    path.join(dir, 'good.json'),
    JSON.stringify({
      client_id: URL_,
      client_name: 'Tools',
      redirect_uris: ['https://tools.example.com/cb'],
      logo: 'x',
    }),
  );
  await writeFile(
    path.join(dir, 'bad.json'),
    JSON.stringify({
      client_id: URL_,
      redirect_uris: ['https://tools.example.com/cb#f'],
      token_endpoint_auth_method: 'client_secret_post',
    }),
  );
  await writeFile(path.join(dir, 'broken.json'), '{"client_id":');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env: {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

describe('clientele check-cimd', () => {
  it('passes a valid document file with its warnings (exit 0)', async () => {
    const result = await cli('check-cimd', 'good.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ok  ${URL_}`);
    expect(result.stdout).toMatch(/warning +\/logo +logo is not used/);
  });

  it('fails an invalid one with each problem at its pointer (exit 1), as JSON too', async () => {
    const human = await cli('check-cimd', 'bad.json');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/error +\/token_endpoint_auth_method/);
    expect(human.stdout).toMatch(/error +\/redirect_uris\/0/);
    const json = await cli('check-cimd', '--format', 'json', 'bad.json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      violations: expect.arrayContaining([expect.objectContaining({ path: '/redirect_uris/0' })]),
    });
  });

  it('checks a file against the URL it will be served at (--url)', async () => {
    const result = await cli(
      'check-cimd',
      '--url',
      'https://tools.example.com/other.json',
      'good.json',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/client_id must be exactly/);
  });

  it('exits 2 for an unreadable file, a refused URL and bad usage', async () => {
    expect((await cli('check-cimd', 'broken.json')).code).toBe(2);
    expect((await cli('check-cimd', 'missing.json')).code).toBe(2);
    const refused = await cli('check-cimd', 'https://127.0.0.1/client.json');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cimd_forbidden_address/);
    expect((await cli('check-cimd')).code).toBe(2);
    expect((await cli('check-cimd', '--help')).stdout).toMatch(/^Usage: clientele check-cimd/);
  });
});
