/** The README's "Management API v2" example, run as it is written, so it stays true. */
import { expect, it } from 'vitest';
import { Tenant } from 'clientele';
import { createManagementApi, ensureManagementApi } from 'clientele/http';

it('README: a client created through the Management API with a tenant token', async () => {
  const tenant = await Tenant.create({ domain: 'id.example.com' });
  const api = createManagementApi(tenant);
  const managementApi = await ensureManagementApi(tenant);
  expect(managementApi.identifier).toBe('https://id.example.com/api/v2/');
  const ci = await tenant.clients.create({ name: 'CI', app_type: 'non_interactive' });
  await tenant.apis.grant({
    client_id: ci.client_id,
    audience: managementApi.identifier,
    scope: ['read:clients', 'create:clients'],
  });
  const { access_token } = await tenant.issueAccessToken(ci.client_id, {
    audience: managementApi.identifier,
  });
  const response = await api(
    new Request('https://id.example.com/api/v2/clients', {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Storefront', app_type: 'spa' }),
    }),
  );
  expect(response.status).toBe(201);
  const body = (await response.json()) as { client_id: string; client_secret?: string };
  expect((await tenant.clients.get(body.client_id)).name).toBe('Storefront');
  expect(body).not.toHaveProperty('client_secret');
  await tenant.close();
});
