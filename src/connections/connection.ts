/**
 * Connections: the identity sources (database, social, enterprise, passwordless) that
 * clients let users sign in with. One connection may be enabled for many clients.
 *
 * A returned {@link Connection} is frozen, with its `options` readable as stored, secrets
 * included (an identity server needs a social connection's `client_secret`). Its
 * `toJSON()` and `util.inspect` output, and those of its `options` object, show the values
 * of secret-looking option keys as `[redacted]`.
 *
 * @see https://auth0.com/docs/authenticate/identity-providers
 * @module
 */
import { inspect, type InspectOptionsStylized } from 'node:util';
import { setOwn } from '../client/json-snapshot.js';
import type { JsonObject } from '../client/settings.js';
import { redactOptions } from './redact-options.js';
import {
  connectionCategory,
  type ConnectionCategory,
  type ConnectionStrategy,
} from './strategies.js';

/**
 * What `tenant.connections.create` accepts.
 *
 * @example
 * ```ts
 * const input: ConnectionInput = {
 *   name: 'google',
 *   strategy: 'google-oauth2',
 *   enabled_clients: [spa.client_id],
 *   options: { client_id: 'google-app-id', client_secret: 'google-app-secret' },
 * };
 * ```
 */
export interface ConnectionInput {
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
}

/** Validated connection settings, with the defaults filled in. */
export interface ConnectionSettings {
  /** The name. */
  name: string;
  /** The strategy. */
  strategy: ConnectionStrategy;
  /** Enabled client ids, in the order given. */
  enabled_clients: string[];
  /** Provider settings (a JSON copy of the input). */
  options: JsonObject;
}

/** A validated patch: only the fields given (the strategy cannot change). */
export type ConnectionPatch = Partial<Omit<ConnectionSettings, 'strategy'>>;

/** A connection as plain data, secrets in `options` redacted: what `toJSON()` returns. */
export interface ConnectionJson {
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
 * Its own enumerable properties are exactly Auth0's `{ id, name, strategy,
 * enabled_clients, options }`; `category` is derived from the strategy and not enumerable.
 *
 * @example
 * ```ts
 * const google = await tenant.connections.get(connectionId);
 * google.category; // 'social'
 * google.options.client_secret; // readable
 * JSON.stringify(google); // … "client_secret":"[redacted]" …
 * ```
 */
export interface Connection {
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

function deepFrozenCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(deepFrozenCopy));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setOwn(out, key, deepFrozenCopy((value as Record<string, unknown>)[key]));
  }
  return Object.freeze(out);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
