/**
 * No secret — client secret, HMAC key, private key parameter — appears in any error the
 * token core throws, however the error is shown: message, JSON, util.inspect (with hidden
 * members), String(). Nor in the printed form of the objects that hold secrets.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { authenticateClientRequest } from '../../src/tokens/client-auth.js';
import { deriveHs256Key } from '../../src/tokens/id-token.js';
import { IdTokenSigner } from '../../src/tokens/id-token-signer.js';
import { createHmacSigner, signJwt } from '../../src/tokens/jwt.js';
import { KeyRing } from '../../src/tokens/key-ring.js';
import { verifyJwt } from '../../src/tokens/verify.js';
import { CLIENT_ID, CLIENT_SECRET, ISSUER, NOW, recordFor } from './fixtures.js';

const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

function shown(value: unknown): string {
  const parts = [
    inspect(value, { depth: 10, showHidden: true }),
    JSON.stringify(value) ?? '',
    String(value),
  ];
  if (value instanceof Error) parts.push(value.message, value.stack ?? '');
  return parts.join('\n');
}

async function caught(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('secrets never appear', () => {
  it('in errors about client secrets and HS256 keys', async () => {
    const shortSecret = 'short-secret-value';
    const badEncoded = `${CLIENT_SECRET.slice(0, 60)}+/+/`;
    const signer = new IdTokenSigner({ issuer: ISSUER });
    const errors = [
      await caught(() => deriveHs256Key(shortSecret, false)),
      await caught(() => deriveHs256Key(badEncoded, true)),
      await caught(() =>
        signer.issue(
          { client_id: CLIENT_ID, client_secret: shortSecret, jwt_configuration: { alg: 'HS256' } },
          { sub: 'u' },
          undefined,
        ),
      ),
      await caught(() => createHmacSigner(Buffer.from(shortSecret))),
    ];
    for (const error of errors) {
      for (const secret of [shortSecret, badEncoded]) expect(shown(error)).not.toContain(secret);
    }
  });

  it('in client authentication errors, whatever the failure', async () => {
    const lookup = async (id: string) =>
      id === CLIENT_ID
        ? {
            client_id: CLIENT_ID,
            token_endpoint_auth_method: 'client_secret_post',
            client_secret: CLIENT_SECRET,
          }
        : undefined;
    const presented = `${CLIENT_SECRET}-presented`;
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${presented}`).toString('base64')}`;
    const requests = [
      { body: { client_id: CLIENT_ID, client_secret: presented } },
      { body: { client_id: 'unknown', client_secret: presented } },
      { authorization: basic },
      { authorization: basic, body: { client_secret: presented } },
      { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${presented}%`).toString('base64')}` },
    ];
    for (const request of requests) {
      const error = await caught(() => authenticateClientRequest(request, lookup));
      for (const secret of [CLIENT_SECRET, presented]) expect(shown(error)).not.toContain(secret);
    }
  });

  it('in verification errors made with an HMAC key', async () => {
    const key = Buffer.from(CLIENT_SECRET);
    const token = await signJwt(
      {},
      { iss: ISSUER, aud: 'x', sub: 'u', iat: NOW, exp: NOW + 1 },
      createHmacSigner(key),
    );
    for (const options of [
      { audience: CLIENT_ID },
      { audience: 'x', now: NOW + 10 },
      { audience: 'x', hmacKey: Buffer.from(`${CLIENT_SECRET}x`) },
    ]) {
      const error = await caught(() =>
        verifyJwt(token, { issuer: ISSUER, now: NOW, hmacKey: key, ...options }),
      );
      expect(shown(error)).not.toContain(CLIENT_SECRET);
    }
  });

  it('in key ring errors, for a tampered value of every private member', async () => {
    const record = await recordFor('RS256');
    const values = PRIVATE.map(
      (member) => (record.privateJwk as unknown as Record<string, string>)[member]!,
    );
    for (const member of PRIVATE) {
      const tampered = structuredClone(record) as unknown as { privateJwk: Record<string, string> };
      tampered.privateJwk[member] = `${tampered.privateJwk[member]!.slice(0, -2)}@@`;
      const error = await caught(() => new KeyRing([tampered as never]));
      for (const value of values) expect(shown(error)).not.toContain(value.slice(0, 40));
    }
  });

  it('in the printed form of rings, keys and signers', async () => {
    const record = await recordFor('RS256');
    const ring = new KeyRing([record]);
    const signer = new IdTokenSigner({ issuer: ISSUER });
    await signer.issue(
      { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, jwt_configuration: { alg: 'HS256' } },
      { sub: 'u' },
      undefined,
    );
    const hmac = createHmacSigner(Buffer.from(CLIENT_SECRET));
    const printed = [ring, ring.active, signer, hmac].map(shown).join('\n');
    for (const member of PRIVATE) {
      expect(printed).not.toContain(
        (record.privateJwk as unknown as Record<string, string>)[member]!.slice(0, 40),
      );
    }
    expect(printed).not.toContain(CLIENT_SECRET);
  });
});
