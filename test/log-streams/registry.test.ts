/**
 * `tenant.logStreams` as a registry: Auth0's stream shapes in and out, sink secrets
 * write-only (never returned, never in JSON, `util.inspect`, errors or audit events, sealed
 * at rest with `secretsKey`), every write audited, refusals at JSON pointers with stored
 * data left as it was, and PATCH merging the sink as the Deploy CLI needs.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  NotFoundError,
  StoreCorruptError,
  Tenant,
  ValidationError,
  memorySink,
  type LogStreamInput,
} from '../../src/index.js';

const SECRETS = {
  httpAuthorization: 'Bearer http-secret-7f3a9c',
  datadogApiKey: 'dd-secret-5b21e0',
  splunkToken: 'splunk-secret-0c9d44',
};

const HTTP: LogStreamInput = {
  name: 'SIEM',
  type: 'http',
  filters: [{ type: 'category', name: 'auth.login.fail' }],
  sink: {
    httpEndpoint: 'https://siem.example.com/auth0',
    httpContentFormat: 'JSONARRAY',
    httpContentType: 'application/json',
    httpAuthorization: SECRETS.httpAuthorization,
    httpCustomHeaders: [{ header: 'X-Tenant', value: 'acme' }],
  },
};
const DATADOG: LogStreamInput = {
  name: 'Datadog',
  type: 'datadog',
  sink: { datadogRegion: 'eu', datadogApiKey: SECRETS.datadogApiKey },
};
const SPLUNK: LogStreamInput = {
  name: 'Splunk',
  type: 'splunk',
  sink: {
    splunkDomain: 'splunk.example.com',
    splunkPort: '8088',
    splunkToken: SECRETS.splunkToken,
    splunkSecure: true,
  },
};

/** Deliveries never leave the process here: every request is refused at once. */
const offline = (() => Promise.reject(new TypeError('offline'))) as typeof fetch;

async function tenantWith(options: Partial<Parameters<typeof Tenant.create>[0]> = {}) {
  const sink = memorySink();
  const store = new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'acme.example.com',
    store,
    auditSinks: [sink],
    ...options,
    logStreams: {
      fetch: offline,
      retries: 0,
      onDeadLetter: () => undefined,
      ...options.logStreams,
    },
  });
  return { tenant, sink, store };
}

