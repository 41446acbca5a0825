/**
 * Registration request body → normalised {@link RegistrationMetadata}, or every problem
 * found as a {@link RegistrationError}. Pure and synchronous, and it never throws, whatever
 * the body is: `null`, arrays, strings, proxies, getters that throw, cycles, huge arrays.
 *
 * Only recognised fields are read (each exactly once, then copied as plain JSON), so
 * unknown metadata is ignored without ever being touched (RFC 7591 §2). A `null` value is
 * the same as an absent field (RFC 7592 §2.2 lets a server treat them alike).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 */
import { codePointLength, describeValue, oneOf, quote } from '../client/messages.js';
import { jsonSnapshot } from '../client/json-snapshot.js';
import type { JsonObject } from '../client/settings.js';
import type { TokenEndpointAuthMethod } from '../client/app-types.js';
import { RegistrationError } from '../errors.js';
import {
  APPLICATION_TYPES,
  METADATA_FIELDS,
  REGISTRATION_AUTH_METHODS,
  REGISTRATION_GRANT_TYPES,
  REGISTRATION_METADATA,
  RESPONSE_TYPE_COMPONENTS,
  SERVER_ISSUED_FIELDS,
  type MetadataField,
  type MetadataFieldSpec,
  type RegistrationApplicationType,
  type RegistrationGrantType,
  type RegistrationJwks,
  type RegistrationMetadata,
  type RegistrationResponseType,
} from './metadata.js';
import { redirectUriProblem } from './redirect-uris.js';

/** One problem with a registration request. */
export interface MetadataProblem {
  /** Where: a field name, or a field and an index (`redirect_uris/2`); `''` for the body. */
  readonly field: string;
  /** The OAuth error name it produces. */
  readonly error: 'invalid_redirect_uri' | 'invalid_client_metadata';
  /** A sentence that starts with the field and says what is wrong. */
  readonly message: string;
}

/** Options of {@link validateRegistrationMetadata}. */
export interface ValidateMetadataOptions {
  /**
   * Validate an RFC 7592 update request: `client_id` is required and returned, a
   * `client_secret` is returned for the caller to compare, and the server-issued fields
   * (`registration_access_token`, `registration_client_uri`, `client_secret_expires_at`,
   * `client_id_issued_at`) are refused.
   */
  readonly update?: boolean;
}

/** The result of {@link validateRegistrationMetadata}. */
export type MetadataValidation =
  | {
      /** The body is valid. */
      readonly ok: true;
      /** The normalised metadata, defaults filled in. */
      readonly metadata: RegistrationMetadata;
      /** Update mode: the `client_id` the body names. */
      readonly clientId: string | undefined;
      /** Update mode: the `client_secret` the body carries, if any. */
      readonly clientSecret: string | undefined;
    }
  | {
      /** The body is invalid. */
      readonly ok: false;
      /** The error to throw: the first problem's OAuth error, every problem described. */
      readonly error: RegistrationError;
      /** Every problem, in table order. */
      readonly problems: readonly MetadataProblem[];
    };

/** Kinds whose value is a list: an array over `maxItems` is refused from its length. */
const LIST_KINDS: ReadonlySet<MetadataFieldSpec['kind']> = new Set([
  'redirect_uris',
  'logout_uris',
  'grant_types',
  'response_types',
  'contacts',
]);
/** How many problems the error description spells out. */
const DESCRIBED_PROBLEMS = 5;
/** RFC 6749 §3.3 scope-token characters, space-separated, no empty tokens. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/;
/** Control, format and separator characters, and backslash: never in a URI or contact. */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}\\]/u;
/** JWK members holding private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Validates a registration (or, with `{ update: true }`, an RFC 7592 update) request body
 * and normalises it. Never throws.
 *
 * @param body - the parsed JSON request body; anything
 * @param options - `{ update: true }` for an update request
 * @example
 * ```ts
 * const result = validateRegistrationMetadata({ redirect_uris: ['https://app.example.com/cb'] });
 * if (result.ok) result.metadata.token_endpoint_auth_method; // 'client_secret_basic'
 * else throw result.error; // RegistrationError: error, error_description, status 400
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2.1 (grant and response types)
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.2 (update requests)
 */
