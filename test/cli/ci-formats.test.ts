/**
 * `clientele check --format sarif` and `--format github`, in-process: the SARIF log is
 * valid against the SARIF 2.1.0 JSON schema (as published in @microsoft/jest-sarif), and
 * the workflow commands cannot be broken by what a tenant file holds.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validSarif } from './sarif-schema.js';
import { formatGithub } from '../../src/cli/format-github.js';
import { formatSarif } from '../../src/cli/format-sarif.js';
import { ruleHelp } from '../../src/cli/rule-help.js';
import { run } from '../../src/cli/run.js';
import { FIXTURES } from './helpers.js';

async function check(argv: string[], cwd = FIXTURES) {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv: ['check', ...argv],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region?: { startLine: number; startColumn?: number };
    };
    logicalLocations?: { fullyQualifiedName: string }[];
  }[];
  partialFingerprints: Record<string, string>;
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; help: { text: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: {
      executionSuccessful: boolean;
      toolExecutionNotifications: { message: { text: string } }[];
    }[];
    results: SarifResult[];
  }[];
}

function sarif(stdout: string): SarifLog {
  const log: unknown = JSON.parse(stdout);
  expect(validSarif(log), JSON.stringify(validSarif.errors, null, 2)).toBe(true);
  return log as SarifLog;
}

describe('clientele check --format sarif', () => {
  it('is checked by a schema validator that refuses what SARIF 2.1.0 forbids', () => {
    expect(validSarif({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false); // no tool
    expect(
      validSarif({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 't' } },
            results: [{ message: { text: 'm' }, level: 'fatal' }],
          },
        ],
      }),
    ).toBe(false);
  });

  it('is a valid SARIF 2.1.0 log with rules, levels and file/line/column locations', async () => {
    const outcome = await check(['--format', 'sarif', 'duplicates.yaml', 'warnings-only.yaml']);
    expect(outcome.code).toBe(1);
    const log = sarif(outcome.stdout);
    expect(log.version).toBe('2.1.0');
    const [runLog] = log.runs;
    expect(runLog?.tool.driver.name).toBe('clientele');
    expect(runLog?.originalUriBaseIds['%SRCROOT%']?.uri).toBe(
      pathToFileURL(FIXTURES).href.replace(/\/?$/, '/'),
    );
    const rules = runLog?.tool.driver.rules ?? [];
    const results = runLog?.results ?? [];
    expect(results.map((result) => [result.ruleId, result.level])).toEqual(
      expect.arrayContaining([
        ['duplicate-entry', 'warning'],
        ['duplicate-client-name', 'error'],
      ]),
    );
    for (const result of results) {
      expect(rules[result.ruleIndex]?.id).toBe(result.ruleId);
      expect(rules[result.ruleIndex]?.help.text.length).toBeGreaterThan(20);
    }
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    const name = results.find((result) => result.ruleId === 'duplicate-client-name');
    expect(name?.locations[0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'duplicates.yaml', uriBaseId: '%SRCROOT%' },
        region: { startLine: 8, startColumn: 11 },
      },
      logicalLocations: [{ fullyQualifiedName: 'Shop/name', kind: 'object' }],
    });
    expect(name?.message.text).toMatch(/^Shop: name "Shop" is also the name of client #1/);
  });

  it('says "note" for info findings, and keeps fingerprints when a finding moves to another line', () => {
    const finding = {
      rule: 'missing-app-type',
      level: 'note' as const,
      message: 'Default App: app_type is missing',
      file: 'tenant.yaml',
      line: 3,
      column: 5,
      subject: 'Default App',
    };
    const options = { tool: 'clientele', version: '1.0.0', cwd: FIXTURES };
    const first = sarif(formatSarif([finding], ruleHelp, [], options));
    const moved = sarif(formatSarif([{ ...finding, line: 30 }], ruleHelp, [], options));
    expect(first.runs[0]?.results[0]?.level).toBe('note');
    expect(first.runs[0]?.results[0]?.partialFingerprints).toEqual(
      moved.runs[0]?.results[0]?.partialFingerprints,
    );
  });

  it('reports unreadable inputs as failed execution, and absolute paths as file URLs', async () => {
    const absolute = path.join(FIXTURES, 'duplicates.yaml');
    const outcome = await check(['--format', 'sarif', 'no-such-file.yaml', absolute]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('no-such-file.yaml');
    const log = sarif(outcome.stdout);
    const invocation = log.runs[0]?.invocations[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications[0]?.message.text).toBe(
      'no such file or directory',
    );
    const uris = log.runs[0]?.results.map(
      (result) => result.locations[0]?.physicalLocation.artifactLocation,
    );
    expect(uris?.[0]).toEqual({ uri: pathToFileURL(absolute).href });
  });

  it('stays valid SARIF whatever a file name or message holds', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.stringMatching(/^[^/\\]{1,12}$/), { minLength: 1, maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
        (message, segments, line) => {
          const annotation = {
            rule: 'wildcard-url',
            level: 'warning' as const,
            message,
            file: segments.join('/'),
            ...(line === undefined ? {} : { line, column: 1 }),
          };
          sarif(formatSarif([annotation], ruleHelp, [], { tool: 't', version: '1', cwd: '/' }));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('clientele check --format github', () => {
  it('prints one workflow command per finding, then the summary', async () => {
    const outcome = await check(['--format', 'github', 'duplicates.yaml']);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout.split('\n')).toEqual([
      '::warning file=duplicates.yaml,line=7,col=9,title=duplicate-entry::Shop: callbacks[1] "https://shop.example.com/callback" matches the same URLs as callbacks[0] "https://shop.example.com/callback"; remove one',
      '::error file=duplicates.yaml,line=8,col=11,title=duplicate-client-name::Shop: name "Shop" is also the name of client #1 (duplicates.yaml:3); the Deploy CLI identifies clients by name, so one would overwrite the other',
      '::warning file=duplicates.yaml,line=14,col=9,title=duplicate-entry::Shop: allowed_logout_urls[1] "https://shop.example.com/" matches the same URLs as allowed_logout_urls[0] "https://shop.example.com/"; remove one',
      '2 clients in 1 file: 1 error, 2 warnings',
      '',
    ]);
  });

  it('reports an unreadable input as an error annotation too', async () => {
    const outcome = await check(['--format', 'github', 'no-such-file.yaml']);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toContain(
      '::error file=no-such-file.yaml,title=unreadable-input::no such file or directory\n',
    );
  });

  it('never lets a message or a file name start a command of its own', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (message, file) => {
        const text = formatGithub(
          [{ rule: 'r', level: 'error', message, file, line: 1, column: 1 }],
          [],
          'summary',
        );
        const lines = text.split('\n');
        expect(lines).toHaveLength(3);
        expect(lines[0]).toMatch(/^::error file=[^:,]*,line=1,col=1,title=r::/);
        expect(lines[0]?.slice(2)).not.toMatch(/[\r\n\u2028\u2029\u202e]/);
      }),
    );
    const hostile = formatGithub(
      [{ rule: 'r', level: 'note', message: 'x\n::error::forged %0A', file: 'a,b:c.yaml' }],
      [],
      's',
    );
    expect(hostile).toBe('::notice file=a%2Cb%3Ac.yaml,title=r::x\\n::error::forged %250A\ns\n');
  });
});
