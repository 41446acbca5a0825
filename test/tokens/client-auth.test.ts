import type * as NodeCrypto from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, InvalidClientError, InvalidRequestError } from '../../src/errors.js';
import {
  authenticateClientRequest,
  type AuthenticatableClient,
  type ClientAuthRequest,
} from '../../src/tokens/client-auth.js';
import { CLIENT_AUTH_FAILURES, clientAuthFailure } from '../../src/tokens/client-auth-failure.js';

/** Counts the crypto work done per request, to show unknown ids cost the same. */
const calls = vi.hoisted(() => ({ hash: 0, timingSafeEqual: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  return {
    ...actual,
    hash: ((...args: Parameters<typeof actual.hash>) => {
      calls.hash++;
      return actual.hash(...args);
    }) as typeof actual.hash,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.timingSafeEqual++;
      return actual.timingSafeEqual(a, b);
    },
  };
});

const SECRET = 'Zm9vYmFyYmF6cXV4LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQtc2Vj';
const CLIENTS: AuthenticatableClient[] = [
  {
    client_id: 'post-client',
    token_endpoint_auth_method: 'client_secret_post',
    client_secret: SECRET,
  },
  {
    client_id: 'basic-client',
    token_endpoint_auth_method: 'client_secret_basic',
    client_secret: SECRET,
  },
  { client_id: 'public-client', token_endpoint_auth_method: 'none' },
  { client_id: 'secretless', token_endpoint_auth_method: 'client_secret_post' },
  { client_id: 'jwt-client', token_endpoint_auth_method: 'private_key_jwt', client_secret: SECRET },
];
const byId = new Map(CLIENTS.map((client) => [client.client_id, client]));
const lookup = vi.fn(async (id: string) => byId.get(id));

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** The reason a request is refused with; checks the error type and the single message. */
async function refusal(request: ClientAuthRequest, type: 'client' | 'request' = 'client') {
  try {
    await authenticateClientRequest(request, lookup);
  } catch (error) {
    if (type === 'client') {
      expect(error).toBeInstanceOf(InvalidClientError);
      expect((error as Error).message).toBe('client authentication failed');
    } else {
      expect(error).toBeInstanceOf(InvalidRequestError);
    }
    const failure = clientAuthFailure(error);
    expect(failure).toBeDefined();
    return failure!;
  }
  throw new Error('expected authentication to fail');
}

beforeEach(() => {
  lookup.mockClear();
  calls.hash = 0;
  calls.timingSafeEqual = 0;
});

describe('authenticateClientRequest: success', () => {
  it('client_secret_post', async () => {
    const result = await authenticateClientRequest(
      {
        body: { client_id: 'post-client', client_secret: SECRET, grant_type: 'client_credentials' },
      },
      lookup,
    );
    expect(result).toEqual({
      clientId: 'post-client',
      method: 'client_secret_post',
      client: byId.get('post-client'),
    });
  });

  it('client_secret_basic, with or without a matching body client_id', async () => {
    for (const body of [undefined, {}, { client_id: 'basic-client' }]) {
      const result = await authenticateClientRequest(
        { authorization: basic('basic-client', SECRET), body },
        lookup,
      );
      expect(result.method).toBe('client_secret_basic');
      expect(result.clientId).toBe('basic-client');
    }
  });

  it('none, with client_id in the body', async () => {
    const result = await authenticateClientRequest(
      { body: { client_id: 'public-client' } },
      lookup,
    );
    expect(result).toMatchObject({ clientId: 'public-client', method: 'none' });
  });

  it('looks the client up once', async () => {
    await authenticateClientRequest(
      { body: { client_id: 'post-client', client_secret: SECRET } },
      lookup,
    );
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith('post-client');
  });
});

