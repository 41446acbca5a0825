import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPaths, isGlob, matchGlob } from '../../src/cli/expand.js';
import { FIXTURES } from './helpers.js';

describe('expanding path arguments', () => {
  it('recognises glob syntax', () => {
    expect(isGlob('tenants/**/tenant.yaml')).toBe(true);
    expect(isGlob('tenants/{dev,prod}/tenant.yaml')).toBe(true);
    expect(isGlob('tenants/dev/tenant.yaml')).toBe(false);
  });

  it('matches files below the literal prefix with minimatch, sorted', async () => {
    expect(await matchGlob('globs/tenants/**/tenant.yaml', FIXTURES)).toEqual([
      'globs/tenants/dev/tenant.yaml',
      'globs/tenants/prod/tenant.yaml',
    ]);
    expect(await matchGlob('globs/tenants/{prod,dev}/*.yaml', FIXTURES)).toEqual([
      'globs/tenants/dev/tenant.yaml',
      'globs/tenants/prod/tenant.yaml',
    ]);
    expect(await matchGlob('./globs/*/prod/*.yaml', FIXTURES)).toEqual([
      './globs/tenants/prod/tenant.yaml',
    ]);
  });

  it('enters a dot-directory only when the pattern names it', async () => {
    expect(await matchGlob('globs/**/tenant.yaml', FIXTURES)).not.toContain(
      'globs/tenants/.archive/tenant.yaml',
    );
    expect(await matchGlob('globs/tenants/.archive/*.yaml', FIXTURES)).toEqual([
      'globs/tenants/.archive/tenant.yaml',
    ]);
  });

  it('matches directories too, for directory exports', async () => {
    expect(await matchGlob('deploy-*', FIXTURES)).toEqual([
      'deploy-cli-config.json',
      'deploy-directory',
      'deploy-yaml',
    ]);
  });

  it('works with absolute patterns', async () => {
    const pattern = `${FIXTURES.split(path.sep).join('/')}/globs/tenants/*/tenant.yaml`;
    const matches = await matchGlob(pattern, '/');
    expect(matches.map((match) => path.relative(FIXTURES, match))).toEqual([
      path.join('globs', 'tenants', 'dev', 'tenant.yaml'),
      path.join('globs', 'tenants', 'prod', 'tenant.yaml'),
    ]);
  });

  it('keeps literal paths, drops duplicates and reports patterns without matches', async () => {
    const expanded = await expandPaths(
      [
        'clean.yaml',
        'missing.yaml',
        'globs/tenants/*/tenant.yaml',
        './clean.yaml',
        'nope/**/*.yaml',
      ],
      FIXTURES,
    );
    expect(expanded).toEqual({
      paths: [
        'clean.yaml',
        'missing.yaml',
        'globs/tenants/dev/tenant.yaml',
        'globs/tenants/prod/tenant.yaml',
      ],
      failures: [{ file: 'nope/**/*.yaml', reason: 'no files match this pattern' }],
    });
  });
});
