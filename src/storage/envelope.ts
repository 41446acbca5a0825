/**
 * The FileStore file format: one JSON object (the envelope) holding every collection.
 *
 * ```json
 * {"format":"clientele-store","formatVersion":1,"revision":42,
 *  "collections":{"clients":[{"id":"abc","version":3,"value":{...}}]}}
 * ```
 *
 * Records are arrays, not objects keyed by id, because JavaScript objects put
 * integer-like keys (`"7"`, `"10"`) first and the store promises insertion order. The
 * header fields come first in a fixed order so a writer can read the revision from the
 * first bytes of the file without parsing the rest (see {@link peekRevision}).
 *
 * @internal
 * @module
 */
import type { Collections } from './batch.js';
import { deepFreezeParsed, MAX_JSON_DEPTH } from './json-value.js';
import type { StoredRecord } from './store.js';

/** Value of the envelope's `format` field. */
export const STORE_FORMAT = 'clientele-store';
/** The only `formatVersion` this release reads and writes. */
export const STORE_FORMAT_VERSION = 1;
/** How many leading bytes {@link peekRevision} needs. */
export const HEADER_BYTES = 96;

/** The decoded content of a store file. */
export interface StoreSnapshot {
  /** Grows by one on every write; 0 for a missing file. */
  readonly revision: number;
  /** Every record, deep-frozen. */
  readonly collections: Collections;
}

/** Either the decoded snapshot or why the text is not a valid store file. */
export type DecodeResult = { ok: true; snapshot: StoreSnapshot } | { ok: false; reason: string };

const HEADER = `{"format":${JSON.stringify(STORE_FORMAT)},"formatVersion":${STORE_FORMAT_VERSION},"revision":`;
const HEADER_PATTERN = new RegExp(`^${escapeRegExp(HEADER)}(\\d{1,16}),`);

/** Serialises `collections` at `revision`; empty collections are left out. */
export function encodeEnvelope(revision: number, collections: Collections): string {
  const parts: string[] = [];
  for (const [name, records] of collections) {
    if (records.size === 0) continue;
    // Records are frozen `{ id, version, value }` objects, so they serialise as they are.
    parts.push(`${JSON.stringify(name)}:${JSON.stringify([...records.values()])}`);
  }
  return `${HEADER}${revision},"collections":{${parts.join(',')}}}\n`;
}

/**
 * The revision written in the first bytes of a file produced by {@link encodeEnvelope},
 * or `undefined` when the header is not in that exact form (a hand-edited file, which
 * the caller then reads in full).
 */
export function peekRevision(head: string): number | undefined {
  const match = HEADER_PATTERN.exec(head);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Parses and checks a store file's text. Never throws. */
export function decodeEnvelope(text: string): DecodeResult {
  if (text.trim() === '') return fail('the file is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`it is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) return fail('it is not a JSON object');
  if (parsed['format'] !== STORE_FORMAT) {
    return fail(`"format" is ${JSON.stringify(parsed['format'])}, expected "${STORE_FORMAT}"`);
  }
  const formatVersion = parsed['formatVersion'];
  if (formatVersion !== STORE_FORMAT_VERSION) {
    const newer = typeof formatVersion === 'number' && formatVersion > STORE_FORMAT_VERSION;
    return fail(
      `"formatVersion" is ${JSON.stringify(formatVersion)}, expected ${STORE_FORMAT_VERSION}` +
        (newer ? ' (written by a newer clientele; upgrade to read it)' : ''),
    );
  }
  const revision = parsed['revision'];
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    return fail('"revision" must be a non-negative integer');
  }
  const raw = parsed['collections'];
  if (!isObject(raw)) return fail('"collections" must be an object');
  const collections: Collections = new Map();
  for (const [name, records] of Object.entries(raw)) {
    const where = `collections/${JSON.stringify(name)}`;
    if (name === '') return fail('a collection name is empty');
    if (!Array.isArray(records)) return fail(`${where} must be an array of records`);
    const byId = new Map<string, StoredRecord>();
    for (const [index, entry] of (records as unknown[]).entries()) {
      const problem = checkRecord(entry, byId);
      if (problem) return fail(`${where}/${index} ${problem}`);
      byId.set((entry as StoredRecord).id, entry as StoredRecord);
    }
    if (byId.size > 0) collections.set(name, byId);
  }
  return { ok: true, snapshot: { revision, collections } };
}

function checkRecord(entry: unknown, seen: ReadonlyMap<string, StoredRecord>): string | undefined {
  if (!isObject(entry)) return 'is not a record object';
  const { id, version } = entry;
  if (typeof id !== 'string' || id === '') return 'has no non-empty string "id"';
  if (seen.has(id)) return `repeats the id ${JSON.stringify(id)}`;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return 'has no positive integer "version"';
  }
  if (!('value' in entry)) return 'has no "value"';
  if (Object.keys(entry).length !== 3) return 'has fields other than "id", "version" and "value"';
  if (!deepFreezeParsed(entry['value'])) return `is nested deeper than ${MAX_JSON_DEPTH} levels`;
  Object.freeze(entry);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): DecodeResult {
  return { ok: false, reason };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
