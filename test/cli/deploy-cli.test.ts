/**
 * `clientele check` on Deploy CLI files written from the SDK's types and the Deploy CLI's
 * documented formats (test/fixtures/deploy-cli): every class of object Auth0 accepts is
 * read and passes, and the files the Deploy CLI reads are read too.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { checkTenantFiles } from '../../src/cli/check-files.js';
import { loadTenantExport } from '../../src/cli/load.js';

const DEPLOY_CLI = fileURLToPath(new URL('../fixtures/deploy-cli/', import.meta.url));

/** `clientele …` in-process, in the fixtures folder. */
async function clientele(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv: args,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env: {},
    cwd: DEPLOY_CLI,
  });
  return { code, stdout, stderr };
}

type Row = [client: string, rule: string, severity: string, path: string];

describe('clientele check on Deploy CLI exports of every class Auth0 accepts', () => {
  it.each([['yaml/tenant.yaml'], ['directory']])(
    '%s: exit 0, only the Default App info',
    async (target) => {
      const outcome = await clientele([
        'check',
        target,
        '--keywords',
        'keywords.json',
        '--format',
        'json',
      ]);
      expect(outcome.stderr).toBe('');
      expect(outcome.code).toBe(0);
      const report = JSON.parse(outcome.stdout) as { findings: Row[]; failures: unknown[] };
      expect(report.failures).toEqual([]);
      expect(
        report.findings.map((finding) => {
          const { client, rule, severity, path } = finding as unknown as Record<string, string>;
          return [client, rule, severity, path];
        }),
      ).toEqual([['Default App', 'missing-app-type', 'info', '/app_type']]);
    },
  );

  it('reads every client, API, connection, database and grant of the YAML export', async () => {
    const { exports, summary } = await checkTenantFiles(['yaml/tenant.yaml'], {
      cwd: DEPLOY_CLI,
      keywords: { SHOP_NAME: 'Acme Shop' },
    });
    expect(summary).toEqual({ files: 1, clients: 8, errors: 0, warnings: 0 });
    const [exported] = exports;
    expect(exported?.clients.map((client) => client.appType ?? '(none)')).toEqual([
      '(none)',
      'spa',
      'regular_web',
      'non_interactive',
      'native',
      'zendesk',
      'resource_server',
      'express_configuration',
    ]);
    expect(exported?.apis?.map((api) => api.client)).toEqual([
      'api:Orders API',
      'api:https://api.example.com/reports',
    ]);
    expect(
      exported?.connections?.map((connection) => [connection.client, connection.detail]),
    ).toEqual([
      ['connection:email', 'email'],
      // No strategy in the file: a database connection.
      ['connection:Username-Password-Authentication', 'auth0'],
    ]);
    expect(exported?.grants?.map((grant) => grant.client)).toEqual([
      'grant:Order Sync -> https://api.example.com/orders',
      'grant:third_party_clients -> https://api.example.com/orders',
    ]);
  });

  it('checks a Management API dump as a dump: read-only fields dropped, system entries accepted', async () => {
    const outcome = await clientele(['check', 'management-api-dump.json', '--format', 'json']);
    expect(outcome.code).toBe(0);
    const report = JSON.parse(outcome.stdout) as { findings: { client: string; rule: string }[] };
    expect(report.findings.map(({ client, rule }) => [client, rule])).toEqual([
      ['Default App', 'missing-app-type'],
    ]);
  });

  it('reports each file the Deploy CLI would read and cannot find, and exits 1 (not 2)', async () => {
    const outcome = await clientele(['check', 'missing-files/tenant.yaml', '--format', 'json']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    const report = JSON.parse(outcome.stdout) as {
      findings: { client: string; rule: string; path: string; message: string }[];
    };
    expect(report.findings.map(({ client, rule, path }) => [client, rule, path])).toEqual([
      ['Storefront', 'missing-file', '/custom_login_page'],
      ['connection:email', 'missing-file', '/options/email/body'],
      ['connection:users', 'missing-file', '/options/customScripts/login'],
    ]);
    expect(report.findings[0]?.message).toBe(
      'custom_login_page names the file missing-files/clients/Storefront_custom_login_page.html, which cannot be read (no such file or directory); the Deploy CLI would deploy the text "./Storefront_custom_login_page.html" as the login page',
    );
    expect(report.findings[2]?.message).toMatch(
      /^options\.customScripts\.login names the file missing-files\/databases\/users\/login\.js, which cannot be read/,
    );
  });

  it('puts the text of the files in place of their names, keywords replaced', async () => {
    const { tenants } = await loadTenantExport('directory', { SHOP_NAME: 'Acme Shop' }, DEPLOY_CLI);
    const storefront = tenants[0]?.clients.find(
      (client) => (client.raw as { name?: string }).name === 'Storefront',
    );
    expect((storefront?.raw as { custom_login_page: string }).custom_login_page).toContain(
      '<title>Sign in to Acme Shop</title>',
    );
    const database = tenants[0]?.connections?.find((entry) => entry.database);
    expect(
      (database?.raw as { options: { customScripts: { login: string } } }).options.customScripts
        .login,
    ).toMatch(/\nfunction login\(email, password, callback\) {\n/);
  });
});
