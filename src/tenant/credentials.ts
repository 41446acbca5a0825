/**
 * A client's credentials beyond its current secret, kept in one store record per client
 * (collection `client_credentials`, id = `client_id`): its `public_key` credentials
 * (Auth0's `/clients/{id}/credentials`) and the previous secret during a rotation's
 * overlap. One record per client makes listing and authentication one read, and lets a
 * client delete or a secret rotation change the client and its credentials in one commit.
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-credentials
 */
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import type { ClientRecord } from '../client/client.js';
import {
  type CheckedCredential,
  checkCredentialInput,
  checkCredentialPatch,
  credentialExpired,
  credentialView,
  type ClientCredential,
  type ClientCredentialInput,
  type ClientCredentialPatch,
  type CredentialAlgorithm,
  type StoredCredential,
} from '../client/public-key-credential.js';
import {
  InvalidArgumentError,
  NotFoundError,
  RegistrationError,
  ValidationError,
} from '../errors.js';
import type { StoredRecord, WriteOperation } from '../storage/store.js';
import { audited, type TenantContext, type WriteOptions } from './context.js';
import { checkId, retrying } from './registry-kit.js';

/** The store collection of credential records. */
export const CREDENTIALS_COLLECTION = 'client_credentials';

/** Most `public_key` credentials one client may hold. */
export const MAX_CREDENTIALS_PER_CLIENT = 20;

/** Longest overlap of a rotated secret: 30 days. */
export const MAX_PREVIOUS_SECRET_SECONDS = 2_592_000;

/** A previous client secret and when it stops authenticating. @internal */
export interface PreviousSecret {
  /** The secret. */
  readonly secret: string;
  /** Milliseconds since the epoch. */
  readonly expires_at: number;
}

/** The stored value of a client's credential record. @internal */
export interface CredentialRecord {
  /** `public_key` credentials in creation order. */
  readonly credentials: readonly StoredCredential[];
  /** The secret before the last rotation, while it is still accepted. */
  readonly previous_secret?: PreviousSecret;
}

/** A credential a client may authenticate with now, its key imported. @internal */
export interface UsableCredential {
  /** Credential id. */
  readonly id: string;
  /** Key id. */
  readonly kid: string;
  /** The only algorithm accepted for it. */
  readonly alg: CredentialAlgorithm;
  /** The imported public key. */
  readonly key: KeyObject;
}

const CLIENTS = 'clients';
const KEY_CACHE_SIZE = 10_000;

/** `tenant.clients`' credential operations, and what authentication reads. @internal */
export class CredentialRegistry {
  readonly #context: TenantContext;
  /** Imported keys by credential id (a credential's key never changes). */
  readonly #keys = new Map<string, KeyObject>();

  constructor(context: TenantContext) {
    this.#context = context;
  }

  async list(clientId: string): Promise<ClientCredential[]> {
    checkId(clientId, '/clientId');
    await this.#requireClient(clientId);
    const stored = await this.#record(clientId);
    return (stored?.value.credentials ?? []).map(credentialView);
  }

