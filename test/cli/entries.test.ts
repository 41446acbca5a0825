/**
 * The checks of an export's APIs, connections and client grants, and of the references
 * between them and the clients, on entries built in memory.
 */
import { describe, expect, it } from 'vitest';
import { apiLabel, checkApis } from '../../src/cli/api-check.js';
import { checkTenant, entryReports, summarise } from '../../src/cli/check.js';
import { checkConnections, connectionLabel } from '../../src/cli/connection-check.js';
import { checkGrants, grantLabel } from '../../src/cli/grant-check.js';
import { apiReferences, clientReferences, didYouMean } from '../../src/cli/references.js';
import type { LoadedEntry } from '../../src/cli/types.js';
import { fakeChecker } from './helpers.js';

/** Entries of one kind, at lines 10, 20, … (a pointer inside is one line further). */
const entries = (...raws: unknown[]): LoadedEntry[] =>
  raws.map((raw, index) => ({
    file: 'tenant.yaml',
    position: index + 1,
    raw,
    lineOf: (pointer) => 10 * (index + 1) + (pointer === '' ? 0 : 1),
  }));

const clients = clientReferences(
  entries(
    { name: 'Storefront', app_type: 'spa' },
    { name: 'Order Sync', app_type: 'non_interactive', client_id: 'abc123' },
  ),
);

type Row = [client: string, rule: string, path: string];
const rows = (reports: { findings: { client: string; rule: string; path: string }[] }[]): Row[] =>
  reports.flatMap((report) =>
    report.findings.map(({ client, rule, path }): Row => [client, rule, path]),
  );

describe('APIs', () => {
  it('are validated with validateApiInput, issue codes as rules', () => {
    const [report] = checkApis(
      entries({
        name: 'Orders',
        identifier: 'https://api.example.com',
        scopes: [{ value: 'a b' }],
      }),
    );
    expect(report).toEqual({
      client: 'api:Orders',
      file: 'tenant.yaml',
      detail: 'https://api.example.com',
      findings: [
        {
          file: 'tenant.yaml',
          client: 'api:Orders',
          rule: 'invalid_format',
          severity: 'error',
          path: '/scopes/0/value',
          message:
            "scopes[0].value may only contain printable ASCII other than space, '\"' and '\\' (RFC 6749 §3.3 scope-token)",
          line: 11,
        },
      ],
    });
  });

  it('are labelled api:<name>, or api:(unnamed #N)', () => {
    const [named, unnamed, blank] = entries({ name: 'Orders' }, {}, { name: ' ' });
    expect([named, unnamed, blank].map((api) => apiLabel(api!))).toEqual([
      'api:Orders',
      'api:(unnamed #2)',
      'api:(unnamed #3)',
    ]);
  });

  it('report an identifier used by an earlier API, compared exactly as the registry does', () => {
    const reports = checkApis(
      entries(
        { name: 'A', identifier: 'https://api.example.com' },
        { name: 'B', identifier: 'https://API.example.com' },
        { name: 'C', identifier: 'https://api.example.com' },
      ),
    );
    expect(rows(reports)).toEqual([['api:C', 'duplicate-api-identifier', '/identifier']]);
    expect(reports[2]?.findings[0]?.message).toBe(
      'identifier "https://api.example.com" is also the identifier of API #1 (tenant.yaml:10); the Deploy CLI identifies APIs by identifier, so one would overwrite the other',
    );
  });

  it('report keyword markers instead of what they break', () => {
    const [report] = checkApis(entries({ name: 'Orders', identifier: '##API## ' }));
    expect(rows([report!])).toEqual([['api:Orders', 'unresolved-keyword', '/identifier']]);
  });
});

