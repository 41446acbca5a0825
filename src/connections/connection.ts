/**
 * Connections: the identity sources (database, social, enterprise, passwordless) that
 * clients let users sign in with. One connection may be enabled for many clients.
 *
 * A returned {@link Connection} is frozen, with its `options` readable as stored, secrets
 * included (an identity server needs a social connection's `client_secret`). Its
 * `toJSON()` and `util.inspect` output, and those of its `options` object, show the values
 * of secret-looking option keys as `[redacted]`.
 *
 * Besides the fields it interprets, a connection carries Auth0's other connection fields
 * unchanged (`display_name`, `realms`, `metadata`, `is_domain_connection`, …): each is
 * listed with its JSON type and size limit in `CONNECTION_PASS_THROUGH_FIELDS`.
 *
 * @see https://auth0.com/docs/authenticate/identity-providers
 * @see https://auth0.com/docs/api/management/v2/connections/post-connections
 * @module
 */
import { inspect, type InspectOptionsStylized } from 'node:util';
import { setOwn } from '../lib/set-own.js';
import type { JsonObject } from '../client/settings.js';
import {
  deepFrozenCopy,
  frozenPassThrough,
  redactedPassThrough,
  type PassThroughRule,
  type PassThroughTable,
} from '../apis/pass-through.js';
import { redactOptions } from './redact-options.js';
import {
  connectionCategory,
  type ConnectionCategory,
  type ConnectionStrategy,
} from './strategies.js';

const boolean: PassThroughRule = { types: ['boolean'] };
const object = (maxJsonLength: number): PassThroughRule => ({ types: ['object'], maxJsonLength });

/**
 * Auth0 connection fields the library stores without interpreting them: field → JSON type
 * and size limit (Auth0's where it documents one: `display_name` 128 characters,
 * `metadata` 10 members of at most 255 characters). `scim_configuration` and
 * `directory_provisioning_configuration` are the Deploy CLI's (it exports them with the
 * connection). `provisioning_ticket_url` is read-only in Auth0: accepted from exports,
 * checked and dropped. Any field neither here nor interpreted is `unknown_property`.
 *
 * @see https://auth0.com/docs/api/management/v2/connections/get-connections-by-id
 * @internal
 */
export const CONNECTION_PASS_THROUGH_FIELDS: PassThroughTable = Object.freeze({
  display_name: { types: ['string'], maxLength: 128 },
  realms: {
    types: ['array'],
    maxItems: 100,
    each: { types: ['string'], minLength: 1, maxLength: 255 },
  },
  metadata: {
    types: ['object'],
    maxProperties: 10,
    each: { types: ['string', 'null'], maxLength: 255 },
  },
  is_domain_connection: boolean,
  show_as_button: boolean,
  authentication: object(1_000),
  connected_accounts: object(1_000),
  // Cross App Access (Okta's XAA): the connection as a requesting app ({ active }) or a
  // resource app ({ status: 'enabled' | 'disabled' }); null turns the resource role off.
  cross_app_access_requesting_app: object(1_000),
  cross_app_access_resource_app: { types: ['object', 'null'], maxJsonLength: 1_000 },
  scim_configuration: object(100_000),
  directory_provisioning_configuration: object(100_000),

  // Read-only in Auth0 (AD/LDAP connections): the connector's provisioning ticket.
  provisioning_ticket_url: {
    types: ['string'],
    maxLength: 2048,
    readOnly:
      'provisioning_ticket_url is read-only in Auth0 (issued for the AD/LDAP connector) and cannot be given in a patch',
  },
} satisfies Record<string, PassThroughRule>);

/**
 * What `tenant.connections.create` accepts: the fields the library interprets, Auth0's
 * other connection fields (passed through unchanged, see {@link ConnectionSettings}), and
 * Auth0's read-only `provisioning_ticket_url` (checked and dropped). A connection read from
 * the Management API is a valid input as it is, except for its `id`; a Deploy CLI export
 * names `enabled_clients` by client name, which an importer maps to this tenant's ids.
 *
 * @example
 * ```ts
 * const input: ConnectionInput = {
 *   name: 'google',
 *   strategy: 'google-oauth2',
 *   enabled_clients: [spa.client_id],
 *   options: { client_id: 'google-app-id', client_secret: 'google-app-secret' },
 *   display_name: 'Google',
 * };
 * ```
 */