  async add(
    clientId: string,
    input: ClientCredentialInput,
    options: WriteOptions = {},
  ): Promise<ClientCredential> {
    checkId(clientId, '/clientId');
    return audited(
      this.#context,
      {
        operation: 'create_credential',
        description: 'Create client credential',
        clientId,
        request: options.request,
      },
      () =>
        retrying(async () => {
          const now = this.#context.now();
          const checked = checkCredentialInput(input, now);
          await this.#requireClient(clientId);
          const stored = await this.#record(clientId);
          const credentials = stored?.value.credentials ?? [];
          if (credentials.length >= MAX_CREDENTIALS_PER_CLIENT) {
            throw invalidAt(
              '',
              'too_many',
              `a client holds at most ${MAX_CREDENTIALS_PER_CLIENT} credentials; delete one first`,
            );
          }
          if (credentials.some((credential) => credential.kid === checked.kid)) {
            throw invalidAt(
              '/kid',
              'duplicate',
              'kid is already used by another credential of this client',
            );
          }
          const credential = storedCredential(checked, now);
          await this.#context.store.commit([
            this.writeOperation(clientId, stored, {
              ...stored?.value,
              credentials: [...credentials, credential],
            }),
          ]);
          return credentialView(credential);
        }),
      (credential) => ({ details: { credential_id: credential.id, kid: credential.kid } }),
    );
  }

  async update(
    clientId: string,
    credentialId: string,
    patch: ClientCredentialPatch,
    options: WriteOptions = {},
  ): Promise<ClientCredential> {
    checkId(clientId, '/clientId');
    checkId(credentialId, '/credentialId');
    return audited(
      this.#context,
      {
        operation: 'update_credential',
        request: options.request,
        description: 'Update client credential',
        clientId,
        details: { credential_id: credentialId },
      },
      () =>
        retrying(async () => {
          const changes = checkCredentialPatch(patch);
          const { stored, credential } = await this.#requireCredential(clientId, credentialId);
          const { expires_at: expiresAt, ...rest } = credential;
          const updated: StoredCredential = {
            ...rest,
            ...(changes.name === undefined ? {} : { name: changes.name }),
            updated_at: new Date(this.#context.now()).toISOString(),
            ...(changes.expires_at === null ? {} : { expires_at: changes.expires_at ?? expiresAt }),
          };
          if (updated.expires_at === undefined) delete updated.expires_at;
          await this.#context.store.commit([
            this.writeOperation(clientId, stored, {
              ...stored.value,
              credentials: stored.value.credentials.map((c) =>
                c.id === credentialId ? updated : c,
              ),
            }),
          ]);
          return credentialView(updated);
        }),
    );
  }

  async delete(clientId: string, credentialId: string, options: WriteOptions = {}): Promise<void> {
    checkId(clientId, '/clientId');
    checkId(credentialId, '/credentialId');
    await audited(
      this.#context,
      {
        operation: 'delete_credential',
        request: options.request,
        description: 'Delete client credential',
        clientId,
        details: { credential_id: credentialId },
      },
      () =>
        retrying(async () => {
          const { stored } = await this.#requireCredential(clientId, credentialId);
          const client = await this.#requireClient(clientId);
          const operations: WriteOperation[] = [
            this.writeOperation(clientId, stored, {
              ...stored.value,
              credentials: stored.value.credentials.filter((c) => c.id !== credentialId),
            }),
          ];
          const detached = withoutCredential(client.value, credentialId);
          if (detached) {
            operations.push({
              op: 'replace',
              collection: CLIENTS,
              id: clientId,
              value: detached,
              expectedVersion: client.version,
            });
          }
          await this.#context.store.commit(operations);
          this.#keys.delete(credentialId);
          return detached !== undefined;
        }),
    );
  }

  /**
   * The credentials a client may use now for `purpose`: those its
   * `client_authentication_methods.private_key_jwt.credentials` (client authentication) or
   * `signed_request_object.credentials` (request objects, RFC 9101) lists, that exist and
   * have not expired. Keys are imported once per credential.
   */
  async usable(
    client: {
      client_id: string;
      client_authentication_methods?: unknown;
      signed_request_object?: unknown;
    },
    purpose: CredentialPurpose = 'private_key_jwt',
  ): Promise<UsableCredential[]> {
    const enabled =
      purpose === 'private_key_jwt'
        ? enabledCredentialIds(client)
        : signedRequestCredentialIds(client);
    if (enabled.size === 0) return [];
    const stored = await this.#record(client.client_id);
    const now = this.#context.now();
    const usable: UsableCredential[] = [];
    for (const credential of stored?.value.credentials ?? []) {
      if (!enabled.has(credential.id) || credentialExpired(credential, now)) continue;
      usable.push({
        id: credential.id,
        kid: credential.kid,
        alg: credential.alg,
        key: this.#key(credential),
      });
    }
    return usable;
  }

  /** The previous secret of a client while it is still accepted. */
  async previousSecret(clientId: string): Promise<string | undefined> {
    const previous = (await this.#record(clientId))?.value.previous_secret;
    return previous !== undefined && previous.expires_at > this.#context.now()
      ? previous.secret
      : undefined;
  }

  /**
   * The commit entry that sets (or, with `undefined`, ends) a client's previous secret,
   * or none when there is nothing to change.
   */
  async previousSecretOperation(
    clientId: string,
    previous: PreviousSecret | undefined,
  ): Promise<WriteOperation[]> {
    const stored = await this.#record(clientId);
    if (previous === undefined && stored?.value.previous_secret === undefined) return [];
    const { previous_secret: _ended, ...rest } = stored?.value ?? { credentials: [] };
    return [
      this.writeOperation(clientId, stored, {
        ...rest,
        credentials: rest.credentials ?? [],
        ...(previous === undefined ? {} : { previous_secret: previous }),
      }),
    ];
  }

  /**
   * The commit entry that makes `credentials` a client's whole list (a registration owns
   * its client's credentials), or none when there is nothing to change.
   */
  async replaceOperations(
    clientId: string,
    credentials: readonly StoredCredential[],
  ): Promise<WriteOperation[]> {
    const stored = await this.#record(clientId);
    if (!stored && credentials.length === 0) return [];
    for (const old of stored?.value.credentials ?? []) this.#keys.delete(old.id);
    return [this.writeOperation(clientId, stored, { ...stored?.value, credentials })];
  }

  /** The commit entry deleting a client's credential record, if it has one. */
  async deleteOperations(clientId: string): Promise<WriteOperation[]> {
    const stored = await this.#record(clientId);
    return stored
      ? [
          {
            op: 'delete',
            collection: CREDENTIALS_COLLECTION,
            id: clientId,
            expectedVersion: stored.version,
          },
        ]
      : [];
  }

  /** Insert or replace of a client's credential record. */
  writeOperation(
    clientId: string,
    stored: StoredRecord<CredentialRecord> | undefined,
    value: CredentialRecord,
  ): WriteOperation {
    return stored
      ? {
          op: 'replace',
          collection: CREDENTIALS_COLLECTION,
          id: clientId,
          value,
          expectedVersion: stored.version,
        }
      : { op: 'insert', collection: CREDENTIALS_COLLECTION, id: clientId, value };
  }

  #key(credential: StoredCredential): KeyObject {
    let key = this.#keys.get(credential.id);
    if (!key) {
      if (this.#keys.size >= KEY_CACHE_SIZE) this.#keys.clear();
      key = createPublicKey({ key: credential.jwk as never, format: 'jwk' });
      this.#keys.set(credential.id, key);
    }
    return key;
  }

  async #record(clientId: string): Promise<StoredRecord<CredentialRecord> | undefined> {
    return this.#context.store.get<CredentialRecord>(CREDENTIALS_COLLECTION, clientId);
  }

  async #requireClient(clientId: string): Promise<StoredRecord<ClientRecord>> {
    const client = await this.#context.store.get<ClientRecord>(CLIENTS, clientId);
    if (!client) throw new NotFoundError(`client ${JSON.stringify(clientId)} does not exist`);
    return client;
  }

  async #requireCredential(
    clientId: string,
    credentialId: string,
  ): Promise<{ stored: StoredRecord<CredentialRecord>; credential: StoredCredential }> {
    await this.#requireClient(clientId);
    const stored = await this.#record(clientId);
    const credential = stored?.value.credentials.find((c) => c.id === credentialId);
    if (!stored || !credential) {
      throw new NotFoundError(
        `credential ${JSON.stringify(credentialId)} does not exist for client ${JSON.stringify(clientId)}`,
      );
    }
    return { stored, credential };
  }
}

