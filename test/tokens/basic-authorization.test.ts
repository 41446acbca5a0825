import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidClientError, InvalidRequestError } from '../../src/errors.js';
import {
  parseBasicAuthorization,
  MAX_AUTHORIZATION_LENGTH,
} from '../../src/tokens/basic-authorization.js';
import { clientAuthFailure } from '../../src/tokens/client-auth-failure.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const basic = (text: string | Buffer) => `Basic ${b64(text)}`;
/** RFC 6749 §2.3.1 encoding, done by the WHATWG form serialiser (independent of the code under test). */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/** The reason code of the InvalidClientError `header` is refused with. */
function refusal(header: unknown): string | undefined {
  try {
    parseBasicAuthorization(header as string);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidClientError);
    expect((error as Error).message).toBe('client authentication failed');
    return clientAuthFailure(error)?.reason;
  }
  throw new Error('expected the header to be refused');
}

describe('parseBasicAuthorization', () => {
  it('decodes id and secret', () => {
    expect(parseBasicAuthorization(basic('my-client:s3cret'))).toEqual({
      clientId: 'my-client',
      clientSecret: 's3cret',
    });
  });

  it('accepts the scheme in any case and one or more spaces (RFC 7235 §2.1)', () => {
    for (const scheme of ['basic', 'BASIC', 'bAsIc']) {
      expect(parseBasicAuthorization(`${scheme} ${b64('a:b')}`).clientId).toBe('a');
    }
    expect(parseBasicAuthorization(`Basic   ${b64('a:b')}`).clientSecret).toBe('b');
  });

  it('splits at the first colon: the secret may contain colons, the id only encoded', () => {
    expect(parseBasicAuthorization(basic('id:se:cr:et'))).toEqual({
      clientId: 'id',
      clientSecret: 'se:cr:et',
    });
    expect(parseBasicAuthorization(basic('a%3Ab:c')).clientId).toBe('a:b');
  });

  it('form-urlencoding decodes each part (RFC 6749 §2.3.1)', () => {
    expect(parseBasicAuthorization(basic('my+app:a+b%2Bc%25d'))).toEqual({
      clientId: 'my app',
      clientSecret: 'a b+c%d',
    });
    expect(parseBasicAuthorization(basic('caf%C3%A9:%E2%9C%93')).clientId).toBe('café');
    expect(parseBasicAuthorization(basic('café:✓'))).toEqual({
      clientId: 'café',
      clientSecret: '✓',
    });
  });

  it('allows an empty secret (refused later when it does not match)', () => {
    expect(parseBasicAuthorization(basic('id:')).clientSecret).toBe('');
  });

  it.each([
    ['Bearer token', 'Bearer abc'],
    ['Digest', 'Digest username="a"'],
    ['an empty header', ''],
    ['a scheme glued to the credentials', `Basic${b64('a:b')}`],
    ['a tab after the scheme', `Basic\t${b64('a:b')}`],
    ['a leading space', ` ${basic('a:b')}`],
  ])('refuses %s as unsupported_scheme', (_name, header) => {
    expect(refusal(header)).toBe('unsupported_scheme');
  });

  const valid = b64('client:secret'); // Y2xpZW50OnNlY3JldA==
  it.each([
    ['no credentials', 'Basic'],
    ['only spaces', 'Basic   '],
    ['whitespace inside', `Basic ${valid.slice(0, 4)} ${valid.slice(4)}`],
    ['a trailing space', `Basic ${valid} `],
    ['a trailing newline', `Basic ${valid}\n`],
    ['a tab inside', `Basic ${valid.slice(0, 4)}\t${valid.slice(4)}`],
    ['missing padding', `Basic ${valid.replace(/=+$/, '')}`],
    ['partly missing padding', `Basic ${valid.slice(0, -1)}`],
    ['extra padding', `Basic ${valid}==`],
    ['padding in the middle', `Basic ${b64('ab')}${b64('c:d')}`],
    [
      'URL-safe characters',
      `Basic ${b64(Buffer.from([0xfb, 0xff, 0x3a, 0x61]))
        .replace('+', '-')
        .replace('/', '_')}`,
    ],
    ['non-canonical trailing bits', `Basic ${b64('id:s').replace('cw==', 'cx==')}`],
    ['a non-base64 character', `Basic ${valid.slice(0, -2)}*=`],
    ['no colon', basic('client-only')],
    ['an empty client id', basic(':secret')],
    ['a lone percent', basic('id:50%')],
    ['a percent with one hex digit', basic('id:%4')],
    ['a percent with non-hex digits', basic('i%G1d:secret')],
    ['an escape that is not UTF-8', basic('id:%FF')],
    ['a truncated UTF-8 escape', basic('id:%C3')],
    ['raw bytes that are not UTF-8', basic(Buffer.from([0x69, 0x64, 0x3a, 0xc3, 0x28]))],
    ['an overlong UTF-8 sequence', basic(Buffer.from([0x69, 0x3a, 0xc0, 0xaf]))],
  ])('refuses %s as malformed_basic', (_name, header) => {
    expect(refusal(header)).toBe('malformed_basic');
  });

  it('refuses headers longer than the limit and non-strings', () => {
    expect(refusal(basic(`id:${'x'.repeat(MAX_AUTHORIZATION_LENGTH)}`))).toBe('malformed_basic');
    expect(refusal(undefined)).toBe('malformed_basic');
    expect(refusal(['Basic x'])).toBe('malformed_basic');
  });

  it('where Node would decode leniently, refuses instead', () => {
    // Each of these decodes to "client:secret" with Buffer.from(..., 'base64').
    for (const lenient of [
      valid.replace(/=+$/, ''),
      `${valid.slice(0, 8)}\n${valid.slice(8)}`,
      `${valid}=`,
      valid.replace(/=+$/, '').concat('=').concat('='.repeat(3)),
    ]) {
      expect(Buffer.from(lenient, 'base64').toString()).toBe('client:secret');
      expect(refusal(`Basic ${lenient}`)).toBe('malformed_basic');
    }
  });
});

