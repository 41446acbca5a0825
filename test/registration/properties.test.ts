import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore, RegistrationError, Tenant, type Store } from '../../src/index.js';
import { METADATA_FIELDS } from '../../src/registration/metadata.js';
import { validateRegistrationMetadata } from '../../src/registration/validate-metadata.js';

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Plausible values for any field: valid ones, near misses and junk. */
const fieldValue = fc.oneof(
  anything,
  fc.constantFrom(
    'https://app.example.com/cb',
    'http://127.0.0.1/cb',
    'com.example.app:/cb',
    'https://*.example.com/cb',
    'none',
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt',
    'native',
    'web',
    'openid profile',
    '',
  ),
  fc.array(
    fc.constantFrom(
      'authorization_code',
      'implicit',
      'refresh_token',
      'client_credentials',
      'password',
      'code',
      'token',
      'id_token',
      'code id_token',
      'https://app.example.com/cb',
      'http://localhost/cb',
      'com.example.app:/cb#x',
      'ops@example.com',
    ),
    { maxLength: 5 },
  ),
  fc.record({
    keys: fc.array(fc.dictionary(fc.constantFrom('kty', 'kid', 'd', 'n'), fc.string()), {
      maxLength: 3,
    }),
  }),
);

/** Bodies built from recognised field names (and a few others) with any values. */
const body = fc.oneof(
  { weight: 1, arbitrary: anything },
  {
    weight: 4,
    arbitrary: fc.dictionary(
      fc.constantFrom(
        ...METADATA_FIELDS,
        'client_id',
        'client_secret',
        'registration_access_token',
        'client_id_issued_at',
        '__proto__',
        'constructor',
        'unknown_field',
      ),
      fieldValue,
      { maxKeys: 8 },
    ),
  },
);

/** Bodies that are valid by construction. */
const validBody = fc
  .record({
    application_type: fc.constantFrom('web', 'native'),
    token_endpoint_auth_method: fc.constantFrom(
      'none',
      'client_secret_basic',
      'client_secret_post',
    ),
    client_name: fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((s) => s.trim() !== '' && !/[<>\p{Cc}]/u.test(s)),
    path: fc.stringMatching(/^[a-z0-9]{1,12}$/),
    refresh: fc.boolean(),
  })
  .map(({ application_type, token_endpoint_auth_method, client_name, path, refresh }) => ({
    application_type,
    token_endpoint_auth_method,
    client_name,
    grant_types: refresh ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    redirect_uris:
      application_type === 'native'
        ? [`com.example.app:/${path}`, `http://127.0.0.1/${path}`]
        : [`https://app.example.com/${path}`],
  }));

async function contentsOf(store: Store) {
  const collections = ['clients', 'registrations', 'connections', 'grants', 'apis'];
  return Object.fromEntries(
    await Promise.all(collections.map(async (c) => [c, await store.list(c)] as const)),
  );
}

describe('registration properties', () => {
  it('validation never throws, and fails only with invalid_client_metadata or invalid_redirect_uri', () => {
    fc.assert(
      fc.property(body, fc.boolean(), (input, update) => {
        const result = validateRegistrationMetadata(input, { update });
        if (result.ok) {
          expect(Array.isArray(result.metadata.redirect_uris)).toBe(true);
          expect(result.metadata.grant_types.length).toBeGreaterThan(0);
        } else {
          expect(result.error).toBeInstanceOf(RegistrationError);
          expect(['invalid_client_metadata', 'invalid_redirect_uri']).toContain(result.error.error);
          expect(result.error.status).toBe(400);
          expect(result.problems.length).toBeGreaterThan(0);
          expect(result.error.error_description.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('valid bodies are accepted, and normalised metadata validates to itself', () => {
    fc.assert(
      fc.property(validBody, (input) => {
        const first = validateRegistrationMetadata(input);
        if (!first.ok) throw new Error(first.error.error_description);
        const again = validateRegistrationMetadata(first.metadata);
        expect(again.ok && again.metadata).toEqual(first.metadata);
      }),
      { numRuns: 300 },
    );
  });

  it('register never throws anything but RegistrationError and never leaves partial state', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({
      domain: 'id.example.com',
      store,
      dynamicRegistration: { enabled: true },
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, validBody), async (input) => {
        const before = await contentsOf(store);
        try {
          const registered = await tenant.registration.register(input);
          const after = await contentsOf(store);
          expect(after.clients).toHaveLength(before.clients!.length + 1);
          expect(after.registrations).toHaveLength(before.registrations!.length + 1);
          expect(
            await tenant.registration.read(
              registered.client_id,
              registered.registration_access_token,
            ),
          ).toEqual(registered);
        } catch (error) {
          expect(error).toBeInstanceOf(RegistrationError);
          expect(await contentsOf(store)).toEqual(before);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('update never throws anything but RegistrationError and changes nothing when it fails', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({
      domain: 'id.example.com',
      store,
      dynamicRegistration: { enabled: true },
    });
    const registered = await tenant.registration.register({
      redirect_uris: ['https://app.example.com/cb'],
    });
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (input, withId) => {
        const payload =
          withId && typeof input === 'object' && input !== null && !Array.isArray(input)
            ? { ...input, client_id: registered.client_id }
            : input;
        const before = await contentsOf(store);
        try {
          await tenant.registration.update(
            registered.client_id,
            registered.registration_access_token,
            payload,
          );
        } catch (error) {
          expect(error).toBeInstanceOf(RegistrationError);
          expect(await contentsOf(store)).toEqual(before);
        }
        const current = await tenant.registration.read(
          registered.client_id,
          registered.registration_access_token,
        );
        expect(current.client_id).toBe(registered.client_id);
      }),
      { numRuns: 300 },
    );
  });
});
