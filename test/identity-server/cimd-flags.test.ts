import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, ensureBuilt, ROOT, startServer } from './helpers.js';

const serverJs = path.join(EXAMPLE, 'server.js');

beforeAll(async () => {
  await ensureBuilt();
});

describe('the example server: --cimd and --cimd-allow-private', () => {
  it('says in --help that --cimd-allow-private is for local testing only', () => {
    const help = spawnSync(process.execPath, [serverJs, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--cimd\s+dynamic Client ID Metadata Documents/);
    expect(help.stdout).toMatch(/--cimd-allow-private[\s\S]*for local testing only/);
  });

  it('refuses --cimd-allow-private without --cimd', () => {
    const run = spawnSync(process.execPath, [serverJs, '--port', '0', '--cimd-allow-private'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--cimd-allow-private needs --cimd/);
  });

  it('advertises client_id_metadata_document_supported only with --cimd', async () => {
    for (const [args, supported] of [
      [['--cimd', '--cimd-allow-private'], true],
      [[], undefined],
    ] as const) {
      const server = await startServer(args);
      try {
        const metadata = (await (
          await fetch(`${server.url}/.well-known/oauth-authorization-server`)
        ).json()) as Record<string, unknown>;
        expect(metadata['client_id_metadata_document_supported']).toBe(supported);
        // A client id URL on loopback is fetched (and fails here: nothing serves it) only when allowed.
        const authorize = await fetch(
          `${server.url}/authorize?client_id=${encodeURIComponent('https://127.0.0.1:9/client.json')}&response_type=code&redirect_uri=x`,
        );
        expect(authorize.status).toBe(400);
        const page = await authorize.text();
        if (supported) expect(page).toMatch(/client_id: the document could not be fetched/);
        else expect(page).toMatch(/names no client/);
      } finally {
        await server.stop();
      }
    }
  });
});
