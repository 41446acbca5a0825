/**
 * Discovery advertises exactly the ID token algorithms the tenant can sign, which are those
 * registration accepts (`tenant.registration.supported()`): before, it listed a fixed set
 * with ES256 (never a client's `jwt_configuration.alg`), and a client registering with an
 * advertised algorithm was refused ("this tenant cannot sign it"). For each key set, every
 * algorithm is registered: accepted exactly when advertised, and an accepted one signs.
 */
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  Tenant,
  generateSigningKey,
  type SigningAlgorithm,
  type TenantOptions,
} from 'clientele';
import { createProvider } from 'clientele/http';

/** Every JWS algorithm a client might ask for. */
const CANDIDATES = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'ES256',
  'ES384',
  'EdDSA',
  'HS256',
];

const KEY_SETS: [string, () => Promise<TenantOptions['signingKeys']>][] = [
  ['keys the tenant generates and stores', () => Promise.resolve(undefined)],
  ...(['RS256', 'PS256', 'ES256', 'RS512'] as SigningAlgorithm[]).map(
    (alg): [string, () => Promise<TenantOptions['signingKeys']>] => [
      `one fixed ${alg} key`,
      async () => [await generateSigningKey(alg)],
    ],
  ),
  [
    'fixed RS256 and PS256 keys',
    async () => [await generateSigningKey('RS256'), await generateSigningKey('PS256')],
  ],
];

describe.each(KEY_SETS)('discovery on a tenant with %s', (_name, keys) => {
  it('advertises exactly the ID token algorithms registration accepts, each of which signs', async () => {
    const signingKeys = await keys();
    const tenant = await Tenant.create({
      domain: 'id.example.com',
      store: new MemoryStore(),
      dynamicRegistration: { enabled: true },
      ...(signingKeys === undefined ? {} : { signingKeys }),
    });
    const provider = createProvider(tenant);
    const response = await provider(
      new Request('https://id.example.com/.well-known/openid-configuration'),
    );
    const metadata = (await response.json()) as Record<string, string[]>;
    const advertised = metadata['id_token_signing_alg_values_supported'] ?? [];
    const supported = tenant.registration.supported();
    expect(advertised).toEqual(supported.id_token_signing_alg_values_supported);
    // The other lists registration states agree with discovery too (as sets).
    for (const field of [
      'token_endpoint_auth_methods_supported',
      'token_endpoint_auth_signing_alg_values_supported',
    ] as const) {
      expect(new Set(metadata[field]), field).toEqual(new Set(supported[field]));
    }
    for (const alg of CANDIDATES) {
      const registered = await provider(
        new Request('https://id.example.com/oidc/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            redirect_uris: ['https://app.example.com/cb'],
            token_endpoint_auth_method: 'client_secret_basic',
            id_token_signed_response_alg: alg,
          }),
        }),
      );
      const body = (await registered.json()) as Record<string, string>;
      expect({ alg, status: registered.status }).toEqual({
        alg,
        status: advertised.includes(alg) ? 201 : 400,
      });
      if (!advertised.includes(alg)) {
        expect(body['error_description']).toMatch(/^id_token_signed_response_alg/);
        continue;
      }
      const token = await tenant.issueIdToken(body['client_id'] as string, { sub: 'alice' });
      expect(decodeProtectedHeader(token).alg).toBe(alg);
    }
    await tenant.close();
  });
});
