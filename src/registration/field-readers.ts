/**
 * One reader per kind of registration metadata field: each takes the JSON value a body
 * gave, logs every problem with it to a {@link ProblemLog}, and returns the normalised
 * value, or `undefined` once it found a problem. (`jwks` has its own file, `jwks-reader.ts`.)
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
import { codePointLength, describeValue, oneOf, quote } from '../client/messages.js';
import { CLIENT_URI_FIELDS, HTTPS_URI, uriProblem, WEB_URI } from '../client/uri-fields.js';
import {
  APPLICATION_TYPES,
  REGISTRATION_AUTH_METHODS,
  REGISTRATION_GRANT_TYPES,
  REGISTRATION_METADATA,
  RESPONSE_TYPE_COMPONENTS,
  type MetadataField,
  type MetadataFieldSpec,
  type RegistrationApplicationType,
  type RegistrationAuthMethod,
  type RegistrationGrantType,
  type RegistrationMetadata,
  type RegistrationResponseType,
} from './metadata.js';
import type { MetadataProblem, ProblemLog } from './problems.js';
import { redirectUriProblem } from './redirect-uris.js';

/** The fields a body gave, as read so far, before defaults are filled in. */
export type GivenMetadata = { -readonly [K in MetadataField]?: RegistrationMetadata[K] };

/** RFC 6749 §3.3 scope-token characters, space-separated, no empty tokens. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/;
/** Control, format and separator characters, and backslash: never in a URI or contact. */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}\\]/u;

/** `client_name`: trimmed, within its length, no markup or control characters. */
export function readName(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  log: ProblemLog,
): string | undefined {
  if (typeof value !== 'string') return log.wrongType(field, value, 'a string');
  const name = value.trim();
  const max = spec.maxLength ?? 255;
  if (name === '' || codePointLength(name) > max) {
    return log.fail(field, `${field} must be 1 to ${max} characters after trimming`);
  }
  if (/[<>]/.test(name) || /\p{Cc}/u.test(name)) {
    return log.fail(field, `${field} must not contain "<", ">" or control characters`);
  }
  return name;
}

/** `token_endpoint_auth_method`: one of the supported methods. */
export function readAuthMethod(
  field: string,
  value: unknown,
  log: ProblemLog,
): RegistrationAuthMethod | undefined {
  if (typeof value !== 'string') return log.wrongType(field, value, 'a string');
  const known = REGISTRATION_AUTH_METHODS.find((method) => method === value);
  if (known) return known;
  return log.fail(
    field,
    `${field}: ${quote(value)} is not supported; use ${oneOf(REGISTRATION_AUTH_METHODS)}`,
  );
}

/** `application_type`: `web` or `native`. */
export function readApplicationType(
  field: string,
  value: unknown,
  log: ProblemLog,
): RegistrationApplicationType | undefined {
  if (typeof value !== 'string') return log.wrongType(field, value, 'a string');
  const known = APPLICATION_TYPES.find((type) => type === value);
  if (known) return known;
  return log.fail(field, `${field}: ${quote(value)} is not supported; use web or native`);
}

/** `grant_types`: supported grants, at least one, duplicates dropped. */
export function readGrantTypes(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  log: ProblemLog,
): RegistrationGrantType[] | undefined {
  const list = readStringList(field, value, spec, REGISTRATION_METADATA.grant_types.error, log);
  if (!list) return undefined;
  const grants: RegistrationGrantType[] = [];
  let ok = true;
  list.forEach((entry, index) => {
    const known = REGISTRATION_GRANT_TYPES.find((grant) => grant === entry);
    if (!known) {
      ok = false;
      log.add(
        `${field}/${index}`,
        'invalid_client_metadata',
        `${field}/${index}: ${quote(entry)} is not supported for dynamically registered clients; use ${oneOf(REGISTRATION_GRANT_TYPES)}`,
      );
    } else if (!grants.includes(known)) {
      grants.push(known);
    }
  });
  if (!ok) return undefined;
  if (grants.length === 0) return log.fail(field, `${field} must list at least one grant type`);
  return grants;
}

