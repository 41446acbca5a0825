/**
 * tenant.dpop: single use of a proof across instances sharing a store, server nonces any
 * instance accepts, the nonce secret encrypted with secretsKey, and its input checks.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStore, Tenant } from '../../src/index.js';
import { makeProof, proofKey } from '../dpop/helpers.js';

const URL_ = 'https://api.example.test/orders';

async function pair(options: Partial<Parameters<typeof Tenant.create>[0]> = {}) {
  const store = new MemoryStore();
  const common = { domain: 'tenant.example.test', store, ...options };
  return { store, a: await Tenant.create(common), b: await Tenant.create(common) };
}

describe('tenant.dpop', () => {
  it('refuses a proof used at another instance sharing the store', async () => {
    const { a, b } = await pair();
    const key = await proofKey();
    const proof = await makeProof(key, { htm: 'GET', htu: URL_ });
    const presentation = { proof, method: 'GET', url: URL_ };
    await expect(a.dpop.verifyProof(presentation)).resolves.toMatchObject({
      jkt: expect.any(String),
    });
    await expect(b.dpop.verifyProof(presentation)).rejects.toMatchObject({
      code: 'invalid_dpop_proof',
      reason: 'replayed',
    });
  });

  it('asks for a nonce, and accepts one handed out by another instance', async () => {
    const { a, b } = await pair({ dpop: { nonce: true } });
    const key = await proofKey();
    const first = await makeProof(key, { htm: 'POST', htu: URL_ });
    const error = await a.dpop
      .verifyProof({ proof: first, method: 'POST', url: URL_ })
      .catch((e: unknown) => e as { code: string; nonce: string });
    expect(error).toMatchObject({ code: 'use_dpop_nonce' });
    const nonce = (error as { nonce: string }).nonce;
    expect(await b.dpop.nonce()).toBe(nonce);
    const second = await makeProof(key, { htm: 'POST', htu: URL_ }, { claims: { nonce } });
    await expect(
      b.dpop.verifyProof({ proof: second, method: 'POST', url: URL_ }),
    ).resolves.toBeDefined();
    const stale = await makeProof(key, { htm: 'POST', htu: URL_ }, { claims: { nonce: 'AAAA' } });
    await expect(
      b.dpop.verifyProof({ proof: stale, method: 'POST', url: URL_ }),
    ).rejects.toMatchObject({ code: 'use_dpop_nonce' });
  });

  it('keeps no nonce and sends none when nonces are off', async () => {
    const { a, store } = await pair();
    expect(await a.dpop.nonce()).toBeUndefined();
    expect(await store.list('dpop_nonce_secrets')).toEqual([]);
  });

  it('stores the nonce secret encrypted when the tenant has a secretsKey', async () => {
    const { a, store } = await pair({ dpop: { nonce: true }, secretsKey: randomBytes(32) });
    const nonce = await a.dpop.nonce();
    const [record] = await store.list<{ secret: string }>('dpop_nonce_secrets');
    expect(nonce).toEqual(expect.any(String));
    expect(record?.value.secret).toMatch(/^enc:v1:/);
  });

  it('checks its arguments with typed errors', async () => {
    const { a } = await pair();
    await expect(a.dpop.verifyProof({ proof: '', method: 'GET', url: URL_ })).rejects.toMatchObject(
      {
        reason: 'proof_missing',
      },
    );
    await expect(
      a.dpop.verifyProof({ proof: 'a.b.c', method: '', url: URL_ }),
    ).rejects.toMatchObject({ code: 'invalid_argument', path: '/presentation/method' });
    await expect(a.dpop.verifyProof(null as never)).rejects.toMatchObject({
      reason: 'proof_missing',
    });
    await expect(
      Tenant.create({ domain: 'x.example', dpop: { algorithms: ['HS256'] } }),
    ).rejects.toMatchObject({
      path: '/dpop/algorithms',
    });
  });
});
