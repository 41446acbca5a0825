/**
 * Listeners of ended sessions (`tenant.sessions.onEnd`): each is told once, a listener that
 * throws neither fails the end (the session is gone by then) nor keeps the others from
 * being told, and one that removes itself while being told does not hide the next one.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant, type EndedSession } from '../../src/index.js';

async function tenantWithSession(sub = 'auth0|ada') {
  const tenant = await Tenant.create({ domain: 'id.example.com', store: new MemoryStore() });
  const started = await tenant.sessions.start({ sub });
  return { tenant, started };
}

describe('tenant.sessions.onEnd listeners', () => {
  it('a listener that throws fails neither the end nor the listeners after it', async () => {
    const { tenant, started } = await tenantWithSession();
    const told: EndedSession[] = [];
    tenant.sessions.onEnd(() => {
      throw new Error('listener bug');
    });
    tenant.sessions.onEnd((ended) => told.push(ended));
    await expect(tenant.sessions.end(started.id, 'rp-logout')).resolves.toBe(true);
    expect(told).toEqual([expect.objectContaining({ id: started.id, reason: 'rp-logout' })]);
    expect(await tenant.sessions.get(started.id)).toBeUndefined();
    await tenant.close();
  });

  it('endForUser ends every session of the user when a listener throws', async () => {
    const { tenant } = await tenantWithSession();
    await tenant.sessions.start({ sub: 'auth0|ada' });
    tenant.sessions.onEnd(() => {
      throw new Error('listener bug');
    });
    await expect(tenant.sessions.endForUser('auth0|ada')).resolves.toBe(2);
    expect(await tenant.sessions.listForUser('auth0|ada')).toEqual([]);
    await tenant.close();
  });

  it('a listener that removes itself while told does not hide the next one', async () => {
    const { tenant, started } = await tenantWithSession();
    const told: string[] = [];
    const remove = tenant.sessions.onEnd(() => {
      told.push('first');
      remove();
    });
    tenant.sessions.onEnd(() => told.push('second'));
    await tenant.sessions.end(started.id, 'session-revoked');
    expect(told).toEqual(['first', 'second']);
    await tenant.close();
  });
});

describe('tenant.sessions.start input', () => {
  it('refuses claims a code would refuse, and an amr that is not a list of names, storing nothing', async () => {
    const store = new MemoryStore();
    const tenant = await Tenant.create({ domain: 'id.example.com', store });
    const refusals: [Record<string, unknown>, string][] = [
      [{ claims: { iss: 'https://evil.example/' } }, '/claims/iss'],
      [{ claims: { sid: 'x' } }, '/claims/sid'],
      [{ claims: ['email'] }, '/claims'],
      [{ claims: { blob: 'x'.repeat(20_000) } }, '/claims'],
      [{ amr: 'pwd' }, '/amr'],
      [{ amr: ['pwd', 42] }, '/amr/1'],
      [{ amr: [''] }, '/amr/0'],
      [{ clientId: 42 }, '/clientId'],
    ];
    for (const [login, path] of refusals) {
      await expect(
        tenant.sessions.start({ sub: 'auth0|ada', ...login } as never),
      ).rejects.toMatchObject({ code: 'invalid_argument', path });
    }
    expect(await store.list('sessions')).toEqual([]);
    expect(await store.list('user_sessions')).toEqual([]);
    const started = await tenant.sessions.start({
      sub: 'auth0|ada',
      claims: { email: 'ada@example.com' },
      amr: ['pwd', 'mfa'],
      clientId: 'abc',
    });
    expect((await tenant.sessions.find(started.cookie))?.claims).toEqual({
      email: 'ada@example.com',
    });
    await tenant.close();
  });
});

describe('tenant.sessions.use, end and endForUser input', () => {
  it('refuse a client id that is not one and an end reason that is not one, changing nothing', async () => {
    const { tenant, started } = await tenantWithSession();
    await expect(tenant.sessions.use(started.id, 42 as never)).rejects.toMatchObject({
      code: 'invalid_argument',
      path: '/clientId',
    });
    await expect(tenant.sessions.end(started.id, 'bored' as never)).rejects.toMatchObject({
      code: 'invalid_argument',
      path: '/reason',
    });
    await expect(tenant.sessions.endForUser('auth0|ada', 'bored' as never)).rejects.toMatchObject({
      code: 'invalid_argument',
      path: '/reason',
    });
    expect(await tenant.sessions.get(started.id)).toMatchObject({ clients: [] });
    await tenant.close();
  });
});