export function validateRegistrationMetadata(
  body: unknown,
  options: ValidateMetadataOptions = {},
): MetadataValidation {
  let problems: MetadataProblem[];
  try {
    const reader = new BodyReader(options.update === true);
    const result = reader.read(body);
    if (result) return { ok: true, ...result };
    problems = reader.problems;
  } catch {
    // Defence in depth: every reader catches what the body can throw, so this is not reached.
    problems = [
      {
        field: '',
        error: 'invalid_client_metadata',
        message: 'the request body could not be read',
      },
    ];
  }
  const sorted = sortProblems(problems);
  return { ok: false, error: registrationErrorOf(sorted), problems: sorted };
}

/**
 * One {@link RegistrationError} for a list of problems: the first problem's error name,
 * status 400, and a description that lists the first few problems.
 *
 * @param problems - at least one problem
 * @example
 * ```ts
 * registrationErrorOf([{ field: 'scope', error: 'invalid_client_metadata', message: 'scope must ...' }]);
 * ```
 */
export function registrationErrorOf(problems: readonly MetadataProblem[]): RegistrationError {
  const first = problems[0];
  if (!first) return new RegistrationError('invalid_client_metadata', 'the request is invalid');
  const shown = problems.slice(0, DESCRIBED_PROBLEMS).map((problem) => problem.message);
  const more =
    problems.length > DESCRIBED_PROBLEMS
      ? ` (and ${problems.length - DESCRIBED_PROBLEMS} more)`
      : '';
  return new RegistrationError(first.error, `${shown.join('; ')}${more}`, 400);
}

type Values = { -readonly [K in MetadataField]?: RegistrationMetadata[K] };

/** Reads one body; collects problems instead of throwing. */
class BodyReader {
  readonly problems: MetadataProblem[] = [];
  readonly #update: boolean;
  /** Fields that had a problem: later checks that depend on them are skipped. */
  readonly #bad = new Set<string>();

  constructor(update: boolean) {
    this.#update = update;
  }

