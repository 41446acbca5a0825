/**
 * Runs the README's PostgresStore example as it is written (on a schema of this run
 * instead of `identity`), so what it shows stays true.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Tenant } from 'clientele';
import { PostgresStore } from 'clientele/postgres';
import { readmeBlocks } from '../../support/readme.js';
import { AVAILABLE, DATABASE_URL, RUN, dropRunSchemas, newPool } from './database.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const code =
  readmeBlocks(readme).find((block) => block.heading === 'Many instances: PostgresStore')?.code ??
  '';

describe.skipIf(!AVAILABLE)('README: Many instances: PostgresStore', () => {
  const pool = newPool(1);
  afterAll(async () => {
    await dropRunSchemas(pool);
    await pool.end();
  });

  it('imports only what it uses and prints true', async () => {
    const imports = [...code.matchAll(/^import \{ (.+) \} from '(.+)';$/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(imports).toEqual([
      ['Tenant', 'clientele'],
      ['PostgresStore', 'clientele/postgres'],
    ]);
    expect(code).toContain("schema: 'identity'");
    const body = code
      .replace(/^import .*$/gm, '')
      .replace("schema: 'identity'", `schema: '${RUN}_readme'`);
    const logged: unknown[] = [];
    const run = new Function(
      'Tenant',
      'PostgresStore',
      'process',
      'console',
      `return (async () => {\n${body}\n})();`,
    ) as (...args: unknown[]) => Promise<void>;
    await run(
      Tenant,
      PostgresStore,
      { env: { DATABASE_URL } },
      {
        log: (...values: unknown[]) => logged.push(...values),
      },
    );
    expect(logged).toEqual([true]);
  });
});
