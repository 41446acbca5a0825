// @ts-check
/**
 * Drives the example server's Management API with Auth0's own SDK (`auth0`,
 * ManagementClient), as a user's automation would. Run by management-tools.test.ts in a
 * child process with NODE_EXTRA_CA_CERTS trusting the test certificate.
 *
 *   node management-sdk.mjs <domain> <client_id> <client_secret>
 *
 * Prints one JSON object with what each call returned.
 */
import { ManagementClient } from 'auth0';

const [domain = '', clientId = '', clientSecret = ''] = process.argv.slice(2);
const management = new ManagementClient({ domain, clientId, clientSecret, maxRetries: 0 });

/** @param {unknown} error */
function statusOf(error) {
  return /** @type {{ statusCode?: number }} */ (error).statusCode;
}

const created = await management.clients.create({
  name: 'SDK app',
  app_type: 'regular_web',
  callbacks: ['https://app.example.com/callback'],
  grant_types: ['authorization_code', 'client_credentials'],
});
const id = created.client_id ?? '';
const got = await management.clients.get(id);
const page = await management.clients.list({ page: 1, per_page: 2, include_totals: true });
const updated = await management.clients.update(id, {
  name: 'SDK app (renamed)',
  callbacks: ['https://app.example.com/callback', 'https://app.example.com/other'],
});
const rotated = await management.clients.rotateSecret(id);
const api = await management.resourceServers.create({
  identifier: 'https://sdk.example.com/api',
  name: 'SDK API',
  scopes: [{ value: 'read:things', description: 'Read things' }],
});
const grant = await management.clientGrants.create({
  client_id: id,
  audience: 'https://sdk.example.com/api',
  scope: ['read:things'],
});
const connection = await management.connections.create({ name: 'sdk-db', strategy: 'auth0' });
await management.connections.clients.update(connection.id ?? '', [{ client_id: id, status: true }]);
const enabled = await management.connections.clients.get(connection.id ?? '');
const connections = await management.connections.list({ take: 1 });
const logs = await management.logs.list({ search: `client_id:"${id}"`, per_page: 100 });
let missing;
try {
  await management.clients.get('no-such-client');
} catch (error) {
  missing = statusOf(error);
}
let invalid;
try {
  await management.clients.create({ name: 'x', callbacks: ['not a url'] });
} catch (error) {
  invalid = statusOf(error);
}
await management.clients.delete(id);
let afterDelete;
try {
  await management.clients.get(id);
} catch (error) {
  afterDelete = statusOf(error);
}

console.log(
  JSON.stringify({
    created,
    got,
    page: { data: page.data, total: /** @type {{ total?: number }} */ (page.response).total },
    updated,
    rotated,
    api,
    grant,
    connection,
    enabled: enabled.data,
    connections: { data: connections.data, hasNextPage: connections.hasNextPage() },
    logs: logs.data,
    missing,
    invalid,
    afterDelete,
  }),
);
