import { describe, expect, it } from 'vitest';
import { Tenant } from 'clientele';
import { createAdminConsole } from '../../src/http/console/admin-console.js';
import { CONSOLE_MARKER } from '../../src/http/console/console-client.js';
import { renderPage } from '../../src/http/console/page.js';

const ISSUER = 'http://127.0.0.1:4000/';

async function setup(options: Parameters<typeof createAdminConsole>[1] = {}) {
  const tenant = await Tenant.create({ domain: '127.0.0.1:4000', issuer: ISSUER });
  const handler = createAdminConsole(tenant, options);
  const get = (path: string, init: RequestInit = {}) =>
    handler(new Request(new URL(path, ISSUER), init));
  return { tenant, handler, get };
}

function configOf(html: string): Record<string, unknown> {
  const match = /<script type="application\/json" id="console-config">(.*?)<\/script>/s.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as Record<string, unknown>;
}

describe('createAdminConsole', () => {
  it('answers every console route with the page, its configuration and a strict CSP', async () => {
    const { get, tenant } = await setup();
    const bare = await get('/console');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/');
    for (const path of [
      '/console/',
      '/console/clients',
      '/console/clients/abc/settings',
      '/console/logs',
      '/console/callback',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const config = configOf(await response.text());
      expect(config).toMatchObject({
        basePath: '/console',
        domain: '127.0.0.1:4000',
        issuer: ISSUER,
        managementApi: `${ISSUER}api/v2/`,
        audience: `${ISSUER}api/v2/`,
      });
      expect(config.scope).toContain('read:clients');
      expect(config.addons).toContain('samlp');
      const client = await tenant.clients.get(config.clientId as string);
      expect(client.app_type).toBe('spa');
      expect(client.token_endpoint_auth_method).toBe('none');
      expect(client.callbacks).toEqual([`${ISSUER}console/callback`]);
    }
  });

  it('creates its client once and again after someone deleted it', async () => {
    const { get, tenant } = await setup();
    const first = configOf(await (await get('/console/')).text()).clientId as string;
    const second = configOf(await (await get('/console/clients')).text()).clientId as string;
    expect(second).toBe(first);
    const marked = (await tenant.clients.list()).clients.filter(
      (client) => client.client_metadata?.[CONSOLE_MARKER] === 'true',
    );
    expect(marked.map((client) => client.client_id)).toEqual([first]);
    await tenant.clients.delete(first);
    const third = configOf(await (await get('/console/')).text()).clientId as string;
    expect(third).not.toBe(first);
    expect((await tenant.clients.get(third)).name).toBe('Admin Console');
  });

  it('knows its own client, never creating it to answer, and creates the Management API', async () => {
    const { get, tenant, handler } = await setup();
    const other = await tenant.clients.create({ name: 'Other', app_type: 'spa' });
    expect(await handler.isConsoleClient(other.client_id)).toBe(false);
    expect((await tenant.clients.list()).total).toBe(1); // asking created nothing
    const consoleId = configOf(await (await get('/console/')).text()).clientId as string;
    expect(await handler.isConsoleClient(consoleId)).toBe(true);
    for (const value of [undefined, 42, '', 'a b', 'x'.repeat(65), other.client_id]) {
      expect(await handler.isConsoleClient(value)).toBe(false);
    }
    // The console signs in for the Management API's audience: serving the page creates it.
    expect((await tenant.apis.get(`${ISSUER}api/v2/`)).identifier).toBe(`${ISSUER}api/v2/`);
  });

  it('escapes the configuration so no value can close its script element', () => {
    const html = renderPage({
      basePath: '/console',
      domain: 'a.example.com',
      issuer: ISSUER,
      clientId: '</script><script>alert(1)</script>',
      managementApi: `${ISSUER}api/v2/`,
      audience: `${ISSUER}api/v2/`,
      scope: 'openid',
      addons: ['<!--'],
    });
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    expect(configOf(html).clientId).toBe('</script><script>alert(1)</script>');
  });

  it('serves the compiled browser modules and the style sheet, and nothing else', async () => {
    const { get } = await setup();
    const main = await get('/console/assets/main.js');
    expect(main.status).toBe(200);
    expect(main.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await main.text();
    expect(source).toContain("from './auth.js'");
    expect(source).not.toContain('sourceMappingURL');
    const css = await get('/console/assets/console.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('[role="tab"]');
    for (const path of [
      '/console/assets/../admin-console.js',
      '/console/assets/%2e%2e%2fadmin-console.js',
      '/console/assets/main.ts',
      '/console/assets/',
      '/console/assets/main.js.map',
      '/console/nope',
      '/console/clients/a/b/c',
      '/console/clients/abc/nosuchtab',
      '/consolex',
      '/',
    ]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it('answers HEAD like GET without a body and refuses other methods with Allow', async () => {
    const { get } = await setup();
    const head = await get('/console/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get('/console/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const getCheck = await get('/console/check');
    expect(getCheck.status).toBe(405);
    expect(getCheck.headers.get('allow')).toBe('POST');
  });

  it('checks settings: validation issues and lint findings at their pointers, nothing stored', async () => {
    const { get, tenant } = await setup();
    const before = (await tenant.clients.list()).total;
    const check = async (settings: unknown) => {
      const response = await get('/console/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ settings }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as {
        issues: { path: string; code: string }[];
        findings: { path: string; rule: string; severity: string }[];
      };
    };
    const bad = await check({ name: 'Shop', app_type: 'spa', callbacks: ['https://*.co.uk/cb'] });
    expect(bad.issues.map((issue) => issue.path)).toEqual(['/callbacks/0']);
    const warned = await check({
      name: 'Shop',
      app_type: 'spa',
      callbacks: ['http://shop.example.com/cb'],
    });
    expect(warned.issues).toEqual([]);
    expect(warned.findings.some((finding) => finding.path === '/callbacks/0')).toBe(true);
    expect((await check({ name: 'Shop', app_type: 'regular_web' })).issues).toEqual([]);
    expect((await tenant.clients.list()).total).toBe(before);
  });

  it('refuses check bodies that are not JSON, lack settings or are too large', async () => {
    const { get } = await setup();
    const post = (body: string, type = 'application/json') =>
      get('/console/check', { method: 'POST', body, headers: { 'content-type': type } });
    expect((await post('{')).status).toBe(400);
    expect((await post('{"nope":1}')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    expect((await post('{"settings":{}}', 'text/plain')).status).toBe(400);
    const huge = await post(JSON.stringify({ settings: { name: 'x'.repeat(300 * 1024) } }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ statusCode: 413 });
  });

  it('refuses malformed options with the option named', async () => {
    const tenant = await Tenant.create({ domain: 'a.example.com' });
    expect(() => createAdminConsole(tenant, { basePath: 'console' })).toThrow(/basePath/);
    expect(() => createAdminConsole(tenant, { basePath: '/console/' })).toThrow(/basePath/);
    expect(() => createAdminConsole(tenant, { basePath: '/a"><script>' })).toThrow(/basePath/);
    expect(() => createAdminConsole(tenant, { url: 'javascript:alert(1)' })).toThrow(/url/);
    expect(() => createAdminConsole(tenant, { managementApi: 'not a url' })).toThrow(
      /managementApi/,
    );
  });

  it('mounts under another base path', async () => {
    const { get } = await setup({ basePath: '/admin/console' });
    const config = configOf(await (await get('/admin/console/clients')).text());
    expect(config.basePath).toBe('/admin/console');
    expect((await get('/console/')).status).toBe(404);
  });
});
