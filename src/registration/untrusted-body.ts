/**
 * Safe access to an untrusted request body: whether it is a plain object, how to describe
 * it, and reading one own property once as plain JSON. None of these throws, whatever the
 * body is: proxies, getters that throw, cycles and huge arrays all come back as results.
 */
import { describeValue } from '../client/messages.js';
import { jsonSnapshot } from '../client/json-snapshot.js';

/** What {@link readOwn} found. */
export type ReadResult = { value: unknown } | { unreadable: string } | { tooMany: number };

/** A plain object (any realm's `Object.prototype`, or none): what JSON.parse makes. */
export function isObject(value: unknown): value is object {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === null || Object.getPrototypeOf(proto) === null;
  } catch {
    return false;
  }
}

/** `describeValue(body)`, or a fixed phrase when describing it throws. */
export function describeBody(body: unknown): string {
  try {
    return describeValue(body);
  } catch {
    return 'an unreadable value';
  }
}

/**
 * Reads an own property once and copies it as plain JSON. `null` and `undefined` come
 * back as `undefined` (absent). Arrays longer than `maxItems` are not copied at all: only
 * their length comes back.
 */
export function readOwn(body: object, name: string, maxItems?: number): ReadResult {
  let raw: unknown;
  try {
    if (!Object.hasOwn(body, name)) return { value: undefined };
    raw = (body as Record<string, unknown>)[name];
  } catch {
    return { unreadable: 'could not be read (reading it threw)' };
  }
  if (raw === undefined || raw === null) return { value: undefined };
  if (typeof raw !== 'object') return { value: raw };
  let length: number | undefined;
  try {
    length = Array.isArray(raw) ? raw.length : undefined;
  } catch {
    return { unreadable: 'could not be read (inspecting it threw)' };
  }
  if (length !== undefined && maxItems !== undefined && length > maxItems) {
    return { tooMany: length };
  }
  const snapshot = jsonSnapshot(raw);
  const issue = snapshot.issues[0];
  if (issue) return { unreadable: `could not be read as JSON (${issue.code})` };
  return { value: snapshot.value };
}