  read(body: unknown): Omit<Extract<MetadataValidation, { ok: true }>, 'ok'> | undefined {
    if (!isObject(body)) {
      this.#add(
        '',
        'invalid_client_metadata',
        `the request body must be a JSON object (got ${describeBody(body)})`,
      );
      return undefined;
    }
    const identity = this.#update ? this.#readUpdateFields(body) : undefined;
    const given: Values = {};
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
    for (const field of order) this.#readField(body, field, given);
    this.#checkCombinations(given);
    if (this.problems.length > 0) return undefined;
    return {
      metadata: withDefaults(given),
      clientId: identity?.clientId,
      clientSecret: identity?.clientSecret,
    };
  }

  #readUpdateFields(body: object): {
    clientId: string | undefined;
    clientSecret: string | undefined;
  } {
    for (const field of SERVER_ISSUED_FIELDS) {
      const read = readOwn(body, field);
      if (!('value' in read) || read.value !== undefined) {
        this.#add(
          field,
          'invalid_client_metadata',
          `${field} must not be sent in an update request; it is issued by the server (RFC 7592 §2.2)`,
        );
      }
    }
    const id = readOwn(body, 'client_id');
    let clientId: string | undefined;
    if (!('value' in id) || typeof id.value !== 'string' || id.value === '') {
      this.#add(
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
      this.#add(
        'client_secret',
        'invalid_client_metadata',
        'client_secret must be a string when present',
      );
    } else if (typeof secret.value === 'string') {
      clientSecret = secret.value;
    }
    return { clientId, clientSecret };
  }

  #readField(body: object, field: MetadataField, given: Values): void {
    const spec: MetadataFieldSpec = REGISTRATION_METADATA[field];
    const read = readOwn(body, field, LIST_KINDS.has(spec.kind) ? spec.maxItems : undefined);
    if ('unreadable' in read) {
      this.#add(field, spec.error, `${field} ${read.unreadable}`);
      this.#bad.add(field);
      return;
    }
    if ('tooMany' in read) {
      const max = spec.maxItems ?? 0;
      this.#add(
        field,
        spec.error,
        `${field} must have at most ${max} entries (got ${read.tooMany})`,
      );
      this.#bad.add(field);
      return;
    }
    if (read.value === undefined) return;
    const value = read.value;
    switch (spec.kind) {
      case 'name':
        this.#set(given, 'client_name', this.#name(field, value, spec));
        break;
      case 'auth_method':
        this.#set(given, 'token_endpoint_auth_method', this.#authMethod(field, value));
        break;
      case 'application_type':
        this.#set(given, 'application_type', this.#applicationType(field, value));
        break;
      case 'grant_types':
        this.#set(given, 'grant_types', this.#grantTypes(field, value, spec));
        break;
      case 'response_types':
        this.#set(given, 'response_types', this.#responseTypes(field, value, spec));
        break;
      case 'redirect_uris':
      case 'logout_uris':
        this.#set(
          given,
          field,
          this.#uris(field as 'redirect_uris' | 'post_logout_redirect_uris', value, spec, given),
        );
        break;
      case 'web_uri':
      case 'https_uri':
        this.#set(given, field, this.#uri(field, value, spec));
        break;
      case 'contacts':
        this.#set(given, 'contacts', this.#contacts(field, value, spec));
        break;
      case 'scope':
        this.#set(given, 'scope', this.#scope(field, value, spec));
        break;
      case 'jwks':
        this.#set(given, 'jwks', this.#jwks(field, value, spec));
        break;
    }
  }

  #set<K extends MetadataField>(given: Values, field: K, value: Values[K] | undefined): void {
    if (value === undefined) this.#bad.add(field);
    else given[field] = value;
  }

  #name(field: string, value: unknown, spec: MetadataFieldSpec): string | undefined {
    if (typeof value !== 'string') return this.#wrongType(field, value, 'a string');
    const name = value.trim();
    const max = spec.maxLength ?? 255;
    if (name === '' || codePointLength(name) > max) {
      return this.#fail(field, `${field} must be 1 to ${max} characters after trimming`);
    }
    if (/[<>]/.test(name) || /\p{Cc}/u.test(name)) {
      return this.#fail(field, `${field} must not contain "<", ">" or control characters`);
    }
    return name;
  }

  #authMethod(field: string, value: unknown): TokenEndpointAuthMethod | undefined {
    if (typeof value !== 'string') return this.#wrongType(field, value, 'a string');
    const known = REGISTRATION_AUTH_METHODS.find((method) => method === value);
    if (known) return known;
    return this.#fail(
      field,
      `${field}: ${quote(value)} is not supported; use ${oneOf(REGISTRATION_AUTH_METHODS)}`,
    );
  }

  #applicationType(field: string, value: unknown): RegistrationApplicationType | undefined {
    if (typeof value !== 'string') return this.#wrongType(field, value, 'a string');
    const known = APPLICATION_TYPES.find((type) => type === value);
    if (known) return known;
    return this.#fail(field, `${field}: ${quote(value)} is not supported; use web or native`);
  }

  #grantTypes(
    field: string,
    value: unknown,
    spec: MetadataFieldSpec,
  ): RegistrationGrantType[] | undefined {
    const list = this.#stringList(field, value, spec, REGISTRATION_METADATA.grant_types.error);
    if (!list) return undefined;
    const grants: RegistrationGrantType[] = [];
    let ok = true;
    list.forEach((entry, index) => {
      const known = REGISTRATION_GRANT_TYPES.find((grant) => grant === entry);
      if (!known) {
        ok = false;
        this.#add(
          `${field}/${index}`,
          'invalid_client_metadata',
          `${field}/${index}: ${quote(entry)} is not supported for dynamically registered clients; use ${oneOf(REGISTRATION_GRANT_TYPES)}`,
        );
      } else if (!grants.includes(known)) {
        grants.push(known);
      }
    });
    if (!ok) return undefined;
    if (grants.length === 0) return this.#fail(field, `${field} must list at least one grant type`);
    return grants;
  }

  #responseTypes(
    field: string,
    value: unknown,
    spec: MetadataFieldSpec,
  ): RegistrationResponseType[] | undefined {
    const list = this.#stringList(field, value, spec, 'invalid_client_metadata');
    if (!list) return undefined;
    const types: RegistrationResponseType[] = [];
    let ok = true;
    list.forEach((entry, index) => {
      const canonical = canonicalResponseType(entry);
      if (canonical === undefined) {
        ok = false;
        this.#add(
          `${field}/${index}`,
          'invalid_client_metadata',
          `${field}/${index}: ${quote(entry)} is not supported; use code, token, id_token or a space-separated combination of them (code id_token)`,
        );
      } else if (!types.includes(canonical)) {
        types.push(canonical);
      }
    });
    return ok ? types : undefined;
  }

  #uris(
    field: 'redirect_uris' | 'post_logout_redirect_uris',
    value: unknown,
    spec: MetadataFieldSpec,
    given: Values,
  ): string[] | undefined {
    const list = this.#stringList(field, value, spec, spec.error);
    if (!list) return undefined;
    // Without a valid application type or grant list the rules are unknown: check the
    // entries once those are fixed.
    const rulesKnown = !this.#bad.has('application_type') && !this.#bad.has('grant_types');
    const context = {
      applicationType: given.application_type ?? 'web',
      implicit: (given.grant_types ?? ['authorization_code']).includes('implicit'),
      kind: field === 'redirect_uris' ? ('callback' as const) : ('logout' as const),
    };
    let ok = true;
    list.forEach((uri, index) => {
      const reason = rulesKnown ? redirectUriProblem(uri, context) : undefined;
      if (reason !== undefined) {
        ok = false;
        this.#add(`${field}/${index}`, spec.error, `${field}/${index}: ${quote(uri)} — ${reason}`);
      }
    });
    return ok ? list : undefined;
  }

  #uri(field: string, value: unknown, spec: MetadataFieldSpec): string | undefined {
    if (typeof value !== 'string') return this.#wrongType(field, value, 'a URL string');
    const httpsOnly = spec.kind === 'https_uri';
    const reason = webUriProblem(value, httpsOnly, spec.maxLength ?? 2048);
    return reason === undefined
      ? value
      : this.#fail(field, `${field}: ${quote(value)} — ${reason}`);
  }

  #contacts(field: string, value: unknown, spec: MetadataFieldSpec): string[] | undefined {
    const list = this.#stringList(field, value, spec, 'invalid_client_metadata');
    if (!list) return undefined;
    let ok = true;
    list.forEach((contact, index) => {
      if (contact === '' || UNSAFE_CHARACTERS.test(contact.replaceAll(' ', 'x'))) {
        ok = false;
        this.#add(
          `${field}/${index}`,
          'invalid_client_metadata',
          `${field}/${index}: ${quote(contact)} — must be a non-empty string without control characters`,
        );
      }
    });
    return ok ? list : undefined;
  }

  #scope(field: string, value: unknown, spec: MetadataFieldSpec): string | undefined {
    if (typeof value !== 'string') return this.#wrongType(field, value, 'a string');
    const max = spec.maxLength ?? 4096;
    if (value.length > max) return this.#fail(field, `${field} must be at most ${max} characters`);
    if (!SCOPE.test(value)) {
      return this.#fail(
        field,
        `${field}: ${quote(value)} — must be scope values separated by single spaces, without quotes, backslashes or control characters (RFC 6749 §3.3)`,
      );
    }
    return value;
  }

  #jwks(field: string, value: unknown, spec: MetadataFieldSpec): RegistrationJwks | undefined {
    if (!isPlainJsonObject(value))
      return this.#wrongType(field, value, 'a JWK Set object ({ "keys": [...] })');
    const keys = value.keys;
    const maxKeys = spec.maxItems ?? 20;
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > maxKeys) {
      return this.#fail(field, `${field}.keys must be an array of 1 to ${maxKeys} JWKs`);
    }
    if (JSON.stringify(value).length > (spec.maxLength ?? 65_536)) {
      return this.#fail(
        field,
        `${field} must be at most ${spec.maxLength ?? 65_536} characters as JSON`,
      );
    }
    const copies: JsonObject[] = [];
    for (const [index, key] of keys.entries()) {
      if (!isPlainJsonObject(key) || typeof key.kty !== 'string' || key.kty === '') {
        return this.#fail(field, `${field}.keys/${index} must be a JWK object with a "kty" member`);
      }
      const secret = PRIVATE_JWK_MEMBERS.find((member) => Object.hasOwn(key, member));
      if (secret !== undefined) {
        return this.#fail(
          field,
          `${field}.keys/${index} must be a public key: remove the private member "${secret}"`,
        );
      }
      copies.push(key as JsonObject);
    }
    return { keys: copies };
  }

  /** An array of strings within the field's limits, or undefined after a problem. */
  #stringList(
    field: string,
    value: unknown,
    spec: MetadataFieldSpec,
    error: MetadataProblem['error'],
  ): string[] | undefined {
    if (!Array.isArray(value)) return this.#wrongType(field, value, 'an array of strings', error);
    const max = spec.maxItems ?? 100;
    if (value.length > max) {
      return this.#fail(
        field,
        `${field} must have at most ${max} entries (got ${value.length})`,
        error,
      );
    }
    const maxLength = spec.maxLength ?? 2048;
    let ok = true;
    value.forEach((entry: unknown, index) => {
      if (typeof entry !== 'string') {
        ok = false;
        this.#add(
          `${field}/${index}`,
          error,
          `${field}/${index} must be a string (got ${describeValue(entry)})`,
        );
      } else if (entry.length > maxLength) {
        ok = false;
        this.#add(
          `${field}/${index}`,
          error,
          `${field}/${index} must be at most ${maxLength} characters`,
        );
      }
    });
    return ok ? (value as string[]) : undefined;
  }

  /** Checks that combine fields (RFC 7591 §2, §2.1; OIDC DCR §2). */
  #checkCombinations(given: Values): void {
    if (given.jwks !== undefined && given.jwks_uri !== undefined) {
      this.#add(
        'jwks_uri',
        'invalid_client_metadata',
        'jwks_uri and jwks must not both be present (RFC 7591 §2)',
      );
    }
    const grantsKnown = !this.#bad.has('grant_types');
    const grants = given.grant_types ?? ['authorization_code'];
    const method = given.token_endpoint_auth_method ?? 'client_secret_basic';
    if (grantsKnown && !this.#bad.has('token_endpoint_auth_method')) {
      if (method === 'none' && grants.includes('client_credentials')) {
        this.#add(
          'grant_types',
          'invalid_client_metadata',
          'grant_types: "client_credentials" needs a client secret, but token_endpoint_auth_method "none" registers a public client; use client_secret_basic or client_secret_post',
        );
      }
    }
    if (grantsKnown && !this.#bad.has('application_type')) {
      if (given.application_type === 'native' && grants.includes('client_credentials')) {
        this.#add(
          'grant_types',
          'invalid_client_metadata',
          'grant_types: "client_credentials" is not available to a native client, which cannot keep a secret (RFC 8252 §8.5); register the service as application_type web',
        );
      }
    }
    if (grantsKnown && !this.#bad.has('response_types')) {
      this.#checkGrantResponseConsistency(grants, given.response_types);
    }
    if (grantsKnown && !this.#bad.has('redirect_uris')) {
      const redirecting = grants.includes('authorization_code') || grants.includes('implicit');
      if (redirecting && (given.redirect_uris ?? []).length === 0) {
        this.#add(
          'redirect_uris',
          'invalid_redirect_uri',
          'redirect_uris must list at least one URI when grant_types includes authorization_code or implicit (RFC 7591 §2)',
        );
      }
    }
  }

  #checkGrantResponseConsistency(
    grants: readonly RegistrationGrantType[],
    given: readonly RegistrationResponseType[] | undefined,
  ): void {
    const responses: readonly string[] =
      given ??
      (REGISTRATION_METADATA.response_types.defaultValue({ grant_types: [...grants] }) as string[]);
    const components = new Set(responses.flatMap((type) => type.split(' ')));
    const rules: [boolean, string][] = [
      [
        components.has('code') && !grants.includes('authorization_code'),
        'response_types with "code" need grant_types "authorization_code" (RFC 7591 §2.1)',
      ],
      [
        (components.has('token') || components.has('id_token')) && !grants.includes('implicit'),
        'response_types with "token" or "id_token" need grant_types "implicit" (RFC 7591 §2.1)',
      ],
      [
        grants.includes('authorization_code') && !components.has('code'),
        'grant_types "authorization_code" needs a response type with "code" (RFC 7591 §2.1)',
      ],
      [
        grants.includes('implicit') && !components.has('token') && !components.has('id_token'),
        'grant_types "implicit" needs a response type with "token" or "id_token" (RFC 7591 §2.1)',
      ],
    ];
    for (const [broken, message] of rules) {
      if (broken) this.#add('response_types', 'invalid_client_metadata', message);
    }
  }

  #wrongType<T>(
    field: string,
    value: unknown,
    expected: string,
    error: MetadataProblem['error'] = errorOf(field),
  ): T | undefined {
    return this.#fail(field, `${field} must be ${expected} (got ${describeValue(value)})`, error);
  }

  #fail<T>(
    field: string,
    message: string,
    error: MetadataProblem['error'] = errorOf(field),
  ): T | undefined {
    this.#add(field, error, message);
    return undefined;
  }

  #add(field: string, error: MetadataProblem['error'], message: string): void {
    this.problems.push({ field, error, message });
  }
}

