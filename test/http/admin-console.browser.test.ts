/**
 * The admin console end to end in Debian's Chromium, against the example identity server
 * (examples/identity-server/server.js, spawned as test/identity-server does): the real
 * composition of `createProvider` (whose demo login signs the demo admin in to the
 * console), `createManagementApi` (admitting that admin's token) and `createAdminConsole`.
 * Each flow is checked against what the tenant holds, read by this process from the same
 * FileStore. Screenshots of each screen go to test-artifacts/console/ (git-ignored).
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FileStore, Tenant } from 'clientele';
import { launchChromium, skipBrowser } from '../browser/chromium.js';
import {
  ensureBuilt,
  scratch,
  startServer,
  type RunningServer,
} from '../identity-server/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'console');

/** Polls until the page shows what is expected: a busy machine may take seconds. */
const eventually = <T>(read: () => T | Promise<T>) =>
  expect.poll(read, { timeout: 20_000, interval: 100 });

describe.skipIf(skipBrowser)('admin console in Chromium', () => {
  let server: RunningServer;
  let files: Awaited<ReturnType<typeof scratch>>;
  let url: string;
  let browser: Browser;
  let page: Page;
  let tenant: Tenant;
  let connectionId: string;
  const problems: string[] = [];
  let axeSource: string;

  beforeAll(async () => {
    await ensureBuilt(); // the example server and the console's browser modules run from dist/
    files = await scratch();
    const store = path.join(files.dir, 'tenant.json');
    server = await startServer(['--store', store]); // a new tenant: the Default App, keys
    url = server.url;
    // This process reads and changes the same tenant, as another instance would.
    tenant = await Tenant.create({
      domain: new URL(url).host,
      issuer: server.issuer,
      store: new FileStore(store),
    });
    connectionId = (
      await tenant.connections.create({
        name: 'Username-Password-Authentication',
        strategy: 'auth0',
      })
    ).id;
    axeSource = await readFile(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await tenant?.close();
    const exit = await server?.stop();
    await files?.remove();
    expect(exit).toEqual({ code: 0, signal: null });
  });

  /** axe-core on the current screen: no serious or critical violations. */
  async function expectAccessible(screen: string, on: Page = page): Promise<void> {
    await on.evaluate(axeSource);
    const violations = await on.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: {
            run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad, `${screen}: ${JSON.stringify(bad)}`).toEqual([]);
    await on.screenshot({ path: path.join(ARTIFACTS, `${screen}.png`), fullPage: true });
  }

  /** How far the page scrolls sideways (0: it fits the viewport). */
  const sidewaysScroll = (on: Page) =>
    on.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

  async function findByName(name: string) {
    return (await tenant.clients.list({ perPage: 100 })).clients.find((c) => c.name === name);
  }

  it('signs in with the tenant login and lists the clients, the Default App first', async () => {
    await page.goto(`${url}/console/`);
    await eventually(() => page.getByRole('heading', { name: 'Clients' }).count()).toBe(1);
    const table = page.getByRole('table');
    await eventually(() => table.getByRole('row').count()).toBeGreaterThan(1);
    await eventually(() => table.getByRole('link', { name: 'Default App' }).count()).toBe(1);
    const defaultApp = await findByName('Default App');
    expect(await table.textContent()).toContain(defaultApp!.client_id);
    expect(await page.getByRole('button', { name: 'Create Client' }).count()).toBe(1);
    await expectAccessible('clients');
  });

  it('creates a client with the keyboard only, and opens its view', async () => {
    await page.getByRole('button', { name: 'Create Client' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create Client' });
    await eventually(() => dialog.isVisible()).toBe(true);
    await expect
      .poll(() => page.evaluate<string>("document.activeElement?.id ?? ''"))
      .toMatch(/create-name/);
    await page.keyboard.type('Storefront');
    await page.keyboard.press('Tab'); // the first client type, Native
    await page.keyboard.press('ArrowDown'); // Single Page Web Applications
    await page.keyboard.press('ArrowDown'); // Regular Web Applications
    expect(await dialog.getByRole('radio', { name: 'Regular Web Applications' }).isChecked()).toBe(
      true,
    );
    await expectAccessible('create-dialog');
    await page.keyboard.press('Enter'); // submits the form
    await eventually(() => page.getByRole('heading', { name: 'Storefront' }).count()).toBe(1);
    // The server wrote it; this process sees it once its FileStore notices the write.
    await eventually(async () => (await findByName('Storefront'))?.app_type).toBe('regular_web');
    const created = await findByName('Storefront');
    expect(page.url()).toContain(`/console/clients/${created!.client_id}`);
    for (const tab of ['Quick Start', 'Settings', 'Addons', 'Connections']) {
      expect(await page.getByRole('tab', { name: tab }).count(), tab).toBe(1);
    }
    await expect
      .poll(() => page.getByRole('tab', { name: 'Quick Start' }).getAttribute('aria-selected'))
      .toBe('true');
    const snippet = await page.getByRole('tabpanel').textContent();
    expect(snippet).toContain(created!.client_id);
    expect(snippet).toContain(`${url}/`);
    await expectAccessible('quick-start');
  });

  it('reveals the client secret only when asked, and it is the tenant’s', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    const secret = page.getByLabel('Client Secret', { exact: true });
    await eventually(() => secret.count()).toBe(1);
    expect(await secret.getAttribute('type')).toBe('password');
    const created = await findByName('Storefront');
    expect(await secret.inputValue()).not.toBe(created!.client_secret);
    await page.getByLabel('Reveal Client Secret').check();
    await eventually(() => secret.inputValue()).toBe(created!.client_secret);
    expect(await page.getByLabel('Client ID').inputValue()).toBe(created!.client_id);
    expect(await page.getByLabel('Domain').inputValue()).toBe(new URL(url).host);
    await expectAccessible('settings');
  });

  it('copies the Client ID, the Domain and the revealed secret to the clipboard', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const created = await findByName('Storefront');
    const clipboard = () => page.evaluate<string>('navigator.clipboard.readText()');
    await page.getByRole('button', { name: 'Copy Client ID' }).click();
    await eventually(clipboard).toBe(created!.client_id);
    await eventually(() =>
      page.getByRole('status').filter({ hasText: 'Client ID copied.' }).count(),
    ).toBe(1);
    await page.getByRole('button', { name: 'Copy Domain' }).click();
    await eventually(clipboard).toBe(new URL(url).host);
    await page.getByRole('button', { name: 'Copy Client Secret' }).click();
    await eventually(clipboard).toBe(created!.client_secret);
    await page.getByLabel('Reveal Client Secret').uncheck();
    expect(await page.getByRole('button', { name: 'Copy Client Secret' }).isDisabled()).toBe(true);
    await expectAccessible('settings-copy');
  });

  it('shows a validation error at its field and saves nothing', async () => {
    const callbacks = page.getByLabel('Allowed Callback URLs');
    await callbacks.fill('https://*.co.uk/callback');
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await eventually(() => callbacks.getAttribute('aria-invalid')).toBe('true');
    const ids = ((await callbacks.getAttribute('aria-describedby')) ?? '').split(' ');
    let described = '';
    for (const id of ids) described += (await page.locator(`[id="${id}"]`).textContent()) ?? '';
    expect(described).toMatch(/public suffix/);
    expect((await findByName('Storefront'))?.callbacks ?? []).toEqual([]);
    await expectAccessible('settings-error');
  });

  it('edits callbacks and the other settings and saves them', async () => {
    await page
      .getByLabel('Allowed Callback URLs')
      .fill('https://shop.example.com/callback, https://shop.example.com/cb2');
    await page.getByLabel('Allowed Logout URLs').fill('https://shop.example.com/');
    await page.getByLabel('Description').fill('The shop');
    await page.getByLabel('JWT Expiration (seconds)').fill('3600');
    await page.getByLabel('Use Auth0 instead of the IdP to do Single Sign On').check();
    await page.getByRole('button', { name: 'Save Changes' }).click();
    await eventually(() => page.getByText('Changes saved.').count()).toBe(1);
    await eventually(async () => (await findByName('Storefront'))?.description).toBe('The shop');
    const saved = await findByName('Storefront');
    expect(saved?.callbacks).toEqual([
      'https://shop.example.com/callback',
      'https://shop.example.com/cb2',
    ]);
    expect(saved?.allowed_logout_urls).toEqual(['https://shop.example.com/']);
    expect(saved?.description).toBe('The shop');
    expect(saved?.jwt_configuration?.lifetime_in_seconds).toBe(3600);
    expect(saved?.sso).toBe(true);
    expect(saved?.allowsCallback('https://shop.example.com/cb2')).toBe(true);
  });

  it('switches an addon on and off', async () => {
    await page.getByRole('tab', { name: 'Addons' }).click();
    const samlp = page.getByRole('switch', { name: 'samlp' });
    await eventually(() => samlp.getAttribute('aria-checked')).toBe('false');
    await expectAccessible('addons');
    await samlp.click();
    await eventually(() => samlp.getAttribute('aria-checked')).toBe('true');
    await eventually(async () => (await findByName('Storefront'))?.addons?.samlp).toEqual({});
    await samlp.click();
    await eventually(() => samlp.getAttribute('aria-checked')).toBe('false');
    await eventually(async () => (await findByName('Storefront'))?.addons?.samlp).toBeUndefined();
  });

  it('enables and disables a connection for the client', async () => {
    await page.getByRole('tab', { name: 'Connections' }).click();
    const database = page.getByRole('switch', { name: 'Username-Password-Authentication' });
    await eventually(() => database.getAttribute('aria-checked')).toBe('false');
    await expectAccessible('connections');
    const clientId = (await findByName('Storefront'))!.client_id;
    await database.click();
    await eventually(() => database.getAttribute('aria-checked')).toBe('true');
    await eventually(
      async () => (await tenant.connections.get(connectionId)).enabled_clients,
    ).toContain(clientId);
    await database.click();
    await eventually(() => database.getAttribute('aria-checked')).toBe('false');
    await eventually(
      async () => (await tenant.connections.get(connectionId)).enabled_clients,
    ).not.toContain(clientId);
  });

  it('deletes the client after the confirmation', async () => {
    const clientId = (await findByName('Storefront'))!.client_id;
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete Client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete client?' });
    await eventually(() => dialog.isVisible()).toBe(true);
    await expectAccessible('delete-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await tenant.clients.find(clientId)).toBeDefined();
    await page.getByRole('button', { name: 'Delete Client' }).click();
    await page.getByRole('button', { name: 'Yes, delete client' }).click();
    await eventually(() => page.getByRole('heading', { name: 'Clients' }).count()).toBe(1);
    await eventually(() => tenant.clients.find(clientId)).toBeUndefined();
    expect(await page.getByRole('link', { name: 'Storefront' }).count()).toBe(0);
  });

  it('shows the operations in Logs, newest first', async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    await eventually(() => page.getByRole('heading', { name: 'Logs' }).count()).toBe(1);
    const rows = page.getByRole('table').getByRole('row');
    await eventually(() => rows.count()).toBeGreaterThan(5);
    const text = (await page.getByRole('table').textContent()) ?? '';
    expect(text).toContain('Storefront');
    expect(text).toContain('sapi');
    const dates = await page
      .locator('time')
      .evaluateAll((times) => times.map((t) => t.getAttribute('datetime') ?? ''));
    expect(dates).toEqual([...dates].sort().reverse());
    await expectAccessible('logs');
  });

  it('filters the clients list as one types', async () => {
    await page.getByRole('link', { name: 'Clients' }).first().click();
    const filter = page.getByRole('searchbox', { name: 'Filter clients' });
    await eventually(() => filter.count()).toBe(1);
    const rows = page.getByRole('table').locator('tbody tr:visible');
    const total = await rows.count();
    expect(total).toBeGreaterThan(1);
    await filter.fill('default');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Default App');
    await eventually(() => page.getByText(`1 of ${total} shown`).count()).toBe(1);
    await filter.fill('no such client');
    await eventually(() => rows.count()).toBe(0);
    await filter.fill('');
    await eventually(() => rows.count()).toBe(total);
    await expectAccessible('clients-filter');
  });

  it('fits a 390 px phone screen without sideways scrolling, and stays accessible there', async () => {
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    phone.on('pageerror', (error) => problems.push(`phone page error: ${error.message}`));
    try {
      await phone.goto(`${url}/console/`);
      const table = phone.getByRole('table');
      await eventually(() => table.getByRole('link', { name: 'Default App' }).count()).toBe(1);
      expect(await sidewaysScroll(phone)).toBeLessThanOrEqual(0);
      await expectAccessible('phone-clients', phone);
      await table.getByRole('link', { name: 'Default App' }).click();
      for (const tab of ['Quick Start', 'Settings', 'Addons', 'Connections']) {
        await phone.getByRole('tab', { name: tab }).click();
        await eventually(() => phone.getByRole('tabpanel').count()).toBe(1);
        if (tab === 'Settings') {
          await eventually(() =>
            phone.getByRole('button', { name: 'Copy Client ID' }).count(),
          ).toBe(1);
        }
        expect(await sidewaysScroll(phone), tab).toBeLessThanOrEqual(0);
        await expectAccessible(`phone-${tab.toLowerCase().replace(' ', '-')}`, phone);
      }
      await phone.getByRole('link', { name: 'Logs' }).click();
      await eventually(() => phone.getByRole('heading', { name: 'Logs' }).count()).toBe(1);
      await eventually(() => phone.getByRole('table').getByRole('row').count()).toBeGreaterThan(1);
      expect(await sidewaysScroll(phone)).toBeLessThanOrEqual(0);
      await expectAccessible('phone-logs', phone);
    } finally {
      await phone.close();
    }
  });

  it('had no script errors on any page', () => {
    expect(problems).toEqual([]);
  });
});
