/**
 * `Tenant.create` options: their shape, and the checks that turn them into a validated
 * configuration (typed errors with a JSON pointer for anything wrong).
 */
import type { AuditSink } from '../audit/event.js';
import type { AuditTrailOptions } from '../audit/trail.js';
import { InvalidArgumentError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { isSigningAlgorithm, type SigningAlgorithm } from '../tokens/algorithms.js';
import type { SigningKeyRecord } from '../tokens/signing-keys.js';
import { canonicalHttpUrl } from '../urls/canonical-http-url.js';
import type { SecretBox } from '../lib/secret-box.js';
import {
  readBackchannelLogoutOptions,
  type BackchannelLogoutConfig,
  type BackchannelLogoutOptions,
} from '../backchannel-logout/delivery.js';
import {
  readSessionOptions,
  type SessionLifetimes,
  type SessionOptions,
} from '../sessions/lifetimes.js';
import {
  readCimdOptions,
  type CimdConfig,
  type ClientIdMetadataDocumentsOptions,
} from '../cimd/options.js';
import { readDpopOptions, type DpopConfig, type DpopOptions } from '../dpop/options.js';
import {
  readParOptions,
  type PushedAuthorizationRequestConfig,
  type PushedAuthorizationRequestOptions,
} from '../par/options.js';
import {
  readLogStreamOptions,
  type LogStreamConfig,
  type LogStreamOptions,
} from '../log-streams/options.js';
import type { KeySource } from './keys.js';
import { readSecretsKey, type SecretsKey } from './secrets-key.js';

/** Dynamic Client Registration settings (RFC 7591). */
export interface DynamicRegistrationOptions {
  /** Registration is refused (`access_denied`) unless this is true. */
  enabled: boolean;
  /**
   * When set, `register` requires this initial access token (RFC 7591 §3), compared in
   * constant time. At least 16 characters. Open registration (no token) is asked for by
   * leaving the property out or setting it to `null`; a property that is present but
   * `undefined` (an unset environment variable) or empty is an `InvalidArgumentError`,
   * so a missing secret never opens registration to anyone.
   */
  initialAccessToken?: string | null;
}

/** Chooses the algorithm of the signing key generated on first use. */
export interface GeneratedSigningKeys {
  /** Algorithm of the generated key (RS256, PS256, ES256 or RS512). */
  algorithm: SigningAlgorithm;
}

/** Options of `Tenant.create`. */
export interface TenantOptions {
  /** The tenant's domain, such as `acme.eu.auth0.com` (a host, optionally with a port). */
  domain: string;
  /** `iss` of every token. Default `https://{domain}/`. An absolute http(s) URL. */
  issuer?: string;
  /** Where data lives. Default: a new `MemoryStore`. */
  store?: Store;
  /** Audit sinks; every event is delivered to each of them. */
  auditSinks?: readonly AuditSink[];
  /**
   * Retry policy, batch size and dead-letter callback of the audit trail, and the
   * `hostname` of its events (default: `domain`).
   */
  audit?: Omit<AuditTrailOptions, 'sinks'>;
  /**
   * Signing keys. Records (from `generateSigningKey`) are used as they are and not stored;
   * `{ algorithm }` chooses the algorithm of the key generated on first use and persisted
   * through the store (default RS256).
   */
  signingKeys?: readonly SigningKeyRecord[] | GeneratedSigningKeys;
  /** Dynamic Client Registration; disabled when absent. */
  dynamicRegistration?: DynamicRegistrationOptions;
  /** Create Auth0's "Default App" (regular_web) when the store holds no client yet. Default false. */
  defaultApp?: boolean;
  /**
   * What client create and update do with lint errors (a spa with a secret method, `none`
   * on a machine-to-machine client, HS256 or client_credentials on a public client):
   * `refuse` (default) throws a `ValidationError` whose issues are the findings, so an
   * identity server never holds a broken client; `accept` stores them, to mirror a real
   * Auth0 tenant as it is.
   */
  lintErrors?: 'refuse' | 'accept';
  /** Clock in milliseconds since the epoch, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * The token endpoint URL, accepted (besides the issuer) as the `aud` of client
   * assertions. Default `{issuer}oauth/token`. An absolute http(s) URL.
   */
  tokenEndpoint?: string;
  /**
   * Encrypts secrets before they reach the store: client secrets (current and previous),
   * connection option secrets, API signing secrets and the private signing keys, with
   * AES-256-GCM, each bound to its collection, record and field. 32 bytes from the
   * embedding app (a secret manager, an environment variable), or `{ id, key }` entries, or
   * a list of them to rotate: the first encrypts, every one decrypts. Reads decrypt
   * transparently; records stored in plain text keep loading and are encrypted on their
   * next write. Without it, secrets are stored as they are (see docs/storage.md).
   */
  secretsKey?: SecretsKey;
  /**
   * Login sessions (`createProvider` starts one at every login): seconds a session lives
   * without use (`idleLifetime`, default 3 days) and at most (`absoluteLifetime`, default
   * 7 days), Auth0's tenant defaults; live sessions per user (`maxPerUser`, default 100: a
   * login past it ends the user's oldest).
   */
  session?: SessionOptions;
  /**
   * OIDC Back-Channel Logout delivery: attempts per client (default 3), timeout per
   * attempt, backoff, the most deliveries waiting at once, and the `fetch` to post with.
   */
  backchannelLogout?: BackchannelLogoutOptions;
  /**
   * Client ID Metadata Documents: `enabled` turns on dynamic CIMD (an https URL
   * `client_id` becomes a third-party client from the document it names); the limits of
   * every fetch (`maxBytes` 5 KB, `timeoutMs`, `minCacheSeconds` 300, `maxCacheSeconds`
   * 86400) and `allowPrivateNetwork` for tests and intranets. Off when absent.
   */
  clientIdMetadataDocuments?: ClientIdMetadataDocumentsOptions;
  /**
   * Registration hygiene: delete clients that registered themselves (Dynamic Client
   * Registration) or were made by dynamic CIMD once they have not been used for this many
   * seconds (at least 3600). A bounded sweep runs at most hourly. Never when absent.
   */
  deleteUnusedRegisteredClientsAfter?: number;
  /**
   * DPoP (RFC 9449): server nonces, how long a proof is accepted, which algorithms. DPoP is
   * always served; which tokens are bound follows the clients' and APIs' Auth0 settings.
   */
  dpop?: DpopOptions;
  /**
   * Pushed Authorization Requests (RFC 9126): the tenant-wide requirement and the default
   * lifetime of a `request_uri`.
   */
  pushedAuthorizationRequests?: PushedAuthorizationRequestOptions;
  /**
   * Log stream delivery: whether streams may point at private and loopback addresses
   * (`allowPrivateNetwork`, default true), the `fetch` deliveries go through, the
   * function that puts EventBridge entries, batching (`batchMaxEvents` 100,
   * `batchMaxWaitMs` 1,000), retries (3, from 1 s) before a stream is suspended, and how
   * many events are kept, and for how long, for streams that do not deliver now.
   */
  logStreams?: LogStreamOptions;
}

/** Validated, defaulted options. @internal */
export interface TenantConfig {
  readonly domain: string;
  readonly issuer: string;
  readonly keySource: KeySource;
  readonly dynamicRegistration: {
    readonly enabled: boolean;
    readonly initialAccessToken: string | undefined;
  };
  readonly defaultApp: boolean;
  readonly lintErrors: 'refuse' | 'accept';
  readonly now: () => number;
  readonly tokenEndpoint: string;
  readonly secrets: SecretBox | undefined;
  readonly session: SessionLifetimes;
  readonly backchannelLogout: BackchannelLogoutConfig;
  readonly clientIdMetadataDocuments: CimdConfig;
  readonly deleteUnusedRegisteredClientsAfter: number | undefined;
  readonly dpop: DpopConfig;
  readonly pushedAuthorizationRequests: PushedAuthorizationRequestConfig;
  readonly logStreams: LogStreamConfig;
}

const STORE_METHODS = ['get', 'list', 'insert', 'replace', 'delete', 'commit'] as const;
const MIN_INITIAL_ACCESS_TOKEN = 16;

/** Checks `options` and fills in defaults. @internal */
export function readTenantOptions(options: unknown): TenantConfig {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('', 'options must be an object with at least a domain');
  }
  const given = options as Partial<TenantOptions>;
  const domain = checkDomain(given.domain);
  const issuer = given.issuer === undefined ? `https://${domain}/` : checkIssuer(given.issuer);
  if (given.store !== undefined) checkStore(given.store);
  if (given.auditSinks !== undefined && !Array.isArray(given.auditSinks)) {
    throw new InvalidArgumentError('/auditSinks', 'auditSinks must be an array of sinks');
  }
  if (given.audit !== undefined && (typeof given.audit !== 'object' || given.audit === null)) {
    throw new InvalidArgumentError('/audit', 'audit must be an object');
  }
  if (given.defaultApp !== undefined && typeof given.defaultApp !== 'boolean') {
    throw new InvalidArgumentError('/defaultApp', 'defaultApp must be a boolean');
  }
  if (
    given.lintErrors !== undefined &&
    given.lintErrors !== 'refuse' &&
    given.lintErrors !== 'accept'
  ) {
    throw new InvalidArgumentError('/lintErrors', 'lintErrors must be "refuse" or "accept"');
  }
  if (given.now !== undefined && typeof given.now !== 'function') {
    throw new InvalidArgumentError('/now', 'now must be a function returning milliseconds');
  }
  return {
    domain,
    issuer,
    keySource: readKeySource(given.signingKeys),
    dynamicRegistration: readRegistration(given.dynamicRegistration),
    defaultApp: given.defaultApp ?? false,
    lintErrors: given.lintErrors ?? 'refuse',
    now: given.now ?? Date.now,
    tokenEndpoint:
      given.tokenEndpoint === undefined
        ? `${issuer}oauth/token`
        : checkTokenEndpoint(given.tokenEndpoint),
    secrets: readSecretsKey(given.secretsKey),
    session: readSessionOptions(given.session),
    backchannelLogout: readBackchannelLogoutOptions(given.backchannelLogout),
    clientIdMetadataDocuments: readCimdOptions(given.clientIdMetadataDocuments),
    deleteUnusedRegisteredClientsAfter: readUnusedSeconds(given.deleteUnusedRegisteredClientsAfter),
    dpop: readDpopOptions(given.dpop),
    pushedAuthorizationRequests: readParOptions(given.pushedAuthorizationRequests),
    logStreams: readLogStreamOptions(given.logStreams),
  };
}