function errorOf(field: string): MetadataProblem['error'] {
  const root = field.split('/')[0] ?? '';
  return Object.hasOwn(REGISTRATION_METADATA, root)
    ? REGISTRATION_METADATA[root as MetadataField].error
    : 'invalid_client_metadata';
}

/** Fills in the defaults, in an order that lets `response_types` see the grants. */
function withDefaults(given: Values): RegistrationMetadata {
  const grantTypes =
    given.grant_types ??
    (REGISTRATION_METADATA.grant_types.defaultValue() as RegistrationGrantType[]);
  const metadata: RegistrationMetadata = {
    redirect_uris: given.redirect_uris ?? [],
    client_name: given.client_name ?? (REGISTRATION_METADATA.client_name.defaultValue() as string),
    token_endpoint_auth_method:
      given.token_endpoint_auth_method ??
      (REGISTRATION_METADATA.token_endpoint_auth_method.defaultValue() as TokenEndpointAuthMethod),
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

/** Problems in table order (update-only fields first), stable within a field. */
function sortProblems(problems: readonly MetadataProblem[]): MetadataProblem[] {
  const rank = (problem: MetadataProblem) => {
    const root = problem.field.split('/')[0] ?? '';
    const index = METADATA_FIELDS.indexOf(root as MetadataField);
    return index === -1 ? -1 : index;
  };
  return problems
    .map((problem, order) => ({ problem, order, rank: rank(problem) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ problem }) => problem);
}

/** `code id_token` for any order of known, distinct components; else undefined. */
function canonicalResponseType(entry: string): RegistrationResponseType | undefined {
  const parts = entry.split(' ');
  if (parts.some((part) => part === '')) return undefined;
  const known: string[] = RESPONSE_TYPE_COMPONENTS.filter((component) => parts.includes(component));
  if (known.length !== parts.length) return undefined;
  return known.join(' ') as RegistrationResponseType;
}

/** Why `value` is not an absolute http(s) URL fit to show to users, or undefined. */
function webUriProblem(value: string, httpsOnly: boolean, maxLength: number): string | undefined {
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  if (UNSAFE_CHARACTERS.test(value))
    return 'must not contain whitespace, control characters or "\\"';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  if (
    httpsOnly ? url.protocol !== 'https:' : url.protocol !== 'https:' && url.protocol !== 'http:'
  ) {
    return httpsOnly ? 'must use https' : 'must use http or https';
  }
  if (!/^https?:\/\/[^/?#]/i.test(value)) return 'must be written as scheme://host/...';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  return undefined;
}

/** A plain object (any realm's `Object.prototype`, or none): what JSON.parse makes. */
function isObject(value: unknown): value is object {
  try {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === null || Object.getPrototypeOf(proto) === null;
  } catch {
    return false;
  }
}

function isPlainJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeBody(body: unknown): string {
  try {
    return describeValue(body);
  } catch {
    return 'an unreadable value';
  }
}

/**
 * Reads an own property once and copies it as plain JSON. `null` and `undefined` come
 * back as `undefined` (absent). Arrays longer than `maxItems` are not copied at all: only
 * their length comes back.
 */
function readOwn(body: object, name: string, maxItems?: number): ReadResult {
  let raw: unknown;
  try {
    if (!Object.hasOwn(body, name)) return { value: undefined };
    raw = (body as Record<string, unknown>)[name];
  } catch {
    return { unreadable: 'could not be read (reading it threw)' };
  }
  if (raw === undefined || raw === null) return { value: undefined };
  if (typeof raw !== 'object') return { value: raw };
  let length: number | undefined;
  try {
    length = Array.isArray(raw) ? raw.length : undefined;
  } catch {
    return { unreadable: 'could not be read (inspecting it threw)' };
  }
  if (length !== undefined && maxItems !== undefined && length > maxItems) {
    return { tooMany: length };
  }
  const snapshot = jsonSnapshot(raw);
  const issue = snapshot.issues[0];
  if (issue) return { unreadable: `could not be read as JSON (${issue.code})` };
  return { value: snapshot.value };
}

/** What {@link readOwn} found. */
type ReadResult = { value: unknown } | { unreadable: string } | { tooMany: number };
