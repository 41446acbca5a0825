/**
 * Log streams and log search through Auth0's own SDK (`auth0`, ManagementClient with its
 * default settings but for a `fetch` that hands its requests to createManagementApi in
 * process), with a real login through createProvider: `http` streams to receivers on
 * loopback get the login and a Management API change in each content format with their
 * Authorization header; pause and resume lose nothing; a failing receiver is retried,
 * then the stream is suspended; `logs.list` searches by type, client, user and date
 * range; checkpoint paging (`from`/`take`) walks 1,000 events.
 */
import type { ManagementClient } from 'auth0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClientWith } from '../support/management-sdk.js';
import {
  createManagementApi,
  createProvider,
  type Handler,
  type Provider,
} from '../../src/http/index.js';
import {
  generateSigningKey,
  memorySink,
  MemoryStore,
  Tenant,
  type AuditEvent,
  type Client,
} from '../../src/index.js';
import { jsonLines, receivedIds, startReceiver, type Receiver } from './receiver.js';

const ISSUER = 'https://id.example.com/';
const CALLBACK = 'https://app.example.com/callback';
const ALICE = { sub: 'auth0|alice', claims: { email: 'alice@example.com' } };

let tenant: Tenant;
let api: Handler;
let provider: Provider;
let app: Client;
let pendingId = '';
const sink = memorySink();
const receivers: Receiver[] = [];

beforeAll(async () => {
  tenant = await Tenant.create({
    domain: 'id.example.com',
    store: new MemoryStore(),
    signingKeys: [await generateSigningKey('RS256')],
    auditSinks: [sink],
    logStreams: { batchMaxWaitMs: 5, retryBaseDelayMs: 1, onDeadLetter: () => undefined },
  });
  api = createManagementApi(tenant);
  provider = createProvider(tenant, {
    login: (_request, pending) => {
      pendingId = pending.id;
      return Promise.resolve(new Response('sign in', { status: 200 }));
    },
  });
  app = await tenant.clients.create({
    name: 'Storefront',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
  });
}, 60_000);

afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  await tenant.close();
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

function sdkWith(scopes: string[]): Promise<ManagementClient> {
  return managementClientWith(tenant, api, scopes);
}

const ADMIN = [
  'read:log_streams',
  'create:log_streams',
  'update:log_streams',
  'delete:log_streams',
  'read:logs',
  'read:clients',
  'update:clients',
];

/** Alice signs in to the Storefront with the authorization code flow. */
async function login(): Promise<void> {
  const authorize = new URL('authorize', ISSUER);
  authorize.search = new URLSearchParams({
    client_id: app.client_id,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid email',
    state: 'state-1',
  }).toString();
  expect((await provider(new Request(authorize))).status).toBe(200);
  const done = await provider.completeAuthorization(pendingId, ALICE);
  const code = new URL(done.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const token = await provider(
    new Request(new URL('oauth/token', ISSUER), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        client_id: app.client_id,
        client_secret: app.client_secret ?? '',
      }).toString(),
    }),
  );
  expect(token.status).toBe(200);
}

interface LogRecord {
  log_id: string;
  data: AuditEvent;
}
const readers: Record<string, (body: string) => LogRecord[]> = {
  JSONLINES: jsonLines,
  JSONARRAY: (body) => JSON.parse(body) as LogRecord[],
  JSONOBJECT: (body) => [JSON.parse(body) as LogRecord],
};

