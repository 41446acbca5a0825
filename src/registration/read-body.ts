/**
 * Reads a registration request body field by field: the update-only fields first, then
 * every recognised field (each exactly once, dependencies first) through its reader, then
 * the checks that combine fields, and fills in the defaults when nothing went wrong.
 * Problems go to a {@link ProblemLog}; unknown fields are never touched (RFC 7591 §2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.2
 */
import { describeValue } from '../client/messages.js';
import { checkCombinations } from './consistency.js';
import {
  readApplicationType,
  readAuthMethod,
  readContacts,
  readGrantTypes,
  readName,
  readResponseTypes,
  readScope,
  readUri,
  readUris,
  type GivenMetadata,
} from './field-readers.js';
import {
  ID_TOKEN_ALGORITHMS,
  METADATA_FIELDS,
  REGISTRATION_METADATA,
  SERVER_ISSUED_FIELDS,
  type MetadataField,
  type MetadataFieldSpec,
  type RegistrationApplicationType,
  type RegistrationAuthMethod,
  type RegistrationGrantType,
  type RegistrationMetadata,
  type RegistrationResponseType,
} from './metadata.js';
import type { ProblemLog } from './problems.js';
import { readJwks } from './jwks-reader.js';
import {
  readAuthSigningAlg,
  readBoolean,
  readIdTokenAlg,
  readMaxAge,
  readSubjectType,
  refuseUnsupported,
} from './oidc-readers.js';
import type { JwtAlgorithm } from '../client/settings.js';
import { describeBody, isObject, readOwn } from './untrusted-body.js';

/** What a body without problems reads as. */
export interface ReadBody {
  /** The normalised metadata, defaults filled in. */
  readonly metadata: RegistrationMetadata;
  /** Update mode: the `client_id` the body names. */
  readonly clientId: string | undefined;
  /** Update mode: the `client_secret` the body carries, if any. */
  readonly clientSecret: string | undefined;
}

/** Kinds whose value is a list: an array over `maxItems` is refused from its length. */
const LIST_KINDS: ReadonlySet<MetadataFieldSpec['kind']> = new Set([
  'redirect_uris',
  'logout_uris',
  'grant_types',
  'response_types',
  'contacts',
]);

/**
 * Reads one body; returns what it reads as, or undefined when `log` has problems.
 *
 * @param body - the parsed JSON request body; anything
 * @param update - read an RFC 7592 update request
 * @param log - where the problems go
 * @param idTokenAlgorithms - the `id_token_signed_response_alg` values the tenant can sign
 */
export function readBody(
  body: unknown,
  update: boolean,
  log: ProblemLog,
  idTokenAlgorithms: readonly JwtAlgorithm[] = ID_TOKEN_ALGORITHMS,
): ReadBody | undefined {
  if (!isObject(body)) {
    log.add(
      '',
      'invalid_client_metadata',
      `the request body must be a JSON object (got ${describeBody(body)})`,
    );
    return undefined;
  }
  const identity = update ? readUpdateFields(body, log) : undefined;
  const given: GivenMetadata = {};
  // Dependencies first: the redirect URI rules need the application type and the grants.
  const order: MetadataField[] = [
    'application_type',
    'grant_types',
    'token_endpoint_auth_method',
    'response_types',
    ...METADATA_FIELDS.filter(
      (field) =>
        field !== 'application_type' &&
        field !== 'grant_types' &&
        field !== 'token_endpoint_auth_method' &&
        field !== 'response_types',
    ),
  ];
  for (const field of order) readField(body, field, given, log, idTokenAlgorithms);
  refuseUnsupported(body, log);
  checkCombinations(given, log);
  if (log.problems.length > 0) return undefined;
  return {
    metadata: withDefaults(given),
    clientId: identity?.clientId,
    clientSecret: identity?.clientSecret,
  };
}

/** Update mode: refuses the server-issued fields and reads `client_id` and `client_secret`. */
function readUpdateFields(
  body: object,
  log: ProblemLog,
): {
  clientId: string | undefined;
  clientSecret: string | undefined;
} {
  for (const field of SERVER_ISSUED_FIELDS) {
    const read = readOwn(body, field);
    if (!('value' in read) || read.value !== undefined) {
      log.add(
        field,
        'invalid_client_metadata',
        `${field} must not be sent in an update request; it is issued by the server (RFC 7592 §2.2)`,
      );
    }
  }
  const id = readOwn(body, 'client_id');
  let clientId: string | undefined;
  if (!('value' in id) || typeof id.value !== 'string' || id.value === '') {
    log.add(
      'client_id',
      'invalid_client_metadata',
      `client_id is required in an update request and must be the client's id (RFC 7592 §2.2)${
        'value' in id && id.value !== undefined && typeof id.value !== 'string'
          ? ` (got ${describeValue(id.value)})`
          : ''
      }`,
    );
  } else {
    clientId = id.value;
  }
  const secret = readOwn(body, 'client_secret');
  let clientSecret: string | undefined;
  if (!('value' in secret) || (secret.value !== undefined && typeof secret.value !== 'string')) {
    // Never describe the value: it may be a secret.
    log.add(
      'client_secret',
      'invalid_client_metadata',
      'client_secret must be a string when present',
    );
  } else if (typeof secret.value === 'string') {
    clientSecret = secret.value;
  }
  return { clientId, clientSecret };
}

