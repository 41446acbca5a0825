/**
 * Token-endpoint client authentication (RFC 6749 §2.3) as one pure decision: which
 * mechanism the request uses, whether it is the client's registered one, and whether the
 * secret matches, in constant time and with the same outward error for every failure.
 *
 * @module
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { parseBasicAuthorization } from './basic-authorization.js';
import { InvalidArgumentError } from '../errors.js';
import { clientAuthError } from './client-auth-failure.js';
import {
  decodeClientAssertion,
  verifyClientAssertion,
  type AssertionContext,
} from './client-assertion.js';

/** How a client authenticated at the token endpoint. */
export type ClientAuthMethod =
  'none' | 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt' | 'client_secret_jwt';

/** Secret methods that may also prove the secret with an HS256 assertion (`client_secret_jwt`). */
const SECRET_METHODS: ReadonlySet<string> = new Set(['client_secret_post', 'client_secret_basic']);

/** The parts of a token request that carry client credentials. */
export interface ClientAuthRequest {
  /** The `Authorization` header value, when present. */
  readonly authorization?: string | undefined;
  /** The form-decoded request body (`client_id`, `client_secret`, ...). */
  readonly body?: Readonly<Record<string, string | undefined>> | undefined;
}

/** What {@link authenticateClientRequest} needs to know about a client. */
export interface AuthenticatableClient {
  /** The client id. */
  readonly client_id: string;
  /** The registered secret method, or `null`/absent for a `private_key_jwt`-only client. */
  readonly token_endpoint_auth_method?: string | null | undefined;
  /** Auth0's `client_authentication_methods`; `private_key_jwt` enables assertions. */
  readonly client_authentication_methods?: unknown;
  /** The secret of a confidential client. */
  readonly client_secret?: string | undefined;
  /** A CIMD client's document URL, which names it as well as its id does. */
  readonly external_client_id?: string | undefined;
  /** `'cimd'` for a client made of a Client ID Metadata Document. */
  readonly external_metadata_type?: string | undefined;
}

/** Finds a client by id; resolves `undefined` when there is none. */
export type ClientLookup<C extends AuthenticatableClient> = (
  clientId: string,
) => Promise<C | undefined>;

/** What assertions and rotated secrets need; without it assertions are refused. */
export interface ClientAuthOptions<C extends AuthenticatableClient> {
  /** The assertion context for a client (keys, previous secret, replay cache, audiences, clock). */
  readonly assertions?: (client: C) => AssertionContext;
  /** The client's previous secret while a rotation's overlap lasts. */
  readonly previousSecret?: (client: C) => Promise<string | undefined>;
}

/** A successful client authentication. */
export interface AuthenticatedClient<C extends AuthenticatableClient> {
  /** The authenticated client id. */
  readonly clientId: string;
  /** The method it authenticated with (its registered one). */
  readonly method: ClientAuthMethod;
  /** The client as the lookup returned it. */
  readonly client: C;
  /** The credential that verified a `private_key_jwt` assertion. */
  readonly credentialId?: string;
}

/** Stands in for the stored secret's digest of an unknown client, so the work done is the same. */
const DUMMY_DIGEST = hash('sha256', 'x'.repeat(64), 'buffer');

/** Body parameters that count as a client assertion (RFC 7521 §4.2). */
const ASSERTION_PARAMETERS = ['client_assertion', 'client_assertion_type'] as const;

/** Body parameters read here; a repeated one (an array from the body parser) is refused. */
const READ_PARAMETERS = ['client_id', 'client_secret', ...ASSERTION_PARAMETERS] as const;

/**
 * Authenticates the client of a token request. Exactly one mechanism may be present: the
 * `Authorization: Basic` header (`client_secret_basic`), `client_secret` in the body
 * (`client_secret_post`), or neither, with `client_id` in the body (`none`). It must be
 * the client's registered `token_endpoint_auth_method`. Secrets are compared in constant
 * time over SHA-256 digests, so neither content nor length leaks, and an unknown client id
 * costs the same comparison against a stand-in.
 *
 * @param request - the `Authorization` header and the form-decoded body
 * @param lookup - finds a client by id (a store read)
 * @returns the client id, the method and the client
 * @throws {@link InvalidRequestError} when more than one mechanism is used, or a body
 *   parameter is repeated (the parser gave an array).
 * @throws {@link InvalidClientError} for every other failure, always with the same
 *   message; `clientAuthFailure(error)` gives the reason code for the audit trail.
 *   Errors thrown by `lookup` propagate unchanged.
 * @example
 * ```ts
 * const { client, method } = await authenticateClientRequest(
 *   { authorization: req.headers.authorization, body },
 *   (id) => store.findClient(id),
 * );
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @internal
 */
