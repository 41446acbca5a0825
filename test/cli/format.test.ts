import { describe, expect, it } from 'vitest';
import { palette, useColour } from '../../src/cli/ansi.js';
import type { ExportReport, LocatedFinding } from '../../src/cli/types.js';
import { formatHuman } from '../../src/cli/format-human.js';
import { formatJson } from '../../src/cli/format-json.js';

const exports: ExportReport[] = [
  {
    source: 'tenant.yaml',
    clients: [
      {
        client: 'Shop',
        file: 'tenant.yaml',
        appType: 'spa',
        findings: [
          {
            file: 'tenant.yaml',
            client: 'Shop',
            rule: 'wildcard_callback',
            severity: 'warning',
            path: '/callbacks/1',
            message: 'callbacks/1: a wildcard',
            line: 7,
          },
          {
            file: 'tenant.yaml',
            client: 'Shop',
            rule: 'some_info',
            severity: 'info',
            path: '',
            message: 'for your information',
          },
        ],
      },
      { client: 'Worker', file: 'tenant.yaml', appType: 'non_interactive', findings: [] },
      { client: '(unnamed #3)', file: 'tenant.yaml', findings: [] },
    ],
  },
  { source: 'empty.json', clients: [] },
];
const summary = { files: 2, clients: 3, errors: 0, warnings: 1 };

describe('the human output', () => {
  it('lists every client, with its findings or ok, and a summary', () => {
    expect(formatHuman(exports, summary, palette(false))).toBe(
      [
        'tenant.yaml',
        '  Shop (spa)',
        '    warning  wildcard_callback  /callbacks/1  tenant.yaml:7',
        '      callbacks/1: a wildcard',
        '    info     some_info  (client)  tenant.yaml',
        '      for your information',
        '  Worker (non_interactive): ok',
        '  (unnamed #3): ok',
        '',
        'empty.json',
        '  (no clients)',
        '',
        '3 clients in 2 files: 0 errors, 1 warning, 1 info',
        '',
      ].join('\n'),
    );
  });

  it('lists APIs, connections and grants after the clients, with their detail', () => {
    const finding = {
      file: 'tenant.yaml',
      client: 'connection:github',
      rule: 'unknown-client',
      severity: 'error' as const,
      path: '/enabled_clients/0',
      message: 'enabled_clients[0] "Ghost" names no client of this export',
      line: 30,
    };
    const report: ExportReport = {
      source: 'tenant.yaml',
      clients: [
        { client: 'Worker', file: 'tenant.yaml', appType: 'non_interactive', findings: [] },
      ],
      apis: [{ client: 'api:Orders', file: 'tenant.yaml', detail: 'https://a', findings: [] }],
      connections: [
        { client: 'connection:github', file: 'tenant.yaml', detail: 'github', findings: [finding] },
      ],
      grants: [{ client: 'grant:Worker -> https://a', file: 'tenant.yaml', findings: [] }],
    };
    expect(
      formatHuman([report], { files: 1, clients: 1, errors: 1, warnings: 0 }, palette(false)),
    ).toBe(
      [
        'tenant.yaml',
        '  Worker (non_interactive): ok',
        '  api:Orders (https://a): ok',
        '  connection:github (github)',
        '    error    unknown-client  /enabled_clients/0  tenant.yaml:30',
        '      enabled_clients[0] "Ghost" names no client of this export',
        '  grant:Worker -> https://a: ok',
        '',
        '1 client in 1 file: 1 error, 0 warnings',
        '',
      ].join('\n'),
    );
  });

  it('escapes control and bidi characters that come from the files', () => {
    const hostile: ExportReport[] = [
      {
        source: 'evil.yaml',
        clients: [
          {
            client: 'Shop\u001b[2J\rok',
            file: 'evil.yaml',
            findings: [
              {
                file: 'evil.yaml',
                client: 'Shop',
                rule: 'r',
                severity: 'error',
                path: '/a\nb',
                message: 'value "\u202egnp.exe"\nfake line',
              },
            ],
          },
        ],
      },
    ];
    const text = formatHuman(hostile, summary, palette(false));
    expect(text).toContain('  Shop\\u001b[2J\\rok\n');
    expect(text).toContain('    error    r  /a\\nb  evil.yaml\n');
    expect(text).toContain('      value "\\u202egnp.exe"\\nfake line\n');
  });

  it('colours severities with ANSI codes only when asked to', () => {
    const text = formatHuman(exports, summary, palette(true));
    expect(text).toContain('\u001b[33mwarning\u001b[39m');
    expect(text).toContain('\u001b[32mok\u001b[39m');
    expect(formatHuman(exports, summary, palette(false))).not.toContain('\u001b[');
  });

  it('uses colour on a TTY unless NO_COLOR is set or TERM is dumb; FORCE_COLOR forces it', () => {
    expect(useColour(true, {})).toBe(true);
    expect(useColour(false, {})).toBe(false);
    expect(useColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(true, { NO_COLOR: '' })).toBe(true);
    expect(useColour(true, { TERM: 'dumb' })).toBe(false);
    expect(useColour(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColour(false, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColour(true, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

describe('the JSON output', () => {
  it('is exactly { findings: [{ file, client, rule, severity, path, message, line, column }], summary, failures }', () => {
    const findings = exports.flatMap((entry) => entry.clients.flatMap((client) => client.findings));
    findings[0] = { ...(findings[0] as LocatedFinding), column: 9 };
    expect(JSON.parse(formatJson(findings, summary))).toStrictEqual({
      findings: [
        {
          file: 'tenant.yaml',
          client: 'Shop',
          rule: 'wildcard_callback',
          severity: 'warning',
          path: '/callbacks/1',
          message: 'callbacks/1: a wildcard',
          line: 7,
          column: 9,
        },
        {
          file: 'tenant.yaml',
          client: 'Shop',
          rule: 'some_info',
          severity: 'info',
          path: '',
          message: 'for your information',
          line: null,
          column: null,
        },
      ],
      summary: { files: 2, clients: 3, errors: 0, warnings: 1 },
      failures: [],
    });
  });

  it('lists the inputs that could not be checked as failures: [{ file, message }]', () => {
    const report = JSON.parse(
      formatJson([], summary, [
        { file: 'bad.yaml', reason: 'invalid YAML at line 1, column 2: x' },
      ]),
    ) as { failures: unknown };
    expect(report.failures).toStrictEqual([
      { file: 'bad.yaml', message: 'invalid YAML at line 1, column 2: x' },
    ]);
  });
});