export interface ConnectionInput extends Partial<Omit<ConnectionSettings, 'strategy' | 'options'>> {
  /**
   * Unique per tenant (compared without regard to case): 1–128 ASCII letters, digits and
   * `-`, starting and ending with a letter or digit.
   */
  name: string;
  /** An Auth0 strategy of {@link CONNECTION_STRATEGIES}; cannot change after create. */
  strategy: string;
  /** Ids of existing clients that may use the connection; unique. Default none. */
  enabled_clients?: string[];
  /** Provider settings, stored as given (a plain JSON object). Default `{}`. */
  options?: object;
  /**
   * Read-only in Auth0: the URL with the ticket an AD/LDAP connector registers with.
   * Accepted on create (exports hold it) and dropped; not accepted in a patch.
   */
  provisioning_ticket_url?: string;
}

/**
 * Validated connection settings, with the defaults filled in, and the Auth0 fields the
 * library passes through unchanged when they were given (each type-checked, with a size
 * limit).
 */
export interface ConnectionSettings {
  /** The name. */
  name: string;
  /** The strategy. */
  strategy: ConnectionStrategy;
  /** Enabled client ids, in the order given. */
  enabled_clients: string[];
  /** Provider settings (a JSON copy of the input). */
  options: JsonObject;
  /** Auth0: the name shown on the login page, at most 128 characters. Passed through. */
  display_name?: string;
  /**
   * Auth0: the realms (usually email domains) the connection serves; at most 100
   * non-empty strings of at most 255 characters. Passed through.
   */
  realms?: string[];
  /**
   * Auth0: at most 10 members whose values are strings of at most 255 characters, or
   * `null`. Passed through.
   */
  metadata?: Record<string, string | null>;
  /** Auth0: a domain-level connection, usable by third-party clients. Passed through. */
  is_domain_connection?: boolean;
  /** Auth0: show a button for it on the login page. Passed through. */
  show_as_button?: boolean;
  /**
   * Auth0: whether the connection is used to log in (`{ active }`); at most 1,000
   * characters of JSON. Passed through.
   */
  authentication?: JsonObject;
  /**
   * Auth0: whether it is used for connected accounts and Token Vault (`{ active,
   * cross_app_access? }`); at most 1,000 characters of JSON. Passed through.
   */
  connected_accounts?: JsonObject;
  /**
   * Auth0: the connection as a Cross App Access requesting application (`{ active }`); at
   * most 1,000 characters of JSON. Passed through.
   */
  cross_app_access_requesting_app?: JsonObject;
  /**
   * Auth0: the connection as a Cross App Access resource application (`{ status:
   * 'enabled' | 'disabled' }`, or `null`); at most 1,000 characters of JSON. Passed through.
   */
  cross_app_access_resource_app?: JsonObject | null;
  /**
   * Deploy CLI: the connection's SCIM settings (`{ mapping, user_id_attribute }`); at most
   * 100,000 characters of JSON. Passed through.
   */
  scim_configuration?: JsonObject;
  /**
   * Deploy CLI: directory provisioning of a `google-apps` connection (`{ mapping,
   * synchronize_automatically }`); at most 100,000 characters of JSON. Passed through.
   */
  directory_provisioning_configuration?: JsonObject;
}

/** A validated patch: only the fields given (the strategy cannot change). */
export type ConnectionPatch = Partial<Omit<ConnectionSettings, 'strategy'>>;

/**
 * A connection as plain data, secrets in `options` redacted: what `toJSON()` returns. The
 * Auth0 fields passed through are included as stored.
 */
export interface ConnectionJson extends Partial<ConnectionSettings> {
  /** The connection id. */
  id: string;
  /** The name. */
  name: string;
  /** The strategy. */
  strategy: ConnectionStrategy;
  /** Enabled client ids. */
  enabled_clients: string[];
  /** Provider settings, values of secret-looking keys replaced by `[redacted]`. */
  options: JsonObject;
}

/**
 * One connection as `tenant.connections` returns it: a frozen copy of the stored record.
 * Its own enumerable properties are Auth0's `{ id, name, strategy, enabled_clients,
 * options }` plus the Auth0 fields passed through that it was given (frozen at every
 * level); `category` is derived from the strategy and not enumerable.
 *
 * @example
 * ```ts
 * const google = await tenant.connections.get(connectionId);
 * google.category; // 'social'
 * google.options.client_secret; // readable
 * JSON.stringify(google); // … "client_secret":"[redacted]" …
 * ```
 */
