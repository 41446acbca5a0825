// @ts-check
/**
 * `clientele check` on a 1,000-client Deploy CLI export (DESIGN: at most 3 × the time to
 * parse the file alone): `checkTenantFiles` on a generated `tenant.yaml` (varied clients
 * of the four types, each with URL lists, as real exports carry them) against `js-yaml`
 * `load` of the same file, the parser the Deploy CLI and the check both use.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { checkTenantFiles } from '../../dist/index.js';
import { atMost, measure } from '../harness.js';

const CLIENTS = 1_000;
const TYPES = ['spa', 'regular_web', 'native', 'non_interactive'];

/** @param {number} n */
function client(n) {
  const type = TYPES[n % TYPES.length];
  const host = `app-${n}.example.com`;
  return {
    name: `Client ${n}`,
    app_type: type,
    description: `Generated client number ${n}`,
    ...(type === 'non_interactive'
      ? { grant_types: ['client_credentials'] }
      : {
          callbacks: [`https://${host}/callback`, `https://www.${host}/auth/callback`],
          allowed_logout_urls: [`https://${host}/`],
          ...(type === 'native' ? {} : { web_origins: [`https://${host}`] }),
          allowed_origins: [`https://${host}`],
        }),
    jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000 },
  };
}

export default async function cliBench() {
  const dir = await mkdtemp(path.join(tmpdir(), 'clientele-bench-cli-'));
  try {
    const file = path.join(dir, 'tenant.yaml');
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
    await writeFile(file, yaml.dump({ clients }));
    const result = await checkTenantFiles([file]);
    if (result.failures.length > 0) throw new Error(`the generated export failed to load`);
    const ops = await measure(
      {
        check: () => checkTenantFiles([file]),
        parse: async () => yaml.load(await readFile(file, 'utf8')),
      },
      { time: 3000, warmupTime: 500 },
    );
    return [
      atMost({
        line: `clientele check (checkTenantFiles), ${CLIENTS}-client tenant.yaml`,
        ops: ops.check ?? 0,
        baseline: 'read + js-yaml load of the same file',
        baselineOps: ops.parse ?? 0,
        atMost: 3,
      }),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