/** Reads one recognised field through the reader of its kind into `given`. */
function readField(
  body: object,
  field: MetadataField,
  given: GivenMetadata,
  log: ProblemLog,
  idTokenAlgorithms: readonly JwtAlgorithm[],
): void {
  const spec: MetadataFieldSpec = REGISTRATION_METADATA[field];
  const read = readOwn(body, field, LIST_KINDS.has(spec.kind) ? spec.maxItems : undefined);
  if ('unreadable' in read) {
    log.add(field, spec.error, `${field} ${read.unreadable}`);
    log.bad.add(field);
    return;
  }
  if ('tooMany' in read) {
    const max = spec.maxItems ?? 0;
    log.add(field, spec.error, `${field} must have at most ${max} entries (got ${read.tooMany})`);
    log.bad.add(field);
    return;
  }
  if (read.value === undefined) return;
  const value = read.value;
  // A field whose reader found a problem is marked bad, so dependent checks skip it.
  const set = <K extends MetadataField>(key: K, result: GivenMetadata[K] | undefined): void => {
    if (result === undefined) log.bad.add(key);
    else given[key] = result;
  };
  switch (spec.kind) {
    case 'name':
      set('client_name', readName(field, value, spec, log));
      break;
    case 'auth_method':
      set('token_endpoint_auth_method', readAuthMethod(field, value, log));
      break;
    case 'application_type':
      set('application_type', readApplicationType(field, value, log));
      break;
    case 'grant_types':
      set('grant_types', readGrantTypes(field, value, spec, log));
      break;
    case 'response_types':
      set('response_types', readResponseTypes(field, value, spec, log));
      break;
    case 'redirect_uris':
    case 'logout_uris':
      set(
        field,
        readUris(field as 'redirect_uris' | 'post_logout_redirect_uris', value, spec, given, log),
      );
      break;
    case 'web_uri':
    case 'https_uri':
      set(field, readUri(field, value, spec, log));
      break;
    case 'contacts':
      set('contacts', readContacts(field, value, spec, log));
      break;
    case 'scope':
      set('scope', readScope(field, value, spec, log));
      break;
    case 'jwks':
      set('jwks', readJwks(field, value, spec, log));
      break;
    case 'id_token_alg':
      set('id_token_signed_response_alg', readIdTokenAlg(field, value, idTokenAlgorithms, log));
      break;
    case 'auth_signing_alg':
      set('token_endpoint_auth_signing_alg', readAuthSigningAlg(field, value, log));
      break;
    case 'max_age':
      set('default_max_age', readMaxAge(field, value, log));
      break;
    case 'boolean':
      set('require_auth_time', readBoolean(field, value, log));
      break;
    case 'subject_type':
      set('subject_type', readSubjectType(field, value, log));
      break;
  }
}

/** Fills in the defaults, in an order that lets `response_types` see the grants. */
function withDefaults(given: GivenMetadata): RegistrationMetadata {
  const grantTypes =
    given.grant_types ??
    (REGISTRATION_METADATA.grant_types.defaultValue() as RegistrationGrantType[]);
  const metadata: RegistrationMetadata = {
    redirect_uris: given.redirect_uris ?? [],
    client_name: given.client_name ?? (REGISTRATION_METADATA.client_name.defaultValue() as string),
    token_endpoint_auth_method:
      given.token_endpoint_auth_method ??
      (REGISTRATION_METADATA.token_endpoint_auth_method.defaultValue() as RegistrationAuthMethod),
    grant_types: grantTypes,
    response_types:
      given.response_types ??
      (REGISTRATION_METADATA.response_types.defaultValue({
        grant_types: grantTypes,
      }) as RegistrationResponseType[]),
    application_type:
      given.application_type ??
      (REGISTRATION_METADATA.application_type.defaultValue() as RegistrationApplicationType),
  };
  for (const field of METADATA_FIELDS) {
    if (metadata[field] === undefined && given[field] !== undefined) {
      Object.assign(metadata, { [field]: given[field] });
    }
  }
  return metadata;
}
