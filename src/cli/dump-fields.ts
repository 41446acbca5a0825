/**
 * Entries read from a Management API dump carry fields that Auth0 sets and no create or
 * update accepts (its responses hold them; `GET /client-grants` returns `id` and
 * `is_system`). The Deploy CLI strips them before deploying, so a file holding them is
 * checked as what would be deployed: they are dropped before validation, never an error
 * per object. (Clients need nothing here: `validateClientSettings` itself drops Auth0's
 * read-only client fields.)
 *
 * @module
 */
import { isRecord } from './pointer.js';

/** The kinds of entries besides clients. */
export type DumpedKind = 'api' | 'connection' | 'grant';

/**
 * Per kind, the fields of the SDK's response type (`ResourceServer`,
 * `ConnectionForList`, `ClientGrantResponseContent`) that its create and update request
 * types do not have, and that validation would refuse.
 */
const RESPONSE_ONLY_FIELDS: Readonly<Record<DumpedKind, readonly string[]>> = {
  api: ['id', 'is_system'],
  connection: ['id'],
  grant: ['id', 'is_system'],
};

/** `raw` without the response-only fields of its kind (a copy; `raw` itself is kept). */
export function withoutResponseFields(kind: DumpedKind, raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const dropped = RESPONSE_ONLY_FIELDS[kind];
  if (!dropped.some((field) => field in raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([field]) => !dropped.includes(field)));
}

/**
 * True for an entry Auth0 created itself (`is_system: true`: the Management API's grants,
 * system APIs such as the My Account API). The Deploy CLI never deploys a system grant.
 */
export function isSystemEntry(raw: unknown): boolean {
  return isRecord(raw) && raw['is_system'] === true;
}
