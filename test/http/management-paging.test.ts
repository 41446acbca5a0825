/**
 * Auth0's checkpoint paging (`from`/`take`, answered with `next`) on `/client-grants`,
 * which the SDK's `clientGrants.list` always sends (the Deploy CLI failed on it with a
 * 400 before), next to the offset paging; and its refusals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_SCOPES } from 'clientele/http';
import { bodyOf, managementFixture, type ManagementFixture } from './management-helpers.js';

let fx: ManagementFixture;
let admin: string;
let grantIds: string[];

beforeAll(async () => {
  fx = await managementFixture();
  admin = (await fx.m2m('Admin', Object.keys(MANAGEMENT_SCOPES))).token;
  await fx.tenant.apis.create({
    identifier: 'https://orders.example.com/',
    name: 'Orders',
    scopes: [{ value: 'read:orders' }],
  });
  for (let index = 0; index < 5; index++) {
    const { client } = await fx.m2m(`Worker ${index}`, []);
    await fx.tenant.apis.grant({
      client_id: client.client_id,
      audience: 'https://orders.example.com/',
      scope: ['read:orders'],
    });
  }
  grantIds = (await fx.tenant.apis.grants({ audience: 'https://orders.example.com/' })).map(
    (grant) => grant.id,
  );
});

const ORDERS = `audience=${encodeURIComponent('https://orders.example.com/')}`;

describe('/client-grants checkpoint paging', () => {
  it('walks every grant by from/take and next, as the SDK sends it (include_totals=true&take=2)', async () => {
    const seen: string[] = [];
    let from: string | undefined;
    for (let page = 0; page < 10; page++) {
      const query = `${ORDERS}&include_totals=true&take=2${from === undefined ? '' : `&from=${from}`}`;
      const response = await fx.call('GET', `/client-grants?${query}`, admin);
      expect(response.status).toBe(200);
      const body = await bodyOf<{ client_grants: { id: string }[]; next?: string }>(response);
      expect(body.client_grants.length).toBeLessThanOrEqual(2);
      seen.push(...body.client_grants.map((grant) => grant.id));
      if (body.next === undefined) break;
      from = body.next;
    }
    expect(seen).toEqual(grantIds);
  });

  it('defaults take to 50 and answers the same grants as offset paging', async () => {
    const checkpoint = await bodyOf<{ client_grants: unknown[]; next?: string }>(
      await fx.call('GET', `/client-grants?${ORDERS}&from=${grantIds[0]}`, admin),
    );
    expect(checkpoint).not.toHaveProperty('next');
    const offset = await bodyOf<unknown[]>(await fx.call('GET', `/client-grants?${ORDERS}`, admin));
    expect(checkpoint.client_grants).toEqual(offset);
    expect(offset).toHaveLength(5);
  });

  it('answers no grant for default_for (none is a default for third-party clients)', async () => {
    const body = await bodyOf<{ client_grants: unknown[] }>(
      await fx.call('GET', '/client-grants?default_for=third_party_clients&take=10', admin),
    );
    expect(body).toEqual({ client_grants: [] });
  });

  it('refuses an unknown from, a take out of range and a repeated take, naming them', async () => {
    for (const [query, message] of [
      ['from=cgr_nope', /from does not name an entry of this list/],
      ['take=0', /take: must be an integer from 1 to 100/],
      ['take=101', /take: must be an integer from 1 to 100/],
      ['take=1&take=2', /take must not be repeated/],
    ] as const) {
      const response = await fx.call('GET', `/client-grants?${query}`, admin);
      expect(response.status, query).toBe(400);
      const body = await bodyOf<{ errorCode: string; message: string }>(response);
      expect(body.errorCode, query).toBe('invalid_query_string');
      expect(body.message, query).toMatch(message);
    }
  });
});
