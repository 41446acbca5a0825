/**
 * The tenant option `clientIdMetadataDocuments`: one switch for dynamic CIMD and the limits
 * of every fetch, checked once with typed errors naming the option.
 */
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_CACHE_POLICY, type CachePolicy } from './cache.js';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  type FetchDocumentOptions,
  type ResolvedAddress,
} from './fetch.js';

/** Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document). */
export interface ClientIdMetadataDocumentsOptions {
  /**
   * Dynamic CIMD: an `https` URL `client_id` at `/authorize` and `/oauth/token` is fetched,
   * validated and becomes (or refreshes) a third-party client. Default false. Clients
   * registered through the Management API (`/clients/cimd/register`) work either way.
   */
  enabled: boolean;
  /**
   * Fetch from hosts that resolve to private, loopback, link-local or other special
   * addresses. For tests and intranets only. Default false.
   */
  allowPrivateNetwork?: boolean;
  /** Largest document, in bytes: 256..1048576, default 5120. */
  maxBytes?: number;
  /** Milliseconds one fetch may take, all included: 100..60000, default 5000. */
  timeoutMs?: number;
  /** Shortest time a document is cached, whatever its headers say (seconds). Default 300. */
  minCacheSeconds?: number;
  /** Longest time a document is cached, whatever its headers say (seconds). Default 86400. */
  maxCacheSeconds?: number;
  /**
   * How long past its freshness the last good document is still served while its host is
   * down (seconds, at most 86400). Default 3600; 0 refuses at once.
   */
  staleIfErrorSeconds?: number;
  /**
   * Most documents fetched at once, all URLs together (1..1000, default 16). A request for
   * another URL meanwhile gets that URL's stale document if one is kept, else the error
   * `cimd_busy`: anonymous requests naming many URLs cannot open as many connections.
   */
  maxConcurrentFetches?: number;
  /** A Fetch API `fetch` used instead of the built-in client (tests). */
  fetch?: typeof globalThis.fetch;
  /** Resolves host names instead of `dns.lookup` (tests). */
  lookup?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
  /** Certificate authorities to trust besides the system's (PEM), for tests and intranets. */
  ca?: string | readonly string[];
}

/** Checked options. @internal */
export interface CimdConfig {
  readonly enabled: boolean;
  readonly fetch: FetchDocumentOptions;
  readonly cache: CachePolicy;
}

/** Largest `jwks_uri` document (Auth0's limit). */
export const MAX_JWKS_BYTES = 12 * 1024;

/** Checks the option; `undefined` gives the disabled defaults. @internal */
export function readCimdOptions(value: unknown): CimdConfig {
  const pointer = '/clientIdMetadataDocuments';
  if (value === undefined) {
    return {
      enabled: false,
      fetch: { maxBytes: DEFAULT_MAX_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS },
      cache: DEFAULT_CACHE_POLICY,
    };
  }
  if (typeof value !== 'object' || value === null) {
    throw new InvalidArgumentError(
      pointer,
      `${pointer} must be an object such as { enabled: true }`,
    );
  }
  const given = value as Partial<ClientIdMetadataDocumentsOptions>;
  if (typeof given.enabled !== 'boolean') {
    throw new InvalidArgumentError(`${pointer}/enabled`, `${pointer}/enabled must be a boolean`);
  }
  const flag = (name: 'allowPrivateNetwork') => {
    const flagValue = given[name];
    if (flagValue !== undefined && typeof flagValue !== 'boolean') {
      throw new InvalidArgumentError(`${pointer}/${name}`, `${pointer}/${name} must be a boolean`);
    }
    return flagValue === true;
  };
  const whole = (
    name:
      | 'maxBytes'
      | 'timeoutMs'
      | 'minCacheSeconds'
      | 'maxCacheSeconds'
      | 'staleIfErrorSeconds'
      | 'maxConcurrentFetches',
    min: number,
    max: number,
    fallback: number,
  ) => {
    const number = given[name];
    if (number === undefined) return fallback;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(
        `${pointer}/${name}`,
        `${pointer}/${name} must be a whole number from ${min} to ${max}`,
      );
    }
    return number;
  };
  for (const name of ['fetch', 'lookup'] as const) {
    if (given[name] !== undefined && typeof given[name] !== 'function') {
      throw new InvalidArgumentError(`${pointer}/${name}`, `${pointer}/${name} must be a function`);
    }
  }
  const ca = given.ca;
  if (
    ca !== undefined &&
    typeof ca !== 'string' &&
    !(Array.isArray(ca) && ca.every((entry) => typeof entry === 'string'))
  ) {
    throw new InvalidArgumentError(
      `${pointer}/ca`,
      `${pointer}/ca must be PEM text or a list of them`,
    );
  }
  const minCacheSeconds = whole('minCacheSeconds', 0, 86_400, DEFAULT_CACHE_POLICY.minCacheSeconds);
  const maxCacheSeconds = whole(
    'maxCacheSeconds',
    0,
    604_800,
    DEFAULT_CACHE_POLICY.maxCacheSeconds,
  );
  if (maxCacheSeconds < minCacheSeconds) {
    throw new InvalidArgumentError(
      `${pointer}/maxCacheSeconds`,
      `${pointer}/maxCacheSeconds must not be below minCacheSeconds (${minCacheSeconds})`,
    );
  }
  return {
    enabled: given.enabled,
    fetch: {
      allowPrivateNetwork: flag('allowPrivateNetwork'),
      maxBytes: whole('maxBytes', 256, 1_048_576, DEFAULT_MAX_BYTES),
      timeoutMs: whole('timeoutMs', 100, 60_000, DEFAULT_TIMEOUT_MS),
      ...(given.fetch === undefined ? {} : { fetch: given.fetch }),
      ...(given.lookup === undefined ? {} : { lookup: given.lookup }),
      ...(ca === undefined ? {} : { ca }),
    },
    cache: {
      minCacheSeconds,
      maxCacheSeconds,
      staleIfErrorSeconds: whole(
        'staleIfErrorSeconds',
        0,
        86_400,
        DEFAULT_CACHE_POLICY.staleIfErrorSeconds,
      ),
      maxEntries: DEFAULT_CACHE_POLICY.maxEntries,
      failureSeconds: DEFAULT_CACHE_POLICY.failureSeconds,
      maxConcurrentFetches: whole(
        'maxConcurrentFetches',
        1,
        1_000,
        DEFAULT_CACHE_POLICY.maxConcurrentFetches,
      ),
    },
  };
}
