import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  candidateKey,
  passesGeneralChecks,
  passesRawChecks,
  referenceCandidateKey,
} from '../../src/urls/candidate.js';
import type { AllowListKind } from '../../src/index.js';
import { LDH_LABEL, wildcardLabelMatches } from '../../src/urls/wildcard.js';

const kinds: AllowListKind[] = ['callback', 'logout', 'origin'];

/** Strings close to the shortcuts' grammars, so both their edges get exercised. */
const nearUrl = fc
  .tuple(
    fc.constantFrom(
      'https://',
      'http://',
      'HTTPS://',
      'Http://',
      'hTTps://',
      'https:/',
      'ftp://',
      'myapp:/',
    ),
    fc.array(
      fc.oneof(
        fc.constantFrom(
          'a',
          'example',
          'xn--bcher-kva',
          'XN--BCHER-KVA',
          'Xn--',
          'ExAmple',
          '0X7F',
          'xn--',
          '0x7f',
          '127',
          '0',
          '255',
          '256',
          '01',
          '-',
          'A',
        ),
        fc.stringMatching(/^[a-z0-9-]{1,6}$/),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.constantFrom('', '.', '..'),
    fc.constantFrom('', ':80', ':443', ':8080', ':0', ':65535', ':65536', ':', ':99999'),
    fc.array(
      fc.oneof(
        fc.constantFrom(
          '/',
          '/cb',
          '/.',
          '/..',
          '/%2e',
          '/%2E%2e',
          '?',
          '?a=b',
          "?'",
          '?"',
          '#',
          '#x',
          '`',
          '{',
          '}',
          '<',
          '>',
          '"',
          '|',
          '^',
          '%',
          '%zz',
          '[',
          ']',
          ';',
          '@',
          '\\',
          ' ',
          '\t',
          '\u00e9',
          '\u2028',
        ),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 5 },
    ),
  )
  .map(
    ([scheme, labels, trailing, port, tail]) =>
      scheme + labels.join('.') + trailing + port + tail.join(''),
  );

describe('allow-list shortcuts agree with the general path', () => {
  it('the canonical shortcut gives the key a full WHATWG parse gives', () => {
    fc.assert(
      fc.property(
        fc.oneof(nearUrl, fc.webUrl({ withQueryParameters: true, withFragments: true })),
        fc.constantFrom(...kinds),
        (candidate, kind) => {
          expect(candidateKey(kind, candidate)).toBe(referenceCandidateKey(kind, candidate));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('the plain-URL regular expression decides as the general scan does', () => {
    fc.assert(
      fc.property(
        fc.oneof(nearUrl, fc.string({ maxLength: 40 })),
        fc.constantFrom(...kinds),
        (candidate, kind) => {
          expect(passesRawChecks(kind, candidate)).toBe(passesGeneralChecks(kind, candidate));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('agrees on hand-picked edge cases', () => {
    const edges = [
      'https://a.com:443/cb',
      'http://a.com:80/cb',
      'https://a.com:65536/cb',
      'https://127.0.0.1/cb',
      'https://127.0.0.01/cb',
      'https://1.2.3/cb',
      'https://a.0x1/cb',
      'https://0x7f',
      'https://a.0x7f/cb',
      'https://a.b2/cb',
      'HTTPS://XN--BCHER-KVA.EXAMPLE/cb',
      'https://a.1/cb',
      'https://xn--bcher-kva.example/cb',
      'https://xn--a.example/cb',
      "https://a.com/cb?x='y'",
      'https://a.com/c`b',
      'https://a.com/cb?',
      'https://a.com',
      'https://a.com/%2e%2e/x',
    ];
    for (const kind of kinds) {
      for (const candidate of edges) {
        expect(candidateKey(kind, candidate)).toBe(referenceCandidateKey(kind, candidate));
      }
    }
  });

  it('the wildcard label check is the LDH label pattern', () => {
    const anyWildcard = { prefix: '', suffix: '', domain: 'example.com' };
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^[a-z0-9-]{0,70}$/), fc.string({ maxLength: 8 })),
        (label) => {
          const expected = label.length <= 63 && LDH_LABEL.test(label);
          expect(wildcardLabelMatches(label, anyWildcard)).toBe(expected);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
