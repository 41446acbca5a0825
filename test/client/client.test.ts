import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createClient, isConfidential, type ClientRecord } from '../../src/client/client.js';
import {
  type Client,
  type ClientInput,
  type ClientSettings,
  generateClientSecret,
  lintClient,
  validateClientSettings,
} from '../../src/index.js';

const SECRET = generateClientSecret();

/** Validated settings of a minimal spa, to build records by hand. */
function spaSettings(): ClientSettings {
  const result = validateClientSettings({ name: 'A', app_type: 'spa' });
  if (!result.ok) throw new Error('invalid');
  return result.value;
}

function client(input: Partial<ClientInput>, secret?: string): Client {
  const result = validateClientSettings({ name: 'App', app_type: 'regular_web', ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const record: ClientRecord = { ...result.value, client_id: 'AbCdEfGhIjKlMnOpQrStUvWxYz012345' };
  if (secret !== undefined) record.client_secret = secret;
  return createClient(record);
}

describe('Client snapshots: settings', () => {
  it('exposes the settings and the id as read-only properties', () => {
    const c = client({ callbacks: ['https://a.example.com/cb'], client_metadata: { team: 'x' } });
    expect(c.name).toBe('App');
    expect(c.app_type).toBe('regular_web');
    expect(c.client_id).toBe('AbCdEfGhIjKlMnOpQrStUvWxYz012345');
    expect(c.token_endpoint_auth_method).toBe('client_secret_post');
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.callbacks)).toBe(true);
    expect(Object.isFrozen(c.client_metadata)).toBe(true);
    expect(() => {
      (c as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => (c.callbacks as string[]).push('https://evil.example/cb')).toThrow(TypeError);
  });

  it('shares no state with the record it was made from', () => {
    const callbacks = ['https://a.example.com/cb'];
    const record = {
      ...spaSettings(),
      callbacks,
      client_id: 'id',
    } as ClientRecord;
    const c = createClient(record);
    callbacks.push('https://evil.example/cb');
    expect(c.callbacks).toEqual(['https://a.example.com/cb']);
    expect(c.allowsCallback('https://evil.example/cb')).toBe(false);
  });
});

describe('Client snapshots: the secret', () => {
  const c = client({}, SECRET);

  it('is readable', () => {
    expect(c.client_secret).toBe(SECRET);
    expect(client({ token_endpoint_auth_method: 'none' }).client_secret).toBeUndefined();
  });

  it('never appears in JSON, spreads, keys, structuredClone or util.inspect', () => {
    const outputs = [
      JSON.stringify(c),
      JSON.stringify({ ...c }),
      JSON.stringify(Object.keys(c)),
      JSON.stringify(Object.entries(c)),
      JSON.stringify(structuredClone({ ...c })),
      inspect(c),
      inspect(c, { depth: Infinity, showHidden: true }),
      inspect({ nested: { client: c } }, { depth: 0 }),
      inspect([c]),
      `${String(c)}`,
    ];
    for (const output of outputs) expect(output).not.toContain(SECRET);
  });

  it('is marked as present in util.inspect without its value', () => {
    expect(inspect(c)).toContain("client_secret: '[redacted]'");
    expect(inspect(c)).toMatch(/^Client \{/);
    expect(inspect(client({ token_endpoint_auth_method: 'none' }))).not.toContain('client_secret');
    expect(inspect({ a: { b: c } }, { depth: 1 })).toBe('{ a: { b: [Client] } }');
  });

  it('toJSON returns plain, mutable data with the id and settings', () => {
    const json = c.toJSON();
    expect(json).toMatchObject({ client_id: c.client_id, name: 'App', app_type: 'regular_web' });
    expect(json).not.toHaveProperty('client_secret');
    json.grant_types.push('password');
    expect(c.grant_types).not.toContain('password');
  });

  it('tells confidential from public settings', () => {
    expect(isConfidential({ token_endpoint_auth_method: 'client_secret_basic' })).toBe(true);
    expect(isConfidential({ token_endpoint_auth_method: 'none' })).toBe(false);
  });
});

describe('Client snapshots: allow-lists', () => {
  it('checks callbacks exactly, with wildcards', () => {
    const c = client({
      callbacks: ['https://app.example.com/cb', 'https://*.preview.example.com/cb'],
    });
    expect(c.allowsCallback('https://app.example.com/cb')).toBe(true);
    expect(c.allowsCallback('https://pr-1.preview.example.com/cb')).toBe(true);
    expect(c.allowsCallback('https://app.example.com/cb/')).toBe(false);
    expect(c.allowsCallback('https://a.b.preview.example.com/cb')).toBe(false);
    expect(c.allowsCallback('https://app.example.com/cb#x')).toBe(false);
  });

  it('lets native apps use any port on loopback IPs (RFC 8252 §7.3), and nobody else', () => {
    const callbacks = ['http://127.0.0.1/cb', 'http://localhost/cb'];
    const nativeApp = client({ app_type: 'native', callbacks });
    expect(nativeApp.allowsCallback('http://127.0.0.1:51234/cb')).toBe(true);
    expect(nativeApp.allowsCallback('http://localhost:51234/cb')).toBe(false);
    const webApp = client({ app_type: 'regular_web', callbacks });
    expect(webApp.allowsCallback('http://127.0.0.1/cb')).toBe(true);
    expect(webApp.allowsCallback('http://127.0.0.1:51234/cb')).toBe(false);
  });

  it('checks logout URLs, ignoring the query of the returnTo', () => {
    const c = client({ allowed_logout_urls: ['https://app.example.com/bye'] });
    expect(c.allowsLogoutUrl('https://app.example.com/bye?from=menu')).toBe(true);
    expect(c.allowsLogoutUrl('https://evil.example/bye')).toBe(false);
  });

  it('allows CORS from allowed_origins and from the origin of every http(s) callback', () => {
    const c = client({
      app_type: 'native',
      callbacks: [
        'https://app.example.com/cb?x=1',
        'https://*.preview.example.com/cb',
        'http://127.0.0.1:8080/cb',
        'com.example.app:/cb',
      ],
      allowed_origins: ['https://admin.example.com'],
    });
    expect(c.allowsOrigin('https://admin.example.com')).toBe(true);
    expect(c.allowsOrigin('https://app.example.com')).toBe(true);
    expect(c.allowsOrigin('https://pr-9.preview.example.com')).toBe(true);
    expect(c.allowsOrigin('http://127.0.0.1:8080')).toBe(true);
    expect(c.allowsOrigin('http://127.0.0.1:9090')).toBe(false);
    expect(c.allowsOrigin('com.example.app://')).toBe(false);
    expect(c.allowsOrigin('null')).toBe(false);
    expect(c.allowsOrigin('https://app.example.com/')).toBe(false);
    expect(c.allowsWebOrigin('https://app.example.com')).toBe(false);
  });

  it('checks web origins on their own', () => {
    const c = client({ web_origins: ['https://app.example.com'] });
    expect(c.allowsWebOrigin('https://app.example.com')).toBe(true);
    expect(c.allowsWebOrigin('https://app.example.com:8443')).toBe(false);
    expect(c.allowsOrigin('https://app.example.com')).toBe(false);
  });

  it('never throws on odd candidates', () => {
    const c = client({ callbacks: ['https://app.example.com/cb'] });
    for (const candidate of [
      undefined,
      null,
      42,
      {},
      '',
      'https://app.example.com\\cb',
      'x'.repeat(100_000),
    ]) {
      expect(c.allowsCallback(candidate as string)).toBe(false);
      expect(c.allowsLogoutUrl(candidate as string)).toBe(false);
      expect(c.allowsOrigin(candidate as string)).toBe(false);
      expect(c.allowsWebOrigin(candidate as string)).toBe(false);
    }
  });

  it('keeps URL lists of a non_interactive client inert', () => {
    const c = client({
      app_type: 'non_interactive',
      callbacks: ['https://app.example.com/cb'],
      web_origins: ['https://app.example.com'],
    });
    expect(c.callbacks).toEqual(['https://app.example.com/cb']);
    expect(c.allowsCallback('https://app.example.com/cb')).toBe(false);
    expect(c.allowsOrigin('https://app.example.com')).toBe(false);
    expect(c.allowsWebOrigin('https://app.example.com')).toBe(false);
  });

  it('skips entries of a record that do not parse, allowing nothing for them', () => {
    const c = createClient({
      ...spaSettings(),
      client_id: 'id',
      callbacks: ['https://*.com/cb', 'https://ok.example.com/cb'],
    });
    expect(c.allowsCallback('https://ok.example.com/cb')).toBe(true);
    expect(c.allowsCallback('https://evil.com/cb')).toBe(false);
  });

  it('gives the same answers on repeated calls (compiled once, cached)', () => {
    const c = client({ callbacks: ['https://app.example.com/cb'] });
    for (let i = 0; i < 3; i++) {
      expect(c.allowsCallback('https://app.example.com/cb')).toBe(true);
      expect(c.allowsCallback('https://app.example.com/other')).toBe(false);
    }
  });
});

describe('Client snapshots with validation and lint', () => {
  it('validate and lint read a snapshot like its settings (the id is dropped)', () => {
    const c = client({ callbacks: ['https://*.example.com/cb'] }, SECRET);
    const again = validateClientSettings(c);
    expect(again.ok).toBe(true);
    const { client_id: _id, ...settings } = c.toJSON();
    if (again.ok) expect(again.value).toEqual(settings);
    expect(lintClient(c).map((f) => f.rule)).toEqual(['wildcard-url']);
  });
});