function checkDomain(domain: unknown): string {
  if (typeof domain !== 'string' || domain.length === 0 || domain.length > 253) {
    throw new InvalidArgumentError(
      '/domain',
      'domain must be a host name such as acme.eu.auth0.com',
    );
  }
  let url: URL | undefined;
  try {
    url = /^[A-Za-z0-9.:[\]-]+$/.test(domain) ? new URL(`https://${domain}/`) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.host !== domain.toLowerCase()) {
    throw new InvalidArgumentError(
      '/domain',
      `domain must be a host name such as acme.eu.auth0.com, without scheme or path (got ${JSON.stringify(domain.slice(0, 100))})`,
    );
  }
  return url.host;
}

function checkIssuer(issuer: unknown): string {
  const url = canonicalHttpUrl(issuer);
  if (!url) {
    throw new InvalidArgumentError(
      '/issuer',
      'issuer must be an absolute http(s) URL in canonical form, without query or fragment (https://acme.example.com/)',
    );
  }
  return url.href;
}

function checkTokenEndpoint(value: unknown): string {
  const url = canonicalHttpUrl(value, true);
  if (!url) {
    throw new InvalidArgumentError(
      '/tokenEndpoint',
      'tokenEndpoint must be an absolute http(s) URL in canonical form, without fragment or credentials (https://acme.example.com/oauth/token)',
    );
  }
  return url.href;
}

