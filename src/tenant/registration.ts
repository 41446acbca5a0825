/**
 * `tenant.registration`: Dynamic Client Registration (RFC 7591, OpenID Connect Dynamic
 * Client Registration 1.0) and its management protocol (RFC 7592), on top of the client
 * registry. Every operation is audited (`sapi`/`fapi`, `details.operation` `dcr_*`);
 * every failure is a {@link RegistrationError}; a failed operation writes nothing.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591
 * @see https://www.rfc-editor.org/rfc/rfc7592
 * @see https://openid.net/specs/openid-connect-registration-1_0.html
 */
import type { ClientRecord } from '../client/client.js';
import { generateClientSecret, secretsEqual } from '../client/credentials.js';
import { isConfidential } from '../client/client.js';
import type { ClientSettings } from '../client/settings.js';
import { validateClientSettings } from '../client/validate.js';
import { ClienteleError, NotFoundError, RegistrationError } from '../errors.js';
import type { JwtAlgorithm } from '../client/settings.js';
import {
  ID_TOKEN_ALGORITHMS,
  REGISTRATION_AUTH_METHODS,
  REGISTRATION_GRANT_TYPES,
  type RegistrationMetadata,
} from '../registration/metadata.js';
import { authSigningAlgorithms } from '../registration/oidc-readers.js';
import {
  generateRegistrationAccessToken,
  hashRegistrationAccessToken,
  REGISTRATION_COLLECTION,
  REGISTRATION_TOKEN_COLLECTION,
  registrationTokenMatches,
  type RegistrationRecord,
  type RegistrationTokenIndex,
} from '../registration/record.js';
import { registrationResponse, type RegistrationResponse } from '../registration/response.js';
import {
  REGISTRATION_SETTINGS,
  settingsProblems,
  toClientInput,
  updatedSettings,
} from '../registration/to-settings.js';
import {
  registrationErrorOf,
  validateRegistrationMetadata,
} from '../registration/validate-metadata.js';
import type { StoredRecord } from '../storage/store.js';
import type { StoredCredential } from '../client/public-key-credential.js';
import type { ClientRegistry } from './clients.js';
import { credentialsFromJwks } from './credentials.js';
import type { TenantContext } from './context.js';
import type { KeySource } from './keys.js';
import type { TenantConfig } from './options.js';
import { revokeMisusedToken } from './registration-tokens.js';
import { MAX_ID_LENGTH, isId, retrying } from './registry-kit.js';

/** Options of {@link RegistrationService.register}. */
export interface RegisterOptions {
  /**
   * The initial access token the caller presented (the bearer token of the registration
   * request, without `Bearer `). Required when the tenant is configured with one.
   */
  initialAccessToken?: string | undefined;
  /**
   * Fetches a `jwks_uri` for a `private_key_jwt` registration, when the embedding server
   * allows that (it decides which URLs may be fetched, with what timeout and size
   * limit). Without it, `jwks_uri` is never fetched and such a registration must send
   * `jwks`. The keys it answers are stored as the client's credentials.
   */
  fetchJwks?: ((jwksUri: string) => Promise<unknown>) | undefined;
}

/** Options of {@link RegistrationService.update}. */
export type UpdateRegistrationOptions = Pick<RegisterOptions, 'fetchJwks'>;

/**
 * What registration accepts and honours, for a discovery document (OIDC Discovery §3,
 * RFC 8414 §2): a provider advertises exactly these.
 */
export interface RegistrationSupport {
  /** `id_token_signed_response_alg` values: the algorithms the tenant can sign. */
  readonly id_token_signing_alg_values_supported: readonly JwtAlgorithm[];
  /** `token_endpoint_auth_method` values registration accepts. */
  readonly token_endpoint_auth_methods_supported: readonly string[];
  /** `token_endpoint_auth_signing_alg` values some accepted method allows. */
  readonly token_endpoint_auth_signing_alg_values_supported: readonly string[];
  /** `grant_types` values registration accepts. */
  readonly grant_types_supported: readonly string[];
  /** `subject_type` values: `public` only. */
  readonly subject_types_supported: readonly string[];
}

/** The `details.operation` of each registration audit event. */
export type RegistrationOperation = 'dcr_register' | 'dcr_read' | 'dcr_update' | 'dcr_delete';

const CLIENTS = 'clients';
const OWNED: ReadonlySet<string> = new Set(REGISTRATION_SETTINGS);
const INVALID_TOKEN = 'the registration access token is not valid for this client';

