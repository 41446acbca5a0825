/**
 * One `details` object for events whose details are equal and flat. Most events of a
 * server repeat a few details exactly (`{ operation: 'client_authentication', method:
 * 'client_secret_basic', grant_type: 'client_credentials', request }` for every
 * client-credentials request), and a store-backed log keeps 10,000 events: sharing them
 * saved 76 bytes an event. Events are frozen, so sharing is invisible but to `===`.
 *
 * Only details whose values are strings, finite numbers, booleans or `null`, or an object
 * of strings (`request` without `auth`), are shared; the table is bounded
 * (`BoundedTable`), and so is the length of what it is keyed by.
 *
 * @internal
 * @module
 */
import { BoundedTable } from '../lib/intern.js';

type Details = Readonly<Record<string, unknown>>;

/** Longest key kept: longer details (an error's whole message) are rarely repeated. */
const MAX_KEY_LENGTH = 512;

const SHARED = new BoundedTable<Details>(1024);

/** An equal `details` object seen before, or `details` itself (remembered when flat). */
export function sharedDetails(details: Details): Details {
  let key = '';
  for (const name of Object.keys(details)) {
    const part = flatPart(details[name], true);
    if (part === undefined) return details;
    key += `${name.length}:${name}${part.length}:${part}`;
    if (key.length > MAX_KEY_LENGTH) return details;
  }
  return SHARED.get(key) ?? SHARED.set(key, details);
}

/**
 * `value` written so that different values never meet (each name and value is prefixed by
 * its length, so no content can pass for a boundary); `undefined` when not flat.
 */
function flatPart(value: unknown, nest: boolean): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return value ? 't' : 'f';
    case 'object': {
      if (value === null) return 'z';
      if (!nest || Array.isArray(value)) return undefined;
      let inner = 'o';
      for (const name of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[name];
        if (typeof item !== 'string') return undefined;
        inner += `${name.length}:${name}${item.length}:${item}`;
      }
      return inner;
    }
    default:
      return undefined;
  }
}