describe('connections', () => {
  it('are validated with validateConnectionInput and headed by their strategy', () => {
    const [report] = checkConnections(entries({ name: 'My Google', strategy: 'google' }), clients);
    expect(report?.detail).toBe('google');
    expect(rows([report!])).toEqual([
      ['connection:My Google', 'invalid_format', '/name'],
      ['connection:My Google', 'unknown_strategy', '/strategy'],
    ]);
  });

  it('are labelled connection:<name>, or connection:(unnamed #N)', () => {
    const [named, unnamed] = entries({ name: 'github' }, { strategy: 'github' });
    expect(connectionLabel(named!)).toBe('connection:github');
    expect(connectionLabel(unnamed!)).toBe('connection:(unnamed #2)');
  });

  it('may enable clients by name or by client_id, and no other', () => {
    const [report] = checkConnections(
      entries({
        name: 'github',
        strategy: 'github',
        enabled_clients: ['Storefront', 'abc123', 'Storefrnt', 'Billing', 'storefront'],
      }),
      clients,
    );
    expect(report?.findings.map(({ path, message }) => [path, message])).toEqual([
      [
        '/enabled_clients/2',
        'enabled_clients[2] "Storefrnt" names no client of this export; did you mean "Storefront"?',
      ],
      [
        '/enabled_clients/3',
        'enabled_clients[3] "Billing" names no client of this export; use the name (or client_id) of one of its clients',
      ],
      [
        // Names are matched exactly, as the Deploy CLI matches them.
        '/enabled_clients/4',
        'enabled_clients[4] "storefront" names no client of this export; did you mean "Storefront"?',
      ],
    ]);
    expect(report?.findings.every((finding) => finding.rule === 'unknown-client')).toBe(true);
  });

  it('leave an entry that fails validation to its issue', () => {
    const [report] = checkConnections(
      entries({ name: 'github', strategy: 'github', enabled_clients: ['Ghost', 'Ghost', 7] }),
      clients,
    );
    expect(rows([report!])).toEqual([
      ['connection:github', 'duplicate', '/enabled_clients/1'],
      ['connection:github', 'invalid_type', '/enabled_clients/2'],
      ['connection:github', 'unknown-client', '/enabled_clients/0'],
    ]);
  });

  it('report a name an earlier connection has, whatever its case', () => {
    const reports = checkConnections(
      entries(
        { name: 'github', strategy: 'github' },
        { name: 'GitHub', strategy: 'github' },
        { name: 'github', strategy: 'github' },
      ),
      clients,
    );
    expect(rows(reports)).toEqual([
      ['connection:GitHub', 'duplicate-connection-name', '/name'],
      ['connection:github', 'duplicate-connection-name', '/name'],
    ]);
    expect(reports.slice(1).map((report) => report.findings[0]?.message)).toEqual([
      'name "GitHub" matches the name "github" of connection #1 (tenant.yaml:10); connection names are unique per tenant, whatever their case',
      'name "github" is also the name of connection #1 (tenant.yaml:10); connection names are unique per tenant, whatever their case',
    ]);
  });
});