export interface Connection extends Readonly<
  Omit<ConnectionSettings, 'enabled_clients' | 'options' | 'realms'>
> {
  /** Assigned by the tenant: `con_` and 32 random letters and digits. */
  readonly id: string;
  /** The name. */
  readonly name: string;
  /** The strategy. */
  readonly strategy: ConnectionStrategy;
  /** The strategy's category (derived, read-only, not enumerable). */
  readonly category: ConnectionCategory;
  /** Enabled client ids. */
  readonly enabled_clients: readonly string[];
  /**
   * Provider settings as stored, secrets readable; frozen at every level. Its own
   * `toJSON()` and `util.inspect` output redact secret-looking keys.
   */
  readonly options: Readonly<JsonObject>;
  /** Auth0's realms (usually email domains), passed through; frozen. */
  readonly realms?: readonly string[];
  /** Plain data with secrets in `options` redacted. */
  toJSON(): ConnectionJson;
}

/**
 * The stored record of a connection (collection `connections`, keyed by `id`).
 *
 * @internal
 */
export type ConnectionRecord = ConnectionSettings & {
  /** The record id. */
  id: string;
};

/**
 * A frozen {@link Connection} from a stored record (copied; nothing is shared).
 *
 * @internal
 */
export function createConnection(record: ConnectionRecord): Connection {
  return Object.freeze(new ConnectionSnapshot(record));
}

class ConnectionSnapshot implements Connection {
  readonly id: string;
  readonly name: string;
  readonly strategy: ConnectionStrategy;
  readonly enabled_clients: readonly string[];
  readonly options: Readonly<JsonObject>;

  constructor(record: ConnectionRecord) {
    this.id = record.id;
    this.name = record.name;
    this.strategy = record.strategy;
    this.enabled_clients = Object.freeze(
      Array.isArray(record.enabled_clients) ? [...record.enabled_clients] : [],
    );
    this.options = frozenOptions(isObject(record.options) ? record.options : {});
    // Own enumerable properties only for the fields given, so the shape matches Auth0's.
    Object.assign(this, frozenPassThrough(record, CONNECTION_PASS_THROUGH_FIELDS));
  }

  get category(): ConnectionCategory {
    // Records are validated on write; a hand-edited store could still hold anything.
    return connectionCategory(this.strategy) ?? 'enterprise';
  }

  toJSON(): ConnectionJson {
    return {
      id: this.id,
      name: this.name,
      strategy: this.strategy,
      enabled_clients: [...this.enabled_clients],
      options: redactOptions(this.options),
      ...redactedPassThrough(this, CONNECTION_PASS_THROUGH_FIELDS),
    };
  }

  [inspect.custom](depth: number, options: InspectOptionsStylized, nested: typeof inspect): string {
    if (depth < 0) return options.stylize('[Connection]', 'special');
    const shown = { ...this.toJSON(), category: this.category };
    const inner = { ...options, depth: options.depth === null ? null : (options.depth ?? 2) - 1 };
    return `Connection ${nested(shown, inner)}`;
  }
}

/**
 * A deep, frozen copy of the options; the top object also gets non-enumerable `toJSON`
 * and `util.inspect` hooks that redact (validation refuses a `toJSON` option key, so
 * nothing stored is hidden by them).
 */
function frozenOptions(options: Readonly<JsonObject>): Readonly<JsonObject> {
  const copy: JsonObject = {};
  for (const key of Object.keys(options)) {
    setOwn(copy, key, deepFrozenCopy(options[key]));
  }
  const hooks: PropertyDescriptorMap = {
    [inspect.custom]: {
      value: (depth: number, inspectOptions: InspectOptionsStylized, nested: typeof inspect) =>
        depth < 0
          ? inspectOptions.stylize('[Object]', 'special')
          : nested(redactOptions(copy), {
              ...inspectOptions,
              depth: inspectOptions.depth === null ? null : (inspectOptions.depth ?? 2) - 1,
            }),
    },
  };
  if (!Object.hasOwn(copy, 'toJSON')) hooks['toJSON'] = { value: () => redactOptions(copy) };
  Object.defineProperties(copy, hooks);
  return Object.freeze(copy);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
