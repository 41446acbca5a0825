/**
 * The per-user index of login sessions: listing and ending a user's sessions reads that
 * user's records only (counted store operations, not time), the index changes in the same
 * commit as the session, racing logins of one user all land in it, and after any sequence
 * of logins, renewals, uses, ends and clock steps it lists exactly what a scan of the whole
 * collection finds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  listedSessions,
  withoutSession,
  withSession,
  type UserSessionsRecord,
} from '../../src/sessions/user-sessions.js';
import { MemoryStore, Tenant, type Store, type WriteOperation } from '../../src/index.js';
import { failure, wrapStore } from '../tenant/helpers.js';

const SESSIONS = 'sessions';
const INDEX = 'user_sessions';

/** What the tenant asked of the store. */
interface Calls {
  gets: string[];
  lists: string[];
  commits: string[][];
  singleWrites: string[];
}

/** A MemoryStore that records every call by collection. */
function countingStore(): { store: Store; calls: Calls; reset(): void } {
  const base = new MemoryStore();
  const calls: Calls = { gets: [], lists: [], commits: [], singleWrites: [] };
  const store = wrapStore(base, {
    get: (collection, id) => {
      calls.gets.push(collection);
      return base.get(collection, id);
    },
    list: (collection) => {
      calls.lists.push(collection);
      return base.list(collection);
    },
    insert: (collection, id, value) => {
      calls.singleWrites.push(`insert ${collection}`);
      return base.insert(collection, id, value);
    },
    replace: (collection, id, value, version) => {
      calls.singleWrites.push(`replace ${collection}`);
      return base.replace(collection, id, value, version);
    },
    delete: (collection, id, version) => {
      calls.singleWrites.push(`delete ${collection}`);
      return base.delete(collection, id, version);
    },
    commit: (operations: readonly WriteOperation[]) => {
      calls.commits.push(operations.map((op) => `${op.op} ${op.collection}`));
      return base.commit(operations);
    },
  });
  const reset = () => {
    calls.gets = [];
    calls.lists = [];
    calls.commits = [];
    calls.singleWrites = [];
  };
  return { store, calls, reset };
}

async function tenantOn(
  store: Store,
  now: () => number = Date.now,
  session: { idleLifetime: number; absoluteLifetime: number; maxPerUser?: number } = {
    idleLifetime: 600,
    absoluteLifetime: 1800,
  },
): Promise<Tenant> {
  return Tenant.create({ domain: 'id.example.com', store, now, session });
}

