import { describe, expect, it } from 'vitest';
import { checkTenant, clientLabel, summarise } from '../../src/cli/check.js';
import { checkClientSettings } from '../../src/cli/client-check.js';
import type { LoadedClient, LoadedTenant } from '../../src/cli/types.js';
import { fakeChecker } from './helpers.js';

const client = (raw: unknown, position = 1): LoadedClient => ({
  file: 'tenant.yaml',
  position,
  raw,
  lineOf: (pointer) => (pointer === '' ? 10 * position : 10 * position + 1),
});

const tenant = (...raws: unknown[]): LoadedTenant => ({
  source: 'tenant.yaml',
  format: 'deploy-cli-yaml',
  clients: raws.map((raw, index) => client(raw, index + 1)),
});

describe('checking one client', () => {
  it('lints a valid client', () => {
    expect(
      checkClientSettings(
        { name: 'A', app_type: 'spa', callbacks: ['https://*.a.com/cb'] },
        fakeChecker,
      ),
    ).toEqual([
      {
        rule: 'wildcard',
        severity: 'warning',
        path: '/callbacks/0',
        message: 'callbacks/0 is a wildcard',
      },
    ]);
  });

  it('reports validation issues as errors with the issue code as rule, then lints what is left', () => {
    const findings = checkClientSettings(
      {
        name: 'A',
        app_type: 'spa',
        bad_field: 1,
        callbacks: [
          'https://a.com/#x',
          'https://*.a.com/cb',
          'https://b.com/#y',
          'https://*.b.com/cb',
        ],
      },
      fakeChecker,
    );
    expect(findings).toEqual([
      {
        rule: 'unknown_property',
        severity: 'error',
        path: '/bad_field',
        message: 'bad_field is unknown',
      },
      {
        rule: 'invalid_url',
        severity: 'error',
        path: '/callbacks/0',
        message: 'callbacks/0 has a fragment',
      },
      {
        rule: 'invalid_url',
        severity: 'error',
        path: '/callbacks/2',
        message: 'callbacks/2 has a fragment',
      },
      // Linted on a copy without the bad entries; pointers are mapped back to the file's.
      {
        rule: 'wildcard',
        severity: 'warning',
        path: '/callbacks/1',
        message: 'callbacks/0 is a wildcard',
      },
      {
        rule: 'wildcard',
        severity: 'warning',
        path: '/callbacks/3',
        message: 'callbacks/1 is a wildcard',
      },
    ]);
  });

  it('splits a comma-separated list before pruning it, as validation does', () => {
    const findings = checkClientSettings(
      { name: 'A', app_type: 'spa', callbacks: 'https://a.com/#x, https://*.a.com/cb' },
      fakeChecker,
    );
    expect(findings.map((finding) => [finding.rule, finding.path])).toEqual([
      ['invalid_url', '/callbacks/0'],
      ['wildcard', '/callbacks/1'],
    ]);
  });

  it('lints a client without a name under a placeholder name', () => {
    const findings = checkClientSettings(
      { app_type: 'spa', callbacks: ['https://*.a.com/cb'] },
      fakeChecker,
    );
    expect(findings.map((finding) => [finding.rule, finding.path])).toEqual([
      ['required', '/name'],
      ['wildcard', '/callbacks/0'],
    ]);
  });

  it('does not lint a client without a usable app_type, nor a non-object', () => {
    expect(
      checkClientSettings(
        { name: 'A', app_type: 'web', callbacks: ['https://*.a.com/cb'] },
        fakeChecker,
      ),
    ).toEqual([
      {
        rule: 'invalid_app_type',
        severity: 'error',
        path: '/app_type',
        message: 'app_type is invalid',
      },
    ]);
    expect(checkClientSettings('a string', fakeChecker)).toEqual([
      { rule: 'invalid_type', severity: 'error', path: '', message: 'not an object' },
    ]);
  });

  it('drops lint findings about a property it had to take out', () => {
    const checker = {
      ...fakeChecker,
      lint: () => [
        { rule: 'about_bad', severity: 'info' as const, path: '/bad_x', message: 'default' },
        { rule: 'about_name', severity: 'info' as const, path: '/name', message: 'placeholder' },
        { rule: 'kept', severity: 'info' as const, path: '/callbacks', message: 'kept' },
      ],
    };
    const findings = checkClientSettings({ app_type: 'spa', bad_x: 1 }, checker);
    expect(findings.map((finding) => finding.rule)).toEqual([
      'required',
      'unknown_property',
      'kept',
    ]);
  });

  it('never hands the original object to the validator mutated', () => {
    const raw = { name: 'A', app_type: 'spa', callbacks: ['https://a.com/#x'] };
    const copy = structuredClone(raw);
    checkClientSettings(raw, fakeChecker);
    expect(raw).toEqual(copy);
  });
});

describe('checking an export', () => {
  it('names clients by name, or by position when they have none', () => {
    expect(clientLabel(client({ name: 'Shop' }))).toBe('Shop');
    expect(clientLabel(client({ name: '  ' }, 3))).toBe('(unnamed #3)');
    expect(clientLabel(client('x', 4))).toBe('(unnamed #4)');
  });

  it('attributes findings to the file, client and source line', () => {
    const report = checkTenant(
      tenant({ name: 'Shop', app_type: 'spa', callbacks: ['https://*.a.com/cb'] }),
      fakeChecker,
    );
    expect(report).toEqual({
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
              rule: 'wildcard',
              severity: 'warning',
              path: '/callbacks/0',
              message: 'callbacks/0 is a wildcard',
              line: 11,
            },
          ],
        },
      ],
    });
  });

  it('reports a duplicate client name on every later client', () => {
    const report = checkTenant(
      tenant(
        { name: 'Shop', app_type: 'spa' },
        { name: 'Other', app_type: 'spa' },
        { name: 'Shop', app_type: 'regular_web' },
      ),
      fakeChecker,
    );
    expect(report.clients.map((entry) => entry.findings.map((finding) => finding.rule))).toEqual([
      [],
      [],
      ['duplicate_client_name'],
    ]);
    expect(report.clients[2]?.findings[0]).toMatchObject({
      path: '/name',
      severity: 'error',
      message:
        'name: "Shop" is also the name of client #1 (tenant.yaml:10); the Deploy CLI identifies clients by name, so one would overwrite the other',
    });
  });

  it('reports keyword markers left in values, instead of what they break', () => {
    const report = checkTenant(
      tenant({ name: '##ENV## Shop', app_type: 'spa', callbacks: ['https://##DOMAIN##/cb#'] }),
      fakeChecker,
    );
    expect(
      report.clients[0]?.findings.map((finding) => [finding.rule, finding.path, finding.message]),
    ).toEqual([
      [
        'unresolved_keyword',
        '/name',
        'name: keyword ##ENV## was not replaced; give it a value with --keywords <file.json>',
      ],
      [
        'unresolved_keyword',
        '/callbacks/0',
        'callbacks/0: keyword ##DOMAIN## was not replaced; give it a value with --keywords <file.json>',
      ],
    ]);
  });

  it('sums errors and warnings over every export', () => {
    const first = checkTenant(
      tenant({ name: 'A', app_type: 'x' }, { name: 'B', app_type: 'spa', c: ['*'] }),
      fakeChecker,
    );
    const second = checkTenant(tenant(), fakeChecker);
    expect(summarise([first, second])).toEqual({ files: 2, clients: 2, errors: 1, warnings: 1 });
  });
});
