#!/usr/bin/env node
// @ts-check
/**
 * Prepares a tenant for the example identity server with the library, as any other
 * process would: an API, a machine-to-machine client granted access to it, and a
 * single-page app for the code flow, written to a FileStore. Run it before the server
 * (or while it runs: the server sees the changes) and it prints the ids and the secret
 * as JSON. Running it again reuses what is already there.
 *
 *   node examples/identity-server/seed.js --store ./data/tenant.json [--app-url http://127.0.0.1:8080]
 */
import { parseArgs } from 'node:util';
import { FileStore, Tenant } from 'clientele';

/** The demo API: its identifier is the `audience` of client-credentials requests. */
const DEMO_API = {
  identifier: 'https://api.example.test/',
  name: 'Demo API',
  scopes: [
    { value: 'read:reports', description: 'Read reports' },
    { value: 'write:reports', description: 'Write reports' },
  ],
};

const USAGE =
  'usage: node examples/identity-server/seed.js --store <file> [--app-url http://127.0.0.1:8080]';

/**
 * The client named `name`, created from `input` when the tenant has none yet.
 *
 * @param {import('clientele').Tenant} tenant
 * @param {import('clientele').ClientInput & { name: string }} input
 */
async function ensureClient(tenant, input) {
  const { clients } = await tenant.clients.list({ perPage: 100 });
  return clients.find((client) => client.name === input.name) ?? tenant.clients.create(input);
}

/**
 * @param {import('clientele').Tenant} tenant
 * @param {string} appUrl - origin of the browser app that uses the SPA client
 */
async function seed(tenant, appUrl) {
  const api =
    (await tenant.apis.list()).find((found) => found.identifier === DEMO_API.identifier) ??
    (await tenant.apis.create(DEMO_API));
  const machine = await ensureClient(tenant, {
    name: 'Demo M2M',
    app_type: 'non_interactive',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
  });
  const granted = await tenant.apis.grants({
    client_id: machine.client_id,
    audience: api.identifier,
  });
  if (granted.length === 0) {
    await tenant.apis.grant({
      client_id: machine.client_id,
      audience: api.identifier,
      scope: api.scopes.map((scope) => scope.value),
    });
  }
  const spa = await ensureClient(tenant, {
    name: 'Demo SPA',
    app_type: 'spa',
    callbacks: [`${appUrl}/callback`],
    allowed_logout_urls: [`${appUrl}/`],
    allowed_origins: [appUrl],
  });
  return {
    api: { identifier: api.identifier, scopes: api.scopes.map((scope) => scope.value) },
    machine: { client_id: machine.client_id, client_secret: machine.client_secret },
    spa: {
      client_id: spa.client_id,
      redirect_uri: `${appUrl}/callback`,
      logout_url: `${appUrl}/`,
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      'app-url': { type: 'string', default: 'http://127.0.0.1:8080' },
    },
  });
  const appUrl = values['app-url'];
  if (values.store === undefined || !/^https?:\/\/[^/?#]+$/.test(appUrl)) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  // The domain only shapes the issuer of tokens this process would sign; it signs none.
  const tenant = await Tenant.create({ domain: 'localhost', store: new FileStore(values.store) });
  try {
    console.log(JSON.stringify(await seed(tenant, appUrl), null, 2));
  } finally {
    await tenant.close();
  }
}

main().catch((/** @type {unknown} */ error) => {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
