/**
 * PostgresStore's tables and their versioned migration.
 *
 * Every object is named `clientele_*` and lives in the store's schema (the `schema`
 * option, created when missing) or, without one, in the first schema of the connection's
 * search path. `clientele_meta` holds `schema_version` and the store's random id, which
 * names its notification channel. Migrations run under a transaction-scoped advisory
 * lock, so instances starting together migrate once and the others wait and find it done.
 *
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { PoolClient } from 'pg';
import { quoteIdent } from './keys.js';
import { termsOf } from './log-terms.js';

/** The schema version this release creates and understands. */
export const SCHEMA_VERSION = 3;

/** How many revisions of change history a store keeps for feeds that reconnect. */
export const CHANGE_HISTORY = 100_000;

/** Qualified names of a store's objects. */
export interface Names {
  /** `"schema".` or empty. */
  readonly prefix: string;
  readonly records: string;
  readonly positions: string;
  readonly revision: string;
  readonly changes: string;
  readonly meta: string;
  readonly commit: string;
  /** Entries of the append-only logs (version 2). */
  readonly logEntries: string;
}

/** The qualified object names for `schema` (undefined: the search path). */
export function namesFor(schema: string | undefined): Names {
  const prefix = schema === undefined ? '' : `${quoteIdent(schema)}.`;
  return {
    prefix,
    records: `${prefix}clientele_records`,
    positions: `${prefix}clientele_positions`,
    revision: `${prefix}clientele_revision`,
    changes: `${prefix}clientele_changes`,
    meta: `${prefix}clientele_meta`,
    commit: `${prefix}clientele_commit`,
    logEntries: `${prefix}clientele_log_entries`,
  };
}

/** What a migrated store needs to know at run time. */
export interface SchemaInfo {
  /** The LISTEN/NOTIFY channel of this store's data. */
  readonly channel: string;
}

/**
 * Creates or upgrades the tables on `client` (one transaction, under an advisory lock).
 *
 * @throws Error when the database holds a newer schema version than this release knows
 */
