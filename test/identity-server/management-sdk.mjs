// @ts-check
/**
 * Drives the example server's Management API with Auth0's own SDK (`auth0`,
 * ManagementClient), as a user's automation would. Run by management-tools.test.ts in a
 * child process with NODE_EXTRA_CA_CERTS trusting the test certificate.
 *
 *   node management-sdk.mjs <domain> <client_id> <client_secret>
 *
 * with CREDENTIAL_PEMS (a JSON array of two public key PEMs) and PRIVATE_PEM (a private key,
 * which the server must refuse) in the environment. Prints one JSON object with what each
 * call returned.
 */
import { ManagementClient } from 'auth0';

const [domain = '', clientId = '', clientSecret = ''] = process.argv.slice(2);
const management = new ManagementClient({ domain, clientId, clientSecret, maxRetries: 0 });

/** @param {unknown} error */
function statusOf(error) {
  return /** @type {{ statusCode?: number }} */ (error).statusCode;
}

/**
 * The status and body of the error `work` fails with.
 * @param {() => Promise<unknown>} work
 */
async function failure(work) {
  try {
    await work();
  } catch (error) {
    return { status: statusOf(error), body: /** @type {{ body?: unknown }} */ (error).body };
  }
  throw new Error('expected the call to fail');
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
// Public-key credentials of a machine-to-machine client, enabled for private_key_jwt.
const [firstPem = '', secondPem = ''] = JSON.parse(process.env.CREDENTIAL_PEMS ?? '[]');
const worker = await management.clients.create({
  name: 'SDK worker',
  app_type: 'non_interactive',
  grant_types: ['client_credentials'],
});
const workerId = worker.client_id ?? '';
const credential = await management.clients.credentials.create(workerId, {
  credential_type: 'public_key',
  name: 'worker key',
  pem: firstPem,
  alg: 'RS256',
});
const spare = await management.clients.credentials.create(workerId, {
  credential_type: 'public_key',
  pem: secondPem,
  alg: 'PS256',
});
const credentialId = credential.id ?? '';
const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
const credentialUpdated = await management.clients.credentials.update(workerId, credentialId, {
  expires_at: expiresAt,
});
const credentialGot = await management.clients.credentials.get(workerId, credentialId);
const credentialsBeforeDelete = await management.clients.credentials.list(workerId);
await management.clients.credentials.delete(workerId, spare.id ?? '');
const credentials = await management.clients.credentials.list(workerId);
const privateRefused = await failure(() =>
  management.clients.credentials.create(workerId, {
    credential_type: 'public_key',
    pem: process.env.PRIVATE_PEM ?? '',
  }),
);
const spareMissing = await failure(() =>
  management.clients.credentials.get(workerId, spare.id ?? ''),
);
const workerEnabled = await management.clients.update(workerId, {
  client_authentication_methods: { private_key_jwt: { credentials: [{ id: credentialId }] } },
});
await management.clientGrants.create({
  client_id: workerId,
  audience: `https://${domain}/api/v2/`,
  scope: ['read:client_credentials'],
});
const workerLogs = await management.logs.list({
  search: `client_id:"${workerId}"`,
  per_page: 100,
});

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
    worker: { id: workerId, enabled: workerEnabled },
    credential,
    spare,
    credentialUpdated,
    credentialGot,
    credentialsBeforeDelete,
    credentials,
    privateRefused,
    spareMissing,
    workerLogs: workerLogs.data,
  }),
);