describe('client grants', () => {
  const apis = apiReferences(
    entries(
      {
        name: 'Orders',
        identifier: 'https://api.example.com/orders',
        scopes: [{ value: 'read:orders' }, { value: 'write:orders' }],
      },
      { name: 'Odd', identifier: 'https://api.example.com/odd', scopes: 'read' },
    ),
  );
  const grant = (client_id: unknown, audience: unknown, scope: unknown = []) => ({
    client_id,
    audience,
    scope,
  });

  it('are labelled grant:<client_id> -> <audience>, or grant:(#N)', () => {
    const [full, partial] = entries(grant('Worker', 'https://a'), { client_id: 'Worker' });
    expect(grantLabel(full!)).toBe('grant:Worker -> https://a');
    expect(grantLabel(partial!)).toBe('grant:(#2)');
  });

  it('name a client of the export by name or client_id', () => {
    const reports = checkGrants(
      entries(
        grant('Order Sync', 'https://api.example.com/orders'),
        grant('abc123', 'https://api.example.com/odd'),
        grant('Order Sink', 'https://api.example.com/odd'),
      ),
      clients,
      apis,
    );
    expect(rows(reports)).toEqual([
      ['grant:Order Sink -> https://api.example.com/odd', 'unknown-client', '/client_id'],
    ]);
    expect(reports[2]?.findings[0]?.message).toBe(
      'client_id "Order Sink" names no client of this export; did you mean "Order Sync"?',
    );
  });

  it('name an API of the export, unless it is Auth0 Management API', () => {
    const reports = checkGrants(
      entries(
        grant('Order Sync', 'https://api.example.com/order'),
        grant('Order Sync', 'https://acme.eu.auth0.com/api/v2/', ['read:users']),
        grant('Storefront', 'https://acme.eu.auth0.com/api/v2/users'),
      ),
      clients,
      apis,
    );
    expect(rows(reports)).toEqual([
      ['grant:Order Sync -> https://api.example.com/order', 'unknown-api', '/audience'],
      ['grant:Storefront -> https://acme.eu.auth0.com/api/v2/users', 'unknown-api', '/audience'],
    ]);
    expect(reports[0]?.findings[0]?.message).toBe(
      'audience "https://api.example.com/order" is not the identifier of an API of this export; did you mean "https://api.example.com/orders"?',
    );
  });

  it('do not check audiences when the export has no list of APIs', () => {
    const reports = checkGrants(
      entries(grant('Order Sync', 'https://elsewhere.example.com', ['anything'])),
      clients,
      undefined,
    );
    expect(rows(reports)).toEqual([]);
  });

  it('ask only for scopes the API defines, as tenant.apis.grant does', () => {
    const reports = checkGrants(
      entries(
        grant('Order Sync', 'https://api.example.com/orders', ['read:orders', 'delete:orders']),
        // The API's scopes are not a list: its own validation says so; nothing to compare.
        grant('Storefront', 'https://api.example.com/odd', ['read']),
        // A scope that is not a string fails validation; the rest is not compared.
        grant('Storefront', 'https://api.example.com/orders', ['nope', 7]),
      ),
      clients,
      apis,
    );
    expect(rows(reports)).toEqual([
      ['grant:Order Sync -> https://api.example.com/orders', 'unknown_scope', '/scope/1'],
      ['grant:Storefront -> https://api.example.com/orders', 'invalid_type', '/scope/1'],
    ]);
    expect(reports[0]?.findings[0]?.message).toBe(
      'scope[1] "delete:orders" is not defined by the API "https://api.example.com/orders": it defines "read:orders", "write:orders"',
    );
  });

  it('may be the default grant of third-party clients, one per API', () => {
    const thirdParty = {
      default_for: 'third_party_clients',
      audience: 'https://api.example.com/orders',
      allow_all_scopes: true,
    };
    const reports = checkGrants(entries(thirdParty, thirdParty), clients, apis);
    expect(rows(reports)).toEqual([
      [
        'grant:third_party_clients -> https://api.example.com/orders',
        'duplicate-client-grant',
        '/audience',
      ],
    ]);
    expect(reports[1]?.findings[0]?.message).toMatch(
      /^audience "https:\/\/api\.example\.com\/orders" is already granted to "third_party_clients" by grant #1/,
    );
  });

  it('from a Management API dump: id and is_system dropped, system grants not cross-checked', () => {
    const reports = checkGrants(
      entries(
        { id: 'cgr_1', is_system: false, ...grant('Order Sync', 'https://api.example.com/orders') },
        // Auth0's own grant for a client the export does not hold.
        { id: 'cgr_2', is_system: true, ...grant('auth0-internal', 'https://acme.example/x') },
      ),
      clients,
      apis,
    );
    expect(rows(reports)).toEqual([]);
    const dumpedApis = checkApis(
      entries({
        id: 'api_1',
        is_system: true,
        name: 'Auth0 My Account API',
        identifier: 'https://acme.example/me/',
      }),
    );
    expect(rows(dumpedApis)).toEqual([]);
    const dumpedConnections = checkConnections(
      entries({ id: 'con_1', name: 'db', strategy: 'auth0', enabled_clients: ['abc123'] }),
      clients,
    );
    expect(rows(dumpedConnections)).toEqual([]);
  });

  it('are validated with validateGrantInput, with every field of the SDK', () => {
    const reports = checkGrants(
      entries(
        {
          ...grant('Order Sync', 'https://api.example.com/orders'),
          subject_type: 'client',
          authorization_details_types: [],
          organization_usage: 'deny',
          allow_any_organization: false,
        },
        { audience: 'https://api.example.com/orders', scope: 'read:orders', colour: 'blue' },
      ),
      clients,
      apis,
    );
    expect(rows(reports)).toEqual([
      ['grant:(#2)', 'unknown_property', '/colour'],
      ['grant:(#2)', 'required', '/client_id'],
      ['grant:(#2)', 'invalid_type', '/scope'],
    ]);
  });

  it('report a second grant for the same client and API, whether named or by id', () => {
    const reports = checkGrants(
      entries(
        grant('Order Sync', 'https://api.example.com/orders'),
        grant('Storefront', 'https://api.example.com/orders'),
        grant('abc123', 'https://api.example.com/orders'),
      ),
      clients,
      apis,
    );
    expect(rows(reports)).toEqual([
      ['grant:abc123 -> https://api.example.com/orders', 'duplicate-client-grant', '/audience'],
    ]);
    expect(reports[2]?.findings[0]?.message).toBe(
      'audience "https://api.example.com/orders" is already granted to client "abc123" by grant #1 (tenant.yaml:10); a client has one grant per API: merge their scopes',
    );
  });
});