/** `response_types`: known combinations, in canonical order, duplicates dropped. */
export function readResponseTypes(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  log: ProblemLog,
): RegistrationResponseType[] | undefined {
  const list = readStringList(field, value, spec, 'invalid_client_metadata', log);
  if (!list) return undefined;
  const types: RegistrationResponseType[] = [];
  let ok = true;
  list.forEach((entry, index) => {
    const canonical = canonicalResponseType(entry);
    if (canonical === undefined) {
      ok = false;
      log.add(
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

/**
 * `redirect_uris` and `post_logout_redirect_uris`: each entry must pass the redirect URI
 * rules of the application type and grants read before it.
 */
export function readUris(
  field: 'redirect_uris' | 'post_logout_redirect_uris',
  value: unknown,
  spec: MetadataFieldSpec,
  given: GivenMetadata,
  log: ProblemLog,
): string[] | undefined {
  const list = readStringList(field, value, spec, spec.error, log);
  if (!list) return undefined;
  // Without a valid application type or grant list the rules are unknown: check the
  // entries once those are fixed.
  const rulesKnown = !log.bad.has('application_type') && !log.bad.has('grant_types');
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
      log.add(`${field}/${index}`, spec.error, `${field}/${index}: ${quote(uri)} — ${reason}`);
    }
  });
  return ok ? list : undefined;
}

/** A single web page URL (`client_uri`, `logo_uri`, ...): http(s), or https only. */
export function readUri(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  log: ProblemLog,
): string | undefined {
  if (typeof value !== 'string') return log.wrongType(field, value, 'a URL string');
  // The fields that become client settings follow the settings' own rule (one rule for
  // registration and the Management API); the others are web pages or https endpoints.
  const rule =
    spec.setting === 'logo_uri' || spec.setting === 'initiate_login_uri'
      ? CLIENT_URI_FIELDS[spec.setting]
      : spec.kind === 'https_uri'
        ? HTTPS_URI
        : WEB_URI;
  const reason = uriProblem(value, rule, spec.maxLength ?? 2048);
  return reason === undefined ? value : log.fail(field, `${field}: ${quote(value)} — ${reason}`);
}

/** `contacts`: non-empty strings without control characters. */
export function readContacts(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  log: ProblemLog,
): string[] | undefined {
  const list = readStringList(field, value, spec, 'invalid_client_metadata', log);
  if (!list) return undefined;
  let ok = true;
  list.forEach((contact, index) => {
    if (contact === '' || UNSAFE_CHARACTERS.test(contact.replaceAll(' ', 'x'))) {
      ok = false;
      log.add(
        `${field}/${index}`,
        'invalid_client_metadata',
        `${field}/${index}: ${quote(contact)} — must be a non-empty string without control characters`,
      );
    }
  });
  return ok ? list : undefined;
}

/** `scope`: RFC 6749 §3.3 scope values separated by single spaces. */
export function readScope(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  log: ProblemLog,
): string | undefined {
  if (typeof value !== 'string') return log.wrongType(field, value, 'a string');
  const max = spec.maxLength ?? 4096;
  if (value.length > max) return log.fail(field, `${field} must be at most ${max} characters`);
  if (!SCOPE.test(value)) {
    return log.fail(
      field,
      `${field}: ${quote(value)} — must be scope values separated by single spaces, without quotes, backslashes or control characters (RFC 6749 §3.3)`,
    );
  }
  return value;
}

/** An array of strings within the field's limits, or undefined after a problem. */
function readStringList(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  error: MetadataProblem['error'],
  log: ProblemLog,
): string[] | undefined {
  if (!Array.isArray(value)) return log.wrongType(field, value, 'an array of strings', error);
  const max = spec.maxItems ?? 100;
  if (value.length > max) {
    return log.fail(
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
      log.add(
        `${field}/${index}`,
        error,
        `${field}/${index} must be a string (got ${describeValue(entry)})`,
      );
    } else if (entry.length > maxLength) {
      ok = false;
      log.add(
        `${field}/${index}`,
        error,
        `${field}/${index} must be at most ${maxLength} characters`,
      );
    }
  });
  return ok ? (value as string[]) : undefined;
}

/** `code id_token` for any order of known, distinct components; else undefined. */
function canonicalResponseType(entry: string): RegistrationResponseType | undefined {
  const parts = entry.split(' ');
  if (parts.some((part) => part === '')) return undefined;
  const known: string[] = RESPONSE_TYPE_COMPONENTS.filter((component) => parts.includes(component));
  if (known.length !== parts.length) return undefined;
  return known.join(' ') as RegistrationResponseType;
}