describe('authenticateClientRequest: exactly one mechanism', () => {
  it.each([
    [
      'Basic and client_secret',
      { authorization: basic('basic-client', SECRET), body: { client_secret: SECRET } },
    ],
    [
      'Basic and client_assertion',
      { authorization: basic('basic-client', SECRET), body: { client_assertion: 'x' } },
    ],
    [
      'client_secret and client_assertion_type',
      { body: { client_id: 'post-client', client_secret: SECRET, client_assertion_type: 'x' } },
    ],
    [
      'a non-Basic header and client_secret',
      { authorization: 'Bearer x', body: { client_id: 'post-client', client_secret: SECRET } },
    ],
  ])('refuses %s as invalid_request without looking anything up', async (_name, request) => {
    expect((await refusal(request, 'request')).reason).toBe('multiple_mechanisms');
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses repeated parameters (arrays from the body parser) as invalid_request', async () => {
    const body = { client_id: ['post-client', 'basic-client'], client_secret: SECRET } as never;
    expect((await refusal({ body }, 'request')).reason).toBe('repeated_parameter');
  });

  it('refuses client assertions as unsupported', async () => {
    const failure = await refusal({
      body: { client_id: 'jwt-client', client_assertion: 'eyJ...' },
    });
    expect(failure).toMatchObject({
      reason: 'unsupported_mechanism',
      mechanism: 'client_assertion',
    });
  });

  it('refuses a body that is not an object', async () => {
    await expect(
      authenticateClientRequest({ body: 'client_id=x' as never }, lookup),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('authenticateClientRequest: refusals', () => {
  it.each<[string, ClientAuthRequest, keyof typeof CLIENT_AUTH_FAILURES]>([
    ['no credentials at all', {}, 'missing_client_id'],
    ['an empty body client_id', { body: { client_id: '' } }, 'missing_client_id'],
    ['a secret without client_id', { body: { client_secret: SECRET } }, 'missing_client_id'],
    [
      'a body client_id different from Basic',
      { authorization: basic('basic-client', SECRET), body: { client_id: 'post-client' } },
      'client_id_mismatch',
    ],
    ['a non-Basic Authorization header', { authorization: 'Bearer abc' }, 'unsupported_scheme'],
    ['malformed Basic credentials', { authorization: 'Basic !!!' }, 'malformed_basic'],
    [
      'an unknown client (post)',
      { body: { client_id: 'nobody', client_secret: SECRET } },
      'unknown_client',
    ],
    ['an unknown client (Basic)', { authorization: basic('nobody', SECRET) }, 'unknown_client'],
    ['an unknown client (none)', { body: { client_id: 'nobody' } }, 'unknown_client'],
    ['Basic for a post client', { authorization: basic('post-client', SECRET) }, 'method_mismatch'],
    [
      'post for a Basic client',
      { body: { client_id: 'basic-client', client_secret: SECRET } },
      'method_mismatch',
    ],
    [
      'no secret for a confidential client',
      { body: { client_id: 'post-client' } },
      'method_mismatch',
    ],
    [
      'a secret for a public client',
      { body: { client_id: 'public-client', client_secret: '' } },
      'method_mismatch',
    ],
    ['Basic for a public client', { authorization: basic('public-client', '') }, 'method_mismatch'],
    [
      'a secret for a private_key_jwt client',
      { body: { client_id: 'jwt-client', client_secret: SECRET } },
      'method_mismatch',
    ],
    [
      'a secret method client without a stored secret',
      { body: { client_id: 'secretless', client_secret: '' } },
      'missing_registered_secret',
    ],
    [
      'a wrong secret (post)',
      { body: { client_id: 'post-client', client_secret: 'wrong' } },
      'wrong_secret',
    ],
    ['a wrong secret (Basic)', { authorization: basic('basic-client', 'wrong') }, 'wrong_secret'],
    ['an empty secret', { body: { client_id: 'post-client', client_secret: '' } }, 'wrong_secret'],
    [
      'a prefix of the secret',
      { body: { client_id: 'post-client', client_secret: SECRET.slice(0, -1) } },
      'wrong_secret',
    ],
    [
      'the secret plus a character',
      { body: { client_id: 'post-client', client_secret: `${SECRET}x` } },
      'wrong_secret',
    ],
    [
      'the secret in another case',
      { body: { client_id: 'post-client', client_secret: SECRET.toLowerCase() } },
      'wrong_secret',
    ],
    [
      'the secret with a space',
      { authorization: basic('basic-client', ` ${SECRET}`) },
      'wrong_secret',
    ],
  ])('refuses %s', async (_name, request, reason) => {
    expect((await refusal(request)).reason).toBe(reason);
  });

  it('records the client id only for existing clients', async () => {
    expect(await refusal({ body: { client_id: 'post-client', client_secret: 'x' } })).toEqual({
      reason: 'wrong_secret',
      description: CLIENT_AUTH_FAILURES.wrong_secret,
      mechanism: 'client_secret_post',
      clientId: 'post-client',
    });
    expect(await refusal({ body: { client_id: 'nobody', client_secret: 'x' } })).not.toHaveProperty(
      'clientId',
    );
  });

  it('does not let a loose lookup authenticate another id', async () => {
    const loose = async (id: string) => byId.get(id.toLowerCase());
    await expect(
      authenticateClientRequest(
        { body: { client_id: 'POST-CLIENT', client_secret: SECRET } },
        loose,
      ),
    ).rejects.toBeInstanceOf(InvalidClientError);
  });

  it('treats a lookup that resolves null as an unknown client', async () => {
    const failure = await authenticateClientRequest(
      { body: { client_id: 'post-client', client_secret: SECRET } },
      async () => null as never,
    ).catch((error: unknown) => clientAuthFailure(error));
    expect(failure).toMatchObject({ reason: 'unknown_client' });
  });

  it('lets lookup errors through unchanged', async () => {
    const broken = new Error('store down');
    await expect(
      authenticateClientRequest({ body: { client_id: 'x', client_secret: 'y' } }, () =>
        Promise.reject(broken),
      ),
    ).rejects.toBe(broken);
  });

  it('shows neither the secret nor the reason in the error', async () => {
    try {
      await authenticateClientRequest(
        { body: { client_id: 'post-client', client_secret: `${SECRET}!` } },
        lookup,
      );
    } catch (error) {
      const shown = `${inspect(error, { showHidden: true, depth: 5 })} ${JSON.stringify(error)} ${String(error)}`;
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain('wrong_secret');
      expect(Object.keys(error as object).sort()).toEqual(['code', 'name']);
    }
  });

  it('gives other values no failure details', () => {
    expect(clientAuthFailure(new InvalidClientError())).toBeUndefined();
    expect(clientAuthFailure('wrong_secret')).toBeUndefined();
  });
});

describe('authenticateClientRequest: constant work', () => {
  async function work(request: ClientAuthRequest) {
    calls.hash = 0;
    calls.timingSafeEqual = 0;
    await authenticateClientRequest(request, lookup).catch(() => undefined);
    return { ...calls };
  }

  it('hashes the presented secret and compares digests once, for known and unknown ids alike', async () => {
    // The first login of a client also hashes its stored secret; later ones reuse that.
    await work({ body: { client_id: 'post-client', client_secret: SECRET } });
    const ok = await work({ body: { client_id: 'post-client', client_secret: SECRET } });
    expect(ok).toEqual({ hash: 1, timingSafeEqual: 1 });
    expect(await work({ body: { client_id: 'post-client', client_secret: 'nope' } })).toEqual(ok);
    expect(await work({ body: { client_id: 'nobody', client_secret: 'nope' } })).toEqual(ok);
    expect(await work({ authorization: basic('nobody', 'nope') })).toEqual(ok);
    expect(await work({ authorization: basic('post-client', SECRET) })).toEqual(ok); // method mismatch
    expect(await work({ body: { client_id: 'secretless', client_secret: 'x' } })).toEqual(ok);
  });
});

describe('authenticateClientRequest: the remembered digest of a stored secret', () => {
  it('follows a secret changed on the same client object', async () => {
    const client = {
      client_id: 'mutable',
      token_endpoint_auth_method: 'client_secret_post',
      client_secret: SECRET,
    };
    const find = async (id: string) => (id === 'mutable' ? (client as never) : undefined);
    const post = (secret: string) =>
      authenticateClientRequest({ body: { client_id: 'mutable', client_secret: secret } }, find);
    await expect(post(SECRET)).resolves.toMatchObject({ client });
    client.client_secret = `${SECRET}2`;
    await expect(post(SECRET)).rejects.toBeInstanceOf(InvalidClientError);
    await expect(post(`${SECRET}2`)).resolves.toMatchObject({ client });
  });
});

describe('authenticateClientRequest properties', () => {
  const ids = fc.constantFrom(...CLIENTS.map((c) => c.client_id), 'nobody', '');
  const secrets = fc.oneof(fc.constant(SECRET), fc.string({ maxLength: 70 }));
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const requests = fc.record(
    {
      authorization: optional(
        fc.oneof(
          fc.tuple(ids, secrets).map(([id, secret]) => basic(id, secret)),
          fc.string(),
        ),
      ),
      body: optional(
        fc.record(
          {
            client_id: optional(ids),
            client_secret: optional(secrets),
            client_assertion: optional(fc.string()),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  );

  it('throws only InvalidClientError or InvalidRequestError, and succeeds only with the registered method and secret', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        let result;
        try {
          result = await authenticateClientRequest(request as ClientAuthRequest, lookup);
        } catch (error) {
          expect(error instanceof InvalidClientError || error instanceof InvalidRequestError).toBe(
            true,
          );
          expect(clientAuthFailure(error)).toBeDefined();
          return;
        }
        const client = byId.get(result.clientId)!;
        expect(client.token_endpoint_auth_method).toBe(result.method);
        if (result.method === 'client_secret_post')
          expect(request.body?.client_secret).toBe(SECRET);
        if (result.method === 'client_secret_basic')
          expect(request.authorization).toBe(basic(result.clientId, SECRET));
        if (result.method === 'none') {
          expect(request.authorization).toBeUndefined();
          expect(request.body?.client_secret).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
  });
});
