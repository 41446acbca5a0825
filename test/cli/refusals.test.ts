import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { FIXTURES } from './helpers.js';

async function checkJson(file: string) {
  let stdout = '';
  const code = await run({
    argv: ['check', '--format', 'json', file],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => undefined },
    isTTY: false,
    env: {},
    cwd: FIXTURES,
  });
  return { code, report: JSON.parse(stdout) as { findings: Record<string, unknown>[] } };
}

describe('clientele check: what Auth0 refuses is an error at its YAML line', () => {
  it('reports each class of refusal of refusals.yaml where it is written', async () => {
    const { code, report } = await checkJson('refusals.yaml');
    expect(code).toBe(1);
    const found = report.findings.map((finding) => [
      finding['line'],
      finding['severity'],
      finding['rule'],
      finding['path'],
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        [6, 'error', 'required', '/refresh_token/expiration_type'],
        [8, 'error', 'unknown_property', '/jwt_configuration/lifetime_in_second'],
        [9, 'error', 'invalid_uri', '/initiate_login_uri'],
        [16, 'error', 'system-api', '/identifier'],
        [18, 'error', 'grant_not_allowed', '/client_id'],
        [25, 'error', 'required', '/options/domain'],
        [30, 'error', 'conflict', '/options/requires_username'],
      ]),
    );
    expect(found).toHaveLength(7);
  });
});