export async function migrate(client: PoolClient, schema: string | undefined): Promise<SchemaInfo> {
  const names = namesFor(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `clientele-migrate:${schema ?? ''}`,
    ]);
    if (schema !== undefined)
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${names.meta} (key text PRIMARY KEY, value text NOT NULL)`,
    );
    const { rows } = await client.query<{ key: string; value: string }>(
      `SELECT key, value FROM ${names.meta} WHERE key IN ('schema_version', 'store_id')`,
    );
    const meta = new Map(rows.map((row) => [row.key, row.value]));
    const version = Number(meta.get('schema_version') ?? 0);
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `the database schema is at version ${version}, newer than this release of clientele ` +
          `understands (${SCHEMA_VERSION}); upgrade clientele`,
      );
    }
    let storeId = meta.get('store_id');
    if (version < 1) {
      storeId = randomBytes(12).toString('hex');
      for (const statement of version1(names, `clientele_${storeId}`))
        await client.query(statement);
      await client.query(
        `INSERT INTO ${names.meta} (key, value) VALUES ('schema_version', '1'), ('store_id', $1)`,
        [storeId],
      );
    }
    if (version < 2) {
      for (const statement of version2(names)) await client.query(statement);
      await client.query(`UPDATE ${names.meta} SET value = '2' WHERE key = 'schema_version'`);
    }
    if (version < 3) {
      for (const statement of version3(names)) await client.query(statement);
      await backfillTerms(client, names);
      await client.query(`UPDATE ${names.meta} SET value = '3' WHERE key = 'schema_version'`);
    }
    await client.query('COMMIT');
    return { channel: `clientele_${storeId ?? ''}` };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Version 1: records, positions, the revision counter, the change log and the commit function. */
function version1(n: Names, channel: string): string[] {
  return [
    `CREATE TABLE ${n.records} (
      collection text NOT NULL,
      id text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      position bigint NOT NULL,
      value json NOT NULL,
      PRIMARY KEY (collection, id))`,
    `CREATE INDEX clientele_records_order ON ${n.records} (collection, position)`,
    `CREATE SEQUENCE ${n.positions}`,
    `CREATE TABLE ${n.revision} (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      revision bigint NOT NULL)`,
    `INSERT INTO ${n.revision} (revision) VALUES (0)`,
    `CREATE TABLE ${n.changes} (
      revision bigint NOT NULL,
      collection text NOT NULL,
      id text NOT NULL,
      version integer NOT NULL)`,
    `CREATE INDEX clientele_changes_revision ON ${n.changes} (revision)`,
    commitFunction(n, channel),
  ];
}

/**
 * Version 2: the append-only logs. One row per entry, keyed by (log, id) with ids in
 * byte order (`COLLATE "C"`, so hex `log_id`s sort as they compare in JavaScript); `type`
 * and `client_id` are copies of those top-level string fields of the value (escaped like
 * ids), indexed with the id so `/logs`' filters and paging are index range scans; `at_ms`
 * is indexed for retention by age. The value is `json`, kept verbatim.
 */
function version2(n: Names): string[] {
  return [
    `CREATE TABLE ${n.logEntries} (
      log_name text NOT NULL,
      id text COLLATE "C" NOT NULL,
      at_ms bigint NOT NULL,
      type text,
      client_id text,
      value json NOT NULL,
      PRIMARY KEY (log_name, id))`,
    `CREATE INDEX clientele_log_entries_type ON ${n.logEntries} (log_name, type, id)`,
    `CREATE INDEX clientele_log_entries_client ON ${n.logEntries} (log_name, client_id, id)`,
    `CREATE INDEX clientele_log_entries_time ON ${n.logEntries} (log_name, at_ms)`,
  ];
}

/**
 * Version 3: log search. `terms` holds `field=value` for the searchable fields of each
 * entry (see log-terms.ts) under a GIN index, so a search by type, client, user,
 * connection, IP, ... reads only the matching rows; date ranges use the time index of
 * version 2.
 */
function version3(n: Names): string[] {
  return [
    `ALTER TABLE ${n.logEntries} ADD COLUMN terms text[] NOT NULL DEFAULT '{}'`,
    `CREATE INDEX clientele_log_entries_terms ON ${n.logEntries} USING gin (terms)`,
  ];
}

/** Rows read per step of the version 3 backfill. */
const BACKFILL_STEP = 1_000;

/**
 * Fills `terms` of the entries written before version 3, in steps, inside the migration:
 * the terms are computed by the same function appends use (the values are parsed here,
 * never de-escaped in SQL).
 */
async function backfillTerms(client: PoolClient, n: Names): Promise<void> {
  let cursor: [string, string] | undefined;
  for (;;) {
    const { rows } = await client.query<{ log_name: string; id: string; value: string }>(
      `SELECT log_name, id, value::text AS value FROM ${n.logEntries}
        ${cursor === undefined ? '' : 'WHERE (log_name, id) > ($2, $3)'}
        ORDER BY log_name, id LIMIT $1`,
      cursor === undefined ? [BACKFILL_STEP] : [BACKFILL_STEP, ...cursor],
    );
    if (rows.length === 0) return;
    await client.query(
      `UPDATE ${n.logEntries} AS e SET terms = ARRAY(SELECT json_array_elements_text(u.terms::json))
        FROM unnest($1::text[], $2::text[], $3::text[]) AS u(log_name, id, terms)
        WHERE e.log_name = u.log_name AND e.id = u.id`,
      [
        rows.map((row) => row.log_name),
        rows.map((row) => row.id),
        rows.map((row) => JSON.stringify(termsOf(parsedOrNull(row.value)))),
      ],
    );
    const last = rows.at(-1) as { log_name: string; id: string };
    cursor = [last.log_name, last.id];
    if (rows.length < BACKFILL_STEP) return;
  }
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * `clientele_commit(kinds, collections, ids, expected, values) → json`: applies a checked
 * batch (one array element per operation; values as JSON text, which PostgreSQL's `json`
 * type keeps verbatim, NUL escapes and key order included) in the caller's
 * transaction, in one round trip. Each operation is checked against the row it locks
 * (`version = expected` in the UPDATE/DELETE itself, so a concurrent writer's change is
 * seen); the first refusal raises `CL409` (conflict) or `CL404` (not found) with
 * `[index, currentVersion]` as the message, which rolls everything back. Then the store
 * revision is bumped (its row lock orders commits, so revisions are gapless and in commit
 * order), the change log is appended and one notification is sent, delivered at commit.
 */
function commitFunction(n: Names, channel: string): string {
  const literal = `'${channel}'`;
  return `CREATE FUNCTION ${n.commit}(
  kinds text[], op_collections text[], op_ids text[], expected integer[], vals text[])