/** Why a token check failed: for the audit trail only, never for the caller. */
type TokenFailure =
  'malformed_request' | 'unknown_registration' | 'token_mismatch' | 'unknown_client';

/** What a failed operation adds to its audit event. */
interface FailureNote {
  reason?: TokenFailure;
  fields?: string[];
  /** The client whose registration access token was revoked for being misused. */
  revoked?: string;
}

/** A verified registration: the stored client and registration records. */
interface Verified {
  readonly client: StoredRecord<ClientRecord>;
  readonly registration: StoredRecord<RegistrationRecord>;
}

/**
 * Dynamic Client Registration for one tenant (`tenant.registration`).
 *
 * @example
 * ```ts
 * const tenant = await Tenant.create({ domain: 'id.example.com', dynamicRegistration: { enabled: true } });
 * const registered = await tenant.registration.register({
 *   client_name: 'Photo Printer',
 *   redirect_uris: ['https://printer.example.org/callback'],
 * });
 * const current = await tenant.registration.read(registered.client_id, registered.registration_access_token);
 * await tenant.registration.delete(registered.client_id, registered.registration_access_token);
 * ```
 */
export class RegistrationService {
  readonly #context: TenantContext;
  readonly #config: TenantConfig['dynamicRegistration'];
  readonly #clients: ClientRegistry;
  readonly #idTokenAlgorithms: readonly JwtAlgorithm[];

  /** @internal */
  constructor(
    context: TenantContext,
    config: TenantConfig['dynamicRegistration'],
    clients: ClientRegistry,
    keySource?: KeySource,
  ) {
    this.#context = context;
    this.#config = config;
    this.#clients = clients;
    this.#idTokenAlgorithms = signableIdTokenAlgorithms(keySource);
  }

