/**
 * `Tenant`: the facade that wires a store, an audit trail and signing keys to the client
 * registry, APIs, connections, token issuance and Dynamic Client Registration.
 *
 * @module
 */
import { AuditTrail } from './audit/trail.js';
import { MemoryStore } from './storage/memory-store.js';
import type { Store } from './storage/store.js';
import type { PublicJwks } from './tokens/key-ring.js';
import { ClientRegistry } from './tenant/clients.js';
import type { TenantContext } from './tenant/context.js';
import { TenantKeys } from './tenant/keys.js';
import { readTenantOptions, type TenantConfig, type TenantOptions } from './tenant/options.js';

/**
 * One tenant: its clients, APIs, connections and keys, with audit and storage.
 *
 * @example
 * ```ts
 * const tenant = await Tenant.create({ domain: 'acme.example.com' });
 * const spa = await tenant.clients.create({
 *   name: 'Storefront',
 *   app_type: 'spa',
 *   callbacks: ['https://shop.example.com/callback'],
 * });
 * spa.allowsCallback('https://shop.example.com/callback'); // true
 * await tenant.close();
 * ```
 */
export class Tenant {
  /** The registry of client applications. */
  readonly clients: ClientRegistry;
  /**
   * The audit trail: an eventemitter3 emitter (`'event'` and one event name per Auth0 log
   * type code) with `flush()`.
   */
  readonly audit: AuditTrail;
  /** The tenant domain. */
  readonly domain: string;
  /** The issuer (`iss`) of the tokens this tenant issues. */
  readonly issuer: string;
  /** The store this tenant reads and writes. */
  readonly store: Store;

  readonly #keys: TenantKeys;
  #closing: Promise<void> | undefined;

  private constructor(config: TenantConfig, store: Store, audit: AuditTrail) {
    this.domain = config.domain;
    this.issuer = config.issuer;
    this.store = store;
    this.audit = audit;
    const context: TenantContext = {
      store,
      audit,
      domain: config.domain,
      issuer: config.issuer,
      now: config.now,
    };
    this.clients = new ClientRegistry(context);
    this.#keys = new TenantKeys(store, config.keySource, config.now);
  }

  /**
   * Creates a tenant. Nothing is written until the first operation, except Auth0's
   * "Default App" when `defaultApp` is set and the store holds no client yet.
   *
   * @throws {@link InvalidArgumentError} naming the option that is wrong.
   */
  static async create(options: TenantOptions): Promise<Tenant> {
    const config = readTenantOptions(options);
    const store = options.store ?? new MemoryStore();
    const audit = new AuditTrail({ ...options.audit, sinks: options.auditSinks ?? [] });
    const tenant = new Tenant(config, store, audit);
    if (config.defaultApp && (await store.list('clients')).length === 0) {
      await tenant.clients.create({ name: 'Default App', app_type: 'regular_web' });
    }
    return tenant;
  }

  /**
   * The public JSON Web Key Set of the tenant's signing keys (never a private member).
   * Generates the first key when the store has none.
   *
   * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
   */
  async jwks(): Promise<PublicJwks> {
    return (await this.#keys.freshRing()).jwks();
  }

  /**
   * Waits until every audit event has been delivered (or dead-lettered), closes the sinks
   * and the store. Idempotent.
   */
  async close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.audit.close();
      await this.store.close?.();
    })();
    return this.#closing;
  }
}
