/**
 * Where the secrets are in the records the Tenant stores: the fields `secretsKey`
 * encrypts. Each collection maps a record's value to the paths of its secret values; a
 * path that is absent in a record is skipped.
 *
 * The same function finds the paths when sealing a plain value and when opening a stored
 * one, so both must give the same paths for a value and its sealed form: true for fixed
 * field names, and for connection options because redaction decides on key names (and
 * turns any string under a secret name into `[redacted]`).
 */
import { redactOptions } from '../connections/redact-options.js';
import type { JsonObject } from '../client/settings.js';
import { escapePointer } from '../lib/json-pointer.js';
import { REDACTED } from '../lib/redact.js';
import { SINK_SECRETS, type LogStreamType } from '../log-streams/stream.js';

/** Member names (or array indexes) from a record's root to one value. */
export type FieldPath = readonly (string | number)[];

/** The collections whose records hold secrets. */
export function secretCollections(): string[] {
  return Object.keys(SECRET_FIELDS);
}

/** The secret paths of a record of each collection that holds secrets. */
const SECRET_FIELDS: Readonly<Record<string, (value: unknown) => FieldPath[]>> = {
  /** The current client secret (HS256 id tokens and client_secret_jwt need it as it is). */
  clients: () => [['client_secret']],
  /** The previous secret while a rotation's overlap lasts. */
  client_credentials: () => [['previous_secret', 'secret']],
  /** An HS256 API's signing secret. */
  apis: () => [['signing_secret']],
  /** The private half of every signing key of the ring. */
  keys: (value) => {
    const keys = (value as { keys?: unknown } | null)?.keys;
    return Array.isArray(keys) ? keys.map((_, index) => ['keys', index, 'privateJwk']) : [];
  },
  /** The secret DPoP nonces are made with. */
  dpop_nonce_secrets: () => [['secret']],
  /** A log stream's sink secrets (`httpAuthorization`, `datadogApiKey`, `splunkToken`). */
  log_streams: (value) => {
    const type = (value as { type?: unknown } | null)?.type;
    const fields =
      typeof type === 'string' && Object.hasOwn(SINK_SECRETS, type)
        ? SINK_SECRETS[type as LogStreamType]
        : [];
    return fields.map((field) => ['sink', field]);
  },
  /** Whatever a printed connection shows as `[redacted]` in its options. */
  connections: (value) => {
    const options = (value as { options?: unknown } | null)?.options;
    if (!isObject(options)) return [];
    return redactedPaths(options, redactOptions(options as JsonObject), ['options']);
  },
};

/** The paths of the secret values in a record of `collection` (none for most). */
export function secretPaths(collection: string, value: unknown): FieldPath[] {
  const find = Object.hasOwn(SECRET_FIELDS, collection) ? SECRET_FIELDS[collection] : undefined;
  return find === undefined ? [] : find(value);
}

/** The JSON pointer of a path (`/options/configuration`). */
export function pointerOf(path: FieldPath): string {
  return path.map((token) => `/${escapePointer(String(token))}`).join('');
}

/** The value at `path`, or `undefined`. */
export function valueAt(root: unknown, path: FieldPath): unknown {
  let node = root;
  for (const token of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/**
 * A copy of `root` with the value at `path` replaced; only the objects along the path are
 * copied, the rest is shared (stored values are frozen).
 */
export function withValueAt(root: unknown, path: FieldPath, value: unknown): unknown {
  const [token, ...rest] = path;
  if (token === undefined) return value;
  const node = root as Record<string, unknown>;
  const next = withValueAt(node[token], rest, value);
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[token as number] = next;
    return copy;
  }
  // defineProperty, so a member named __proto__ stays a member.
  return Object.defineProperty({ ...node }, token, {
    value: next,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Paths where `redacted` holds `[redacted]` and `original` held something else. */
function redactedPaths(original: unknown, redacted: unknown, base: FieldPath): FieldPath[] {
  if (redacted === REDACTED) return original === REDACTED ? [] : [base];
  if (typeof original !== 'object' || original === null) return [];
  if (typeof redacted !== 'object' || redacted === null) return [];
  const paths: FieldPath[] = [];
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(redacted, key)) continue;
    const token = Array.isArray(original) ? Number(key) : key;
    paths.push(
      ...redactedPaths(
        (original as Record<string, unknown>)[key],
        (redacted as Record<string, unknown>)[key],
        [...base, token],
      ),
    );
  }
  return paths;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
