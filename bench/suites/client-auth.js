// @ts-check
/**
 * Client authentication with private_key_jwt: `tenant.authenticateClient` (MemoryStore,
 * audit on) with RS256 and ES256 assertions, against jose `jwtVerify` of the same
 * assertions with a pre-imported key, 64 in flight on both sides.
 *
 * A jti is single-use, so every authentication needs its own assertion: they are signed
 * before the clock starts, and each side is timed over a fixed number of batches (not
 * tinybench's open-ended iterations) in interleaved rounds, which side goes first
 * alternating, each keeping its best round.
 */
import { performance } from 'node:perf_hooks';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { JWT_BEARER_ASSERTION_TYPE, Tenant } from '../../dist/index.js';
import { atLeast } from '../harness.js';

const IN_FLIGHT = 64;
const BATCHES = 24;
const ROUNDS = 6;
const ISSUER = 'https://bench.example.com/';

/**
 * @param {'RS256' | 'ES256'} alg
 * @param {Tenant} tenant
 */
async function line(alg, tenant) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const client = await tenant.clients.create({
    name: `${alg} worker`,
    app_type: 'non_interactive',
  });
  const credential = await tenant.clients.addCredential(client.client_id, {
    credential_type: 'public_key',
    jwk: /** @type {never} */ (await exportJWK(publicKey)),
    alg,
  });
  await tenant.clients.update(client.client_id, {
    client_authentication_methods: { private_key_jwt: { credentials: [{ id: credential.id }] } },
  });
  let counter = 0;
  const sign = () => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: `${alg}-${++counter}` })
      .setProtectedHeader({ alg, kid: credential.kid })
      .setIssuer(client.client_id)
      .setSubject(client.client_id)
      .setAudience(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
  };
  const total = IN_FLIGHT * BATCHES * ROUNDS;
  const assertions = await Promise.all(Array.from({ length: total }, sign));

  /** @param {(token: string) => Promise<unknown>} verify @param {string[]} tokens */
  const timed = async (verify, tokens) => {
    const start = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      await Promise.all(tokens.slice(b * IN_FLIGHT, (b + 1) * IN_FLIGHT).map(verify));
    }
    return (tokens.length * 1000) / (performance.now() - start);
  };
  /** @param {string} token */
  const ours = (token) =>
    tenant.authenticateClient({
      body: { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: token },
    });
  /** @param {string} token */
  const jose = (token) => jwtVerify(token, publicKey, { audience: ISSUER, algorithms: [alg] });

  // Warm up both paths (key import, caches) on a few assertions of a throwaway set.
  const warm = await Promise.all(Array.from({ length: IN_FLIGHT }, sign));
  await Promise.all(warm.map(ours));
  await Promise.all(warm.map(jose));

  let best = { ours: 0, jose: 0 };
  const perRound = IN_FLIGHT * BATCHES;
  for (let round = 0; round < ROUNDS; round++) {
    const tokens = assertions.slice(round * perRound, (round + 1) * perRound);
    // Alternate which side goes first, so a burst of load on the shared machine does not
    // always land on the same one.
    const [first, second] = round % 2 === 0 ? [jose, ours] : [ours, jose];
    const firstOps = await timed(first, tokens);
    const secondOps = await timed(second, tokens);
    const [joseOps, oursOps] = round % 2 === 0 ? [firstOps, secondOps] : [secondOps, firstOps];
    best = { ours: Math.max(best.ours, oursOps), jose: Math.max(best.jose, joseOps) };
  }
  return atLeast({
    line: `authenticateClient private_key_jwt ${alg}, ${IN_FLIGHT} in flight`,
    ops: best.ours,
    baseline: 'jose jwtVerify, pre-imported key',
    baselineOps: best.jose,
    atLeast: 0.8,
  });
}

export default async function clientAuth() {
  const tenant = await Tenant.create({ domain: 'bench.example.com' });
  try {
    return [await line('RS256', tenant), await line('ES256', tenant)];
  } finally {
    await tenant.close();
  }
}
