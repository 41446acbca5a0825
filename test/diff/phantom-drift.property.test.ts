/**
 * Phantom drift: writing the same tenant another way (key order, YAML quoting, flow or
 * block collections, JSON instead of YAML, defaults written out or left out, comma lists,
 * URL lists reordered and respelled the ways Auth0 treats as equal) never gives a change;
 * a real semantic change always does, however the result is spelled.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffTenants, validateClientSettings } from '../../src/index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Doc = Record<string, Json>;
type Entry = Record<string, Json>;

const ROOT = new URL('../../', import.meta.url);
let dir: string;
let bases: { name: string; doc: Doc }[];
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clientele-drift-'));
  const example = yaml.load(await readFile(new URL('examples/tenant.yaml', ROOT), 'utf8')) as Doc;
  const dump = JSON.parse(
    await readFile(new URL('test/fixtures/deploy-cli/management-api-dump.json', ROOT), 'utf8'),
  ) as Doc;
  bases = [
    { name: 'examples/tenant.yaml', doc: example },
    { name: 'management-api-dump.json', doc: dump },
  ];
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const URL_LISTS = ['callbacks', 'allowed_logout_urls', 'allowed_origins', 'web_origins'];
/** Client fields the library fills in when absent. */
const CLIENT_DEFAULTS = [
  'token_endpoint_auth_method',
  'grant_types',
  'sso',
  'sso_disabled',
  'is_first_party',
];

/** A random generator from a fast-check seed, for the many small choices of a respelling. */
function chooser(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    coin: () => next() < 0.5,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
  };
}
type Chooser = ReturnType<typeof chooser>;

/** Every object with its keys in a random order. */
function shuffleKeys(value: Json, choose: Chooser): Json {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, choose));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    choose.shuffle(Object.keys(value)).map((key) => [key, shuffleKeys(value[key] as Json, choose)]),
  );
}

