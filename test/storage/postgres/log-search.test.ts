/**
 * Log search on PostgresStore: the schema version 3 migration fills the search terms of
 * entries written before it; a search by field reads the GIN index (the plan says so on
 * 5,000 entries); and for random conditions PostgreSQL answers what MemoryStore answers
 * (pages in both orders and counts), through its exact SQL and its JavaScript fallback.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryStore, parseLogQuery, type LogCondition, type LogEntryInput } from 'clientele';
import { PostgresStore } from 'clientele/postgres';
import { AVAILABLE, RUN, dropRunSchemas, newPool } from './database.js';

const LOG = 'logs';

describe.skipIf(!AVAILABLE)('log search on PostgresStore', { timeout: 120_000 }, () => {
  const pool = newPool(4);
  let count = 0;
  const fresh = () => new PostgresStore({ pool, schema: `${RUN}_s${++count}` });

  afterAll(async () => {
    await dropRunSchemas(pool);
    await pool.end();
  });

  it('migrating from version 2 fills the terms of the entries already there', async () => {
    const store = fresh();
    await store.logs.append(LOG, [
      { id: 'a', time: 1, value: { type: 's', user_id: 'auth0|1' } },
      { id: 'b', time: 2, value: { type: 'f', user_id: 'auth0|2', ip: 'x\u0000y' } },
    ]);
    const table = `"${store.schema as string}".clientele_log_entries`;
    // Back to what version 2 wrote: no terms column, no index, version 2.
    await pool.query(`ALTER TABLE ${table} DROP COLUMN terms`);
    await pool.query(
      `UPDATE "${store.schema as string}".clientele_meta SET value = '2' WHERE key = 'schema_version'`,
    );
    await store.close();
    const upgraded = new PostgresStore({ pool, schema: store.schema as string });
    const where = parseLogQuery('user_id:"auth0|2" AND ip:"x\u0000y"');
    expect((await upgraded.logs.read(LOG, { where, limit: 10 })).map((e) => e.id)).toEqual(['b']);
    const { rows } = await pool.query<{ value: string }>(
      `SELECT value FROM "${store.schema as string}".clientele_meta WHERE key = 'schema_version'`,
    );
    expect(rows[0]?.value).toBe('3');
    const terms = await pool.query<{ id: string; terms: string[] }>(
      `SELECT id, terms FROM ${table} ORDER BY id`,
    );
    expect(terms.rows).toEqual([
      { id: 'a', terms: ['type=s', 'user_id=auth0|1'] },
      { id: 'b', terms: ['type=f', 'user_id=auth0|2', 'ip=x\\0y'] },
    ]);
    await upgraded.close();
  });

  it('searches by field through the GIN index, not by reading every entry', async () => {
    const store = fresh();
    const entries: LogEntryInput[] = Array.from({ length: 5_000 }, (_, i) => ({
      id: `e${String(i).padStart(5, '0')}`,
      time: 1_000 + i,
      value: { type: i % 50 === 0 ? 'f' : 's', user_id: `auth0|${i % 500}`, description: 'x' },
    }));
    for (let i = 0; i < entries.length; i += 1_000) {
      await store.logs.append(LOG, entries.slice(i, i + 1_000));
    }
    const table = `"${store.schema as string}".clientele_log_entries`;
    await pool.query(`ANALYZE ${table}`);
    // The statement the store runs, captured from its pool.
    const spy = vi.spyOn(pool, 'query');
    const where = parseLogQuery('user_id:"auth0|7" AND type:s');
    const found = await store.logs.read(LOG, { where, limit: 100 });
    const statements = spy.mock.calls
      .filter(([text]) => typeof text === 'string')
      .map(([text, values]) => ({ text: text as string, values: (values ?? []) as unknown[] }));
    spy.mockRestore();
    expect(found.map((entry) => entry.id)).toEqual(
      entries.filter((_, i) => i % 500 === 7).map((entry) => entry.id),
    );
    const statement = statements.find((s) => s.text.includes('terms @>'));
    expect(statement, 'the search is said in SQL').toBeDefined();
    const plan = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ${statement!.text}`,
      statement!.values,
    );
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('clientele_log_entries_terms');
    expect(text).not.toMatch(/Seq Scan/);
    await store.close();
  });

  describe('answers what MemoryStore answers', () => {
    const values = [
      { type: 's', user_id: 'auth0|1', description: 'Successful login', ip: '10.0.0.1' },
      { type: 'f', user_id: 'auth0|2', description: 'Wrong email or password.', isMobile: true },
      { type: 'f', user_id: 'auth0|10', description: 'Wrong password', ip: 'a\u0000b' },
      { type: 'sapi', client_id: 'c1', user_agent: 'U'.repeat(250), scope: null },
      { type: 'seccft', client_id: 'c2', audience: 'https://api', n: 5 },
      { type: 'fp', user_name: 'ada', connection: 'db', strategy: 'auth0' },
      'not an object',
      { type: 's', user_id: 'auth0|1', client_id: 'c1', description: 'login again' },
    ];
    const entries: LogEntryInput[] = Array.from({ length: 40 }, (_, i) => ({
      id: `r${String(i).padStart(3, '0')}`,
      time: 10_000 + i * 1_000,
      value: values[i % values.length],
    }));
    const memory = new MemoryStore();
    let postgres: PostgresStore;

    beforeAll(async () => {
      postgres = fresh();
      await postgres.logs.append(LOG, entries);
      await memory.logs.append(LOG, entries);
    });
    afterAll(() => postgres?.close());

    const field = fc.constantFrom(
      'type',
      'user_id',
      'client_id',
      'ip',
      'description',
      'isMobile',
      'user_agent',
      'n',
      'scope',
      'missing',
    );
    const value = fc.constantFrom(
      's',
      'f',
      'auth0|1',
      'auth0|10',
      'c1',
      'a\u0000b',
      'true',
      '5',
      'U'.repeat(250),
      'Wrong password',
      'x',
    );
    const condition: fc.Arbitrary<LogCondition> = fc.letrec<{ c: LogCondition }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small' },
        fc.record({ field, equals: value }),
        fc.record({ field, like: fc.constantFrom('auth0|1*', 's*', '*a*', '?', 'Wrong*') }),
        fc.record({
          field,
          like: fc.constantFrom('pass*', 'W*', 'login'),
          words: fc.constant(true),
        }),
        fc.record({ field, phrase: fc.constantFrom(['Wrong'], ['Wrong', 'password'], ['login']) }),
        fc.record({ field, exists: fc.constant(true as const) }),
        fc.record({
          time: fc.record(
            {
              gte: fc.integer({ min: 9_000, max: 52_000 }),
              lt: fc.integer({ min: 9_000, max: 52_000 }),
            },
            { requiredKeys: [] },
          ),
        }),
        fc.record({ not: tie('c') }),
        fc.record({ and: fc.array(tie('c'), { maxLength: 3 }) }),
        fc.record({ or: fc.array(tie('c'), { maxLength: 3 }) }),
      ),
    })).c;

    it('for random conditions: pages both ways, with offsets, and counts', async () => {
      await fc.assert(
        fc.asyncProperty(
          condition,
          fc.constantFrom('asc' as const, 'desc' as const),
          fc.integer({ min: 0, max: 5 }),
          fc.integer({ min: 1, max: 50 }),
          async (where, order, offset, limit) => {
            const query = { where, order, offset, limit };
            const ids = (list: readonly { id: string }[]) => list.map((entry) => entry.id);
            expect(ids(await postgres.logs.read(LOG, query)), JSON.stringify(query)).toEqual(
              ids(await memory.logs.read(LOG, query)),
            );
            expect(await postgres.logs.count(LOG, { where })).toBe(
              await memory.logs.count(LOG, { where }),
            );
          },
        ),
        { numRuns: 60 },
      );
    });
  });
});