  /**
   * What registration accepts and honours, for the provider's discovery document: the
   * ID token algorithms the tenant can sign, the authentication methods and their
   * assertion algorithms, the grant types and the subject types.
   *
   * @example
   * ```ts
   * const metadata = { ...discovery, ...tenant.registration.supported() };
   * ```
   * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
   */
  supported(): RegistrationSupport {
    return {
      id_token_signing_alg_values_supported: [...this.#idTokenAlgorithms],
      token_endpoint_auth_methods_supported: [...REGISTRATION_AUTH_METHODS],
      token_endpoint_auth_signing_alg_values_supported: authSigningAlgorithms(),
      grant_types_supported: [...REGISTRATION_GRANT_TYPES],
      subject_types_supported: ['public'],
    };
  }

  /**
   * Registers a client (RFC 7591 §3.1) and returns the response body (HTTP 201). The
   * client and its registration record are written in one atomic store commit.
   *
   * @param body - the parsed JSON request body; anything
   * @param options - the initial access token, when the tenant requires one
   * @throws {@link RegistrationError}: `access_denied` 403 when registration is disabled,
   *   `invalid_token` 401 when the initial access token is missing or wrong (RFC 6750 §3.1); `invalid_redirect_uri` or
   *   `invalid_client_metadata` 400 naming the field and the problem.
   * @example
   * ```ts
   * const registered = await tenant.registration.register(
   *   { application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['com.example.app:/cb'] },
   *   { initialAccessToken: bearerToken },
   * );
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
   */
  async register(body: unknown, options?: RegisterOptions): Promise<RegistrationResponse> {
    return this.#audited('dcr_register', 'Dynamic client registration', undefined, async (note) => {
      this.#requireEnabled();
      this.#requireInitialAccessToken(options);
      const metadata = this.#validate(body, note).metadata;
      const credentials = await this.#credentials(metadata, options, note);
      const settings = this.#settings(withCredentials(toClientInput(metadata), credentials), note);
      const record = this.#clients.buildRecord(settings, {});
      const token = generateRegistrationAccessToken();
      const tokenHash = hashRegistrationAccessToken(token);
      const index: RegistrationTokenIndex = { client_id: record.client_id };
      const registration: RegistrationRecord = {
        client_id: record.client_id,
        token_hash: tokenHash,
        metadata,
        client_id_issued_at: Math.floor(this.#context.now() / 1000),
      };
      const [written] = await this.#context.store.commit([
        { op: 'insert', collection: CLIENTS, id: record.client_id, value: record },
        {
          op: 'insert',
          collection: REGISTRATION_COLLECTION,
          id: record.client_id,
          value: registration,
        },
        { op: 'insert', collection: REGISTRATION_TOKEN_COLLECTION, id: tokenHash, value: index },
        ...(await this.#clients.keys.replaceOperations(record.client_id, credentials)),
      ]);
      this.#clients.changed();
      const client = this.#clients.snapshot(written as StoredRecord<ClientRecord>);
      return this.#response(
        client.client_id,
        written as StoredRecord<ClientRecord>,
        registration,
        token,
      );
    });
  }

  /**
   * Reads a registration (RFC 7592 §2.1) with its registration access token; the
   * response has the same shape as the registration response and echoes the token.
   *
   * @param clientId - the registered client's id
   * @param registrationAccessToken - the token `register` returned for that client
   * @throws {@link RegistrationError} `invalid_token` 401 for a wrong token, a token of
   *   another client, or a client that does not exist (all alike); `access_denied` 403
   *   when registration is disabled.
   * @example
   * ```ts
   * const current = await tenant.registration.read(clientId, registrationAccessToken);
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.1
   */
  async read(clientId: string, registrationAccessToken: string): Promise<RegistrationResponse> {
    return this.#audited('dcr_read', 'Read dynamic client registration', clientId, async (note) => {
      this.#requireEnabled();
      const { client, registration } = await this.#verify(clientId, registrationAccessToken, note);
      return this.#response(clientId, client, registration.value, registrationAccessToken);
    });
  }

  /**
   * Replaces a registration's metadata (RFC 7592 §2.2): fields left out get their
   * defaults or are removed; the body must carry the client's `client_id`, may carry its
   * current `client_secret` (which must match and is never changed), and must not carry
   * the server-issued fields. The client and the registration record change in one atomic
   * commit, or not at all. The registration access token stays the same.
   *
   * @param clientId - the registered client's id
   * @param registrationAccessToken - the token `register` returned for that client
   * @param body - the complete new metadata
   * @throws {@link RegistrationError} `invalid_token` 401 (as for `read`),
   *   `invalid_redirect_uri` / `invalid_client_metadata` 400.
   * @example
   * ```ts
   * const updated = await tenant.registration.update(clientId, token, {
   *   client_id: clientId,
   *   client_name: 'Photo Printer 2',
   *   redirect_uris: ['https://printer.example.org/callback'],
   * });
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.2
   */
  async update(
    clientId: string,
    registrationAccessToken: string,
    body: unknown,
    options?: UpdateRegistrationOptions,
  ): Promise<RegistrationResponse> {
    return this.#audited('dcr_update', 'Update dynamic client registration', clientId, (note) =>
      retrying(async () => {
        this.#requireEnabled();
        const verified = await this.#verify(clientId, registrationAccessToken, note);
        const { metadata, clientId: named, clientSecret } = this.#validate(body, note, true);
        const current = verified.client.value;
        if (named !== clientId) {
          note.fields = ['client_id'];
          throw new RegistrationError(
            'invalid_client_metadata',
            'client_id must be the id of the client being updated (RFC 7592 §2.2)',
          );
        }
        if (clientSecret !== undefined && !secretsEqual(clientSecret, current.client_secret)) {
          note.fields = ['client_secret'];
          throw new RegistrationError(
            'invalid_client_metadata',
            'client_secret does not match the current secret; an update cannot change it (RFC 7592 §2.2)',
          );
        }
        const credentials = await this.#credentials(metadata, options, note);
        const record = this.#updatedRecord(current, metadata, credentials, note);
        const registration: RegistrationRecord = { ...verified.registration.value, metadata };
        const [written] = await this.#context.store
          .commit([
            {
              op: 'replace',
              collection: CLIENTS,
              id: clientId,
              value: record,
              expectedVersion: verified.client.version,
            },
            {
              op: 'replace',
              collection: REGISTRATION_COLLECTION,
              id: clientId,
              value: registration,
              expectedVersion: verified.registration.version,
            },
            ...(await this.#clients.keys.replaceOperations(clientId, credentials)),
          ])
          .catch((error: unknown) => {
            // Deleted between the check and the write: the token no longer works.
            if (error instanceof NotFoundError) throw invalidToken(note, 'unknown_client');
            throw error;
          });
        this.#clients.changed();
        return this.#response(
          clientId,
          written as StoredRecord<ClientRecord>,
          registration,
          registrationAccessToken,
        );
      }),
    );
  }

  /**
   * Deletes a registered client (RFC 7592 §2.3) exactly as `tenant.clients.delete` does
   * (connections, grants and the registration go with it, atomically); the registration
   * access token stops working.
   *
   * @param clientId - the registered client's id
   * @param registrationAccessToken - the token `register` returned for that client
   * @throws {@link RegistrationError} `invalid_token` 401 (as for `read`).
   * @example
   * ```ts
   * await tenant.registration.delete(clientId, registrationAccessToken); // HTTP 204
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.3
   */
  async delete(clientId: string, registrationAccessToken: string): Promise<void> {
    await this.#audited(
      'dcr_delete',
      'Delete dynamic client registration',
      clientId,
      async (note) => {
        this.#requireEnabled();
        await this.#verify(clientId, registrationAccessToken, note);
        try {
          await this.#clients.delete(clientId);
        } catch (error) {
          if (error instanceof NotFoundError) throw invalidToken(note, 'unknown_client');
          throw error;
        }
      },
    );
  }

  #requireEnabled(): void {
    if (!this.#config.enabled) {
      throw new RegistrationError(
        'access_denied',
        'dynamic client registration is not enabled on this tenant',
        403,
      );
    }
  }

  /** RFC 7591 §3: the initial access token, compared in constant time. */
  #requireInitialAccessToken(options: unknown): void {
    const expected = this.#config.initialAccessToken;
    if (expected === undefined) return;
    let presented: unknown;
    try {
      presented = (options as RegisterOptions | null | undefined)?.initialAccessToken;
    } catch {
      presented = undefined;
    }
    if (!secretsEqual(presented, expected)) {
      // RFC 7591 §3.2.2 defers to the token type's errors: RFC 6750 §3.1 `invalid_token`.
      throw new RegistrationError(
        'invalid_token',
        presented === undefined
          ? 'an initial access token is required to register a client'
          : 'the initial access token is not valid',
        401,
      );
    }
  }

  /**
   * The credentials a `private_key_jwt` registration brings: its `jwks`, or what the
   * embedding server's `fetchJwks` answers for its `jwks_uri`. None for other methods.
   */
  async #credentials(
    metadata: RegistrationMetadata,
    options: UpdateRegistrationOptions | undefined,
    note: FailureNote,
  ): Promise<StoredCredential[]> {
    if (metadata.token_endpoint_auth_method !== 'private_key_jwt') return [];
    const now = this.#context.now();
    try {
      const signingAlg = metadata.token_endpoint_auth_signing_alg;
      if (metadata.jwks !== undefined) {
        return credentialsFromJwks(metadata.jwks, now, 'jwks', signingAlg);
      }
      const fetchJwks = options?.fetchJwks;
      if (typeof fetchJwks !== 'function' || metadata.jwks_uri === undefined) {
        throw new RegistrationError(
          'invalid_client_metadata',
          'jwks_uri is not fetched by this server: send the public keys in jwks',
        );
      }
      let fetched: unknown;
      try {
        fetched = await fetchJwks(metadata.jwks_uri);
      } catch {
        throw new RegistrationError(
          'invalid_client_metadata',
          'jwks_uri could not be fetched or is not a JWK Set',
        );
      }
      return credentialsFromJwks(fetched, now, 'jwks_uri', signingAlg);
    } catch (error) {
      note.fields = [metadata.jwks === undefined ? 'jwks_uri' : 'jwks'];
      throw error;
    }
  }

  #validate(body: unknown, note: FailureNote, update = false) {
    const result = validateRegistrationMetadata(body, {
      update,
      idTokenAlgorithms: this.#idTokenAlgorithms,
    });
    if (result.ok) return result;
    note.fields = [...new Set(result.problems.map((problem) => problem.field))].slice(0, 20);
    throw result.error;
  }

  #settings(input: unknown, note: FailureNote): ClientSettings {
    const result = validateClientSettings(input);
    if (result.ok) return result.value;
    const problems = settingsProblems(result.issues);
    note.fields = problems.map((problem) => problem.field).slice(0, 20);
    throw registrationErrorOf(problems);
  }

  /**
   * The client record after an update: the settings registration owns are replaced by
   * the new metadata's, every other setting is kept; the secret is kept, created when the
   * client becomes confidential, or dropped when it becomes public.
   */
  #updatedRecord(
    current: ClientRecord,
    metadata: RegistrationMetadata,
    credentials: readonly StoredCredential[],
    note: FailureNote,
  ): ClientRecord {
    const { client_id: clientId, client_secret: secret, ...settings } = current;
    const kept = Object.fromEntries(Object.entries(settings).filter(([name]) => !OWNED.has(name)));
    const merged = this.#settings(
      updatedSettings(kept, withCredentials(toClientInput(metadata), credentials)),
      note,
    );
    const record: ClientRecord = { ...merged, client_id: clientId };
    if (isConfidential(merged)) record.client_secret = secret ?? generateClientSecret();
    return record;
  }

  /**
   * Checks a registration access token for a client. The same work happens whether the
   * client or its registration exists or not, and every failure is the same error.
   */
  async #verify(clientId: unknown, token: unknown, note: FailureNote): Promise<Verified> {
    const wellFormed = isId(clientId);
    const [registration, client] = wellFormed
      ? await Promise.all([
          this.#context.store.get<RegistrationRecord>(REGISTRATION_COLLECTION, clientId),
          this.#context.store.get<ClientRecord>(CLIENTS, clientId),
        ])
      : [undefined, undefined];
    // Stored data is trusted to be well formed, but a damaged record must not crash.
    const value = registration?.value as Partial<RegistrationRecord> | null | undefined;
    const matches = registrationTokenMatches(token, value?.token_hash);
    let failure: TokenFailure | undefined;
    if (!wellFormed) failure = 'malformed_request';
    else if (!registration || value?.client_id !== clientId || typeof value.metadata !== 'object') {
      failure = 'unknown_registration';
    } else if (!matches) failure = 'token_mismatch';
    else if (!client) failure = 'unknown_client';
    if (failure === undefined && client && registration) return { client, registration };
    // RFC 7592 §2.1: a token presented for another (or no) client is revoked at once.
    const revoked = await revokeMisusedToken(
      this.#context.store,
      token,
      clientId,
      Math.floor(this.#context.now() / 1000),
    );
    if (revoked !== undefined) note.revoked = revoked;
    throw invalidToken(note, failure ?? 'unknown_client');
  }

  #response(
    clientId: string,
    stored: StoredRecord<ClientRecord>,
    registration: RegistrationRecord,
    token: string,
  ): RegistrationResponse {
    return registrationResponse(this.#clients.snapshot(stored), registration, {
      registrationAccessToken: token,
      registrationClientUri: `${this.#context.issuer}oidc/register/${encodeURIComponent(clientId)}`,
    });
  }

  /**
   * Runs an operation and records `sapi` on success or `fapi` on failure, with the
   * operation name, the error name and status, and the fields or reason at fault. Never a
   * token, a secret or the request body.
   */
  async #audited<T>(
    operation: RegistrationOperation,
    description: string,
    clientId: unknown,
    run: (note: FailureNote) => Promise<T>,
  ): Promise<T> {
    const note: FailureNote = {};
    const id = typeof clientId === 'string' ? clientId.slice(0, MAX_ID_LENGTH) : undefined;
    try {
      const result = await run(note);
      const registered = result as Partial<RegistrationResponse> | undefined;
      this.#context.audit.record({
        type: 'sapi',
        description,
        client_id: registered?.client_id ?? id,
        client_name: registered?.client_name,
        details: { operation },
      });
      return result;
    } catch (error) {
      this.#context.audit.record({
        type: 'fapi',
        description: `Failed: ${description}`,
        client_id: id,
        details: {
          operation,
          error: error instanceof ClienteleError ? error.code : 'internal_error',
          ...(error instanceof RegistrationError ? { status: error.status } : {}),
          ...(note.reason === undefined ? {} : { reason: note.reason }),
          ...(note.fields === undefined ? {} : { fields: note.fields }),
          ...(note.revoked === undefined ? {} : { revoked_token_of: note.revoked }),
        },
      });
      throw error;
    }
  }
}

/** The client input with `private_key_jwt` enabled for `credentials`, when there are any. */
function withCredentials(
  input: ReturnType<typeof toClientInput>,
  credentials: readonly StoredCredential[],
): ReturnType<typeof toClientInput> {
  if (credentials.length === 0) return input;
  return {
    ...input,
    client_authentication_methods: {
      private_key_jwt: { credentials: credentials.map(({ id }) => ({ id })) },
    },
  };
}

/**
 * The `jwt_configuration.alg` values the tenant can sign: HS256 (with the client's
 * secret) always; an asymmetric one when the tenant's keys come from the store (a key of
 * any algorithm is generated on first use) or a fixed key has that algorithm.
 */
function signableIdTokenAlgorithms(source: KeySource | undefined): readonly JwtAlgorithm[] {
  if (source?.kind !== 'fixed') return ID_TOKEN_ALGORITHMS;
  const algorithms = new Set<string>(source.records.map((record) => record.alg));
  return ID_TOKEN_ALGORITHMS.filter((alg) => alg === 'HS256' || algorithms.has(alg));
}

function invalidToken(note: FailureNote, reason: TokenFailure): RegistrationError {
  note.reason = reason;
  return new RegistrationError('invalid_token', INVALID_TOKEN, 401);
}
