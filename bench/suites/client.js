// @ts-check
/**
 * Client settings: `validateClientSettings` on a typical client against the compiled ajv
 * schema alone on the same object (the cost of the guard, the URL entries, the per-type
 * rules and normalisation on top of the schema).
 *
 * The baseline is the very validator `validateClientSettings` runs (imported from the
 * built module, since it is internal), so both lines measure the same schema.
 *
 * URL entries are parsed through a bounded memo shared with lint and Client snapshots, so
 * in this steady state each entry is a lookup. The second pair of tasks measures the cold
 * case (every entry new on every call) for the record; it has no goal in DESIGN.md, so it
 * is printed to stderr instead of becoming a table line.
 */
import { validateClientSettings } from '../../dist/index.js';
import { validateSchema } from '../../dist/client/schema.js';
import { atMost, measure } from '../harness.js';

/** A typical client: ~20 properties, 5 callbacks, 3 origins, 2 logout URLs. */
const typical = {
  name: 'Storefront',
  description: 'Customer-facing web shop',
  app_type: 'regular_web',
  callbacks: [
    'https://shop.example.com/callback',
    'https://www.example.com/callback',
    'https://*.preview.example.com/callback',
    'http://localhost:3000/callback',
    'https://admin.example.com/auth/callback',
  ],
  allowed_origins: [
    'https://shop.example.com',
    'https://www.example.com',
    'https://*.preview.example.com',
  ],
  allowed_logout_urls: ['https://shop.example.com/', 'https://www.example.com/logged-out'],
  web_origins: ['https://shop.example.com'],
  jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000, secret_encoded: false },
  grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
  token_endpoint_auth_method: 'client_secret_post',
  oidc_conformant: true,
  sso_disabled: false,
  is_first_party: true,
  cross_origin_authentication: false,
  custom_login_page_on: true,
  client_metadata: { team: 'commerce', tier: 'gold' },
  organization_usage: 'deny',
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0 },
};

/** The same client with hosts never seen before, so no URL entry is in the memo. */
let fresh = 0;
function coldClient() {
  fresh += 1;
  const host = `h${fresh}.example.com`;
  return {
    ...typical,
    callbacks: typical.callbacks.map((url) => url.replace('example.com', host)),
    allowed_origins: typical.allowed_origins.map((url) => url.replace('example.com', host)),
    allowed_logout_urls: typical.allowed_logout_urls.map((url) => url.replace('example.com', host)),
    web_origins: typical.web_origins.map((url) => url.replace('example.com', host)),
  };
}

export default async function client() {
  const check = validateClientSettings(typical);
  if (!check.ok) throw new Error(`bench fixture is invalid: ${JSON.stringify(check.issues)}`);
  if (!validateSchema(typical)) throw new Error('bench fixture fails the schema');

  let sink = 0;
  const batch = 20;
  // The two tasks run one after the other; on a shared machine the load can change in
  // between. Alternate them over a few rounds and keep each one's best round, the one
  // least disturbed by other work.
  /** @type {Record<string, number>} */
  const r = {};
  for (let round = 0; round < 3; round++) {
    const ops = await measure(
      {
        schema: () => {
          for (let i = 0; i < batch; i++) if (validateSchema(typical)) sink++;
        },
        validate: () => {
          for (let i = 0; i < batch; i++) if (validateClientSettings(typical).ok) sink++;
        },
      },
      { batch, time: 300 },
    );
    for (const [name, value] of Object.entries(ops)) r[name] = Math.max(r[name] ?? 0, value);
  }
  const cold = await measure(
    {
      'schema (cold objects)': () => {
        if (validateSchema(coldClient())) sink++;
      },
      'validate (cold URL entries)': () => {
        if (validateClientSettings(coldClient()).ok) sink++;
      },
    },
    { time: 300 },
  );
  if (sink < 0) console.log(sink);
  const of = (/** @type {Record<string, number>} */ table, /** @type {string} */ name) =>
    table[name] ?? NaN;
  const coldRatio = of(cold, 'schema (cold objects)') / of(cold, 'validate (cold URL entries)');
  process.stderr.write(
    `client: validateClientSettings with every URL entry new: ${coldRatio.toFixed(1)} x the schema-only cost (no goal; see docs/client-settings.md)\n`,
  );
  return [
    atMost({
      line: 'validateClientSettings, typical client',
      ops: of(r, 'validate'),
      baseline: 'ajv schema only, same object',
      baselineOps: of(r, 'schema'),
      atMost: 10,
    }),
  ];
}