describe("a user's sessions through the per-user index", () => {
  it('are listed and ended without reading the sessions of other users', async () => {
    const { store, calls, reset } = countingStore();
    const tenant = await tenantOn(store);
    for (let user = 0; user < 100; user++) {
      for (let n = 0; n < 3; n++) await tenant.sessions.start({ sub: `user|${user}` });
    }
    const alice = [];
    for (let n = 0; n < 3; n++) alice.push((await tenant.sessions.start({ sub: 'alice' })).id);
    reset();

    const listed = await tenant.sessions.listForUser('alice');
    expect(listed.map((session) => session['id'])).toEqual(alice);
    // The index, then each of its sessions: 1 + 3 reads, and no list.
    expect(calls).toMatchObject({ lists: [], gets: [INDEX, SESSIONS, SESSIONS, SESSIONS] });

    reset();
    expect(await tenant.sessions.endForUser('alice')).toBe(3);
    expect(calls.lists).toEqual([]);
    // The index once, then per session: the session and the index; one commit each.
    expect(calls.gets).toHaveLength(1 + 3 * 2);
    expect(calls.commits).toEqual([
      [`delete ${SESSIONS}`, `replace ${INDEX}`],
      [`delete ${SESSIONS}`, `replace ${INDEX}`],
      [`delete ${SESSIONS}`, `delete ${INDEX}`],
    ]);
    expect(await tenant.sessions.listForUser('alice')).toEqual([]);
    expect(await store.get(INDEX, 'alice')).toBeUndefined();
    expect(await tenant.sessions.listForUser('user|7')).toHaveLength(3);
    await tenant.close();
  });

  it('end the oldest past session.maxPerUser, with back-channel logout told', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({
      domain: 'id.example.com',
      store,
      session: { idleLifetime: 600, absoluteLifetime: 1800, maxPerUser: 3 },
    });
    const ended: { id: string; reason: string }[] = [];
    tenant.sessions.onEnd(({ id, reason }) => ended.push({ id, reason }));
    const started = [];
    for (let n = 0; n < 5; n++) started.push(await tenant.sessions.start({ sub: 'alice' }));
    const bob = await tenant.sessions.start({ sub: 'bob' });
    const [first, second, ...kept] = started.map((session) => session.id);
    expect(ended).toEqual([
      { id: first, reason: 'session-revoked' },
      { id: second, reason: 'session-revoked' },
    ]);
    const listed = await tenant.sessions.listForUser('alice');
    expect(listed.map((session) => session['id'])).toEqual(kept);
    expect(await tenant.sessions.find(started[0]?.cookie)).toBeUndefined();
    expect(await tenant.sessions.find(started[4]?.cookie)).toMatchObject({ sub: 'alice' });
    // Renewing a kept session adds none, so nothing more ends; another user is untouched.
    await tenant.sessions.start({ sub: 'alice', previousId: kept[0] });
    expect(ended).toHaveLength(2);
    expect(await tenant.sessions.find(bob.cookie)).toMatchObject({ sub: 'bob' });
    await tenant.close();
  });

  it('keep a login that succeeded when ending the oldest fails, and end them at the next', async () => {
    const base = new MemoryStore();
    let failing = false;
    const store = wrapStore(base, {
      commit: (operations) =>
        failing && operations.some((op) => op.op === 'delete' && op.collection === SESSIONS)
          ? Promise.reject(new Error('store unavailable'))
          : base.commit(operations),
    });
    const tenant = await tenantOn(store, Date.now, {
      idleLifetime: 600,
      absoluteLifetime: 1800,
      maxPerUser: 2,
    });
    const first = await tenant.sessions.start({ sub: 'alice' });
    await tenant.sessions.start({ sub: 'alice' });
    failing = true;
    const third = await tenant.sessions.start({ sub: 'alice' });
    expect(await tenant.sessions.find(third.cookie)).toMatchObject({ sub: 'alice' });
    expect(await tenant.sessions.listForUser('alice')).toHaveLength(3);
    failing = false;
    await tenant.sessions.start({ sub: 'alice' });
    expect(await tenant.sessions.listForUser('alice')).toHaveLength(2);
    expect(await tenant.sessions.find(first.cookie)).toBeUndefined();
    await tenant.close();
  });

  it('refuses a session.maxPerUser outside 1..1000 at its pointer', async () => {
    for (const maxPerUser of [0, 1001, 2.5, '10']) {
      const refused = await failure(
        Tenant.create({
          domain: 'id.example.com',
          store: new MemoryStore(),
          session: { maxPerUser } as never,
        }),
      );
      expect(refused).toMatchObject({ code: 'invalid_argument', path: '/session/maxPerUser' });
    }
  });

  it('change in the same commit as the session, and never as a separate write', async () => {
    const { store, calls, reset } = countingStore();
    const tenant = await tenantOn(store);
    await tenant.sessions.start({ sub: 'warm-up' }); // the first login also sweeps
    reset();
    const first = await tenant.sessions.start({ sub: 'alice' });
    const renewed = await tenant.sessions.start({ sub: 'alice', previousId: first.id });
    expect(renewed.id).toBe(first.id);
    await tenant.sessions.end(first.id, 'rp-logout');
    expect(calls.commits).toEqual([
      [`insert ${SESSIONS}`, `insert ${INDEX}`],
      [`replace ${SESSIONS}`, `replace ${INDEX}`],
      [`delete ${SESSIONS}`, `delete ${INDEX}`],
    ]);
    expect(calls.singleWrites).toEqual([]);
    await tenant.close();
  });

  it('leave the store as it was when the commit fails', async () => {
    const base = new MemoryStore();
    let failing = false;
    const store = wrapStore(base, {
      commit: (operations) =>
        failing ? Promise.reject(new Error('store unavailable')) : base.commit(operations),
    });
    const tenant = await tenantOn(store);
    const kept = await tenant.sessions.start({ sub: 'alice' });
    failing = true;
    expect(await failure(tenant.sessions.start({ sub: 'alice' }))).toMatchObject({
      message: 'store unavailable',
    });
    expect(await failure(tenant.sessions.end(kept.id, 'rp-logout'))).toMatchObject({
      message: 'store unavailable',
    });
    failing = false;
    expect((await base.list(SESSIONS)).map((record) => record.id)).toEqual([kept.id]);
    expect(await base.get(INDEX, 'alice')).toMatchObject({
      value: { sessions: [{ id: kept.id }] },
    });
    await tenant.close();
  });

  it('all land in the index when one user logs in many times at once', async () => {
    const tenant = await tenantOn(new MemoryStore());
    const started = await Promise.all(
      Array.from({ length: 12 }, () => tenant.sessions.start({ sub: 'alice' })),
    );
    const listed = await tenant.sessions.listForUser('alice');
    expect(listed.map((session) => session['id']).sort()).toEqual(
      started.map((session) => session.id).sort(),
    );
    const ended = await Promise.all(
      started.map((session) => tenant.sessions.end(session.id, 'session-revoked')),
    );
    expect(ended.every(Boolean)).toBe(true);
    expect(await tenant.sessions.listForUser('alice')).toEqual([]);
    await tenant.close();
  });

  it('are none for a user id that cannot be a record id', async () => {
    const tenant = await tenantOn(new MemoryStore());
    expect(await tenant.sessions.listForUser('')).toEqual([]);
    expect(await tenant.sessions.listForUser('x'.repeat(256))).toEqual([]);
    expect(await tenant.sessions.endForUser('')).toBe(0);
    await tenant.close();
  });

  it('refuses a damaged index or session record, naming it, instead of serving it', async () => {
    const store = new MemoryStore();
    const tenant = await tenantOn(store);
    const { id } = await tenant.sessions.start({ sub: 'alice' });
    await store.insert(INDEX, 'bob', { sessions: 'all of them' });
    expect(await failure(tenant.sessions.listForUser('bob'))).toMatchObject({
      code: 'store_corrupt',
      message: expect.stringContaining('"bob"') as string,
    });
    const stored = await store.get<Record<string, unknown>>(SESSIONS, id);
    await store.replace(SESSIONS, id, { ...stored?.value, clients: 'every' }, stored?.version ?? 0);
    expect(await failure(tenant.sessions.get(id))).toMatchObject({
      code: 'store_corrupt',
      message: expect.stringContaining('clients') as string,
    });
    await tenant.close();
  });

  it('a use of a session ended meanwhile reports it gone instead of failing', async () => {
    const base = new MemoryStore();
    let id = '';
    // The session ends between the use's read and its write.
    const store = wrapStore(base, {
      replace: async (collection, recordId, value, version) => {
        if (collection === SESSIONS && recordId === id) await base.delete(collection, recordId);
        return base.replace(collection, recordId, value, version);
      },
    });
    let clock = 1_000_000_000_000;
    const tenant = await tenantOn(store, () => clock);
    id = (await tenant.sessions.start({ sub: 'alice' })).id;
    clock += 120_000; // past the minute in which a use writes nothing
    expect(await tenant.sessions.use(id, 'client-a')).toBe(false);
    await tenant.close();
  });
});

