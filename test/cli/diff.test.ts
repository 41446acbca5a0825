/**
 * `clientele diff`, in-process: exit codes, --fail-on, and every output format (the
 * SARIF log valid against the SARIF 2.1.0 schema, the Markdown safe to post).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSarif } from './sarif-schema.js';
import { MARKDOWN_MARKER } from '../../src/cli/diff/format-markdown.js';
import { run } from '../../src/cli/run.js';
import type { TenantDiff } from '../../src/index.js';

let dir: string;

async function diff(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv: ['diff', ...argv],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env,
    cwd: dir,
  });
  return { code, stdout, stderr };
}

const BEFORE = {
  clients: [
    {
      name: 'Storefront',
      app_type: 'spa',
      callbacks: ['https://shop.example.com/callback', 'https://old.example.com/callback'],
    },
    { name: 'Worker', app_type: 'non_interactive' },
  ],
  resourceServers: [
    {
      name: 'Orders API',
      identifier: 'https://api.example.com/orders',
      scopes: [{ value: 'read:orders' }, { value: 'write:orders' }],
    },
  ],
  clientGrants: [
    {
      client_id: 'Worker',
      audience: 'https://api.example.com/orders',
      scope: ['read:orders', 'write:orders'],
    },
  ],
};

const AFTER = {
  ...BEFORE,
  clients: [
    {
      name: 'Storefront',
      app_type: 'spa',
      callbacks: ['https://shop.example.com/callback', 'https://new.example.com/callback'],
      description: 'The shop',
    },
    { name: 'Worker', app_type: 'non_interactive' },
  ],
  clientGrants: [
    { client_id: 'Worker', audience: 'https://api.example.com/orders', scope: ['read:orders'] },
  ],
};

/** Only additions: nothing destructive. */
const WIDER = {
  ...BEFORE,
  clients: [
    {
      ...BEFORE.clients[0],
      callbacks: [...(BEFORE.clients[0]!.callbacks ?? []), 'https://x.example.com/cb'],
    },
    BEFORE.clients[1],
  ],
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clientele-diff-cli-'));
  await writeFile(path.join(dir, 'before.yaml'), yaml.dump(BEFORE));
  await writeFile(path.join(dir, 'same.json'), JSON.stringify(BEFORE, null, 2));
  await writeFile(path.join(dir, 'after.yaml'), yaml.dump(AFTER));
  await writeFile(path.join(dir, 'wider.yaml'), yaml.dump(WIDER));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('clientele diff', () => {
  it('exits 0 and says so when nothing changes', async () => {
    const outcome = await diff(['before.yaml', 'same.json']);
    expect(outcome).toEqual({
      code: 0,
      stdout:
        'before.yaml -> same.json\n\nnot compared: connections (a side has no list of them)\nno changes\n',
      stderr: '',
    });
  });

  it('prints the changes grouped by object, with file:line, and exits 1', async () => {
    const outcome = await diff(['before.yaml', 'after.yaml']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    const lines = outcome.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['before.yaml -> after.yaml', '']);
    expect(outcome.stdout).toContain(
      [
        'client Storefront',
        // A removed entry is shown where the list is (its value starts on line 5).
        '  - callbacks[1]  "https://old.example.com/callback"  after.yaml:5',
        '      destructive: logins that redirect to this callback URL are refused',
        '  + callbacks[1]  "https://new.example.com/callback"  after.yaml:6',
        '  + description  "The shop"  after.yaml:7',
        'client grant Worker -> https://api.example.com/orders',
        '  - scope[1]  "write:orders"  after.yaml:20',
        '      destructive: the grant is narrowed: token requests for this scope fail',
      ].join('\n'),
    );
    expect(outcome.stdout).toMatch(/4 changes in 2 objects, 2 destructive\n$/);
  });

  it('with --fail-on destructive, exits 1 only for destructive changes', async () => {
    expect((await diff(['before.yaml', 'wider.yaml'])).code).toBe(1);
    expect((await diff(['before.yaml', 'wider.yaml', '--fail-on', 'destructive'])).code).toBe(0);
    expect((await diff(['before.yaml', 'after.yaml', '--fail-on', 'destructive'])).code).toBe(1);
  });

  it('--format json prints the TenantDiff', async () => {
    const outcome = await diff(['before.yaml', 'after.yaml', '--format', 'json']);
    const report = JSON.parse(outcome.stdout) as TenantDiff;
    expect(report.summary).toEqual({ objects: 2, changes: 4, destructive: 2 });
    expect(report.before).toEqual({ source: 'before.yaml', format: 'deploy-cli-yaml' });
    expect(report.changes[0]).toEqual({
      kind: 'removed',
      object: { type: 'client', key: 'Storefront', name: 'Storefront' },
      path: '/callbacks/1',
      before: 'https://old.example.com/callback',
      severity: 'destructive',
      reason: 'logins that redirect to this callback URL are refused',
      location: { file: 'after.yaml', line: 5, column: 7 },
    });
  });

  it('--format markdown writes a pull-request comment with the destructive changes first', async () => {
    const { code, stdout } = await diff(['before.yaml', 'after.yaml', '--format', 'markdown']);
    expect(code).toBe(1);
    expect(
      stdout.startsWith(
        `${MARKDOWN_MARKER}\n### clientele diff: 4 changes in 2 objects, 2 destructive\n`,
      ),
    ).toBe(true);
    expect(stdout).toContain('> [!CAUTION]\n> 2 destructive changes:\n');
    expect(stdout).toContain('#### client <code>Storefront</code>');
    expect(stdout).toContain(
      '| ➖ removed | <code>/callbacks/1</code> | <code>&#34;https://old.example.com/callback&#34;</code> |  | **destructive**: logins that redirect to this callback URL are refused |',
    );
  });

  it('--format markdown cannot be broken by what a tenant holds', async () => {
    const hostile = {
      clients: [
        {
          name: 'Evil</code> | @team ![x](https://x.example/p.png) `tick` <script>',
          app_type: 'spa',
          description: 'a|b\n## heading\r\u202e',
        },
      ],
    };
    await writeFile(path.join(dir, 'hostile.json'), JSON.stringify(hostile));
    await writeFile(path.join(dir, 'empty.json'), JSON.stringify({ clients: [] }));
    const { stdout } = await diff(['empty.json', 'hostile.json', '--format', 'markdown']);
    const body = stdout.split('\n').slice(1).join('\n');
    expect(body).not.toMatch(/<script>|<\/code> \||@team|!\[|`tick`|\n## heading/);
    expect(body).toContain(
      '#### client <code>Evil&#60;/code&#62; &#124; &#64;team &#33;&#91;x&#93;(https://x.example/p.png) &#96;tick&#96; &#60;script&#62;</code>',
    );
  });

  it('--format github writes one annotation per change at its file and line', async () => {
    const { stdout } = await diff(['before.yaml', 'after.yaml', '--format', 'github']);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=after.yaml,line=5,col=7,title=destructive-change::client Storefront: callbacks[1] "https://old.example.com/callback" removed (destructive: logins that redirect to this callback URL are refused)',
    );
    expect(lines.filter((line) => line.startsWith('::notice '))).toHaveLength(2);
    expect(lines.at(-1)).toBe('4 changes in 2 objects, 2 destructive');
  });

  it('--format sarif writes a valid SARIF 2.1.0 log', async () => {
    const { stdout } = await diff(['before.yaml', 'after.yaml', '--format', 'sarif']);
    const log = JSON.parse(stdout) as {
      runs: {
        results: { ruleId: string; level: string }[];
        tool: { driver: { rules: { id: string }[] } };
      }[];
    };
    expect(validSarif(log), JSON.stringify(validSarif.errors)).toBe(true);
    const [only] = log.runs;
    expect(only?.results.map((result) => [result.ruleId, result.level])).toEqual([
      ['destructive-change', 'error'],
      ['tenant-change', 'note'],
      ['tenant-change', 'note'],
      ['destructive-change', 'error'],
    ]);
    expect(only?.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'destructive-change',
      'tenant-change',
    ]);
  });

  it('exits 2 with one line on stderr for a side it cannot read or a wrong command line', async () => {
    expect(await diff(['before.yaml', 'missing.yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'clientele: after: missing.yaml: no such file or directory\n',
    });
    const cases: [string[], string][] = [
      [['before.yaml'], 'diff needs two tenants, <before> and <after> (got 1)'],
      [
        ['a', 'b', '--format', 'xml'],
        '--format must be one of human, json, markdown, sarif, github, not "xml"',
      ],
      [['a', 'b', '--fail-on', 'all'], '--fail-on must be any or destructive, not "all"'],
      [
        ['a', 'b', '--token', 't'],
        '--token, --client-id, --client-secret and --reverse go with --live',
      ],
      [
        ['a', '--live', 'https://x.example/api/v2/'],
        '--live needs --token (or AUTH0_ACCESS_TOKEN), or --client-id and --client-secret (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET)',
      ],
      [
        ['a', 'b', '--live', 'https://x.example/api/v2/', '--token', 't'],
        'diff --live needs one tenant export to compare with (got 2)',
      ],
      [['a', '--bogus'], 'unknown option --bogus'],
    ];
    for (const [argv, message] of cases) {
      expect(await diff(argv)).toEqual({
        code: 2,
        stdout: '',
        stderr: `clientele: ${message} (see clientele diff --help)\n`,
      });
    }
    const insecure = await diff([
      'before.yaml',
      '--live',
      'http://x.example/api/v2/',
      '--token',
      't',
    ]);
    expect(insecure).toMatchObject({
      code: 2,
      stderr: 'clientele: url must use https (plain http only on a loopback host)\n',
    });
  });

  it('prints its help', async () => {
    const { code, stdout } = await diff(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: clientele diff \[options\] <before> <after>\n/);
  });
});
