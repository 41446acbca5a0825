/**
 * A second JWT verifier, independent of jose and of the code under test, written from
 * RFC 7515 §5.2 (JWS validation), RFC 7518 §3 (algorithms) and RFC 7519 §7.2 (JWT
 * validation) with node:crypto only. Tests check that every token verifies with it too.
 */
import {
  constants,
  createHmac,
  createPublicKey,
  timingSafeEqual,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

export interface RfcVerifyOptions {
  /** The only algorithm accepted (RFC 8725 §3.1). */
  alg: 'HS256' | 'RS256' | 'RS512' | 'PS256' | 'ES256';
  /** HMAC key bytes for HS256, or the JWK Set to pick the public key from by `kid`. */
  key: Uint8Array | { readonly keys: readonly object[] };
  issuer: string;
  audience: string;
  /** NumericDate. */
  now: number;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** RFC 7515 §2: base64url without padding; refuse any non-canonical spelling. */
function b64uDecode(part: string, what: string): Buffer {
  if (!BASE64URL.test(part) || part.length % 4 === 1) throw new Error(`${what}: not base64url`);
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw new Error(`${what}: non-canonical base64url`);
  return bytes;
}

function jsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what}: not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function publicKeyFor(jwks: { readonly keys: readonly object[] }, kid: unknown): KeyObject {
  const matches = jwks.keys.filter((jwk) => (jwk as { kid?: unknown }).kid === kid);
  if (matches.length !== 1) throw new Error('kid: no single matching key');
  const { kid: _k, alg: _a, use: _u, ...parameters } = matches[0] as Record<string, unknown>;
  for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
    if (secret in parameters) throw new Error('jwks: private member published');
  }
  return createPublicKey({ key: parameters as JsonWebKey, format: 'jwk' });
}

/** Verifies `token` or throws an Error saying which step failed. Returns the claims. */
export function rfcVerify(token: string, options: RfcVerifyOptions): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('compact serialisation needs exactly three parts');
  const [h, p, s] = parts as [string, string, string];
  const header = jsonObject(b64uDecode(h, 'header'), 'header');
  if (header.alg !== options.alg) throw new Error('header alg is not the expected one');
  if ('crit' in header) throw new Error('crit not understood');
  const payload = jsonObject(b64uDecode(p, 'payload'), 'payload');
  const signature = b64uDecode(s, 'signature');
  const input = Buffer.from(`${h}.${p}`, 'ascii');

  let valid: boolean;
  if (options.alg === 'HS256') {
    if (!(options.key instanceof Uint8Array)) throw new Error('HS256 needs key bytes');
    const expected = createHmac('sha256', options.key).update(input).digest();
    valid = signature.length === expected.length && timingSafeEqual(signature, expected);
  } else {
    if (options.key instanceof Uint8Array) throw new Error('asymmetric alg needs a JWK Set');
    const key = publicKeyFor(options.key, header.kid);
    switch (options.alg) {
      case 'RS256':
      case 'RS512':
        valid = verify(
          options.alg === 'RS256' ? 'sha256' : 'sha512',
          input,
          { key, padding: constants.RSA_PKCS1_PADDING },
          signature,
        );
        break;
      case 'PS256':
        valid = verify(
          'sha256',
          input,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          signature,
        );
        break;
      case 'ES256':
        // RFC 7518 §3.4: R || S, 32 octets each.
        if (signature.length !== 64) throw new Error('ES256 signature must be 64 octets');
        valid = verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
        break;
    }
  }
  if (!valid) throw new Error('signature does not verify');

  if (payload.iss !== options.issuer) throw new Error('iss mismatch');
  const aud = payload.aud;
  if (!(aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience)))) {
    throw new Error('aud mismatch');
  }
  if (typeof payload.exp !== 'number' || payload.exp <= options.now) throw new Error('expired');
  if (typeof payload.iat !== 'number') throw new Error('iat missing');
  return payload;
}