function expectNoSecret(text: string): void {
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

describe('tenant.logStreams', () => {
  it('creates streams of each type as Auth0 shapes them, without their secrets', async () => {
    const { tenant } = await tenantWith();
    const http = await tenant.logStreams.create(HTTP);
    expect(http).toEqual({
      id: expect.stringMatching(/^lst_[A-Za-z0-9]{32}$/),
      name: 'SIEM',
      type: 'http',
      status: 'active',
      filters: [{ type: 'category', name: 'auth.login.fail' }],
      sink: {
        httpEndpoint: 'https://siem.example.com/auth0',
        httpContentFormat: 'JSONARRAY',
        httpContentType: 'application/json',
        httpCustomHeaders: [{ header: 'X-Tenant', value: 'acme' }],
      },
    });
    const datadog = await tenant.logStreams.create(DATADOG);
    expect(datadog.sink).toEqual({ datadogRegion: 'eu' });
    const splunk = await tenant.logStreams.create(SPLUNK);
    expect(splunk.sink).toEqual({
      splunkDomain: 'splunk.example.com',
      splunkPort: '8088',
      splunkSecure: true,
    });
    const sumo = await tenant.logStreams.create({
      type: 'sumo',
      sink: { sumoSourceAddress: 'https://collectors.sumologic.com/receiver/v1/http/abc' },
    });
    expect(sumo.name).toBe('sumo');
    const bridge = await tenant.logStreams.create({
      name: 'AWS',
      type: 'eventbridge',
      // An export's read-only source is dropped: the tenant assigns its own.
      sink: {
        awsAccountId: '123456789012',
        awsRegion: 'eu-west-1',
        awsPartnerEventSource: 'aws.partner/auth0.com/other/auth0.logs',
      },
    });
    expect(bridge.sink).toEqual({
      awsAccountId: '123456789012',
      awsRegion: 'eu-west-1',
      awsPartnerEventSource: expect.stringMatching(
        /^aws\.partner\/auth0\.com\/acme-[0-9a-f-]{36}\/auth0\.logs$/,
      ),
    });
    const listed = await tenant.logStreams.list();
    expect(listed.map((stream) => stream.name)).toEqual([
      'SIEM',
      'Datadog',
      'Splunk',
      'sumo',
      'AWS',
    ]);
    expect(await tenant.logStreams.get(http.id)).toEqual(http);
    expect(Object.isFrozen(http) && Object.isFrozen(http.sink)).toBe(true);
    expectNoSecret(JSON.stringify(listed) + inspect(listed, { depth: 10 }));
    await tenant.close();
  });

  it('keeps the secrets in the store for delivery, sealed with secretsKey', async () => {
    const { tenant, store } = await tenantWith({ secretsKey: randomBytes(32) });
    const stream = await tenant.logStreams.create(HTTP);
    const raw = JSON.stringify(await store.get('log_streams', stream.id));
    expectNoSecret(raw);
    expect(raw).toContain('siem.example.com');
    const plain = await tenantWith();
    const kept = await plain.tenant.logStreams.create(HTTP);
    const stored = await plain.store.get<{ sink: Record<string, unknown> }>('log_streams', kept.id);
    expect(stored?.value.sink.httpAuthorization).toBe(SECRETS.httpAuthorization);
    await tenant.close();
    await plain.tenant.close();
  });

  it('audits every write without the sink', async () => {
    const { tenant, sink } = await tenantWith();
    const stream = await tenant.logStreams.create(HTTP);
    await tenant.logStreams.update(stream.id, { name: 'SIEM 2', sink: { httpAuthorization: 'x' } });
    await tenant.logStreams.pause(stream.id);
    await tenant.logStreams.resume(stream.id);
    await tenant.logStreams.delete(stream.id);
    await expect(tenant.logStreams.create({ ...DATADOG, type: 'segment' })).rejects.toThrow(
      ValidationError,
    );
    await tenant.audit.flush();
    expect(sink.events.map((event) => `${event.type} ${String(event.details.operation)}`)).toEqual([
      'sapi create_log_stream',
      'sapi update_log_stream',
      'sapi update_log_stream',
      'sapi update_log_stream',
      'sapi delete_log_stream',
      'fapi create_log_stream',
    ]);
    expect(sink.events[0]?.details).toMatchObject({
      log_stream_id: stream.id,
      name: 'SIEM',
      type: 'http',
      status: 'active',
    });
    expect(sink.events[1]?.details.fields).toEqual(['name', 'sink']);
    expect(JSON.stringify(sink.events)).not.toContain('siem.example.com');
    expectNoSecret(JSON.stringify(sink.events));
    await tenant.close();
  });

  it('merges a sink patch into the stored sink: a secret left out keeps its value', async () => {
    const { tenant, store } = await tenantWith();
    const stream = await tenant.logStreams.create(HTTP);
    const updated = await tenant.logStreams.update(stream.id, {
      sink: { httpEndpoint: 'https://siem2.example.com/auth0' },
      filters: [],
    });
    expect(updated.sink.httpEndpoint).toBe('https://siem2.example.com/auth0');
    expect(updated.filters).toEqual([]);
    const stored = await store.get<{ sink: Record<string, unknown> }>('log_streams', stream.id);
    expect(stored?.value.sink).toMatchObject({
      httpEndpoint: 'https://siem2.example.com/auth0',
      httpAuthorization: SECRETS.httpAuthorization,
      httpContentFormat: 'JSONARRAY',
    });
    await tenant.logStreams.update(stream.id, { sink: { httpAuthorization: 'Bearer new' } });
    const rotated = await store.get<{ sink: Record<string, unknown> }>('log_streams', stream.id);
    expect(rotated?.value.sink.httpAuthorization).toBe('Bearer new');
    await tenant.close();
  });

  it('refuses what Auth0 refuses, at JSON pointers, and leaves the store as it was', async () => {
    const { tenant, store } = await tenantWith();
    const stream = await tenant.logStreams.create(HTTP);
    const before = JSON.stringify(await store.list('log_streams'));
    const refusals: [unknown, string, string][] = [
      [{ ...HTTP, name: 'other', type: 'segment' }, '/type', 'unsupported'],
      [{ ...HTTP, name: 'other', type: 'kafka' }, '/type', 'invalid_value'],
      [{ name: 'other', type: 'http' }, '/sink', 'required'],
      [{ ...HTTP, name: 'other', sink: {} }, '/sink/httpEndpoint', 'required'],
      [
        { ...HTTP, name: 'other', sink: { httpEndpoint: 'ftp://siem.example.com/' } },
        '/sink/httpEndpoint',
        'invalid_url',
      ],
      [
        { ...HTTP, name: 'other', sink: { httpEndpoint: 'https://u:p@siem.example.com/' } },
        '/sink/httpEndpoint',
        'invalid_url',
      ],
      [
        {
          ...HTTP,
          name: 'other',
          sink: {
            httpEndpoint: 'https://siem.example.com/',
            httpCustomHeaders: [{ header: 'Authorization', value: 'x' }],
          },
        },
        '/sink/httpCustomHeaders/0/header',
        'reserved_header',
      ],
      [
        {
          ...HTTP,
          name: 'other',
          sink: { httpEndpoint: 'https://a/', httpAuthorization: 'a\r\nb' },
        },
        '/sink/httpAuthorization',
        'invalid_format',
      ],
      [
        { ...DATADOG, name: 'other', sink: { datadogRegion: 'ap1' } },
        '/sink/datadogRegion',
        'invalid_value',
      ],
      [
        { ...SPLUNK, name: 'other', sink: { ...SPLUNK.sink, splunkPort: '70000' } },
        '/sink/splunkPort',
        'invalid_format',
      ],
      [
        { ...SPLUNK, name: 'other', sink: { ...SPLUNK.sink, splunkDomain: 'https://x/' } },
        '/sink/splunkDomain',
        'invalid_format',
      ],
      [
        { type: 'eventbridge', sink: { awsAccountId: '12', awsRegion: 'us-east-1' } },
        '/sink/awsAccountId',
        'invalid_format',
      ],
      [
        { ...HTTP, name: 'other', filters: [{ type: 'category', name: 'auth.nope' }] },
        '/filters/0/name',
        'invalid_value',
      ],
      [
        { ...HTTP, name: 'other', pii_config: { log_fields: ['email'] } },
        '/pii_config',
        'read_only',
      ],
      [{ ...HTTP, name: 'other', id: 'lst_x' }, '/id', 'read_only'],
      [{ ...HTTP, name: 'other', status: 'suspended' }, '/status', 'invalid_value'],
      [HTTP, '/name', 'already_exists'],
    ];
    for (const [input, path, code] of refusals) {
      const error = await tenant.logStreams.create(input as LogStreamInput).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error, `${path} ${code}`).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).kind).toBe('log_stream');
      expect((error as ValidationError).issues, JSON.stringify(input)).toContainEqual(
        expect.objectContaining({ path, code }),
      );
    }
    const patches: [unknown, string, string][] = [
      [{ type: 'datadog' }, '/type', 'read_only'],
      [{ status: 'suspended' }, '/status', 'read_only'],
      [{ status: 'stopped' }, '/status', 'invalid_value'],
      [{ sink: { httpEndpoint: 'nope' } }, '/sink/httpEndpoint', 'invalid_url'],
      [{ sink: { datadogApiKey: 'x' } }, '/sink/datadogApiKey', 'unknown_property'],
      [{ name: '' }, '/name', 'blank'],
    ];
    for (const [patch, path, code] of patches) {
      await expect(tenant.logStreams.update(stream.id, patch as never)).rejects.toMatchObject({
        issues: expect.arrayContaining([expect.objectContaining({ path, code })]),
      });
    }
    expect(JSON.stringify(await store.list('log_streams'))).toBe(before);
    await expect(tenant.logStreams.get('lst_missing')).rejects.toThrow(NotFoundError);
    await expect(tenant.logStreams.update('lst_missing', {})).rejects.toThrow(NotFoundError);
    await expect(tenant.logStreams.delete('lst_missing')).rejects.toThrow(NotFoundError);
    await tenant.close();
  });

  it('never quotes a secret in a refusal, whatever the mistake', async () => {
    const { tenant } = await tenantWith();
    const inputs = [
      {
        type: 'datadog',
        sink: {
          datadogRegion: 'nowhere',
          datadogApiKey: SECRETS.datadogApiKey,
          extra: SECRETS.splunkToken,
        },
      },
      {
        type: 'http',
        sink: {
          httpEndpoint: `https://x/?t=${SECRETS.httpAuthorization}#f`,
          httpAuthorization: 42,
        },
      },
      { type: 'splunk', sink: { ...SPLUNK.sink, splunkToken: `${SECRETS.splunkToken}\n` } },
    ];
    for (const input of inputs) {
      const error = (await tenant.logStreams
        .create(input as never)
        .catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(ValidationError);
      expectNoSecret(`${error.message} ${JSON.stringify(error)} ${inspect(error)}`);
    }
    await tenant.close();
  });

  it('refuses an eventbridge sink change, keeps the type, and limits the tenant to 20 streams', async () => {
    const { tenant } = await tenantWith();
    const bridge = await tenant.logStreams.create({
      type: 'eventbridge',
      sink: { awsAccountId: '123456789012', awsRegion: 'us-east-1' },
    });
    // The Deploy CLI sends an eventbridge stream's sink back unchanged, or not at all.
    await tenant.logStreams.update(bridge.id, { sink: { ...bridge.sink }, name: 'renamed' });
    await expect(
      tenant.logStreams.update(bridge.id, { sink: { awsRegion: 'us-west-2' } }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: '/sink', code: 'read_only' })],
    });
    for (let n = 1; n < 20; n++) {
      await tenant.logStreams.create({ ...DATADOG, name: `dd ${n}` });
    }
    await expect(tenant.logStreams.create({ ...DATADOG, name: 'dd 20' })).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: 'limit_exceeded' })],
    });
    await tenant.close();
  });

  it('refuses IP-literal private hosts when logStreams.allowPrivateNetwork is false', async () => {
    const { tenant } = await tenantWith({ logStreams: { allowPrivateNetwork: false } });
    for (const httpEndpoint of [
      'http://127.0.0.1:9000/',
      'http://[::1]/',
      'http://10.1.2.3/',
      'http://localhost/',
    ]) {
      await expect(
        tenant.logStreams.create({ type: 'http', sink: { httpEndpoint } }),
      ).rejects.toMatchObject({
        issues: [
          expect.objectContaining({ path: '/sink/httpEndpoint', code: 'forbidden_address' }),
        ],
      });
    }
    await tenant.logStreams.create({
      type: 'http',
      sink: { httpEndpoint: 'https://siem.example.com/' },
    });
    const open = await tenantWith();
    await open.tenant.logStreams.create({
      type: 'http',
      sink: { httpEndpoint: 'http://127.0.0.1:9000/' },
    });
    await tenant.close();
    await open.tenant.close();
  });

  it('reports a damaged stored stream as StoreCorruptError, never as a stream', async () => {
    const { tenant, store } = await tenantWith();
    await store.insert('log_streams', 'lst_bad', {
      id: 'lst_bad',
      name: 'x',
      type: 'http',
      status: 'active',
    });
    await expect(tenant.logStreams.get('lst_bad')).rejects.toThrow(StoreCorruptError);
    await tenant.close();
  });
});