describe('references', () => {
  it('index clients by name and client_id, the first one winning', () => {
    const references = clientReferences(
      entries({ name: 'A', client_id: 'id-a' }, { name: 'A' }, 'not an object', { name: 7 }),
    );
    expect([...references.byReference]).toEqual([
      ['A', 1],
      ['id-a', 1],
    ]);
    expect(references.names).toEqual(['A', 'A']);
  });

  it('index APIs by identifier with the scope values they define', () => {
    const references = apiReferences(
      entries(
        { identifier: 'a', scopes: [{ value: 'x' }, { value: 3 }, 'y'] },
        { identifier: 'b' },
        { identifier: 'c', scopes: {} },
        { identifier: 'a', scopes: [] },
      ),
    );
    expect([...references]).toEqual([
      ['a', { scopes: ['x'] }],
      ['b', { scopes: [] }],
      ['c', {}],
    ]);
  });

  it('suggest a candidate within two edits, ignoring case', () => {
    expect(didYouMean('STOREFRNT', ['Storefront', 'Admin'], '.')).toBe(
      '; did you mean "Storefront"?',
    );
    expect(didYouMean('Billing', ['Storefront', 'Admin'], '; none')).toBe('; none');
  });
});

describe('an export with APIs, connections and grants', () => {
  const tenant = {
    source: 'tenant.yaml',
    format: 'deploy-cli-yaml' as const,
    clients: entries({ name: 'Worker', app_type: 'non_interactive' }),
    apis: entries({ name: 'Orders', identifier: 'https://api.example.com/orders' }),
    connections: entries({ name: 'github', strategy: 'github', enabled_clients: ['Ghost'] }),
    grants: entries({
      client_id: 'Worker',
      audience: 'https://api.example.com/orders',
      scope: ['read'],
    }),
  };

  it('reports them after the clients; the summary counts clients only', () => {
    const report = checkTenant(tenant, fakeChecker);
    expect(entryReports(report).map((entry) => [entry.client, entry.findings.length])).toEqual([
      ['Worker', 0],
      ['api:Orders', 0],
      ['connection:github', 1],
      ['grant:Worker -> https://api.example.com/orders', 1],
    ]);
    expect(summarise([report])).toEqual({ files: 1, clients: 1, errors: 2, warnings: 0 });
  });

  it('leaves out the lists the export does not have', () => {
    const { apis: _apis, connections: _connections, ...withGrantsOnly } = tenant;
    const report = checkTenant(withGrantsOnly, fakeChecker);
    expect(Object.keys(report)).toEqual(['source', 'clients', 'grants']);
    // Without a list of APIs, the grant's audience is not checked.
    expect(report.grants?.[0]?.findings).toEqual([]);
  });
});