/**
 * The credential ids a client's settings enable for `private_key_jwt`
 * (`client_authentication_methods.private_key_jwt.credentials[].id`). @internal
 */
export function enabledCredentialIds(client: {
  client_authentication_methods?: unknown;
}): Set<string> {
  const methods = client.client_authentication_methods as
    { private_key_jwt?: { credentials?: unknown } } | null | undefined;
  const list = methods?.private_key_jwt?.credentials;
  const ids = new Set<string>();
  if (!Array.isArray(list)) return ids;
  for (const entry of list) {
    const id: unknown = (entry as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/** What a client uses a credential for. @internal */
export type CredentialPurpose = 'private_key_jwt' | 'signed_request_object';

/**
 * The credential ids a client's `signed_request_object.credentials` names: the keys its
 * request objects (JAR) may be signed with. @internal
 */
export function signedRequestCredentialIds(client: {
  signed_request_object?: unknown;
}): Set<string> {
  const list = (client.signed_request_object as { credentials?: unknown } | null | undefined)
    ?.credentials;
  const ids = new Set<string>();
  if (!Array.isArray(list)) return ids;
  for (const entry of list) {
    const id: unknown = (entry as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/**
 * Issues for credential ids a client's settings reference that it does not hold.
 *
 * @internal
 */
export function unknownCredentialIssues(
  settings: { client_authentication_methods?: unknown },
  held: ReadonlySet<string>,
  pointerBase = '/client_authentication_methods/private_key_jwt/credentials',
): ValidationError | undefined {
  const list = (
    settings.client_authentication_methods as
      { private_key_jwt?: { credentials?: unknown } } | null | undefined
  )?.private_key_jwt?.credentials;
  if (!Array.isArray(list)) return undefined;
  const issues = list.flatMap((entry: unknown, index) => {
    const id: unknown = (entry as { id?: unknown } | null)?.id;
    return typeof id === 'string' && !held.has(id)
      ? [
          {
            path: `${pointerBase}/${index}/id`,
            code: 'unknown_credential',
            message: `${pointerBase.slice(1)}/${index}/id names no credential of this client; add it with addCredential first`,
          },
        ]
      : [];
  });
  return issues.length > 0 ? new ValidationError(issues) : undefined;
}

/** The client record without a reference to `credentialId`, or `undefined` when it has none. */
function withoutCredential(record: ClientRecord, credentialId: string): ClientRecord | undefined {
  if (!enabledCredentialIds(record).has(credentialId)) return undefined;
  const methods = record.client_authentication_methods as Record<
    string,
    { credentials: { id: string }[] }
  >;
  const privateKeyJwt = methods['private_key_jwt'];
  return {
    ...record,
    client_authentication_methods: {
      ...methods,
      private_key_jwt: {
        ...privateKeyJwt,
        credentials: (privateKeyJwt?.credentials ?? []).filter(
          (entry) => entry.id !== credentialId,
        ),
      },
    },
  } as ClientRecord;
}

function invalidAt(path: string, code: string, message: string): ValidationError {
  return new ValidationError([{ path, code, message }], 'credential');
}

/** Checks `previousSecretValidFor` (whole seconds, 1 to 30 days). @internal */
export function checkOverlap(seconds: unknown): number {
  if (
    typeof seconds !== 'number' ||
    !Number.isSafeInteger(seconds) ||
    seconds < 1 ||
    seconds > MAX_PREVIOUS_SECRET_SECONDS
  ) {
    throw new InvalidArgumentError(
      '/options/previousSecretValidFor',
      `previousSecretValidFor must be a whole number of seconds from 1 to ${MAX_PREVIOUS_SECRET_SECONDS} (30 days)`,
    );
  }
  return seconds;
}

/** A new stored credential: an id, the dates, and the checked key. @internal */
export function storedCredential(checked: CheckedCredential, nowMs: number): StoredCredential {
  const date = new Date(nowMs).toISOString();
  return {
    id: `cred_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`,
    credential_type: 'public_key',
    kid: checked.kid,
    alg: checked.alg,
    ...(checked.name === undefined ? {} : { name: checked.name }),
    created_at: date,
    updated_at: date,
    ...(checked.expires_at === undefined ? {} : { expires_at: checked.expires_at }),
    jwk: checked.jwk,
  };
}

/** Most keys a registered JWK Set may hold. */
const MAX_REGISTERED_KEYS = 20;

/**
 * The credentials of a registered client's JWK Set (`jwks`, or what `jwks_uri` answered):
 * one per signing key (`use` absent or `sig`), `alg` from the key or its type (RSA:
 * RS256, EC: ES256), `kid` as the client gave it (the thumbprint when it gave none). Each
 * key is checked like `addCredential` input.
 *
 * With a registered `token_endpoint_auth_signing_alg`, every assertion must be signed
 * with that algorithm (OIDC Registration §2): a key without `alg` takes it, and a key
 * naming another algorithm is no credential. Since an assertion only verifies against a
 * credential of its own `alg`, no other algorithm can then authenticate the client.
 *
 * @throws {@link RegistrationError} `invalid_client_metadata` naming the key and the problem.
 * @internal
 */
export function credentialsFromJwks(
  jwks: unknown,
  nowMs: number,
  field = 'jwks',
  signingAlg?: string,
): StoredCredential[] {
  const keys = (jwks as { keys?: unknown } | null | undefined)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_REGISTERED_KEYS) {
    throw new RegistrationError(
      'invalid_client_metadata',
      `${field} must be a JWK Set with 1 to ${MAX_REGISTERED_KEYS} keys`,
    );
  }
  const credentials: StoredCredential[] = [];
  for (const [index, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null) {
      throw new RegistrationError(
        'invalid_client_metadata',
        `${field}.keys/${index} must be a JWK`,
      );
    }
    const {
      use,
      alg,
      kid,
      kty,
      key_ops: _ops,
      x5c: _chain,
      x5t: _t,
      'x5t#S256': _t256,
      ...rest
    } = key as Record<string, unknown>;
    if (use !== undefined && use !== 'sig') continue;
    if (signingAlg !== undefined && alg !== undefined && alg !== signingAlg) continue;
    let checked: CheckedCredential;
    try {
      checked = checkCredentialInput(
        {
          credential_type: 'public_key',
          jwk: { kty, ...rest },
          alg: alg ?? signingAlg ?? (kty === 'EC' ? 'ES256' : 'RS256'),
          ...(kid === undefined ? {} : { kid }),
        },
        nowMs,
        { anyKid: true },
      );
    } catch (error) {
      const issue = error instanceof ValidationError ? error.issues[0] : undefined;
      throw new RegistrationError(
        'invalid_client_metadata',
        `${field}.keys/${index}: ${issue?.message ?? 'is not a usable public key'}`,
      );
    }
    if (credentials.some((credential) => credential.kid === checked.kid)) {
      throw new RegistrationError(
        'invalid_client_metadata',
        `${field}.keys/${index}: kid ${JSON.stringify(checked.kid)} is used by an earlier key`,
      );
    }
    credentials.push(storedCredential(checked, nowMs));
  }
  if (credentials.length === 0) {
    throw new RegistrationError(
      'invalid_client_metadata',
      signingAlg === undefined
        ? `${field} has no signing key (use "sig" or no use)`
        : `${field} has no signing key for token_endpoint_auth_signing_alg ${signingAlg}`,
    );
  }
  return credentials;
}