describe('parseBasicAuthorization properties', () => {
  const expected = (error: unknown) =>
    error instanceof InvalidClientError || error instanceof InvalidRequestError;
  /** No lone surrogates (what `String#isWellFormed` checks; not in the ES2023 lib). */
  const wellFormed = (s: string) => !/\p{Cs}/u.test(s);
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({
      unit: fc.constantFrom(':', '%', '+', ' ', '=', 'a', '2', 'F', 'é', '\u0000'),
      maxLength: 20,
    }),
  );

  it('never throws anything but InvalidClientError or InvalidRequestError, for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          text.map((t) => `Basic ${t}`),
        ),
        (header) => {
          try {
            parseBasicAuthorization(header);
          } catch (error) {
            expect(expected(error)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws anything else for any bytes behind Basic', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 0, max: 3 }),
        (bytes, spaces) => {
          try {
            parseBasicAuthorization(`Basic${' '.repeat(spaces)}${b64(Buffer.from(bytes))}`);
          } catch (error) {
            expect(expected(error)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('round-trips any id and secret encoded per RFC 6749 §2.3.1', () => {
    fc.assert(
      fc.property(
        text.filter((s) => s !== '' && wellFormed(s)),
        text.filter(wellFormed),
        (clientId, clientSecret) => {
          const header = basic(`${formEncode(clientId)}:${formEncode(clientSecret)}`);
          expect(parseBasicAuthorization(header)).toEqual({ clientId, clientSecret });
          // Percent-encoding spaces as %20 instead of + decodes the same.
          const percent = basic(
            `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
          );
          expect(parseBasicAuthorization(percent)).toEqual({ clientId, clientSecret });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses every whitespace or padding mutation of a valid header', () => {
    const header = basic('client:secret');
    const token = header.slice(6);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: token.length }),
        fc.constantFrom(' ', '\t', '\n', '\r', '=', '\u00a0', '-', '_', '.'),
        (at, inserted) => {
          fc.pre(!(at === 0 && inserted === ' ')); // more spaces after the scheme are allowed
          expect(refusal(`Basic ${token.slice(0, at)}${inserted}${token.slice(at)}`)).toBe(
            'malformed_basic',
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
