import { describe, expect, it } from 'vitest';
import { AuditTrail, REDACTED, memorySink } from '../../src/index.js';

function detailsOf(details: Record<string, unknown>): Readonly<Record<string, unknown>> {
  return new AuditTrail().record({ type: 'sapi', description: 'x', details }).details;
}

describe('redaction of audit details', () => {
  it('replaces values under secret-looking keys, at any depth and in arrays', () => {
    const details = detailsOf({
      operation: 'update',
      client_secret: 's3cr3t',
      changes: {
        registration_access_token: 'rat',
        nested: [{ password: 'hunter2', name: 'kept' }],
        Authorization: 'Basic YWJjOmRlZg==',
      },
      clientSecret: 'camel',
      'initial-access-token': 'kebab',
      db_password: 'suffix',
      hec_token: 'suffix',
      private_key: '-----BEGIN PRIVATE KEY-----',
      secret: { any: 'shape' },
    });
    expect(details).toEqual({
      operation: 'update',
      client_secret: REDACTED,
      changes: {
        registration_access_token: REDACTED,
        nested: [{ password: REDACTED, name: 'kept' }],
        Authorization: REDACTED,
      },
      clientSecret: REDACTED,
      'initial-access-token': REDACTED,
      db_password: REDACTED,
      hec_token: REDACTED,
      private_key: REDACTED,
      secret: REDACTED,
    });
    expect(REDACTED).toBe('[redacted]');
  });

  it('redacts private members of a JWK but keeps its public ones', () => {
    const details = detailsOf({
      key: {
        kty: 'RSA',
        kid: 'k1',
        n: 'modulus',
        e: 'AQAB',
        d: 'priv',
        p: 'p',
        q: 'q',
        dp: '1',
        dq: '2',
        qi: '3',
      },
      hmac: { kty: 'oct', k: 'shared' },
      ec: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'priv' },
      notAJwk: { d: 'a day', k: 2 },
    });
    expect(details).toEqual({
      key: {
        kty: 'RSA',
        kid: 'k1',
        n: 'modulus',
        e: 'AQAB',
        d: REDACTED,
        p: REDACTED,
        q: REDACTED,
        dp: REDACTED,
        dq: REDACTED,
        qi: REDACTED,
      },
      hmac: { kty: 'oct', k: REDACTED },
      ec: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: REDACTED },
      notAJwk: { d: 'a day', k: 2 },
    });
  });

  it('keeps look-alike keys that hold no secret', () => {
    const details = detailsOf({
      token_endpoint_auth_method: 'client_secret_post',
      client_secret_expires_at: 0,
      has_secret: true,
      token_type: 'Bearer',
      changed: ['client_secret', 'callbacks'],
      refresh_token: null,
    });
    expect(details).toEqual({
      token_endpoint_auth_method: 'client_secret_post',
      client_secret_expires_at: 0,
      has_secret: true,
      token_type: 'Bearer',
      changed: ['client_secret', 'callbacks'],
      refresh_token: null,
    });
  });

  it('copies details as JSON data, so class instances cannot smuggle a secret', () => {
    class FakeClient {
      client_id = 'abc';
      toJSON(): object {
        return { client_id: this.client_id, name: 'App' };
      }
    }
    const client = Object.assign(new FakeClient(), { hidden: 'x' });
    const error = Object.assign(new Error('boom'), { code: 'conflict', password: 'leak' });
    const details = detailsOf({
      client,
      error,
      when: new Date('2024-01-02T03:04:05.000Z'),
      count: 10n,
      fn: () => 1,
      missing: undefined,
      list: [undefined, () => 1, 1],
    });
    expect(details).toEqual({
      client: { client_id: 'abc', name: 'App' },
      error: { name: 'Error', message: 'boom', code: 'conflict' },
      when: '2024-01-02T03:04:05.000Z',
      count: '10',
      list: [null, null, 1],
    });
  });

  it('survives cycles, deep nesting and throwing getters', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100; i += 1) deep = { deep };
    const hostile = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    const details = detailsOf({ cyclic, deep, hostile });
    expect(details['cyclic']).toEqual({ name: 'loop', self: '[circular]' });
    expect(JSON.stringify(details)).toContain('[truncated]');
    expect(details['hostile']).toEqual({ boom: '[unreadable]' });
  });

  it('shares repeated (non-cyclic) references as copies', () => {
    const shared = { a: 1 };
    expect(detailsOf({ one: shared, two: shared })).toEqual({ one: { a: 1 }, two: { a: 1 } });
  });

  it('does not let a "__proto__" key change the copy', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<
      string,
      unknown
    >;
    const details = detailsOf(input);
    expect(Object.getPrototypeOf(details)).toBe(Object.prototype);
    expect((details as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(details)).toEqual(['__proto__', 'ok']);
  });

  it('freezes and detaches the copy from the caller’s object', () => {
    const input = { nested: { value: 1 } };
    const details = detailsOf(input);
    input.nested.value = 2;
    expect(details).toEqual({ nested: { value: 1 } });
    expect(Object.isFrozen(details)).toBe(true);
    expect(Object.isFrozen(details['nested'])).toBe(true);
  });

  it('never lets a secret reach a sink or a serialised event', async () => {
    const sink = memorySink();
    const audit = new AuditTrail({ sinks: [sink] });
    audit.record({
      type: 'sapi',
      description: 'Rotate a client secret',
      client_id: 'abc',
      details: {
        client_secret: 'NEW-SECRET-VALUE',
        previous: { client_secret: 'OLD-SECRET-VALUE' },
      },
    });
    await audit.flush();
    const text = JSON.stringify(sink.events);
    expect(text).not.toContain('SECRET-VALUE');
  });
});

describe('audit details as JSON', () => {
  it('writes NaN, infinities and -0 as JSON does', () => {
    const details = detailsOf({ a: Number.NaN, b: [Infinity, -Infinity], c: -0, d: 1.5 });
    expect(details).toEqual({ a: null, b: [null, null], c: 0, d: 1.5 });
    expect(Object.is(details['c'], 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(details))).toEqual(details);
  });

  it("adds the request's details after the caller's, unless the caller gave its own", () => {
    const trail = new AuditTrail();
    const request = { method: 'POST', path: '/oauth/token', ip: '192.0.2.1' };
    const record = (details: unknown) =>
      trail.record({ type: 'sapi', description: 'x', request, details } as never).details;
    const seen = { method: 'post', path: '/oauth/token' };
    expect(Object.keys(record({ z: 1, a: 2 }))).toEqual(['z', 'a', 'request']);
    expect(record({ z: 1, client_secret: 's' })).toEqual({
      z: 1,
      client_secret: REDACTED,
      request: seen,
    });
    expect(record(undefined)).toEqual({ request: seen });
    expect(record({ request: 'mine' })).toEqual({ request: 'mine' });
    expect(record(Object.assign(Object.create({ inherited: 1 }), { own: 2 }))).toEqual({
      own: 2,
      request: seen,
    });
    expect(Object.isFrozen(record({ z: { y: 1 } })['z'])).toBe(true);
  });
});