/** A URL spelled another way that Auth0 compares as equal. */
function respellUrl(url: string, field: string, choose: Chooser): string {
  const match = /^(https?):\/\/([^/:?#]+)(:\d+)?(\/[^?#]*)?(\?[^#]*)?$/i.exec(url);
  if (!match || url.includes('*') || url.includes('{')) return url;
  const [, scheme = '', host = '', port, pathPart, query = ''] = match;
  const newScheme = choose.coin() ? scheme.toUpperCase() : scheme.toLowerCase();
  const newHost = choose.coin() ? host.toUpperCase() : host;
  const defaultPort = scheme.toLowerCase() === 'https' ? ':443' : ':80';
  const newPort = port ?? (choose.coin() ? defaultPort : '');
  const isOrigin = field === 'allowed_origins' || field === 'web_origins';
  let newPath = pathPart ?? '';
  if (newPath === '' || newPath === '/') newPath = choose.coin() ? '/' : '';
  else if (isOrigin) newPath = pathPart ?? ''; // an origin entry's path is Auth0's to ignore, keep it
  return `${newScheme}://${newHost}${newPort}${newPath}${query}`;
}

/** One client written another way that validates to the same settings. */
function respellClient(client: Entry, choose: Chooser): Entry {
  const out: Entry = { ...client };
  for (const field of URL_LISTS) {
    const list = out[field];
    if (!Array.isArray(list)) continue;
    const respelled = choose.shuffle(list).map((url) => respellUrl(String(url), field, choose));
    // Auth0 also takes a URL list as one comma-separated string.
    out[field] =
      choose.coin() && respelled.length > 0
        ? respelled.join(choose.pick([',', ', ', ' ,']))
        : respelled;
  }
  if (Array.isArray(out['grant_types'])) out['grant_types'] = choose.shuffle(out['grant_types']);
  const normalised = validateClientSettings(client);
  if (!normalised.ok) return out;
  const value = normalised.value as unknown as Entry;
  for (const field of CLIENT_DEFAULTS) {
    if (choose.coin()) {
      out[field] = value[field] as Json; // written out
    } else {
      const { [field]: _left, ...without } = out;
      const filled = validateClientSettings(without);
      // Left out only where the default is what is stated.
      if (
        filled.ok &&
        JSON.stringify((filled.value as unknown as Entry)[field]) === JSON.stringify(value[field])
      ) {
        Reflect.deleteProperty(out, field);
      }
    }
  }
  const jwt = (out['jwt_configuration'] ?? {}) as Entry;
  const stated = value['jwt_configuration'] as Entry;
  const newJwt: Entry = { ...jwt };
  if (choose.coin() && stated['alg'] === 'RS256') delete newJwt['alg'];
  else newJwt['alg'] = stated['alg'] as Json;
  if (choose.coin() && stated['lifetime_in_seconds'] === 36000)
    delete newJwt['lifetime_in_seconds'];
  else newJwt['lifetime_in_seconds'] = stated['lifetime_in_seconds'] as Json;
  if (Object.keys(newJwt).length === 0 && choose.coin()) delete out['jwt_configuration'];
  else out['jwt_configuration'] = newJwt;
  for (const field of ['client_metadata', 'web_origins', 'client_aliases']) {
    if (out[field] === undefined && choose.coin())
      out[field] = field === 'client_metadata' ? {} : [];
  }
  return out;
}

/** The whole tenant written another way. */
function respellTenant(doc: Doc, choose: Chooser): Doc {
  const out: Doc = { ...doc };
  const map = (key: string, f: (entry: Entry) => Entry) => {
    const list = out[key];
    if (Array.isArray(list)) out[key] = choose.shuffle(list).map((item) => f(item as Entry));
  };
  map('clients', (client) => respellClient(client, choose));
  map('resourceServers', (api) => {
    const copy: Entry = { ...api };
    if (Array.isArray(copy['scopes'])) copy['scopes'] = choose.shuffle(copy['scopes']);
    if (copy['token_lifetime'] === 86400 && choose.coin()) delete copy['token_lifetime'];
    if (copy['signing_alg'] === 'RS256' && choose.coin()) delete copy['signing_alg'];
    if (copy['signing_alg'] === undefined && choose.coin()) copy['signing_alg'] = 'RS256';
    return copy;
  });
  map('clientGrants', (grant) => {
    const copy: Entry = { ...grant };
    if (Array.isArray(copy['scope'])) copy['scope'] = choose.shuffle(copy['scope']);
    return copy;
  });
  for (const key of ['connections', 'databases']) {
    map(key, (connection) => {
      const copy: Entry = { ...connection };
      if (Array.isArray(copy['enabled_clients'])) {
        copy['enabled_clients'] = choose.shuffle(copy['enabled_clients']);
      }
      if (copy['options'] === undefined && choose.coin()) copy['options'] = {};
      return copy;
    });
  }
  return shuffleKeys(out, choose) as Doc;
}

/** Writes `doc` to a new file in one of the spellings the loaders read, returning its name. */
async function write(doc: Doc, choose: Chooser): Promise<string> {
  const style = choose.pick(['block', 'flow', 'mixed', 'quoted', 'single-quoted', 'json'] as const);
  counter += 1;
  if (style === 'json') {
    const name = `t${counter}.json`;
    await writeFile(path.join(dir, name), JSON.stringify(doc, null, choose.pick([0, 2, '\t'])));
    return name;
  }
  const text = yaml.dump(doc, {
    flowLevel: style === 'flow' ? 0 : style === 'mixed' ? 3 : -1,
    forceQuotes: style === 'quoted' || style === 'single-quoted',
    quotingType: style === 'single-quoted' ? "'" : '"',
    lineWidth: choose.pick([-1, 40, 80]),
    noRefs: true,
  });
  const name = `t${counter}.yaml`;
  await writeFile(path.join(dir, name), text);
  return name;
}

describe('phantom drift', () => {
  it('a tenant written another way gives no change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.integer(),
        async (which, seed) => {
          const { doc } = bases[which]!;
          const choose = chooser(seed);
          const original = await write(doc, choose);
          const respelled = await write(respellTenant(doc, choose), choose);
          const diff = await diffTenants(original, respelled, { cwd: dir });
          expect(diff.changes).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Real changes, each a function of a copy of the document (returns false when it does not apply). */
const MUTATIONS: Record<string, (doc: Doc, choose: Chooser) => boolean> = {
  'a callback removed': (doc, choose) => {
    const withCallbacks = (doc['clients'] as Entry[]).filter(
      (c) => Array.isArray(c['callbacks']) && c['callbacks'].length > 0,
    );
    if (withCallbacks.length === 0) return false;
    const client = choose.pick(withCallbacks);
    (client['callbacks'] as Json[]).splice(0, 1);
    return true;
  },
  'a callback path changed case': (doc, choose) => {
    const client = choose.pick(doc['clients'] as Entry[]);
    client['callbacks'] = [
      ...((client['callbacks'] as Json[] | undefined) ?? []),
      'https://new.example.com/CB',
    ];
    return true;
  },
  'a client renamed': (doc, choose) => {
    const client = choose.pick(doc['clients'] as Entry[]);
    client['name'] = `${String(client['name'])} 2`;
    return true;
  },
  'a description changed': (doc, choose) => {
    const client = choose.pick(doc['clients'] as Entry[]);
    client['description'] = `${String(client['description'] ?? '')} (changed)`;
    return true;
  },
  'a signing algorithm changed': (doc, choose) => {
    const client = choose.pick(doc['clients'] as Entry[]);
    client['jwt_configuration'] = {
      ...((client['jwt_configuration'] as Entry | undefined) ?? {}),
      alg: 'PS256',
    };
    return true;
  },
  'a grant narrowed': (doc, choose) => {
    const grants = ((doc['clientGrants'] as Entry[] | undefined) ?? []).filter(
      (g) => Array.isArray(g['scope']) && g['scope'].length > 0 && g['is_system'] !== true,
    );
    if (grants.length === 0) return false;
    (choose.pick(grants)['scope'] as Json[]).pop();
    return true;
  },
  'an API lifetime changed': (doc, choose) => {
    const apis = ((doc['resourceServers'] as Entry[] | undefined) ?? []).filter(
      (a) => a['is_system'] !== true,
    );
    if (apis.length === 0) return false;
    choose.pick(apis)['token_lifetime'] = 1234;
    return true;
  },
  'a connection disabled for a client': (doc, choose) => {
    const list = [
      ...((doc['connections'] as Entry[] | undefined) ?? []),
      ...((doc['databases'] as Entry[] | undefined) ?? []),
    ].filter((c) => Array.isArray(c['enabled_clients']) && c['enabled_clients'].length > 0);
    if (list.length === 0) return false;
    (choose.pick(list)['enabled_clients'] as Json[]).pop();
    return true;
  },
};

describe('real changes', () => {
  it('always give at least one change, however the result is written', async () => {
    const names = Object.keys(MUTATIONS);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.constantFrom(...names),
        fc.integer(),
        async (which, mutation, seed) => {
          const { doc } = bases[which]!;
          const choose = chooser(seed);
          const changed = structuredClone(doc);
          fc.pre(MUTATIONS[mutation]!(changed, choose));
          const original = await write(doc, choose);
          const other = await write(respellTenant(changed, choose), choose);
          const diff = await diffTenants(original, other, { cwd: dir });
          expect(diff.changes.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
