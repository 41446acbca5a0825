/**
 * The lists whose order means nothing to Auth0, compared as sets: per object type, the
 * list's path (array indices left out) and how an entry is identified. An entry on one side
 * only is added or removed at its own pointer (`/callbacks/2`); entries identified alike
 * are the same entry, however they are spelled. Any other list is compared as a whole, in
 * order.
 *
 * URL list entries are identified as the allow lists compare them (`UrlPattern.key`):
 * scheme and host in lower case, IDN as punycode, the default port dropped, an empty path
 * as `/`, a logout URL without its query, an origin without its path. So
 * `HTTPS://Shop.Example.com:443` and `https://shop.example.com/` are one callback, while
 * `/cb` and `/cb/` (or `/CB`) stay two, as Auth0 matches them.
 *
 * @module
 */
import { URL_LIST_FIELDS, URL_LIST_KINDS } from '../client/settings.js';
import type { JsonValue } from '../client/settings.js';
import type { AllowListKind } from '../urls/kinds.js';
import { parsePattern } from '../client/pattern-cache.js';
import type { DiffObjectType } from './types.js';

/** How the entries of one set-like list are identified. */
export interface SetList {
  /**
   * The identity of an entry: entries with equal identities are one entry. Entries of a
   * type the list does not hold get a key of their own (compared as JSON).
   */
  identify(entry: JsonValue): string;
  /**
   * For lists of objects identified by one member (an API's scopes by `value`): compare
   * the members of two entries with the same identity, at the after side's index.
   */
  compareMembers?: boolean;
}

const asJson = (entry: JsonValue): string => `json ${JSON.stringify(entry)}`;

/** Entries are strings compared exactly (scopes, grant types, client names). */
const exactStrings: SetList = {
  identify: (entry) => (typeof entry === 'string' ? `text ${entry}` : asJson(entry)),
};

/** Entries are allow-list URLs of `kind`, compared as the allow list compares them. */
function urls(kind: AllowListKind): SetList {
  return {
    identify(entry) {
      if (typeof entry !== 'string') return asJson(entry);
      const parsed = parsePattern(kind, entry.trim());
      if (!parsed.ok) return `text ${entry.trim()}`;
      const { key, wildcard } = parsed.pattern;
      // A wildcard entry's key keeps only its `*` label; its prefix and suffix matter too.
      return wildcard ? `url ${wildcard.prefix}*${wildcard.suffix} ${key}` : `url ${key}`;
    },
  };
}

/** Objects identified by their `value` member (an API's scopes). */
const byValue: SetList = {
  identify: (entry) =>
    typeof entry === 'object' && entry !== null && !Array.isArray(entry)
      ? typeof entry['value'] === 'string'
        ? `value ${entry['value']}`
        : asJson(entry)
      : asJson(entry),
  compareMembers: true,
};

/** Per object type: list path (`/`-joined member names) → how its entries are identified. */
export const SET_LISTS: Readonly<Record<DiffObjectType, Readonly<Record<string, SetList>>>> = {
  client: {
    ...Object.fromEntries(URL_LIST_FIELDS.map((field) => [field, urls(URL_LIST_KINDS[field])])),
    grant_types: exactStrings,
    client_aliases: exactStrings,
    allowed_clients: exactStrings,
    'oidc_logout/backchannel_logout_urls': exactStrings,
    organization_discovery_methods: exactStrings,
  },
  api: { scopes: byValue },
  connection: { enabled_clients: exactStrings },
  grant: { scope: exactStrings, authorization_details_types: exactStrings },
};
