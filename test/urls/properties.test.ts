import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAllowList, type AllowListKind } from '../../src/index.js';

const kinds: AllowListKind[] = ['callback', 'logout', 'origin'];

const ldhLabel = fc
  .stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
  .filter((label) => !/^[0-9]+$/.test(label) && !label.startsWith('xn--'));
const domain = fc
  .tuple(ldhLabel, fc.constantFrom('example.com', 'example.org', 'b\u00fccher.example', 'co.uk'))
  .map(([label, rest]) => `${label}.${rest}`);
const path = fc.stringMatching(/^(\/[a-zA-Z0-9_~-]{1,8}){0,3}$/).map((p) => p || '/');

/** Characters and fragments that have been used to smuggle a different URL past a check. */
const smuggling = fc.constantFrom(
  '@evil.com',
  '\\evil.com',
  '#',
  '#@evil.com',
  '.evil.com',
  '%2eevil.com',
  '%2e%2e/',
  '/../evil',
  '/%2E%2e/evil',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u2028',
  '\u00ad',
  '\u200b',
  '\ufeff',
  ' ',
  ';',
  '%00',
  ':@evil.com',
  '?',
);

const entriesFor = (hosts: string[]) => hosts.map((host) => `https://${host}/cb`);

describe('allow-list properties', () => {
  it('allows() never throws, whatever it is given', () => {
    const lists = kinds.map((kind) =>
      createAllowList(kind, ['https://app.example.com/cb', 'https://*.example.org/cb'], {
        loopbackAnyPort: true,
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.webUrl({ withFragments: true, withQueryParameters: true }),
          fc
            .tuple(
              fc.constantFrom('https://', 'http://', 'com.example.app:/', 'HTTPS:'),
              fc.string(),
            )
            .map(([a, b]) => a + b),
          fc.anything(),
        ),
        (candidate) => {
          for (const list of lists) expect(typeof list.allows(candidate as string)).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('an allowed URL with smuggling characters appended anywhere is never allowed', () => {
    fc.assert(
      fc.property(
        domain,
        path,
        smuggling,
        fc.string({ maxLength: 6 }),
        fc.nat(),
        (host, p, bad, extra, at) => {
          const entry = `https://${host}${p}`;
          const list = createAllowList('callback', [entry]);
          expect(list.allows(entry)).toBe(true);
          const insertAt = at % (entry.length + 1);
          const candidate = entry.slice(0, insertAt) + bad + extra + entry.slice(insertAt);
          // The scheme prefix is where an insertion can still produce the same URL
          // ("https:" + "//" stays the same only when nothing was inserted); everywhere
          // else any of these insertions must change or break the URL.
          expect(list.allows(candidate)).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a control, format or separator character anywhere makes a candidate fail', () => {
    const forbidden = fc.oneof(
      fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
      fc.constantFrom(
        '\u007f',
        '\u0085',
        '\u00a0',
        '\u1680',
        '\u2000',
        '\u200e',
        '\u2028',
        '\u2029',
        '\u202e',
        '\u3000',
        '\ufeff',
        '\u061c',
      ),
    );
    fc.assert(
      fc.property(domain, forbidden, fc.nat(), (host, bad, at) => {
        const entry = `https://${host}/cb`;
        for (const kind of kinds) {
          const list = createAllowList(kind, [entry]);
          const candidate = kind === 'origin' ? `https://${host}` : entry;
          const i = at % (candidate.length + 1);
          expect(list.allows(candidate.slice(0, i) + bad + candidate.slice(i))).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a wildcard matches one label and never two', () => {
    const list = createAllowList('callback', ['https://*.example.com/cb']);
    fc.assert(
      fc.property(ldhLabel, ldhLabel, (a, b) => {
        expect(list.allows(`https://${a}.example.com/cb`)).toBe(true);
        expect(list.allows(`https://${a}.${b}.example.com/cb`)).toBe(false);
        expect(list.allows(`https://${a}example.com/cb`)).toBe(false);
        expect(list.allows(`https://${a}.example.com.${b}.com/cb`)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('results do not depend on entry order or on unrelated entries', () => {
    const hostPool = fc.uniqueArray(domain, { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        hostPool,
        fc.array(
          fc.oneof(
            domain,
            domain.map((d) => `www.${d}`),
          ),
          { maxLength: 6 },
        ),
        fc.integer({ min: 0, max: 300 }),
        fc.func(fc.integer()),
        (hosts, probes, filler, order) => {
          const entries = entriesFor(hosts);
          const small = createAllowList('callback', entries);
          const shuffled = [...entries].sort((x, y) => order(x) - order(y));
          const padding = Array.from(
            { length: filler },
            (_, i) => `https://filler${i}.example.net/cb`,
          );
          const large = createAllowList('callback', [
            ...padding,
            ...shuffled,
            'https://*.example.net/cb',
          ]);
          for (const host of [...hosts, ...probes]) {
            const candidate = `https://${host}/cb`;
            expect(large.allows(candidate)).toBe(small.allows(candidate));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the verbatim shortcut agrees with full parsing', () => {
    // Lists whose entries are written canonically hit the pre-parse shortcut; lists whose
    // entries are written differently (upper case, default port) do not. Same answers.
    fc.assert(
      fc.property(domain, path, fc.constantFrom(...kinds), (host, p, kind) => {
        const canonical = new URL(`https://${host}${p}`).href;
        // ASCII letters only: a Unicode host must be written in its mapped (lower-case) form.
        const spelled = `HTTPS://${host.replace(/[a-z]+/g, (l) => l.toUpperCase())}:443${p}`;
        const a = createAllowList(kind, [canonical]);
        const b = createAllowList(kind, [spelled]);
        const candidates = [canonical, spelled, new URL(canonical).origin, `${canonical}?x`];
        for (const candidate of candidates) expect(a.allows(candidate)).toBe(b.allows(candidate));
      }),
      { numRuns: 500 },
    );
  });
});
