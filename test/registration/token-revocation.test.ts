/**
 * RFC 7592 §2.1: a registration access token presented for another client id, or for an
 * id that does not exist, gets 401 `invalid_token` and is revoked at once.
 */
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  RegistrationError,
  Tenant,
  memorySink,
  type RegistrationResponse,
} from '../../src/index.js';
import { snapshotOf } from '../tenant/helpers.js';

const WEB = { redirect_uris: ['https://printer.example.org/callback'] };

async function setup() {
  const sink = memorySink();
  const store = new MemoryStore();
  const tenant = await Tenant.create({
    domain: 'id.example.com',
    store,
    auditSinks: [sink],
    dynamicRegistration: { enabled: true },
  });
  const a = await tenant.registration.register(WEB);
  const b = await tenant.registration.register(WEB);
  return { tenant, store, sink, a, b };
}

async function refusal(promise: Promise<unknown>): Promise<RegistrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistrationError);
  const failed = error as RegistrationError;
  expect([failed.error, failed.status]).toEqual(['invalid_token', 401]);
  return failed;
}

/** read, update and delete with `token` for `id`, each a fresh promise. */
const operations = (tenant: Tenant, id: string, token: string) => [
  () => tenant.registration.read(id, token),
  () => tenant.registration.update(id, token, { client_id: id, ...WEB }),
  () => tenant.registration.delete(id, token),
];

async function stillWorks(tenant: Tenant, registered: RegistrationResponse) {
  const current = await tenant.registration.read(
    registered.client_id,
    registered.registration_access_token,
  );
  expect(current.client_id).toBe(registered.client_id);
}

describe('a registration access token used for the wrong client id (RFC 7592 section 2.1)', () => {
  it.each([0, 1, 2])(
    'is refused and revoked when presented for another client (operation %i)',
    async (which) => {
      const { tenant, a, b } = await setup();
      const misuse = operations(tenant, b.client_id, a.registration_access_token)[which]!;
      await refusal(misuse());
      // a's token no longer works anywhere, its own client included.
      for (const call of operations(tenant, a.client_id, a.registration_access_token)) {
        await refusal(call());
      }
      // b is untouched: its own token still works, and the client a still exists.
      await stillWorks(tenant, b);
      expect((await tenant.clients.get(a.client_id)).client_id).toBe(a.client_id);
    },
  );

  it.each([
    ['an unknown id', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed id', 'no such/client'],
    ['an empty id', ''],
    ['a managed client without registration', 'managed'],
  ])('is refused and revoked when presented for %s', async (_, target) => {
    const { tenant, a, b } = await setup();
    const managed = await tenant.clients.create({ name: 'Managed', app_type: 'spa' });
    const id = target === 'managed' ? managed.client_id : target;
    await refusal(tenant.registration.read(id, a.registration_access_token));
    await refusal(tenant.registration.read(a.client_id, a.registration_access_token));
    await stillWorks(tenant, b);
  });

  it('is not revoked by a wrong token presented for its own client', async () => {
    const { tenant, a } = await setup();
    await refusal(tenant.registration.read(a.client_id, `${a.registration_access_token}x`));
    await refusal(tenant.registration.read(a.client_id, 'guess'));
    await stillWorks(tenant, a);
  });

  it('changes only the owner registration and the token index, and audits whose token it was', async () => {
    const { tenant, store, sink, a, b } = await setup();
    const snapshot = async () => {
      const all = await snapshotOf(store);
      return {
        clients: all.clients ?? [],
        registrations: all.registrations ?? [],
        tokens: all.registration_tokens ?? [],
      };
    };
    const before = await snapshot();
    await refusal(tenant.registration.read(b.client_id, a.registration_access_token));
    const after = await snapshot();
    expect(after.clients).toEqual(before.clients);
    const ownerBefore = before.registrations.find((r) => r.id === a.client_id)!;
    const ownerAfter = after.registrations.find((r) => r.id === a.client_id)!;
    expect(ownerAfter.value).toEqual({
      ...(ownerBefore.value as object),
      token_hash: '',
      token_revoked_at: expect.any(Number),
    });
    expect(after.registrations.find((r) => r.id === b.client_id)).toEqual(
      before.registrations.find((r) => r.id === b.client_id),
    );
    expect(before.tokens.map((r) => (r.value as { client_id: string }).client_id).sort()).toEqual(
      [a.client_id, b.client_id].sort(),
    );
    expect(after.tokens.map((r) => (r.value as { client_id: string }).client_id)).toEqual([
      b.client_id,
    ]);
    await tenant.audit.flush();
    expect(sink.events.at(-1)).toMatchObject({
      type: 'fapi',
      client_id: b.client_id,
      details: { operation: 'dcr_read', reason: 'token_mismatch', revoked_token_of: a.client_id },
    });
    // A second misuse finds nothing left to revoke and changes nothing.
    await refusal(tenant.registration.read(b.client_id, a.registration_access_token));
    expect(await snapshot()).toEqual(after);
  });

  it('leaves no index entry behind when a client is deleted, either way', async () => {
    const { tenant, store, a, b } = await setup();
    await tenant.registration.delete(a.client_id, a.registration_access_token);
    await tenant.clients.delete(b.client_id);
    expect(await store.list('registration_tokens')).toEqual([]);
    expect(await store.list('registrations')).toEqual([]);
  });
});
