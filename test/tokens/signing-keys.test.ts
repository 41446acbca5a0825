import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { KeyRing } from '../../src/tokens/key-ring.js';
import {
  generateSigningKey,
  retireSigningKey,
  rotateSigningKeys,
  type SigningKeyRecord,
} from '../../src/tokens/signing-keys.js';
import { ALGS, recordFor } from './fixtures.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

/** A record as plain, mutable JSON, for tampering. */
interface Tampered {
  [member: string]: unknown;
  publicJwk?: Record<string, unknown>;
  privateJwk?: Record<string, unknown>;
}

/** A deep, mutable copy of a record for tampering. */
function tamper(record: SigningKeyRecord): Tampered {
  return structuredClone(record) as unknown as Tampered;
}

/** The error thrown by building a ring from `records`; fails the test when none is. */
function ringError(records: unknown[]): InvalidArgumentError {
  try {
    new KeyRing(records as SigningKeyRecord[]);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected the ring to be refused');
}

/** Private values of a record, which must never appear in an error. */
function privateValues(record: SigningKeyRecord): string[] {
  const jwk = record.privateJwk as unknown as Record<string, string>;
  return PRIVATE_MEMBERS.filter((m) => m in jwk).map((m) => jwk[m]!);
}

describe('generateSigningKey', () => {
  it.each(ALGS)(
    'makes a %s record whose kid is the RFC 7638 thumbprint of its public key',
    async (alg) => {
      const record = await recordFor(alg);
      expect(record.alg).toBe(alg);
      expect(record.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(record.kid).toBe(await calculateJwkThumbprint(record.publicJwk, 'sha256'));
      expect(record.publicJwk).toMatchObject({ kid: record.kid, alg, use: 'sig' });
      expect(record.createdAt).toBe('2025-01-01T00:00:00.000Z');
      expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    },
  );

  it('makes RSA keys of 2048 bits with exponent 65537', async () => {
    const record = await recordFor('RS256');
    const jwk = record.publicJwk as { n: string; e: string };
    expect(Buffer.from(jwk.n, 'base64url').length).toBe(256);
    expect(jwk.e).toBe('AQAB');
    expect(Object.keys(record.privateJwk).sort()).toEqual(
      ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].sort(),
    );
  });

  it('makes P-256 keys for ES256', async () => {
    const record = await recordFor('ES256');
    expect(record.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(Object.keys(record.privateJwk).sort()).toEqual(['crv', 'd', 'kty', 'x', 'y']);
  });

  it('makes a different key each time', async () => {
    const [a, b] = await Promise.all([generateSigningKey('ES256'), generateSigningKey('ES256')]);
    expect(a.kid).not.toBe(b.kid);
  });

  it('refuses an unknown algorithm and a bad date', async () => {
    await expect(generateSigningKey('HS256' as never)).rejects.toMatchObject({ path: '/alg' });
    await expect(generateSigningKey('none' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(generateSigningKey('ES256', { now: new Date(NaN) })).rejects.toMatchObject({
      path: '/options/now',
    });
  });
});

describe('KeyRing', () => {
  it('signs with the first key, finds every key by kid, and publishes them all', async () => {
    const records = await Promise.all(ALGS.map(recordFor));
    const ring = new KeyRing(records);
    expect(ring.active.kid).toBe(records[0]!.kid);
    for (const record of records) expect(ring.find(record.kid)?.alg).toBe(record.alg);
    expect(ring.find('nope')).toBeUndefined();
    expect(ring.find(undefined as never)).toBeUndefined();
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual(records.map((r) => r.kid));
    expect(ring.activeFor('ES256')?.kid).toBe(records[3]!.kid);
  });

  it('publishes public members only', async () => {
    const ring = new KeyRing(await Promise.all(ALGS.map(recordFor)));
    for (const jwk of ring.jwks().keys) {
      const expected =
        jwk.kty === 'RSA'
          ? ['alg', 'e', 'kid', 'kty', 'n', 'use']
          : ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'];
      expect(Object.keys(jwk).sort()).toEqual(expected);
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    }
  });

  it('imports each key once: the same KeyObjects on every access', async () => {
    const ring = new KeyRing([await recordFor('RS256')]);
    expect(ring.active.privateKey).toBe(ring.find(ring.active.kid)?.privateKey);
    expect(ring.active.privateKey.type).toBe('private');
    expect(ring.active.publicKey.type).toBe('public');
  });

  it('hands out copies: changing a JWKS or the input records changes nothing', async () => {
    const record = structuredClone(await recordFor('ES256'));
    const ring = new KeyRing([record]);
    (ring.jwks().keys[0] as { kid: string }).kid = 'changed';
    (record as { kid: string }).kid = 'changed';
    expect(ring.jwks().keys[0]!.kid).toBe(ring.active.kid);
    expect(ring.records[0]!.kid).toBe(ring.active.kid);
    expect(Object.isFrozen(ring.records[0]!.privateJwk)).toBe(true);
  });

  it('never shows private keys when printed or serialised', async () => {
    const record = await recordFor('RS256');
    const ring = new KeyRing([record]);
    const shown = `${inspect(ring, { depth: 10, showHidden: true })} ${JSON.stringify(ring)} ${inspect(ring.active, { depth: 10 })} ${JSON.stringify(ring.active)}`;
    for (const value of privateValues(record)) expect(shown).not.toContain(value);
    expect(JSON.parse(JSON.stringify(ring))).toEqual(ring.jwks());
  });

  it('is refused when empty or not an array', () => {
    expect(ringError([]).path).toBe('');
    expect(() => new KeyRing(undefined as never)).toThrow(InvalidArgumentError);
  });

  it('prefixes error paths with the pointer option', async () => {
    const bad = tamper(await recordFor('RS256'));
    bad.alg = 'HS256';
    expect(() => new KeyRing([bad] as never, { pointer: '/signingKeys' })).toThrow(
      expect.objectContaining({ path: '/signingKeys/0/alg' }),
    );
  });

  it('refuses the same key twice', async () => {
    const record = await recordFor('ES256');
    expect(ringError([record, record]).path).toBe('/1/kid');
  });

  it('KeyRing.generate makes a one-key ring', async () => {
    const ring = await KeyRing.generate('ES256');
    expect(ring.keys).toHaveLength(1);
    expect(ring.active.alg).toBe('ES256');
  });
});

describe('strict validation of stored records', () => {
  type Case = [string, (r: ReturnType<typeof tamper>) => void, string];
  const rsaCases: Case[] = [
    ['an unknown record member', (r) => (r.note = 'x'), '/0/note'],
    ['a missing kid', (r) => delete r.kid, '/0/kid'],
    [
      'a kid that is not the thumbprint',
      (r) => {
        r.kid = 'not-the-thumbprint';
        r.publicJwk!.kid = 'not-the-thumbprint';
      },
      '/0/kid',
    ],
    [
      'a publicJwk kid different from the record',
      (r) => (r.publicJwk!.kid = 'other'),
      '/0/publicJwk/kid',
    ],
    ['an unsupported alg', (r) => (r.alg = 'RS384'), '/0/alg'],
    ['an alg that does not match the publicJwk', (r) => (r.alg = 'PS256'), '/0/publicJwk/alg'],
    ['use other than sig', (r) => (r.publicJwk!.use = 'enc'), '/0/publicJwk/use'],
    [
      'a private member in the public JWK',
      (r) => (r.publicJwk!.d = r.privateJwk!.d),
      '/0/publicJwk/d',
    ],
    ['kid/alg/use in the private JWK', (r) => (r.privateJwk!.kid = r.kid), '/0/privateJwk/kid'],
    ['a missing CRT parameter', (r) => delete r.privateJwk!.qi, '/0/privateJwk/qi'],
    [
      'padding in base64url',
      (r) => (r.privateJwk!.d = `${String(r.privateJwk!.d)}==`),
      '/0/privateJwk/d',
    ],
    [
      'standard-alphabet base64',
      (r) => (r.privateJwk!.dp = String(r.privateJwk!.dp).replace(/[A-Za-z0-9]/, '+')),
      '/0/privateJwk/dp',
    ],
    [
      'whitespace in base64url',
      (r) => (r.privateJwk!.p = ` ${String(r.privateJwk!.p)}`),
      '/0/privateJwk/p',
    ],
    [
      'a leading zero byte in n',
      (r) => {
        const n = Buffer.concat([
          Buffer.alloc(1),
          Buffer.from(String(r.publicJwk!.n), 'base64url'),
        ]).toString('base64url');
        r.publicJwk!.n = n;
      },
      '/0/publicJwk/n',
    ],
    [
      'a private n different from the public one',
      (r) => (r.privateJwk!.e = 'AQAA'),
      '/0/privateJwk/e',
    ],
    ['a non-ISO createdAt', (r) => (r.createdAt = '2025-01-01'), '/0/createdAt'],
    ['a non-string createdAt', (r) => (r.createdAt = 1), '/0/createdAt'],
    ['a publicJwk that is an array', (r) => (r.publicJwk = [] as never), '/0/publicJwk'],
  ];

  it.each(rsaCases)(
    'refuses %s, naming the member, without private values',
    async (_name, change, path) => {
      const record = await recordFor('RS256');
      const bad = tamper(record);
      change(bad);
      const error = ringError([bad]);
      expect(error.path).toBe(path);
      expect(error.message.startsWith(path)).toBe(true);
      for (const value of privateValues(record)) expect(error.message).not.toContain(value);
    },
  );

  it('refuses an altered private exponent (pairwise consistency check)', async () => {
    const record = await recordFor('RS256');
    const other = await generateSigningKey('RS256');
    const bad = tamper(record);
    bad.privateJwk!.d = other.privateJwk.kty === 'RSA' ? other.privateJwk.d : '';
    const error = ringError([bad]);
    expect(error.path).toBe('/0/privateJwk');
    for (const value of [...privateValues(record), ...privateValues(other)]) {
      expect(error.message).not.toContain(value);
    }
  });

  it.each(['p', 'q', 'dp', 'dq', 'qi'])('refuses an altered %s', async (member) => {
    const record = await recordFor('RS256');
    const other = await recordFor('PS256');
    const bad = tamper(record);
    bad.privateJwk![member] = (other.privateJwk as unknown as Record<string, string>)[member];
    const error = ringError([bad]);
    expect(error.path).toBe('/0/privateJwk');
    for (const value of [...privateValues(record), ...privateValues(other)]) {
      expect(error.message).not.toContain(value);
    }
  });

  it('refuses an EC private scalar that does not match x and y', async () => {
    const record = await recordFor('ES256');
    const other = await generateSigningKey('ES256');
    const bad = tamper(record);
    bad.privateJwk!.d = (other.privateJwk as { d: string }).d;
    const error = ringError([bad]);
    expect(error.path).toBe('/0/privateJwk');
    expect(error.message).not.toContain((other.privateJwk as { d: string }).d);
  });

  it('refuses a private key that belongs to another public key', async () => {
    const [a, b] = [await recordFor('ES256'), await generateSigningKey('ES256')];
    const bad = tamper(a);
    bad.privateJwk = { ...b.privateJwk };
    expect(ringError([bad]).path).toBe('/0/privateJwk/x');
  });

  it('refuses RSA keys shorter than 2048 bits', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'jwk',
    });
    const record = {
      kid: 'x',
      alg: 'RS256',
      privateJwk: weak,
      publicJwk: { kty: 'RSA', n: weak.n, e: weak.e, kid: 'x', alg: 'RS256', use: 'sig' },
      createdAt: '2025-01-01T00:00:00.000Z',
    };
    const error = ringError([record]);
    expect(error.path).toBe('/0/publicJwk/n');
    expect(error.message).toContain('2048');
  });

  it('refuses EC keys on another curve or with short coordinates', async () => {
    const bad = tamper(await recordFor('ES256'));
    bad.publicJwk!.crv = 'P-384';
    expect(ringError([bad]).path).toBe('/0/publicJwk/crv');
    const short = tamper(await recordFor('ES256'));
    short.publicJwk!.x = Buffer.from(String(short.publicJwk!.x), 'base64url')
      .subarray(1)
      .toString('base64url');
    expect(ringError([short]).path).toBe('/0/publicJwk/x');
  });

  it('refuses a non-object record and escapes member names in paths', async () => {
    expect(ringError([null]).path).toBe('/0');
    const bad = tamper(await recordFor('ES256'));
    bad['a/b~c'] = 1;
    expect(ringError([bad]).path).toBe('/0/a~1b~0c');
  });
});

describe('rotation', () => {
  it('puts a new active key first and keeps the old ones published', async () => {
    const old = await recordFor('RS256');
    const next = await rotateSigningKeys([old], 'ES256');
    expect(next).toHaveLength(2);
    expect(next[1]).toBe(old);
    const ring = new KeyRing(next);
    expect(ring.active.alg).toBe('ES256');
    expect(ring.find(old.kid)).toBeDefined();
    expect(ring.jwks().keys).toHaveLength(2);
  });

  it('retires a key by kid, but never the active one', async () => {
    const records = await rotateSigningKeys([await recordFor('RS256')], 'RS256');
    const oldKid = records[1]!.kid;
    expect(retireSigningKey(records, oldKid).map((r) => r.kid)).toEqual([records[0]!.kid]);
    expect(() => retireSigningKey(records, records[0]!.kid)).toThrow(/active key/);
    expect(() => retireSigningKey(records, 'unknown')).toThrow(InvalidArgumentError);
    expect(records).toHaveLength(2);
  });

  it('refuses non-array input', async () => {
    await expect(rotateSigningKeys('x' as never, 'RS256')).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(() => retireSigningKey({} as never, 'x')).toThrow(InvalidArgumentError);
  });
});
