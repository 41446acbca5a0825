/**
 * The second line of defence against secrets in audit `details`: callers must not put
 * secrets there, and whatever slips through under a secret-looking key is replaced by
 * {@link REDACTED} before any listener or sink sees it.
 *
 * `details` is copied as the JSON data a sink would write — `toJSON()` applied, functions,
 * symbols and `undefined` dropped, bigints as strings, `NaN` and infinities as `null`,
 * errors as `{ name, message, code }` — so a class instance cannot carry a secret past the
 * redaction (a live `Client` object still has its `client_secret`; its JSON does not), no
 * sink fails on a cycle, and the copy is deep-frozen JSON at most
 * {@link MAX_DETAILS_HEIGHT} levels tall, which a store keeps without copying it again.
 * Its strings are shared with earlier copies where equal (`intern`).
 */
import { intern } from './intern.js';
import { JWK_PRIVATE_MEMBERS } from './jwk-private-members.js';
import { setOwn } from './set-own.js';

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Key names (after normalising case, `-` and camelCase to snake_case) whose values are
 * always redacted.
 */
const SECRET_KEYS = new Set([
  'secret',
  'client_secret',
  'registration_access_token',
  'initial_access_token',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'password',
  'passphrase',
  'private_key',
  'authorization',
  'proxy_authorization',
  'cookie',
  'set_cookie',
  'api_key',
  'code_verifier',
]);

/** Key name endings that mark a secret (`old_client_secret`, `db_password`, `hec_token`). */
const SECRET_SUFFIXES = ['_secret', '_password', '_private_key', '_token', '_api_key'];

/** Deeper structures are cut off: audit details are small, and this bounds the walk. */
const MAX_DEPTH = 32;

/** The most levels of objects below the top of a copy {@link redactDetails} returns. */
export const MAX_DETAILS_HEIGHT = MAX_DEPTH + 1;

/** Verdicts per key seen: detail keys come from code, so there are few distinct ones. */
const verdicts = new Map<string, boolean>();

/**
 * Whether values under `key` are secrets (after normalising its case, `-` and camelCase to
 * snake_case): `client_secret`, `signing_secret`, `password`, `*_token`, ….
 *
 * @internal
 */
export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const name = key
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/-/g, '_');
    verdict = SECRET_KEYS.has(name) || SECRET_SUFFIXES.some((suffix) => name.endsWith(suffix));
    // Bounded in case a caller uses data as keys.
    if (verdicts.size < 10_000) verdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * Returns a frozen deep copy of `details` as JSON data, with the values of secret-looking
 * keys replaced by {@link REDACTED}. With `request` (the trail's own deep-frozen JSON of
 * strings, taken as it is), the result is that of `{ ...details, request }` unless
 * `details` has a `request` of its own. Never throws.
 */
export function redactDetails(
  details: unknown,
  request?: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  let copy: unknown;
  try {
    if (request === undefined || hasOwnRequest(details)) {
      copy = toData(details, [], 0);
    } else if (details === undefined || isPlainRecord(details)) {
      // The copy of `{ ...details, request }`, without building that object first.
      copy = objectData(details ?? EMPTY, [], 0, request);
    } else {
      copy = toData({ ...(details as object), request }, [], 0);
    }
  } catch {
    // Only a hostile value (a throwing proxy) gets here; record must not fail because of it.
    return UNSERIALISABLE;
  }
  if (typeof copy === 'object' && copy !== null && !Array.isArray(copy)) {
    return copy as Readonly<Record<string, unknown>>;
  }
  // A non-object `details` is kept, under a key, rather than dropped.
  return copy === undefined ? EMPTY : Object.freeze({ value: copy });
}

function hasOwnRequest(details: unknown): boolean {
  return typeof details === 'object' && details !== null && 'request' in details;
}

/** An object whose own fields are all a spread copies: no class, no `toJSON`. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
const UNSERIALISABLE: Readonly<Record<string, unknown>> = Object.freeze({
  value: '[unserialisable]',
});

function toData(value: unknown, ancestors: object[], depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return intern(value);
    case 'boolean':
      return value;
    case 'number':
      // As JSON writes them: no NaN or infinities, and -0 as 0.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      // undefined, functions and symbols: what JSON.stringify leaves out.
      return undefined;
  }
  if (value === null) return null;
  if (ancestors.includes(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let json: unknown;
    try {
      json = toJSON.call(value);
    } catch {
      return '[unserialisable]';
    }
    // A toJSON that returns its own object would recurse forever; take its fields instead.
    if (json !== value) return toData(json, [...ancestors, value], depth + 1);
  }
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      return Object.freeze(
        Array.from(value, (item: unknown) => toData(item, ancestors, depth + 1) ?? null),
      );
    }
    if (value instanceof Error) return errorData(value);
    return objectData(value as Record<string, unknown>, ancestors, depth);
  } finally {
    ancestors.pop();
  }
}

function objectData(
  value: Record<string, unknown>,
  ancestors: object[],
  depth: number,
  request?: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const isJwk = typeof value['kty'] === 'string';
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const raw = read(value, key);
    const item =
      canHoldSecret(raw) && isSecret(key, isJwk) ? REDACTED : toData(raw, ancestors, depth + 1);
    if (item !== undefined) setOwn(copy, key, item);
  }
  if (request !== undefined) copy['request'] = request;
  return Object.freeze(copy);
}

function isSecret(key: string, isJwk: boolean): boolean {
  return isSecretKey(key) || (isJwk && JWK_PRIVATE_MEMBERS.has(key));
}

/** null, booleans and what JSON drops carry no secret: `{ has_secret: true }` stays readable. */
function canHoldSecret(value: unknown): boolean {
  const type = typeof value;
  return (
    value !== null &&
    (type === 'string' || type === 'number' || type === 'bigint' || type === 'object')
  );
}

function read(value: Record<string, unknown>, key: string): unknown {
  try {
    return value[key];
  } catch {
    return '[unreadable]';
  }
}

function errorData(error: Error): Readonly<Record<string, unknown>> {
  const code = (error as { code?: unknown }).code;
  const { name, message } = error;
  return Object.freeze({
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : '',
    ...(typeof code === 'string' ? { code } : {}),
  });
}