/** One step of a random session history. */
type Step =
  | { kind: 'login'; user: number; renew: number | undefined }
  | { kind: 'use'; session: number; client: number }
  | { kind: 'end'; session: number }
  | { kind: 'endUser'; user: number }
  | { kind: 'wait'; seconds: number };

const USERS = ['alice', 'bob'];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('login' as const),
    user: fc.nat(USERS.length - 1),
    renew: fc.option(fc.nat(20), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('use' as const), session: fc.nat(20), client: fc.nat(2) }),
  fc.record({ kind: fc.constant('end' as const), session: fc.nat(20) }),
  fc.record({ kind: fc.constant('endUser' as const), user: fc.nat(USERS.length - 1) }),
  // Steps around the lifetimes below (idle 1,200 s, absolute 1,800 s), and small ones.
  fc.record({
    kind: fc.constant('wait' as const),
    seconds: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constantFrom(599, 850, 1199, 1201)),
  }),
);

describe('the per-user index against a scan of every session', () => {
  it('lists what the scan finds, in the same order, after any history', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
        const store = new MemoryStore();
        let clock = 1_700_000_000_000;
        // Idle ends and absolute ends both happen within a history of a few steps.
        const tenant = await tenantOn(store, () => clock, {
          idleLifetime: 1200,
          absoluteLifetime: 1800,
        });
        const ids: string[] = [];
        const pick = (n: number) => (ids.length === 0 ? undefined : ids[n % ids.length]);
        try {
          for (const next of steps) {
            if (next.kind === 'login') {
              const previousId = next.renew === undefined ? undefined : pick(next.renew);
              const started = await tenant.sessions.start({
                sub: USERS[next.user] as string,
                previousId,
              });
              if (!ids.includes(started.id)) ids.push(started.id);
            } else if (next.kind === 'use') {
              const id = pick(next.session);
              if (id) await tenant.sessions.use(id, `client-${next.client}`);
            } else if (next.kind === 'end') {
              const id = pick(next.session);
              if (id) await tenant.sessions.end(id, 'rp-logout');
            } else if (next.kind === 'endUser') {
              await tenant.sessions.endForUser(USERS[next.user] as string);
            } else {
              clock += next.seconds * 1000;
            }
            const now = Math.floor(clock / 1000);
            const all = await store.list<{
              sub: string;
              idle_expires_at: number;
              expires_at: number;
            }>(SESSIONS);
            for (const user of USERS) {
              const scanned = all
                .filter(
                  (record) =>
                    record.value.sub === user &&
                    now < record.value.idle_expires_at &&
                    now < record.value.expires_at,
                )
                .map((record) => record.id);
              const listed = await tenant.sessions.listForUser(user);
              expect(listed.map((session) => session['id'])).toEqual(scanned);
            }
          }
        } finally {
          await tenant.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('the index record', () => {
  const entry = (id: string, expires_at: number) => ({ id, expires_at });

  it('takes a session in place of the same id, else last, and drops sessions that are over', () => {
    const index: UserSessionsRecord = {
      sessions: [entry('a', 100), entry('b', 50), entry('c', 300)],
    };
    expect(withSession(index, entry('a', 400), 60)).toEqual({
      sessions: [entry('a', 400), entry('c', 300)],
    });
    expect(withSession(index, entry('d', 400), 10)).toEqual({
      sessions: [...index.sessions, entry('d', 400)],
    });
    expect(withSession(undefined, entry('d', 400), 10)).toEqual({ sessions: [entry('d', 400)] });
  });

  it('without a session is the same record when it was not listed, none when it was the last', () => {
    const index: UserSessionsRecord = { sessions: [entry('a', 100)] };
    expect(withoutSession(index, 'b')).toBe(index);
    expect(withoutSession(index, 'a')).toBeUndefined();
    expect(withoutSession({ sessions: [entry('a', 100), entry('b', 100)] }, 'a')).toEqual({
      sessions: [entry('b', 100)],
    });
  });

  it('lists the sessions not over yet', () => {
    expect(listedSessions({ sessions: [entry('a', 100), entry('b', 50)] }, 50)).toEqual(['a']);
    expect(listedSessions(undefined, 0)).toEqual([]);
  });
});