export async function authenticateClientRequest<C extends AuthenticatableClient>(
  request: ClientAuthRequest,
  lookup: ClientLookup<C>,
  options: ClientAuthOptions<C> = {},
): Promise<AuthenticatedClient<C>> {
  const { authorization, body = {} } = request ?? {};
  if (typeof body !== 'object' || body === null) {
    throw new InvalidArgumentError('/body', '/body must be the form-decoded request body object');
  }
  for (const name of READ_PARAMETERS) {
    const value: unknown = body[name];
    if (value !== undefined && typeof value !== 'string')
      throw clientAuthError('repeated_parameter');
  }
  const assertion = ASSERTION_PARAMETERS.some((name) => body[name] !== undefined);
  const mechanisms =
    Number(authorization !== undefined) +
    Number(body.client_secret !== undefined) +
    Number(assertion);
  if (mechanisms > 1) throw clientAuthError('multiple_mechanisms');
  if (assertion) return authenticateAssertion(body, lookup, options);

  let mechanism: ClientAuthMethod;
  let clientId: string | undefined;
  let secret: string | undefined;
  if (authorization !== undefined) {
    mechanism = 'client_secret_basic';
    ({ clientId, clientSecret: secret } = parseBasicAuthorization(authorization));
    if (body.client_id !== undefined && body.client_id !== clientId) {
      throw clientAuthError('client_id_mismatch', { mechanism });
    }
  } else {
    mechanism = body.client_secret === undefined ? 'none' : 'client_secret_post';
    clientId = body.client_id;
    secret = body.client_secret;
  }
  if (!clientId) throw clientAuthError('missing_client_id', { mechanism });

  const found = await lookup(clientId);
  const client = found && names(found, clientId) ? found : undefined;
  const stored = client?.client_secret;
  const secretMatches =
    secret === undefined ||
    timingSafeEqual(
      digestOf(secret),
      client !== undefined && typeof stored === 'string' && stored !== ''
        ? storedDigest(client, stored)
        : DUMMY_DIGEST,
    );
  const known = client === undefined ? {} : { clientId };
  const context = { mechanism, ...known } as const;

  if (client === undefined) throw clientAuthError('unknown_client', context);
  if (client.token_endpoint_auth_method !== mechanism)
    throw clientAuthError('method_mismatch', context);
  if (mechanism !== 'none') {
    if (typeof stored !== 'string' || stored === '') {
      throw clientAuthError('missing_registered_secret', context);
    }
    if (!secretMatches && !(await previousSecretMatches(secret, client, options))) {
      throw clientAuthError('wrong_secret', context);
    }
  }
  return { clientId: client.client_id, method: mechanism, client };
}

/** The client of a JWT assertion (`private_key_jwt` or `client_secret_jwt`). */
async function authenticateAssertion<C extends AuthenticatableClient>(
  body: Readonly<Record<string, string | undefined>>,
  lookup: ClientLookup<C>,
  options: ClientAuthOptions<C>,
): Promise<AuthenticatedClient<C>> {
  if (!options.assertions) {
    throw clientAuthError('unsupported_mechanism', { mechanism: 'client_assertion' });
  }
  const decoded = decodeClientAssertion(
    body.client_assertion_type,
    body.client_assertion,
    body.client_id,
  );
  const found = await lookup(decoded.clientId);
  const client = found && names(found, decoded.clientId) ? found : undefined;
  if (client === undefined) {
    throw clientAuthError('unknown_client', { mechanism: 'client_assertion' });
  }
  const stored = client.client_secret;
  const secretMethod =
    typeof client.token_endpoint_auth_method === 'string' &&
    SECRET_METHODS.has(client.token_endpoint_auth_method) &&
    typeof stored === 'string' &&
    stored !== '';
  const verified = await verifyClientAssertion(
    decoded,
    { secret: secretMethod ? stored : undefined, privateKeyJwt: hasPrivateKeyJwt(client) },
    options.assertions(client),
  );
  return {
    clientId: client.client_id,
    method: verified.method,
    client,
    ...(verified.credentialId === undefined ? {} : { credentialId: verified.credentialId }),
  };
}

/**
 * True when `clientId` names the client exactly: its id, or for a client made of a Client
 * ID Metadata Document its URL (the `client_id`, and `iss`/`sub` of its assertions, that
 * such a client sends). A lookup that matches loosely (case-insensitive, trimmed) must not
 * let another id in.
 */
function names(client: AuthenticatableClient, clientId: string): boolean {
  return (
    client.client_id === clientId ||
    (client.external_metadata_type === 'cimd' && client.external_client_id === clientId)
  );
}

/** True when the client's `client_authentication_methods` enable `private_key_jwt`. */
function hasPrivateKeyJwt(client: AuthenticatableClient): boolean {
  const methods = client.client_authentication_methods as
    { private_key_jwt?: { credentials?: unknown } } | null | undefined;
  const credentials = methods?.private_key_jwt?.credentials;
  return Array.isArray(credentials) && credentials.length > 0;
}

/** The presented secret equals the previous secret, while its overlap lasts. */
async function previousSecretMatches<C extends AuthenticatableClient>(
  presented: string | undefined,
  client: C,
  options: ClientAuthOptions<C>,
): Promise<boolean> {
  if (presented === undefined || !options.previousSecret) return false;
  const previous = await options.previousSecret(client);
  return previous !== undefined && secretsEqual(presented, previous);
}

/** Constant-time equality over SHA-256 digests: equal-length buffers whatever the inputs. */
function secretsEqual(presented: string, stored: string): boolean {
  return timingSafeEqual(digestOf(presented), digestOf(stored));
}

function digestOf(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/**
 * The digest of a client's stored secret, remembered per client object and secret (a
 * tenant hands out one frozen snapshot per stored version), so a login hashes only what
 * was presented.
 */
const storedDigests = new WeakMap<object, { readonly secret: string; readonly digest: Buffer }>();

function storedDigest(client: object, secret: string): Buffer {
  const known = storedDigests.get(client);
  // Both sides are the server's own values: comparing them leaks nothing to a caller.
  if (known?.secret === secret) return known.digest;
  const digest = digestOf(secret);
  storedDigests.set(client, { secret, digest });
  return digest;
}
