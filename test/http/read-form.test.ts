import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError, readForm } from 'clientele/http';

const FORM = 'application/x-www-form-urlencoded';

const post = (body: string | Uint8Array, type = FORM) =>
  new Request('http://localhost/oauth/token', {
    method: 'POST',
    body,
    headers: { 'content-type': type },
  });

async function refusal(body: string | Uint8Array): Promise<HttpError> {
  const error = await readForm(post(body)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

/** Percent-encodes every UTF-8 byte of `text`. */
const percentAll = (text: string) =>
  [...new TextEncoder().encode(text)]
    .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
    .join('');

/**
 * One of the ways a sender may write `text` in a form body: each character literally when
 * that keeps its meaning or percent-encoded (upper or lower case hex), and a space as `+`
 * or `%20`. Every choice decodes back to `text`.
 */
const encodedAs = (text: string) =>
  fc
    .array(fc.integer({ min: 0, max: 2 }), { minLength: text.length, maxLength: text.length })
    .map((choices) =>
      [...text]
        .map((char, index) => {
          const choice = choices[index] ?? 0;
          if (char === ' ') return choice === 0 ? '+' : '%20';
          const literal = /^[A-Za-z0-9\-._~*]$/.test(char);
          if (literal && choice === 0) return char;
          const encoded = percentAll(char);
          return choice === 2 ? encoded.toLowerCase() : encoded;
        })
        .join(''),
    );

/** Parameter names, including ones that only differ by encoding from common OAuth names. */
const names = fc.oneof(
  fc.constantFrom('grant_type', 'client_id', 'scope', 'audience', '__proto__', 'a b', ''),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const values = fc.oneof(
  fc.constantFrom('', ' ', '  ', '+', '&', '=', 'client_credentials', 'é'),
  fc.string({ maxLength: 12 }),
);

/** A body of the given (name, value) pairs, each written in one of its encodings. */
const bodyOf = (pairs: readonly (readonly [string, string])[]) =>
  fc
    .tuple(...pairs.map(([name, value]) => fc.tuple(encodedAs(name), encodedAs(value))))
    .map((encoded) => encoded.map(([name, value]) => `${name}=${value}`).join('&'));

describe('readForm', () => {
  it('reads distinct parameters, however encoded, keeping non-empty values exactly', async () => {
    const distinct = fc.uniqueArray(fc.tuple(names, values), {
      selector: ([name]) => name,
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(
        distinct.chain((pairs) => fc.tuple(fc.constant(pairs), bodyOf(pairs))),
        async ([pairs, body]) => {
          const expected = Object.fromEntries(pairs.filter(([, value]) => value !== ''));
          const params = await readForm(post(body));
          expect({ ...params }).toEqual(expected);
          expect(Object.getPrototypeOf(params)).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses any parameter given twice, empty or not, wherever and however it is written', async () => {
    const repeated = fc
      .tuple(
        fc.uniqueArray(fc.tuple(names, values), { selector: ([name]) => name, maxLength: 4 }),
        names,
        values,
        values,
        fc.nat(),
        fc.nat(),
      )
      .map(([others, name, first, second, at, gap]) => {
        const rest = others.filter(([other]) => other !== name);
        const pairs: (readonly [string, string])[] = [...rest];
        const i = at % (pairs.length + 1);
        pairs.splice(i, 0, [name, first]);
        pairs.splice(i + 1 + (gap % (pairs.length - i)), 0, [name, second]);
        return { name, pairs };
      });
    await fc.assert(
      fc.asyncProperty(
        repeated.chain(({ name, pairs }) => fc.tuple(fc.constant(name), bodyOf(pairs))),
        async ([name, body]) => {
          const error = await refusal(body);
          expect(error.status).toBe(400);
          expect(error.code).toBe('invalid_request');
          expect(error.oauthError).toBe('invalid_request');
          expect(error.message).toBe(`${name.slice(0, 64)} must not be repeated`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses the adversarial repeats one by one', async () => {
    for (const body of [
      'grant_type=&grant_type=client_credentials',
      'grant_type=client_credentials&grant_type=',
      'grant_type&grant_type=client_credentials',
      'grant_type=&grant_type=',
      'grant%5Ftype=client_credentials&grant_type=client_credentials',
      'grant_type=client_credentials&grant%5ftype=',
      '%67%72%61%6e%74%5f%74%79%70%65=a&grant_type=b',
      'scope=a+b&scope=a%20b',
      'a+b=1&a%20b=2',
      '=x&=y',
      '__proto__=1&__proto__=2',
    ]) {
      const error = await refusal(body);
      expect(error.status, body).toBe(400);
      expect(error.code, body).toBe('invalid_request');
      expect(error.message, body).toMatch(/must not be repeated$/);
    }
  });

  it('reads any body exactly as URLSearchParams does, malformed escapes included', async () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '%',
        '%2',
        '%zz',
        '%41',
        '%2B',
        '%C3%A9',
        '%C3',
        '%FF',
        '%E2%82',
        '+',
        '&',
        '=',
        'é',
        '%25',
        '?',
      ),
      fc.string({ maxLength: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const body = pieces.join('');
        const pairs = [...new URLSearchParams(body)];
        const names = pairs.map(([name]) => name);
        const outcome = await readForm(post(body)).then(
          (params) => ({ ...params }),
          (error: unknown) => (error instanceof HttpError ? error.code : error),
        );
        if (new Set(names).size < names.length) {
          expect(outcome).toBe('invalid_request');
        } else {
          expect(outcome).toEqual(Object.fromEntries(pairs.filter(([, value]) => value !== '')));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps whitespace-only values as sent and treats only empty ones as absent', async () => {
    expect({ ...(await readForm(post('a=%20&b=+&c=&d&e=%2B&f=+%20+'))) }).toEqual({
      a: ' ',
      b: ' ',
      e: '+',
      f: '   ',
    });
    const proto = await readForm(post('__proto__=x&constructor=y'));
    expect(Object.hasOwn(proto, '__proto__')).toBe(true);
    expect(proto['constructor']).toBe('y');
  });

  it('refuses a body that is not UTF-8, and another media type', async () => {
    const notUtf8 = await refusal(new Uint8Array([0x61, 0x3d, 0xff, 0xfe]));
    expect(notUtf8.code).toBe('invalid_request');
    expect(notUtf8.message).toBe('the request body is not UTF-8');
    const error = await readForm(post('a=1', 'application/json')).catch((e: unknown) => e);
    expect((error as HttpError).code).toBe('invalid_request');
  });

  it('names a long repeated parameter by its first 64 characters only', async () => {
    const name = 'n'.repeat(500);
    const error = await refusal(`${name}=1&${name}=2`);
    expect(error.message).toBe(`${'n'.repeat(64)} must not be repeated`);
  });
});
