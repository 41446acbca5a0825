/**
 * DPoP proofs made with jose, as a client library makes them, and broken ones for the
 * refusal tests.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A client's DPoP key pair. */
export interface ProofKey {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
  readonly privateJwk: JWK;
}

export async function proofKey(alg = 'ES256'): Promise<ProofKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    alg,
    privateKey,
    jwk: await exportJWK(publicKey),
    privateJwk: await exportJWK(privateKey),
  };
}

/** A proof for `htm` and `htu` now, with claims and header members replaced as given. */
export function makeProof(
  key: ProofKey,
  request: { htm: string; htu: string },
  options: {
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
    iat?: number;
  } = {},
): Promise<string> {
  return new SignJWT({
    jti: randomUUID(),
    htm: request.htm,
    htu: request.htu,
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    ...options.claims,
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk, ...options.header } as never)
    .sign(key.privateKey);
}

/** A compact JWS with the given header and claims and a signature of `bytes` zero bytes. */
export function unsigned(header: object, claims: object, bytes = 64): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(claims)}.${Buffer.alloc(bytes, 1).toString('base64url')}`;
}
