/**
 * The PostgreSQL the tests run against: `DATABASE_URL` (default the local test
 * database). When it cannot be reached the tests skip with one line, unless
 * `CLIENTELE_REQUIRE_POSTGRES=1`, which makes them fail instead. Every run works in
 * schemas of its own (`clientele_t_<pid>_<random>_*`), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The database the tests use. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Fail instead of skipping when the database is missing (CI). */
export const REQUIRED = process.env.CLIENTELE_REQUIRE_POSTGRES === '1';

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await probe();
if (problem !== undefined) {
  if (REQUIRED) {
    throw new Error(
      `CLIENTELE_REQUIRE_POSTGRES=1 but PostgreSQL at ${DATABASE_URL} is unreachable: ${problem}`,
    );
  }
  console.warn(
    `PostgreSQL tests skipped: ${DATABASE_URL} is unreachable (${problem}); set DATABASE_URL, or CLIENTELE_REQUIRE_POSTGRES=1 to fail instead`,
  );
}

/** True when the tests can run. */
export const AVAILABLE = problem === undefined;

/** This run's schema prefix. */
export const RUN = `clientele_t_${process.pid}_${randomBytes(4).toString('hex')}`;

/** A new pool on the test database (errors of idle connections ignored, as tests kill them). */
export function newPool(max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  return pool;
}

/** Drops every schema of this run. */
export async function dropRunSchemas(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ nspname: string }>(
    'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)',
    [RUN],
  );
  for (const { nspname } of rows) {
    await pool.query(`DROP SCHEMA "${nspname.replace(/"/g, '""')}" CASCADE`);
  }
}

/** The change-feed channel of the store in `schema`. */
export async function channelOf(pool: pg.Pool, schema: string): Promise<string> {
  const { rows } = await pool.query<{ value: string }>(
    `SELECT value FROM "${schema.replace(/"/g, '""')}".clientele_meta WHERE key = 'store_id'`,
  );
  return `clientele_${rows[0]?.value ?? ''}`;
}

/** Terminates, from the server side, the change-feed connections of the store in `schema`. */
export async function terminateFeeds(pool: pg.Pool, schema: string): Promise<number> {
  const channel = await channelOf(pool, schema);
  const { rows } = await pool.query<{ terminated: boolean }>(
    `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE application_name = $1`,
    [`clientele feed ${channel}`],
  );
  return rows.length;
}

/** Terminates every connection (but the caller's) that uses the store in `schema`. */
export async function terminateAll(
  pool: pg.Pool,
  applicationNames: readonly string[],
): Promise<number> {
  const { rows } = await pool.query<{ terminated: boolean }>(
    `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE pid <> pg_backend_pid() AND application_name = ANY($1)`,
    [applicationNames],
  );
  return rows.length;
}
