/**
 * The discovery document is built once per tenant (it depends only on what
 * `Tenant.create` set): each tenant of a process still gets its own, and every request
 * the same one.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, type TenantOptions } from 'clientele';
import { createProvider } from 'clientele/http';

async function discover(domain: string, options: Partial<TenantOptions>) {
  const tenant = await Tenant.create({ domain, store: new MemoryStore(), ...options });
  const provider = createProvider(tenant);
  const read = async () => {
    const response = await provider(
      new Request(`https://${domain}/.well-known/openid-configuration`),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    return (await response.json()) as Record<string, unknown>;
  };
  return { first: await read(), second: await read(), tenant };
}

describe('the discovery document', () => {
  it('is each tenant’s own, and the same on every request', async () => {
    const plain = await discover('a.example.com', {});
    const pushed = await discover('b.example.com', {
      pushedAuthorizationRequests: { required: true },
      clientIdMetadataDocuments: { enabled: true },
    });
    expect(plain.second).toEqual(plain.first);
    expect(pushed.second).toEqual(pushed.first);
    expect(plain.first['issuer']).toBe('https://a.example.com/');
    expect(pushed.first['issuer']).toBe('https://b.example.com/');
    expect(plain.first['token_endpoint']).toBe('https://a.example.com/oauth/token');
    expect(plain.first['require_pushed_authorization_requests']).toBe(false);
    expect(pushed.first['require_pushed_authorization_requests']).toBe(true);
    expect(plain.first).not.toHaveProperty('client_id_metadata_document_supported');
    expect(pushed.first['client_id_metadata_document_supported']).toBe(true);
    expect(plain.first['dpop_signing_alg_values_supported']).toEqual([
      ...plain.tenant.dpop.algorithms,
    ]);
    await plain.tenant.close();
    await pushed.tenant.close();
  });
});
