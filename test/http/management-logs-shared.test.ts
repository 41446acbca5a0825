/**
 * Two Management APIs on one tenant (an app that mounts it twice, or next to a console)
 * share one store-backed log: every event is kept once, and nothing is written twice.
 */
import { expect, it } from 'vitest';
import { Tenant } from 'clientele';
import { createManagementApi, ensureManagementApi } from 'clientele/http';

it('keeps each audit event once however many Management APIs serve the tenant', async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  const tenant = await Tenant.create({ domain: 'id.example.com' });
  try {
    const first = createManagementApi(tenant);
    const second = createManagementApi(tenant);
    const audience = (await ensureManagementApi(tenant)).identifier;
    const ci = await tenant.clients.create({ name: 'CI', app_type: 'non_interactive' });
    await tenant.apis.grant({
      client_id: ci.client_id,
      audience,
      scope: ['create:clients', 'read:logs'],
    });
    const { access_token: token } = await tenant.issueAccessToken(ci.client_id, { audience });
    const call = (api: typeof first, method: string, path: string, body?: unknown) =>
      api(
        new Request(`https://id.example.com/api/v2${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
    const created = (await (
      await call(first, 'POST', '/clients', { name: 'Shop', app_type: 'spa' })
    ).json()) as { client_id: string };
    await tenant.audit.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const query = encodeURIComponent(`client_id:"${created.client_id}"`);
    for (const api of [first, second]) {
      const logs = (await (await call(api, 'GET', `/logs?q=${query}`)).json()) as {
        details: { operation: string };
      }[];
      expect(logs.map((event) => event.details.operation)).toEqual(['create_client']);
    }
    expect(warnings.map((warning) => warning.message)).toEqual([]);
  } finally {
    process.off('warning', onWarning);
    await tenant.close();
  }
});
