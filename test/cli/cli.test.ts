/**
 * `clientele` on the fixture exports in test/fixtures/cli, as CI would run it. Most cases
 * call `run()` (what `main.ts` calls) in-process: a child process would only add Node's
 * start-up to each. A few run the built executable as a child process (`spawned`), so the
 * bin, its exit codes, its environment and its streams are covered for real.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { ensureBuilt } from '../support/build.js';
import { FIXTURES, ROOT } from './helpers.js';

const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment the tests start from: this one, without colour settings. */
function baseEnv(): Record<string, string | undefined> {
  const base = { ...process.env };
  delete base['NO_COLOR'];
  delete base['FORCE_COLOR'];
  return base;
}

/** `clientele …` in-process, with stdout not a terminal (as in a child with pipes). */
async function clientele(
  args: string[],
  env: Record<string, string> = {},
  cwd = FIXTURES,
): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv: args,
    cwd,
    env: { ...baseEnv(), ...env },
    isTTY: false,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** `clientele …` as a child process running the built bin (dist/cli/main.js). */
function spawned(
  args: string[],
  env: Record<string, string> = {},
  cwd = FIXTURES,
): Promise<Outcome> {
  const base = baseEnv();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let scratch: string;

beforeAll(async () => {
  await ensureBuilt();
  scratch = await mkdtemp(path.join(tmpdir(), 'clientele-cli-e2e-'));
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const json = (outcome: Outcome): unknown => JSON.parse(outcome.stdout);

describe.concurrent('clientele check, human output', () => {
  it('prints every client with ok, and exits 0 on a clean export (child process)', async () => {
    const outcome = await spawned(['check', 'clean.yaml']);
    expect(outcome).toEqual({
      code: 0,
      stdout:
        'clean.yaml\n  Shop (spa): ok\n  Billing (non_interactive): ok\n\n2 clients in 1 file: 0 errors, 0 warnings\n',
      stderr: '',
    });
  });

  it('groups findings by client with severity, rule, pointer and file:line (child process)', async () => {
    const outcome = await spawned(['check', 'invalid.yaml']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    const lines = outcome.stdout.split('\n');
    expect(lines).toContain('  Broken Shop (spa)');
    expect(lines).toContain('    error    unknown_property  /colour  invalid.yaml:6');
    expect(lines).toContain('      colour is not a client setting; remove it');
    expect(lines).toContain('    warning  wildcard-url  /callbacks/2  invalid.yaml:10');
    expect(lines).toContain('  (unnamed #2) (regular_web)');
    expect(lines).toContain('    error    invalid_type  (client)  invalid.yaml:24');
    expect(lines.at(-2)).toBe('5 clients in 1 file: 6 errors, 2 warnings');
  });

  it('exits 0 with warnings only, and 1 with --strict', async () => {
    const relaxed = await clientele(['check', 'warnings-only.yaml']);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain(
      '    warning  wildcard-url  /callbacks/0  warnings-only.yaml:6',
    );
    expect(relaxed.stdout).toContain(
      '    warning  insecure-http  /callbacks/0  warnings-only.yaml:12',
    );
    expect(relaxed.stdout).toContain('2 clients in 1 file: 0 errors, 2 warnings');
    const strict = await clientele(['check', '--strict', 'warnings-only.yaml']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(relaxed.stdout);
  });

  it('colours only when forced or on a TTY, and never with NO_COLOR (child process)', async () => {
    const plain = await spawned(['check', 'warnings-only.yaml']);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await spawned(['check', 'warnings-only.yaml'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[33mwarning\u001b[39m');
    const refused = await spawned(['check', 'warnings-only.yaml'], {
      FORCE_COLOR: '1',
      NO_COLOR: '1',
    });
    expect(refused.stdout).toBe(plain.stdout);
  });

  it('checks the bundled example (npm start): warnings, no errors, exit 0', async () => {
    const outcome = await clientele(['check', 'examples/tenant.yaml'], {}, ROOT);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toContain('  Acme Back Office (regular_web): ok');
    expect(outcome.stdout).toContain(
      '    warning  loopback-on-web-client  /callbacks/1  examples/tenant.yaml:99',
    );
    expect(outcome.stdout).toMatch(/\n7 clients in 1 file: 0 errors, 3 warnings\n$/);
  });
});

describe.concurrent('clientele check --format json', () => {
  it('prints exactly { findings: [{ file, client, rule, severity, path, message, line, column }], summary }', async () => {
    const outcome = await clientele(['check', '--format', 'json', 'duplicates.yaml']);
    expect(outcome.code).toBe(1);
    expect(json(outcome)).toStrictEqual({
      findings: [
        {
          file: 'duplicates.yaml',
          client: 'Shop',
          rule: 'duplicate-entry',
          severity: 'warning',
          path: '/callbacks/1',
          message:
            'callbacks[1] "https://shop.example.com/callback" matches the same URLs as callbacks[0] "https://shop.example.com/callback"; remove one',
          line: 7,
          column: 9,
        },
        {
          file: 'duplicates.yaml',
          client: 'Shop',
          rule: 'duplicate-client-name',
          severity: 'error',
          path: '/name',
          message:
            'name "Shop" is also the name of client #1 (duplicates.yaml:3); the Deploy CLI identifies clients by name, so one would overwrite the other',
          line: 8,
          column: 11,
        },
        {
          file: 'duplicates.yaml',
          client: 'Shop',
          rule: 'duplicate-entry',
          severity: 'warning',
          path: '/allowed_logout_urls/1',
          message:
            'allowed_logout_urls[1] "https://shop.example.com/" matches the same URLs as allowed_logout_urls[0] "https://shop.example.com/"; remove one',
          line: 14,
          column: 9,
        },
      ],
      summary: { files: 1, clients: 2, errors: 1, warnings: 2 },
      failures: [],
    });
  });

  it('validates and lints invalid clients too, with validation codes as rules', async () => {
    const outcome = await clientele(['check', 'invalid.yaml', '--format=json']);
    expect(outcome.code).toBe(1);
    const report = json(outcome) as {
      findings: { client: string; rule: string; severity: string; path: string }[];
    };
    expect(
      report.findings.map(({ client, rule, severity, path }) => [client, rule, severity, path]),
    ).toEqual([
      ['Broken Shop', 'unknown_property', 'error', '/colour'],
      ['Broken Shop', 'fragment', 'error', '/callbacks/1'],
      ['Broken Shop', 'wildcard-url', 'warning', '/callbacks/2'],
      ['(unnamed #2)', 'required', 'error', '/name'],
      ['Legacy SSO', 'invalid_value', 'error', '/app_type'],
      ['Secret SPA', 'auth-method-not-allowed', 'error', '/token_endpoint_auth_method'],
      ['Secret SPA', 'insecure-http', 'warning', '/callbacks'],
      ['(unnamed #5)', 'invalid_type', 'error', ''],
    ]);
    expect((json(outcome) as { summary: unknown }).summary).toEqual({
      files: 1,
      clients: 5,
      errors: 6,
      warnings: 2,
    });
  });

  it('drops read-only export fields silently and warns about wildcards, http and localhost', async () => {
    const outcome = await clientele([
      'check',
      'deploy-yaml/tenant.yaml',
      '--keywords',
      'keywords.json',
      '--format',
      'json',
    ]);
    expect(outcome.code).toBe(0);
    expect(json(outcome)).toStrictEqual({
      findings: [
        {
          file: 'deploy-yaml/tenant.yaml',
          client: 'staging Storefront',
          rule: 'wildcard-url',
          severity: 'warning',
          path: '/callbacks/1',
          message:
            'callbacks[1] "https://*.preview.acme-shop.com/callback" uses a wildcard: any subdomain matching *.preview.acme-shop.com is allowed; list the hosts you control instead',
          line: 19,
          column: 16, // where @@SPA_CALLBACKS@@ is written
        },
        {
          file: 'deploy-yaml/tenant.yaml',
          client: 'staging Storefront',
          rule: 'loopback-on-web-client',
          severity: 'warning',
          path: '/callbacks/2',
          message:
            'callbacks[2] "http://localhost:3000/callback" points at this machine on a spa client; keep development URLs in a separate development client',
          line: 19,
          column: 16,
        },
        {
          file: 'deploy-yaml/tenant.yaml',
          client: 'staging Admin',
          rule: 'insecure-http',
          severity: 'warning',
          path: '/callbacks/2',
          message:
            'callbacks[2] "http://admin-staging.internal.example.com/callback" uses http on a public host; use https',
          line: 35,
          column: 9,
        },
        {
          file: 'deploy-yaml/tenant.yaml',
          client: 'staging Admin',
          rule: 'duplicate-entry',
          severity: 'warning',
          path: '/callbacks/1',
          message:
            'callbacks[1] "https://admin.staging.acme-shop.com/callback" matches the same URLs as callbacks[0] "https://admin.staging.acme-shop.com/callback"; remove one',
          line: 34,
          column: 9,
        },
      ],
      summary: { files: 1, clients: 3, errors: 0, warnings: 4 },
      failures: [],
    });
  });

  it('finds the same problems in the directory export of the same tenant', async () => {
    const yaml = await clientele([
      'check',
      'deploy-yaml/tenant.yaml',
      '--keywords',
      'keywords.json',
      '--format',
      'json',
    ]);
    const directory = await clientele([
      'check',
      'deploy-directory',
      '--keywords',
      'keywords.json',
      '--format',
      'json',
    ]);
    expect(directory.code).toBe(0);
    interface Report {
      findings: { file: string; client: string; rule: string; path: string }[];
      summary: unknown;
    }
    const key = ({ client, rule, path: pointer }: Report['findings'][number]) =>
      `${client} ${rule} ${pointer}`;
    const fromYaml = (json(yaml) as Report).findings.map(key).sort();
    const fromDirectory = json(directory) as Report;
    expect(fromDirectory.findings.map(key).sort()).toEqual(fromYaml);
    expect(fromDirectory.summary).toEqual((json(yaml) as Report).summary);
    expect(new Set(fromDirectory.findings.map((finding) => finding.file))).toEqual(
      new Set([
        path.join('deploy-directory', 'clients', 'Admin.json'),
        path.join('deploy-directory', 'clients', 'Storefront.json'),
      ]),
    );
  });

  it('takes keywords from a Deploy CLI config.json as well', async () => {
    const plain = await clientele([
      'check',
      'deploy-yaml/tenant.yaml',
      '--keywords',
      'keywords.json',
      '--format',
      'json',
    ]);
    const config = await clientele([
      'check',
      'deploy-yaml/tenant.yaml',
      '--keywords',
      'deploy-cli-config.json',
      '--format',
      'json',
    ]);
    expect(config).toEqual(plain);
  });

  it('reports keywords left without a value as errors', async () => {
    const outcome = await clientele([
      'check',
      'deploy-directory/clients/Worker.json',
      '--format',
      'json',
    ]);
    expect(outcome.code).toBe(1);
    expect(json(outcome)).toStrictEqual({
      findings: [
        {
          file: 'deploy-directory/clients/Worker.json',
          client: '##ENV## Worker',
          rule: 'unresolved-keyword',
          severity: 'error',
          path: '/name',
          message:
            'name holds the keyword ##ENV##, which was not replaced; give it a value with --keywords <file.json>',
          line: 2,
          column: 11,
        },
      ],
      summary: { files: 1, clients: 1, errors: 1, warnings: 0 },
      failures: [],
    });
  });

  it('reads clientele tenant JSON and FileStore files', async () => {
    const outcome = await clientele([
      'check',
      'clientele.json',
      'file-store.json',
      '--format',
      'json',
    ]);
    expect(outcome.code).toBe(0);
    expect(json(outcome)).toStrictEqual({
      findings: [
        {
          file: 'file-store.json',
          client: 'Stored Shop',
          rule: 'wildcard-url',
          severity: 'warning',
          path: '/callbacks/1',
          message:
            'callbacks[1] "https://*.preview.example.com/callback" uses a wildcard: any subdomain matching *.preview.example.com is allowed; list the hosts you control instead',
          line: 1,
          column: 282,
        },
      ],
      summary: { files: 2, clients: 4, errors: 0, warnings: 1 },
      failures: [],
    });
  });

  it('reads anchors and << merge keys as the Deploy CLI does', async () => {
    const outcome = await clientele(['check', 'merge-keys.yaml']);
    expect(outcome).toEqual({
      code: 0,
      stdout:
        'merge-keys.yaml\n  Shop (spa): ok\n  Admin (spa): ok\n\n2 clients in 1 file: 0 errors, 0 warnings\n',
      stderr: '',
    });
  });

  it('expands quoted glob patterns itself', async () => {
    const outcome = await clientele(['check', 'globs/tenants/**/tenant.yaml', '--format', 'json']);
    expect(outcome.code).toBe(0);
    expect(json(outcome)).toStrictEqual({
      findings: [],
      summary: { files: 2, clients: 2, errors: 0, warnings: 0 },
      failures: [],
    });
    const human = await clientele(['check', 'globs/tenants/*/tenant.yaml']);
    expect(human.stdout).toContain('globs/tenants/dev/tenant.yaml\n  Dev Shop (spa): ok\n');
    expect(human.stdout).toContain('globs/tenants/prod/tenant.yaml\n  Shop (spa): ok\n');
  });
});

describe.concurrent(
  'clientele check, inputs it cannot check (exit 2, one line on stderr each)',
  () => {
    const cases: [string, string[], string][] = [
      [
        'invalid YAML',
        ['bad/invalid-yaml.yaml'],
        'clientele: bad/invalid-yaml.yaml: invalid YAML at line 4, column 4: bad indentation of a sequence entry',
      ],
      [
        'a YAML file without clients',
        ['bad/no-clients.yaml'],
        'clientele: bad/no-clients.yaml: not a tenant export: no "clients" list at the top level (found tenant, connections)',
      ],
      [
        'a missing path',
        ['nowhere/tenant.yaml'],
        'clientele: nowhere/tenant.yaml: no such file or directory',
      ],
      [
        'a JSON array',
        ['bad/array.json'],
        'clientele: bad/array.json: not a tenant export: the top level is a list; expected an object with a "clients" list',
      ],
      [
        'clients that are not a list',
        ['bad/clients-not-list.yaml'],
        'clientele: bad/clients-not-list.yaml: not a tenant export: "clients" must be a list, found an object',
      ],
      [
        'an empty file',
        ['bad/empty.yaml'],
        'clientele: bad/empty.yaml: not a tenant export: the file is empty',
      ],
      [
        'a glob without matches',
        ['nowhere/**/tenant.yaml'],
        'clientele: nowhere/**/tenant.yaml: no files match this pattern',
      ],
      [
        'a keyword that breaks the syntax',
        ['deploy-yaml/tenant.yaml'],
        'clientele: deploy-yaml/tenant.yaml: invalid YAML at line 19, column 16: bad indentation of a mapping entry (unreplaced keyword @@SPA_CALLBACKS@@: give it a value with --keywords <file.json>)',
      ],
      [
        'a missing keywords file',
        ['clean.yaml', '--keywords', 'nope.json'],
        'clientele: nope.json: no such file or directory',
      ],
      [
        'an unknown option',
        ['check', 'clean.yaml', '--fix'],
        'clientele: unknown option --fix (see clientele --help)',
      ],
    ];

    it.each(cases)('%s', async (_, args, line) => {
      const outcome = await clientele(args[0] === 'check' ? args : ['check', ...args]);
      expect(outcome).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    });

    it('an empty directory', async () => {
      const empty = path.join(scratch, 'empty');
      await mkdir(empty);
      const outcome = await clientele(['check', empty]);
      expect(outcome).toEqual({
        code: 2,
        stdout: '',
        stderr: `clientele: ${empty}: not a tenant export: the directory is empty (expected clients/*.json)\n`,
      });
    });

    it('still checks and reports the readable exports, then exits 2', async () => {
      const outcome = await clientele([
        'check',
        'bad/array.json',
        'invalid.yaml',
        'missing.yaml',
        '--format',
        'json',
      ]);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr.split('\n')).toEqual([
        'clientele: bad/array.json: not a tenant export: the top level is a list; expected an object with a "clients" list',
        'clientele: missing.yaml: no such file or directory',
        '',
      ]);
      const report = json(outcome) as { summary: unknown; failures: unknown };
      expect(report.summary).toEqual({ files: 1, clients: 5, errors: 6, warnings: 2 });
      // The JSON output lists them too, with the message stderr shows.
      expect(report.failures).toEqual([
        {
          file: 'bad/array.json',
          message:
            'not a tenant export: the top level is a list; expected an object with a "clients" list',
        },
        { file: 'missing.yaml', message: 'no such file or directory' },
      ]);
    });
  },
);

describe.concurrent('clientele itself', () => {
  it('prints in a child process exactly what run() prints in-process', async () => {
    const args = ['check', 'invalid.yaml', 'duplicates.yaml', '--format', 'json'];
    const [child, inProcess] = await Promise.all([spawned(args), clientele(args)]);
    expect(child.code).toBe(1);
    expect(child).toEqual(inProcess);
  });

  it('prints help and the version (child process)', async () => {
    const help = await spawned(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: clientele check \[options\] <path\.\.\.>/);
    const version = await spawned(['--version']);
    const { version: expected } = JSON.parse(
      await readFile(path.join(ROOT, 'package.json'), 'utf8'),
    ) as {
      version: string;
    };
    expect(version).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it('exits 2 with one line when the command is missing (child process)', async () => {
    expect(await spawned([])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'clientele: missing command: try clientele check <path...> (see clientele --help)\n',
    });
  });
});

describe.concurrent('clientele check, APIs, connections and client grants', () => {
  interface Report {
    findings: {
      file: string;
      client: string;
      rule: string;
      severity: string;
      path: string;
      message: string;
    }[];
    summary: unknown;
  }
  const rows = (outcome: Outcome) =>
    (json(outcome) as Report).findings.map(({ client, rule, severity, path: pointer }) => [
      client,
      rule,
      severity,
      pointer,
    ]);

  it('validates APIs with validateApiInput and reports a repeated identifier', async () => {
    const outcome = await clientele(['check', 'references/bad-apis.yaml', '--format', 'json']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    expect(rows(outcome)).toEqual([
      ['api:Orders API', 'invalid_format', 'error', '/scopes/1/value'],
      ['api:Orders API', 'required', 'error', '/signing_secret'],
      ['api:Orders API v2', 'duplicate-api-identifier', 'error', '/identifier'],
      ['api:https://api.example.com/reports', 'unknown_property', 'error', '/colour'],
    ]);
    expect((json(outcome) as Report).summary).toEqual({
      files: 1,
      clients: 1,
      errors: 4,
      warnings: 0,
    });
  });

  it('lists APIs after the clients in the human output, ok when clean', async () => {
    const outcome = await clientele(['check', 'references/bad-apis.yaml']);
    expect(outcome.code).toBe(1);
    const lines = outcome.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'references/bad-apis.yaml',
      '  Order Sync (non_interactive): ok',
      '  api:Orders API (https://api.example.com/orders)',
    ]);
    expect(lines).toContain(
      '    error    duplicate-api-identifier  /identifier  references/bad-apis.yaml:16',
    );
    expect(lines).toContain(
      '      identifier "https://api.example.com/orders" is also the identifier of API #1 (references/bad-apis.yaml:8); the Deploy CLI identifies APIs by identifier, so one would overwrite the other',
    );
    expect(lines).toContain('  api:Billing API (https://api.example.com/billing): ok');
    expect(lines.at(-2)).toBe('1 client in 1 file: 4 errors, 0 warnings');
  });

  it('validates connections and their enabled clients, and reports a repeated name', async () => {
    const outcome = await clientele([
      'check',
      'references/bad-connections.yaml',
      '--format',
      'json',
    ]);
    expect(outcome.code).toBe(1);
    expect(rows(outcome)).toEqual([
      ['connection:google-oauth2', 'unknown-client', 'error', '/enabled_clients/1'],
      ['connection:google-oauth2', 'unknown-client', 'error', '/enabled_clients/2'],
      ['connection:Google-OAuth2', 'duplicate-connection-name', 'error', '/name'],
      ['connection:Acme Okta', 'invalid_format', 'error', '/name'],
      ['connection:Acme Okta', 'unknown_strategy', 'error', '/strategy'],
      [
        'connection:username-password-authentication',
        'duplicate-connection-name',
        'error',
        '/name',
      ],
    ]);
    expect((json(outcome) as Report).findings[0]?.message).toBe(
      'enabled_clients[1] "Storefrnt" names no client of this export; did you mean "Storefront"?',
    );
  });

  it('shows connections with their strategy and findings in the human output', async () => {
    const outcome = await clientele(['check', 'references/bad-connections.yaml']);
    const lines = outcome.stdout.split('\n');
    expect(lines).toContain('  connection:google-oauth2 (google-oauth2)');
    expect(lines).toContain(
      '    error    unknown-client  /enabled_clients/2  references/bad-connections.yaml:20',
    );
    expect(lines).toContain(
      '      enabled_clients[2] "Billing" names no client of this export; use the name (or client_id) of one of its clients',
    );
    expect(lines).toContain('  connection:Username-Password-Authentication (auth0): ok');
    expect(lines.at(-2)).toBe('2 clients in 1 file: 6 errors, 0 warnings');
  });

  it('checks client grants against the clients, the APIs and their scopes', async () => {
    const outcome = await clientele(['check', 'references/bad-grants.yaml', '--format', 'json']);
    expect(outcome.code).toBe(1);
    expect(rows(outcome)).toEqual([
      ['grant:Order Sync -> https://api.example.com/orders', 'unknown_scope', 'error', '/scope/1'],
      [
        'grant:Order Sink -> https://api.example.com/orders',
        'unknown-client',
        'error',
        '/client_id',
      ],
      [
        'grant:Nightly Reports -> https://api.example.com/order',
        'unknown-api',
        'error',
        '/audience',
      ],
      [
        'grant:Order Sync -> https://api.example.com/orders',
        'duplicate-client-grant',
        'error',
        '/audience',
      ],
      ['grant:(#6)', 'required', 'error', '/client_id'],
    ]);
    const human = await clientele(['check', 'references/bad-grants.yaml']);
    expect(human.stdout).toContain(
      '  grant:Nightly Reports -> https://acme.eu.auth0.com/api/v2/: ok\n',
    );
    expect(human.stdout).toContain(
      '    error    unknown-api  /audience  references/bad-grants.yaml:29\n' +
        '      audience "https://api.example.com/order" is not the identifier of an API of this export; did you mean "https://api.example.com/orders"?\n',
    );
  });

  it('accepts client ids where the Deploy CLI writes names (clientele tenant JSON)', async () => {
    const outcome = await clientele(['check', 'references/by-id.json', '--format', 'json']);
    expect(outcome.code).toBe(1);
    expect(rows(outcome)).toEqual([
      [
        'connection:Username-Password-Authentication',
        'unknown-client',
        'error',
        '/enabled_clients/2',
      ],
      [
        'grant:Reports -> https://api.example.com/reports',
        'duplicate-client-grant',
        'error',
        '/audience',
      ],
    ]);
  });

  it('does not check audiences when the export has no APIs', async () => {
    const outcome = await clientele([
      'check',
      'references/grants-without-apis.yaml',
      '--format',
      'json',
    ]);
    expect(outcome.code).toBe(1);
    expect(rows(outcome)).toEqual([
      ['grant:Billing -> https://api.example.com/billing', 'unknown-client', 'error', '/client_id'],
    ]);
  });

  it('reads the resource-servers, connections, database-connections and grants folders', async () => {
    const outcome = await clientele(['check', 'references/directory', '--format', 'json']);
    expect(outcome.code).toBe(1);
    expect(
      (json(outcome) as Report).findings.map(({ file, client, rule, path: pointer }) => [
        file,
        client,
        rule,
        pointer,
      ]),
    ).toEqual([
      [
        path.join(
          'references/directory/database-connections/Username-Password-Authentication/database.json',
        ),
        'connection:Username-Password-Authentication',
        'unknown-client',
        '/enabled_clients/1',
      ],
      [
        path.join('references/directory/grants/Ghost-Orders API.json'),
        'grant:Ghost -> https://api.example.com/orders',
        'unknown-client',
        '/client_id',
      ],
      [
        path.join('references/directory/grants/Ghost-Orders API.json'),
        'grant:Ghost -> https://api.example.com/orders',
        'unknown_scope',
        '/scope/1',
      ],
    ]);
    expect((json(outcome) as Report).summary).toEqual({
      files: 1,
      clients: 2,
      errors: 3,
      warnings: 0,
    });
  });

  it('refuses a list of APIs that is not a list (exit 2)', async () => {
    expect(await clientele(['check', 'references/apis-not-a-list.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'clientele: references/apis-not-a-list.yaml: "resourceServers" must be a list of APIs, found an object\n',
    });
  });

  it('finds nothing wrong with the APIs, connections and grants of the bundled example', async () => {
    const outcome = await clientele(['check', 'examples/tenant.yaml'], {}, ROOT);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(
      [
        '  Nightly Reports (non_interactive): ok',
        '  api:Orders API (https://api.acme-shop.com/orders): ok',
        '  api:Reports API (https://api.acme-shop.com/reports): ok',
        '  connection:google-oauth2 (google-oauth2): ok',
        '  connection:acme-okta (okta): ok',
        '  connection:Username-Password-Authentication (auth0): ok',
        '  grant:Order Sync Worker -> https://api.acme-shop.com/orders: ok',
        '  grant:Nightly Reports -> https://api.acme-shop.com/reports: ok',
        '',
        '7 clients in 1 file: 0 errors, 3 warnings',
        '',
      ].join('\n'),
    );
  });

  it('reports keywords left in an API or a connection of a directory export', async () => {
    const outcome = await clientele(['check', 'deploy-directory', '--format', 'json']);
    const keywordRows = rows(outcome).filter(([client]) => client?.includes(':'));
    expect(keywordRows).toEqual([
      ['api:Orders API', 'unresolved-keyword', 'error', '/identifier'],
      [
        'connection:Username-Password-Authentication',
        'unresolved-keyword',
        'error',
        '/enabled_clients/0',
      ],
    ]);
  });
});
