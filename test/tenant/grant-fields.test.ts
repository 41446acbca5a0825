/**
 * Auth0's other client-grant fields: stored with the grant, returned, removed by `null` in
 * an update, and the two the tenant acts on when it issues client-credentials tokens
 * (`allow_all_scopes`, `subject_type`).
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, UnauthorizedClientError } from '../../src/index.js';

const ORDERS = 'https://api.example.com/orders';

async function setup(store = new MemoryStore()) {
  const tenant = await Tenant.create({ domain: 'acme.example.com', store });
  const worker = await tenant.clients.create({ name: 'Worker', app_type: 'non_interactive' });
  const orders = await tenant.apis.create({
    identifier: ORDERS,
    name: 'Orders',
    scopes: [{ value: 'read:orders' }, { value: 'write:orders' }],
  });
  return { tenant, store, worker, orders };
}

const scopesOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { scope?: string })
    .scope;

describe('client grants: Auth0 fields', () => {
  it('are stored with the grant, returned frozen, and read back by another tenant on the store', async () => {
    const { tenant, store, worker } = await setup();
    const grant = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
      organization_usage: 'allow',
      allow_any_organization: true,
      authorization_details_types: ['payment_initiation'],
      subject_type: 'client',
    });
    const expected = {
      id: grant.id,
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
      organization_usage: 'allow',
      allow_any_organization: true,
      subject_type: 'client',
      authorization_details_types: ['payment_initiation'],
    };
    expect(grant).toEqual(expected);
    expect(Object.isFrozen(grant.authorization_details_types)).toBe(true);
    const again = await Tenant.create({ domain: 'acme.example.com', store });
    expect(await again.apis.findGrant(worker.client_id, ORDERS)).toEqual(expected);
  });

  it('an update sets them, and null removes them', async () => {
    const { tenant, worker } = await setup();
    const grant = await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: [],
      organization_usage: 'require',
    });
    const updated = await tenant.apis.updateGrant(grant.id, {
      organization_usage: null,
      allow_all_scopes: true,
    });
    expect(updated).not.toHaveProperty('organization_usage');
    expect(updated.allow_all_scopes).toBe(true);
    expect(updated.scope).toEqual([]);
  });

  it('allow_all_scopes: a token gets every scope the API defines, also ones added later', async () => {
    const { tenant, worker, orders } = await setup();
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: [],
      allow_all_scopes: true,
    });
    const first = await tenant.issueAccessToken(worker.client_id, { audience: ORDERS });
    expect(first.scope).toBe('read:orders write:orders');
    expect(scopesOf(first.access_token)).toBe('read:orders write:orders');
    await tenant.apis.update(orders.id, {
      scopes: [...orders.scopes, { value: 'cancel:orders' }],
    });
    const later = await tenant.issueAccessToken(worker.client_id, {
      audience: ORDERS,
      scope: 'cancel:orders',
    });
    expect(later.scope).toBe('cancel:orders');
  });

  it('without allow_all_scopes, a scope outside the grant is still refused', async () => {
    const { tenant, worker } = await setup();
    await tenant.apis.grant({
      client_id: worker.client_id,
      audience: ORDERS,
      scope: ['read:orders'],
    });
    await expect(
      tenant.issueAccessToken(worker.client_id, { audience: ORDERS, scope: 'write:orders' }),
    ).rejects.toThrow();
  });

  it.each(['user', 'anonymous_user'] as const)(
    'a grant with subject_type %s allows no client-credentials token',
    async (subjectType) => {
      const { tenant, worker } = await setup();
      await tenant.apis.grant({
        client_id: worker.client_id,
        audience: ORDERS,
        scope: ['read:orders'],
        subject_type: subjectType,
      });
      await expect(
        tenant.issueAccessToken(worker.client_id, { audience: ORDERS }),
      ).rejects.toBeInstanceOf(UnauthorizedClientError);
    },
  );
});
