/**
 * `tenant.pushedAuthorizationRequests`: pushed authorization requests (RFC 9126) kept in
 * the store (collection `pushed_authorization_requests`, by the hash of the `request_uri`)
 * so any instance sharing it can serve the `/authorize` that follows. Each is used once:
 * `take` deletes it at the version it read, so of two instances taking the same
 * `request_uri` at once only one gets it.
 */
import {
  ConflictError,
  InvalidArgumentError,
  InvalidRequestUriError,
  NotFoundError,
} from '../errors.js';
import type { PushedAuthorizationRequestConfig } from '../par/options.js';
import { newRequestUri, NOT_PUSHED, requestUriId } from '../par/request-uri.js';
import { pushRequirement, requestUriLifetime } from '../par/requirement.js';
import type { Client } from '../client/client.js';
import { sweepExpired } from './authorization-records.js';
import { escapePointer } from '../lib/json-pointer.js';
import type { TenantContext } from './context.js';

const COLLECTION = 'pushed_authorization_requests';
/** Parameters that would make the pushed request point elsewhere (RFC 9126 §2.1). */
const NESTED: ReadonlySet<string> = new Set(['request_uri', 'request']);
const SWEEP_EVERY = 256;

/** What the store keeps of a push. */
interface PushedRecord {
  readonly client_id: string;
  /** The authorization request's parameters, as checked at the push. */
  readonly params: Readonly<Record<string, string>>;
  /** Whether they came in a verified request object (JAR). */
  readonly signed: boolean;
  /** NumericDate after which the `request_uri` is refused. */
  readonly expires_at: number;
}

/** A pushed request, taken. */
export interface PushedRequest {
  /** Its parameters, `client_id` included. */
  readonly params: Readonly<Record<string, string>>;
  /** Whether they came in a verified request object (JAR). */
  readonly signed: boolean;
}

/** The push endpoint's answer (RFC 9126 §2.2). */
export interface PushedRequestUri {
  /** `urn:ietf:params:oauth:request_uri:…`, to send to `/authorize` with `client_id`. */
  readonly request_uri: string;
  /** Seconds it stays usable. */
  readonly expires_in: number;
}

/** Pushed authorization requests of one tenant. */
export class PushedAuthorizationRequests {
  readonly #context: TenantContext;
  readonly #config: PushedAuthorizationRequestConfig;
  #pushed = 0;

  /** @internal */
  constructor(context: TenantContext, config: PushedAuthorizationRequestConfig) {
    this.#context = context;
    this.#config = config;
  }

  /** Whether every authorization request of the tenant must be pushed first. */
  get required(): boolean {
    return this.#config.required;
  }

  /**
   * Why `client` must push its authorization requests (Auth0's words), or undefined when
   * a plain `/authorize` request is allowed.
   */
  requirementFor(client: Client): string | undefined {
    return pushRequirement(client, this.#config.required);
  }

  /**
   * Keeps an authorization request `client` pushed, already checked as `/authorize` checks
   * it, and returns its one-time `request_uri`, valid for the client's `par_request_expiry`
   * or the tenant's `lifetimeSeconds` (default 60). Client credentials are never stored.
   *
   * @throws {@link InvalidArgumentError} when `params` is not an object of strings, or
   *   holds a `request_uri` or a `request` (RFC 9126 §2.1).
   * @see https://www.rfc-editor.org/rfc/rfc9126#section-2.2
   */
  async push(
    client: Client,
    params: Readonly<Record<string, string>>,
    options: { signed?: boolean } = {},
  ): Promise<PushedRequestUri> {
    if (typeof params !== 'object' || (params as unknown) === null) {
      throw new InvalidArgumentError('/params', 'params must be an object of strings');
    }
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      const pointer = `/params/${escapePointer(name)}`;
      if (typeof value !== 'string') {
        throw new InvalidArgumentError(pointer, `${pointer} must be a string`);
      }
      if (NESTED.has(name)) {
        throw new InvalidArgumentError(
          pointer,
          `${pointer}: a pushed request is pushed with its parameters, never by reference or as a request object (verify one with requestObjects.verify and push its parameters)`,
        );
      }
      if (!NOT_PUSHED.has(name)) kept[name] = value;
    }
    const lifetime = requestUriLifetime(client, this.#config.lifetimeSeconds);
    const requestUri = newRequestUri();
    await this.#context.store.insert<PushedRecord>(COLLECTION, requestUriId(requestUri) as string, {
      client_id: client.client_id,
      params: { ...kept, client_id: client.client_id },
      signed: options.signed === true,
      expires_at: this.#seconds() + lifetime,
    });
    if (++this.#pushed % SWEEP_EVERY === 0) await this.#sweep();
    return { request_uri: requestUri, expires_in: lifetime };
  }

  /**
   * Takes the pushed request `requestUri` names for `clientId`, once.
   *
   * @throws {@link InvalidRequestUriError} for an unknown, expired or used `request_uri`,
   *   or one pushed by another client (which stays usable by its own).
   * @see https://www.rfc-editor.org/rfc/rfc9126#section-4
   */
  async take(requestUri: unknown, clientId: string): Promise<PushedRequest> {
    const id = requestUriId(requestUri);
    if (id === undefined) {
      throw new InvalidRequestUriError('request_uri is not a request URI of this server');
    }
    const record = await this.#context.store.get<PushedRecord>(COLLECTION, id);
    if (!record) throw new InvalidRequestUriError('request_uri is unknown, used or expired');
    if (record.value.client_id !== clientId) {
      throw new InvalidRequestUriError('request_uri was pushed by another client');
    }
    try {
      await this.#context.store.delete(COLLECTION, id, record.version);
    } catch (error) {
      if (error instanceof ConflictError || error instanceof NotFoundError) {
        throw new InvalidRequestUriError('request_uri is unknown, used or expired');
      }
      throw error;
    }
    if (record.value.expires_at <= this.#seconds()) {
      throw new InvalidRequestUriError('request_uri has expired');
    }
    return { params: record.value.params, signed: record.value.signed };
  }

  /** Deletes expired requests (at most 1,000). Never throws: the next sweep looks again. */
  async #sweep(): Promise<void> {
    try {
      await sweepExpired<PushedRecord>(
        this.#context.store,
        COLLECTION,
        (record) => record.expires_at,
        this.#seconds(),
      );
    } catch {
      // The store is busy or down: the push itself is stored, which is what matters.
    }
  }

  #seconds(): number {
    return Math.floor(this.#context.now() / 1000);
  }
}