describe('log streams through the auth0 SDK', () => {
  it('deliver a login and a Management API change in each content format, with the Authorization header', async () => {
    const sdk = await sdkWith(ADMIN);
    const targets: Record<string, Receiver> = {};
    const ids: Record<string, string> = {};
    for (const format of Object.keys(readers)) {
      targets[format] = await receiver();
      const created = await sdk.logStreams.create({
        name: `Webhook ${format}`,
        type: 'http',
        filters: [
          { type: 'category', name: 'auth.login.success' },
          { type: 'category', name: 'management.success' },
        ],
        sink: {
          httpEndpoint: `${targets[format].origin}/auth0`,
          httpContentFormat: format as 'JSONLINES',
          httpContentType: 'application/json',
          httpAuthorization: `Bearer ${format}-secret`,
        },
      });
      expect(created).toMatchObject({ type: 'http', status: 'active' });
      expect(created.sink).not.toHaveProperty('httpAuthorization');
      ids[format] = created.id!;
    }
    const listed = await sdk.logStreams.list();
    expect(listed.map((stream) => stream.name)).toEqual(
      expect.arrayContaining(Object.keys(readers).map((f) => `Webhook ${f}`)),
    );
    expect(JSON.stringify(listed)).not.toContain('-secret');
    expect(await sdk.logStreams.get(ids.JSONLINES!)).toEqual(
      listed.find((stream) => stream.id === ids.JSONLINES),
    );

    await login();
    await sdk.clients.update(app.client_id, { description: 'Changed through the SDK' });
    await tenant.audit.flush();

    for (const [format, target] of Object.entries(targets)) {
      const records = target.accepted.flatMap((request) => {
        expect(request.headers.authorization).toBe(`Bearer ${format}-secret`);
        return readers[format]!(request.body);
      });
      const kinds = records.map((r) => `${r.data.type} ${String(r.data.details.operation ?? '')}`);
      expect(kinds, format).toEqual(expect.arrayContaining(['s ', 'sapi update_client']));
      const signIn = records.find((r) => r.data.type === 's')!;
      expect(signIn.data).toMatchObject({
        client_id: app.client_id,
        client_name: 'Storefront',
        user_id: 'auth0|alice',
        user_name: 'alice@example.com',
        hostname: 'id.example.com',
      });
      expect(signIn.log_id).toBe(signIn.data.log_id);
      // Filtered: the token exchange (auth.token_exchange.success) is not delivered.
      expect(records.some((r) => r.data.type === 'seacft')).toBe(false);
    }
    for (const id of Object.values(ids)) await sdk.logStreams.delete(id);
    expect(await sdk.logStreams.list()).toEqual([]);
  });

  it('pause and resume through the SDK without losing an event', async () => {
    const sdk = await sdkWith(ADMIN);
    const target = await receiver();
    const stream = await sdk.logStreams.create({
      name: 'Pausable',
      type: 'http',
      sink: { httpEndpoint: `${target.origin}/in` },
    });
    await tenant.logStreams.flush();
    const before = receivedIds(target);
    await sdk.logStreams.update(stream.id!, { status: 'paused' });
    expect((await sdk.logStreams.get(stream.id!)).status).toBe('paused');
    await login();
    await sdk.clients.update(app.client_id, { description: 'While paused' });
    await tenant.audit.flush();
    expect(receivedIds(target)).toEqual(before);
    await sdk.logStreams.update(stream.id!, { status: 'active' });
    await tenant.audit.flush();
    await tenant.logStreams.flush();
    const all = sink.events.map((event) => event.log_id);
    expect(receivedIds(target)).toEqual(all.slice(all.indexOf(before[0]!)));
    await sdk.logStreams.delete(stream.id!);
  });

  it('retry a failing receiver, then suspend the stream, which the SDK and /logs show', async () => {
    const sdk = await sdkWith(ADMIN);
    const target = await receiver();
    target.respond(500);
    const stream = await sdk.logStreams.create({
      name: 'Failing',
      type: 'http',
      sink: { httpEndpoint: `${target.origin}/in` },
    });
    await sdk.clients.update(app.client_id, { description: 'Nobody hears this' });
    await tenant.logStreams.flush();
    expect(target.all).toHaveLength(4);
    expect((await sdk.logStreams.get(stream.id!)).status).toBe('suspended');
    const found = await sdk.logs.list({ search: 'type:sapi AND description:"Suspend log stream"' });
    expect(found.data.map((event) => event.details)).toContainEqual(
      expect.objectContaining({
        operation: 'suspend_log_stream',
        log_stream_id: stream.id,
        reason: 'the receiver answered 500 (after 4 attempts)',
      }),
    );
    // Fixed receiver, resumed stream: what it missed arrives.
    target.respond(200);
    await sdk.logStreams.update(stream.id!, { status: 'active' });
    await tenant.audit.flush();
    await tenant.logStreams.flush();
    expect(
      target.accepted.flatMap((r) => jsonLines(r.body)).map((r) => r.data.description),
    ).toEqual(expect.arrayContaining(['Create log stream', 'Update client', 'Suspend log stream']));
    await sdk.logStreams.delete(stream.id!);
  });

  it('refuse a token without the stream scopes', async () => {
    const reader = await sdkWith(['read:logs']);
    await expect(reader.logStreams.list()).rejects.toMatchObject({ statusCode: 403 });
    await expect(
      reader.logStreams.create({
        type: 'sumo',
        sink: { sumoSourceAddress: 'https://x.example.com/' },
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('log search through the auth0 SDK', () => {
  it('finds events by type, client, user and date range with logs.list', async () => {
    const sdk = await sdkWith(ADMIN);
    const start = new Date().toISOString();
    await login();
    await sdk.clients.update(app.client_id, { description: 'Searchable' });
    await tenant.audit.flush();
    const end = new Date(Date.now() + 1).toISOString();
    const kept = sink.events;
    const ids = (events: readonly { log_id?: string | undefined }[]) =>
      events.map((e) => e.log_id).sort();
    const search = async (q: string) =>
      ids((await sdk.logs.list({ search: q, per_page: 100, sort: 'date:1' })).data);

    expect(await search('type:s')).toEqual(ids(kept.filter((e) => e.type === 's')));
    expect(await search(`client_id:"${app.client_id}" AND type:seacft`)).toEqual(
      ids(kept.filter((e) => e.client_id === app.client_id && e.type === 'seacft')),
    );
    // The code exchange names the user and the scopes granted, as Auth0's seacft does.
    expect(kept.filter((e) => e.type === 'seacft').at(-1)).toMatchObject({
      user_id: 'auth0|alice',
      user_name: 'alice@example.com',
      scope: 'openid email',
    });
    expect(await search('user_id:"auth0|alice"')).toEqual(
      ids(kept.filter((e) => e.user_id === 'auth0|alice')),
    );
    const inRange = kept.filter((e) => e.date >= start && e.date <= end);
    expect(inRange.length).toBeGreaterThanOrEqual(3);
    expect(await search(`date:["${start}" TO "${end}"]`)).toEqual(ids(inRange));
    expect(await search(`date:["${start}" TO *] AND NOT type:sapi`)).toEqual(
      ids(kept.filter((e) => e.date >= start && e.type !== 'sapi')),
    );
    await expect(sdk.logs.list({ search: 'nosuchfield:x' })).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('pages through 1,000 events with checkpoints (from/take), each once, oldest first', async () => {
    const sdk = await sdkWith(ADMIN);
    for (let n = 0; n < 1_000; n++) {
      tenant.audit.record({ type: 'sapi', description: 'Bulk operation', details: { n } });
    }
    await tenant.audit.flush();
    const seen: string[] = [];
    let from: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await sdk.logs.list(
        {},
        { queryParams: { take: 100, ...(from === undefined ? {} : { from }) } },
      );
      const events = page.response as unknown as { log_id: string }[];
      if (events.length === 0) break;
      seen.push(...events.map((event) => event.log_id));
      from = events.at(-1)!.log_id;
    }
    const all = sink.events.map((event) => event.log_id);
    expect(all.length).toBeGreaterThan(1_000);
    expect(seen).toEqual(all);
  });
});
