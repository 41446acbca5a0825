import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../test/support/build.js';
import { guard, loadTenant } from './service-guard.js';

describe('examples/service-guard.js', () => {
  it('decides logins, logouts and CORS for the clients of examples/tenant.yaml', async () => {
    const { tenant, ids } = await loadTenant(new URL('./tenant.yaml', import.meta.url).pathname);
    const spa = ids.get('Acme Storefront')!;
    const decide = async (kind: 'login' | 'logout' | 'cors', url: string, clientId = spa) =>
      (await guard(tenant, { kind, clientId, url })).allowed;
    expect(await decide('login', 'https://shop.acme-shop.com/callback')).toBe(true);
    expect(await decide('login', 'https://pr-7.preview.acme-shop.com/callback')).toBe(true);
    expect(await decide('login', 'https://a.b.preview.acme-shop.com/callback')).toBe(false);
    expect(await decide('login', 'https://shop.acme-shop.com/callback#token')).toBe(false);
    expect(await decide('logout', 'https://shop.acme-shop.com/?lang=en')).toBe(true);
    expect(await decide('cors', 'https://shop.acme-shop.com')).toBe(true);
    expect(await decide('cors', 'https://evil.example')).toBe(false);
    expect(await decide('login', 'https://shop.acme-shop.com/callback', 'unknown')).toBe(false);
    await tenant.close();
  });

  it('runs as a program against the built package', async () => {
    await ensureBuilt();
    const output = execFileSync(process.execPath, ['examples/service-guard.js'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines.map((line) => line.slice(0, 5))).toEqual([
      'allow',
      'allow',
      'deny ',
      'deny ',
      'allow',
      'allow',
      'deny ',
      'deny ',
    ]);
  });
});
