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
  it('lints a valid client as written', () => {
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

  it('reports validation issues as errors with the issue code as rule, then lints the client', () => {
    const findings = checkClientSettings(
      {
        name: 'A',
        app_type: 'web',
        bad_field: 1,
        callbacks: ['https://a.com/#x', 'https://*.a.com/cb'],
      },
      fakeChecker,
    );
    expect(findings).toEqual([
      {
        rule: 'invalid_app_type',
        severity: 'error',
        path: '/app_type',
        message: 'app_type is invalid',
      },
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
        rule: 'wildcard',
        severity: 'warning',
        path: '/callbacks/1',
        message: 'callbacks/1 is a wildcard',
      },
    ]);
  });

  it('drops a lint finding at the pointer of a validation issue', () => {
    const findings = checkClientSettings(
      { name: 'A', app_type: 'spa', callbacks: ['https://*.a.com/#x'] },
      fakeChecker,
    );
    expect(findings.map((finding) => [finding.rule, finding.path])).toEqual([
      ['invalid_url', '/callbacks/0'],
    ]);
  });

  it('keeps lint findings in a comma-separated list that has an issue', () => {
    const findings = checkClientSettings(
      { name: 'A', app_type: 'spa', callbacks: 'https://a.com/#x, https://*.a.com/cb' },
      fakeChecker,
    );
    expect(findings.map((finding) => [finding.rule, finding.path])).toEqual([
      ['invalid_url', '/callbacks'],
      ['wildcard', '/callbacks'],
    ]);
  });

  it('hands the linter the client exactly as read, valid or not', () => {
    const seen: unknown[] = [];
    const checker = { ...fakeChecker, lint: (settings: unknown) => (seen.push(settings), []) };
    const raw = { app_type: 'spa', client_secret: 'x', callbacks: 'https://a.com/cb' };
    checkClientSettings(raw, checker);
    checkClientSettings('a string', checker);
    expect(seen).toEqual([raw, 'a string']);
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
      ['duplicate-client-name'],
    ]);
    expect(report.clients[2]?.findings[0]).toMatchObject({
      path: '/name',
      severity: 'error',
      message:
        'name "Shop" is also the name of client #1 (tenant.yaml:10); the Deploy CLI identifies clients by name, so one would overwrite the other',
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
        'unresolved-keyword',
        '/name',
        'name holds the keyword ##ENV##, which was not replaced; give it a value with --keywords <file.json>',
      ],
      [
        'unresolved-keyword',
        '/callbacks/0',
        'callbacks[0] holds the keyword ##DOMAIN##, which was not replaced; give it a value with --keywords <file.json>',
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