RETURNS json
LANGUAGE plpgsql AS $fn$
DECLARE
  op_index integer := 0;
  op_kind text;
  op_collection text;
  op_id text;
  op_expected integer;
  position_1 integer;
  found_version integer;
  written integer;
  collections text[] := '{}';
  ids text[] := '{}';
  versions integer[] := '{}';
  new_revision bigint;
  payload text;
BEGIN
  FOR position_1 IN 1 .. coalesce(array_length(kinds, 1), 0) LOOP
    op_kind := kinds[position_1];
    op_collection := op_collections[position_1];
    op_id := op_ids[position_1];
    op_expected := expected[position_1];
    IF op_kind = 'insert' THEN
      INSERT INTO ${n.records} (collection, id, version, position, value)
        VALUES (op_collection, op_id, 1, nextval('${n.positions}'), vals[position_1]::json)
        ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'CL409', MESSAGE = json_build_array(op_index, 0)::text;
      END IF;
      written := 1;
    ELSE
      IF op_kind = 'replace' THEN
        UPDATE ${n.records} SET version = version + 1, value = vals[position_1]::json
          WHERE collection = op_collection AND id = op_id AND version = op_expected
          RETURNING version INTO written;
      ELSE
        DELETE FROM ${n.records}
          WHERE collection = op_collection AND id = op_id
            AND (op_expected IS NULL OR version = op_expected)
          RETURNING 0 INTO written;
      END IF;
      IF written IS NULL THEN
        SELECT version INTO found_version FROM ${n.records}
          WHERE collection = op_collection AND id = op_id;
        IF found_version IS NULL THEN
          RAISE EXCEPTION USING ERRCODE = 'CL404', MESSAGE = json_build_array(op_index, 0)::text;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'CL409',
          MESSAGE = json_build_array(op_index, found_version)::text;
      END IF;
    END IF;
    collections := collections || op_collection;
    ids := ids || op_id;
    versions := versions || written;
    written := NULL;
    op_index := op_index + 1;
  END LOOP;
  IF op_index = 0 THEN
    RETURN json_build_object('revision', NULL, 'versions', '[]'::json);
  END IF;
  UPDATE ${n.revision} SET revision = revision + 1 RETURNING revision INTO new_revision;
  INSERT INTO ${n.changes} (revision, collection, id, version)
    SELECT new_revision, c, i, v FROM unnest(collections, ids, versions) AS u(c, i, v);
  payload := json_build_object('r', new_revision, 'c', collections, 'i', ids, 'v', versions)::text;
  IF octet_length(payload) > 7900 THEN
    payload := json_build_object('r', new_revision)::text;
  END IF;
  PERFORM pg_notify(${literal}, payload);
  IF new_revision % 1000 = 0 THEN
    DELETE FROM ${n.changes} WHERE revision <= new_revision - ${CHANGE_HISTORY};
  END IF;
  RETURN json_build_object('revision', new_revision, 'versions', versions);
END
$fn$`;
}