function checkStore(store: unknown): void {
  for (const method of STORE_METHODS) {
    if (typeof (store as Record<string, unknown> | null)?.[method] !== 'function') {
      throw new InvalidArgumentError(
        '/store',
        `store must implement the Store interface (missing ${method}())`,
      );
    }
  }
}

function readKeySource(signingKeys: unknown): KeySource {
  if (signingKeys === undefined) return { kind: 'stored', algorithm: 'RS256' };
  if (Array.isArray(signingKeys))
    return { kind: 'fixed', records: signingKeys as SigningKeyRecord[] };
  const algorithm = (signingKeys as { algorithm?: unknown } | null)?.algorithm;
  if (!isSigningAlgorithm(algorithm)) {
    throw new InvalidArgumentError(
      '/signingKeys',
      'signingKeys must be an array of key records or { algorithm: "RS256" | "PS256" | "ES256" | "RS512" }',
    );
  }
  return { kind: 'stored', algorithm };
}

function readRegistration(value: unknown): TenantConfig['dynamicRegistration'] {
  if (value === undefined) return { enabled: false, initialAccessToken: undefined };
  if (typeof value !== 'object' || value === null) {
    throw new InvalidArgumentError(
      '/dynamicRegistration',
      'dynamicRegistration must be an object such as { enabled: true }',
    );
  }
  const { enabled, initialAccessToken } = value as Partial<DynamicRegistrationOptions>;
  if (typeof enabled !== 'boolean') {
    throw new InvalidArgumentError(
      '/dynamicRegistration/enabled',
      'dynamicRegistration.enabled must be a boolean',
    );
  }
  // Present but undefined is how an unset environment variable arrives: refuse it rather
  // than open registration to anyone. Open registration is asked for by omission or null.
  if (Object.hasOwn(value, 'initialAccessToken') && initialAccessToken === undefined) {
    throw new InvalidArgumentError(
      '/dynamicRegistration/initialAccessToken',
      'dynamicRegistration.initialAccessToken is present but undefined (an unset environment variable?); leave the property out or set it to null for open registration',
    );
  }
  if (initialAccessToken === undefined || initialAccessToken === null) {
    return { enabled, initialAccessToken: undefined };
  }
  if (
    typeof initialAccessToken !== 'string' ||
    initialAccessToken.length < MIN_INITIAL_ACCESS_TOKEN
  ) {
    throw new InvalidArgumentError(
      '/dynamicRegistration/initialAccessToken',
      `dynamicRegistration.initialAccessToken must be a string of at least ${MIN_INITIAL_ACCESS_TOKEN} characters (an empty one never opens registration; use null for open registration)`,
    );
  }
  return { enabled, initialAccessToken };
}

function readUnusedSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 3_600 ||
    value > 31_536_000
  ) {
    throw new InvalidArgumentError(
      '/deleteUnusedRegisteredClientsAfter',
      'deleteUnusedRegisteredClientsAfter must be a whole number of seconds from 3600 (an hour) to 31536000 (a year)',
    );
  }
  return value;
}
