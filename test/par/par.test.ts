/**
 * The pieces of PAR (RFC 9126) that need no server: request URIs, who must push, how long
 * a request URI lives, and tenant.pushedAuthorizationRequests' single use across instances.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant } from '../../src/index.js';
import { readParOptions } from '../../src/par/options.js';
import { newRequestUri, REQUEST_URI_PREFIX, requestUriId } from '../../src/par/request-uri.js';
import { pushRequirement, requestUriLifetime } from '../../src/par/requirement.js';

describe('request URIs', () => {
  it('are the RFC 9126 URN with 256 random bits, stored by hash', () => {
    const uri = newRequestUri();
    expect(uri.startsWith(REQUEST_URI_PREFIX)).toBe(true);
    expect(requestUriId(uri)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(requestUriId(uri)).not.toContain(uri.slice(REQUEST_URI_PREFIX.length));
    expect(newRequestUri()).not.toBe(uri);
  });

  it('refuse anything else', () => {
    for (const bad of [
      'urn:ietf:params:oauth:request_uri:short',
      `urn:ietf:params:oauth:request_uri:${'a'.repeat(42)}!`,
      'https://client.example/request.jwt',
      42,
      undefined,
    ]) {
      expect(requestUriId(bad)).toBeUndefined();
    }
  });
});

describe('pushRequirement', () => {
  it('is the compliance level first (Auth0 words), then the client, then the tenant', () => {
    expect(pushRequirement({ compliance_level: 'fapi1_adv_pkj_par' }, false)).toBe(
      'Pushed Authorization Requests are required by the configured compliance level',
    );
    expect(
      pushRequirement(
        { compliance_level: 'fapi2_sp_mtls_mtls', require_pushed_authorization_requests: false },
        false,
      ),
    ).toMatch(/compliance level/);
    expect(pushRequirement({ require_pushed_authorization_requests: true }, false)).toMatch(
      /require_pushed_authorization_requests/,
    );
    expect(pushRequirement({ compliance_level: 'none' }, true)).toMatch(/tenant/);
    expect(pushRequirement({}, false)).toBeUndefined();
  });

  it('takes a client par_request_expiry from 5 to 600 seconds, else the tenant default', () => {
    expect(requestUriLifetime({ par_request_expiry: 30 }, 60)).toBe(30);
    expect(requestUriLifetime({ par_request_expiry: 601 }, 60)).toBe(60);
    expect(requestUriLifetime({ par_request_expiry: 4 }, 60)).toBe(60);
    expect(requestUriLifetime({}, 90)).toBe(90);
  });

  it('checks the tenant option', () => {
    expect(readParOptions(undefined)).toEqual({ required: false, lifetimeSeconds: 60 });
    expect(() => readParOptions({ lifetimeSeconds: 601 })).toThrow(
      expect.objectContaining({ path: '/pushedAuthorizationRequests/lifetimeSeconds' }),
    );
    expect(() => readParOptions({ required: 'yes' })).toThrow(
      expect.objectContaining({ path: '/pushedAuthorizationRequests/required' }),
    );
  });
});

describe('tenant.pushedAuthorizationRequests', () => {
  it('hands a request_uri to one taker only, across instances, and keeps no secret', async () => {
    const store = new MemoryStore();
    const options = { domain: 'tenant.example.test', store };
    const a = await Tenant.create(options);
    const b = await Tenant.create(options);
    const client = await a.clients.create({
      name: 'Web',
      app_type: 'regular_web',
      callbacks: ['https://app.example/cb'],
    });
    const pushed = await a.pushedAuthorizationRequests.push(client, {
      redirect_uri: 'https://app.example/cb',
      client_secret: 'never stored',
    });
    expect(JSON.stringify(await store.list('pushed_authorization_requests'))).not.toContain(
      'never stored',
    );
    const taken = await Promise.allSettled([
      a.pushedAuthorizationRequests.take(pushed.request_uri, client.client_id),
      b.pushedAuthorizationRequests.take(pushed.request_uri, client.client_id),
    ]);
    expect(taken.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(taken.find((result) => result.status === 'rejected')).toMatchObject({
      reason: { code: 'invalid_request_uri' },
    });
  });
});

describe('the sweep of expired pushed requests', () => {
  /** A store whose listing of pushed requests fails. */
  class FailingListStore extends MemoryStore {
    override list<T = unknown>(collection: string) {
      return collection === 'pushed_authorization_requests'
        ? Promise.reject(new Error('store unavailable'))
        : super.list<T>(collection);
    }
  }

  async function tenantAt(store: MemoryStore, clock: { now: number }) {
    const tenant = await Tenant.create({
      domain: 'tenant.example.test',
      store,
      now: () => clock.now,
    });
    const client = (par_request_expiry: number) =>
      tenant.clients.create({
        name: `Web ${par_request_expiry}`,
        app_type: 'regular_web',
        callbacks: ['https://app.example/cb'],
        par_request_expiry,
      });
    return { tenant, client };
  }

  it('never fails the push that runs it (the request is stored and usable)', async () => {
    const { tenant, client } = await tenantAt(new FailingListStore(), { now: Date.now() });
    const web = await client(60);
    const params = { redirect_uri: 'https://app.example/cb' };
    let last: { request_uri: string } | undefined;
    for (let push = 0; push < 256; push++) {
      last = await tenant.pushedAuthorizationRequests.push(web, params);
    }
    const taken = await tenant.pushedAuthorizationRequests.take(last?.request_uri, web.client_id);
    expect(taken.params).toMatchObject(params);
  });

  it('deletes expired requests however many live ones come before them', async () => {
    const store = new MemoryStore();
    const clock = { now: Date.UTC(2026, 0, 1) };
    const { tenant, client } = await tenantAt(store, clock);
    const [long, short] = [await client(600), await client(5)];
    const params = { redirect_uri: 'https://app.example/cb' };
    for (let push = 0; push < 1024; push++) {
      await tenant.pushedAuthorizationRequests.push(long, params);
    }
    for (let push = 0; push < 255; push++) {
      await tenant.pushedAuthorizationRequests.push(short, params);
    }
    clock.now += 10_000;
    await tenant.pushedAuthorizationRequests.push(long, params); // the 1,280th: a sweep
    const left = await store.list<{ client_id: string }>('pushed_authorization_requests');
    expect(left.filter((record) => record.value.client_id === short.client_id)).toHaveLength(0);
    expect(left).toHaveLength(1025);
  });
});

describe('tenant.pushedAuthorizationRequests.push input', () => {
  it('refuses a request_uri or request among the parameters, and a value that is not a string, storing nothing', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({ domain: 'tenant.example.test', store });
    const client = await tenant.clients.create({
      name: 'Web',
      app_type: 'regular_web',
      callbacks: ['https://app.example/cb'],
    });
    const refusals: [Record<string, unknown>, string][] = [
      [{ request_uri: 'urn:ietf:params:oauth:request_uri:x' }, '/params/request_uri'],
      [{ request: 'eyJ.eyJ.sig' }, '/params/request'],
      [{ 'a/b': 42 }, '/params/a~1b'],
    ];
    for (const [params, path] of refusals) {
      await expect(
        tenant.pushedAuthorizationRequests.push(client, params as never),
      ).rejects.toMatchObject({ code: 'invalid_argument', path });
    }
    expect(await store.list('pushed_authorization_requests')).toEqual([]);
  });
});
