// @ts-check
/**
 * URL allow-lists: `allows()` against one WHATWG `new URL()` parse of the same strings,
 * and a 1,000-entry list against a 5-entry list.
 */
import { createAllowList } from '../../dist/index.js';
import { atLeast, atMost, measure } from '../harness.js';

const five = [
  'https://app.example.com/callback',
  'https://*.preview.example.com/callback',
  'http://127.0.0.1/callback',
  'com.example.app:/oauth2redirect',
  'https://admin.example.com/auth/callback?tenant=acme',
];
const thousand = [
  ...Array.from({ length: 994 }, (_, i) =>
    i % 2 === 0 ? `https://app${i}.example.com/callback` : `https://*.t${i}.example.org/cb`,
  ),
  ...five,
].slice(-1000);

/**
 * The DESIGN line "hit": what a service sees in practice, one of each kind of hit: an exact
 * callback, one with a query, a wildcard subdomain, a loopback redirect on a random port,
 * and a non-canonical spelling that needs a full parse.
 */
const hits = [
  'https://app.example.com/callback',
  'https://admin.example.com/auth/callback?tenant=acme',
  'https://pr-42.preview.example.com/callback',
  'http://127.0.0.1:51234/callback',
  'HTTPS://APP.Example.com/callback',
];
/** Canonical hits: the string is what the entry serialises to. */
const canonicalHits = [
  'https://app.example.com/callback',
  'https://admin.example.com/auth/callback?tenant=acme',
  'com.example.app:/oauth2redirect',
  'http://127.0.0.1/callback',
  'https://app.example.com/callback',
];
/** Hits that are not verbatim entries: wildcard, loopback port, upper case, default port. */
const parsedHits = [
  'https://pr-42.preview.example.com/callback',
  'http://127.0.0.1:51234/callback',
  'HTTPS://APP.Example.com/callback',
  'https://app.example.com:443/callback',
  'https://feature-x.preview.example.com/callback',
];
const misses = [
  'https://app.example.com/callback/',
  'https://evil.com/callback',
  'https://a.b.preview.example.com/callback',
  'https://app.example.com@evil.com/callback',
  'https://app.example.com/callback?next=https://evil.com',
];

/** Organization hits: `{organization_name}` entries with the organization in the context. */
const organizationHits = [
  'https://acme.example.com/callback',
  'https://globex.example.com/callback',
  'https://initech.example.com/callback',
  'https://acme.example.com/callback',
  'https://umbrella.example.com/callback',
];
const organizationNames = ['acme', 'globex', 'initech', 'acme', 'umbrella'];

export default async function urls() {
  const small = createAllowList('callback', five, { loopbackAnyPort: true });
  const organizations = createAllowList('callback', [
    ...five.slice(0, 4),
    'https://{organization_name}.example.com/callback',
  ]);
  const large = createAllowList('callback', thousand, { loopbackAnyPort: true });
  let sink = 0;
  /** @param {import('../../dist/index.js').AllowList} list @param {string[]} strings */
  const allows = (list, strings) => () => {
    for (const s of strings) if (list.allows(s)) sink++;
  };
  /** @param {string[]} strings */
  const parse = (strings) => () => {
    for (const s of strings) if (new URL(s).href.length > 0) sink++;
  };
  const batch = 5;
  const r = await measure(
    {
      'url hits': parse(hits),
      'url canonical': parse(canonicalHits),
      'url parsed': parse(parsedHits),
      'url miss': parse(misses),
      'small hits': allows(small, hits),
      'large hits': allows(large, hits),
      'small canonical': allows(small, canonicalHits),
      'small parsed': allows(small, parsedHits),
      'small miss': allows(small, misses),
      'large parsed': allows(large, parsedHits),
      'large miss': allows(large, misses),
      'url organization': parse(organizationHits),
      'organization hits': () => {
        for (let i = 0; i < organizationHits.length; i++) {
          const organizationName = organizationNames[i] ?? '';
          if (organizations.allows(organizationHits[i] ?? '', { organizationName })) sink++;
        }
      },
    },
    { batch },
  );
  if (sink < 0) console.log(sink);
  const of = (/** @type {string} */ name) => r[name] ?? NaN;
  return [
    atLeast({
      line: 'allows() hit, 5 entries (mixed kinds of hit)',
      ops: of('small hits'),
      baseline: 'new URL() same strings',
      baselineOps: of('url hits'),
      atLeast: 0.6,
    }),
    atLeast({
      line: 'allows() hit, canonical string, 5 entries',
      ops: of('small canonical'),
      baseline: 'new URL() same strings',
      baselineOps: of('url canonical'),
      atLeast: 0.6,
    }),
    atLeast({
      line: 'allows() hit, normalised or via wildcard/loopback index, 5 entries',
      ops: of('small parsed'),
      baseline: 'new URL() same strings',
      baselineOps: of('url parsed'),
      atLeast: 0.6,
    }),
    atLeast({
      line: 'allows() miss, 5 entries',
      ops: of('small miss'),
      baseline: 'new URL() same strings',
      baselineOps: of('url miss'),
      atLeast: 0.6,
    }),
    atLeast({
      line: 'allows() hit via {organization_name}, 5 entries',
      ops: of('organization hits'),
      baseline: 'new URL() same strings',
      baselineOps: of('url organization'),
      atLeast: 0.6,
    }),
    atMost({
      line: 'allows() hit, 1,000 entries',
      ops: of('large hits'),
      baseline: 'same, 5 entries',
      baselineOps: of('small hits'),
      atMost: 1.2,
    }),
    atMost({
      line: 'allows() miss, 1,000 entries',
      ops: of('large miss'),
      baseline: 'same, 5 entries',
      baselineOps: of('small miss'),
      atMost: 1.2,
    }),
  ];
}
