/**
 * Validating a Client ID Metadata Document: the draft's own rules (its `client_id` is its
 * URL, exactly; `redirect_uris` required; no shared secret of any kind), then every other
 * member read exactly as Dynamic Client Registration reads it, through the same readers,
 * so a document and a registration request mean the same thing. Pure, synchronous, and it
 * never throws, whatever the document is.
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-4.1
 */
import type { Issue } from '../errors.js';
import { describeValue } from '../client/messages.js';
import { escapePointer } from '../lib/json-pointer.js';
import {
  METADATA_FIELDS,
  type RegistrationAuthMethod,
  type RegistrationMetadata,
} from '../registration/metadata.js';
import { validateRegistrationMetadata } from '../registration/validate-metadata.js';
import { describeBody, isObject, readOwn } from '../registration/untrusted-body.js';
import { checkClientIdUrl } from './client-id-url.js';

/** A valid document, normalised. */
export interface ValidatedClientMetadataDocument {
  /** The client id URL (the document's `client_id`). */
  readonly clientId: string;
  /**
   * The metadata as registration normalises it (defaults filled in); the authentication
   * method is `none` when the document names none (a shared secret cannot be the default).
   */
  readonly metadata: RegistrationMetadata;
  /** Whether the document named itself (`client_name`); otherwise the URL's host is shown. */
  readonly named: boolean;
}

/** The result of {@link validateClientMetadataDocument}. */
export type ClientMetadataDocumentValidation =
  | {
      /** The document is valid. */
      readonly ok: true;
      /** What it says. */
      readonly value: ValidatedClientMetadataDocument;
      /** Members that are ignored (unknown to this server), each at its pointer. */
      readonly warnings: readonly Issue[];
    }
  | {
      /** The document is not valid. */
      readonly ok: false;
      /** Every problem, at its JSON pointer into the document. */
      readonly issues: readonly Issue[];
      /** Members that would be ignored. */
      readonly warnings: readonly Issue[];
    };

/** The authentication methods a document may name, and why the others are refused. */
const AUTH_METHODS: Readonly<Record<string, { readonly allowed: boolean; readonly why?: string }>> =
  {
    none: { allowed: true },
    private_key_jwt: { allowed: true },
    client_secret_basic: { allowed: false, why: 'a shared secret' },
    client_secret_post: { allowed: false, why: 'a shared secret' },
    client_secret_jwt: { allowed: false, why: 'a shared secret' },
  };

/** Members that carry a secret issued by a server: never in a public document. */
const SECRET_MEMBERS = ['client_secret', 'client_secret_expires_at'] as const;

/** RFC 7591 members registration reads without storing: not worth a warning. */
const QUIETLY_IGNORED: ReadonlySet<string> = new Set([
  'client_id',
  'software_id',
  'software_version',
]);

/** The longest list of members looked at for warnings. */
const MAX_MEMBERS = 200;

/**
 * Validates a Client ID Metadata Document fetched from `clientId`. Never throws.
 *
 * @param document - the parsed JSON document; anything
 * @param clientId - the URL it was fetched from
 * @example
 * ```ts
 * const result = validateClientMetadataDocument(
 *   { client_id: url, client_name: 'Notes', redirect_uris: ['http://127.0.0.1:3000/cb'] },
 *   url,
 * );
 * if (!result.ok) for (const issue of result.issues) console.log(issue.path, issue.message);
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-4.1
 */
export function validateClientMetadataDocument(
  document: unknown,
  clientId: string,
): ClientMetadataDocumentValidation {
  try {
    return validate(document, clientId);
  } catch {
    // Every read below is guarded; this is defence in depth.
    const issues = [issue('', 'unreadable', 'the document could not be read')];
    return { ok: false, issues, warnings: [] };
  }
}

function validate(document: unknown, clientId: string): ClientMetadataDocumentValidation {
  const url = checkClientIdUrl(clientId);
  if (!url.ok) {
    const issues = [issue('', 'invalid_client_id_url', `the client id URL ${url.reason}`)];
    return { ok: false, issues, warnings: [] };
  }
  if (!isObject(document)) {
    const issues = [
      issue(
        '',
        'not_an_object',
        `the document must be a JSON object (got ${describeBody(document)})`,
      ),
    ];
    return { ok: false, issues, warnings: [] };
  }
  const issues: Issue[] = [];
  const named = readOwn(document, 'client_id');
  if (!('value' in named) || named.value !== clientId) {
    issues.push(
      issue(
        '/client_id',
        'client_id_mismatch',
        'value' in named && named.value === undefined
          ? `client_id is required and must be the document's URL (${clientId})`
          : `client_id must be exactly the document's URL (${clientId}); got ${'value' in named ? describeValue(named.value) : 'an unreadable value'}`,
      ),
    );
  }
  for (const member of SECRET_MEMBERS) {
    const read = readOwn(document, member);
    if (!('value' in read) || read.value !== undefined) {
      issues.push(
        issue(
          `/${member}`,
          'shared_secret',
          `${member} must not appear: a metadata document is public, so it cannot carry a shared secret`,
        ),
      );
    }
  }
  const method = authMethodOf(document, issues);
  const redirects = readOwn(document, 'redirect_uris');
  if (
    'value' in redirects &&
    (redirects.value === undefined ||
      (Array.isArray(redirects.value) && redirects.value.length === 0))
  ) {
    issues.push(
      issue(
        '/redirect_uris',
        'required',
        'redirect_uris is required and must list at least one URI',
      ),
    );
  }
  const body: Record<string, unknown> = {};
  for (const field of METADATA_FIELDS) {
    const read = readOwn(document, field);
    if ('value' in read) {
      if (read.value !== undefined) body[field] = read.value;
    } else if ('unreadable' in read) {
      issues.push(issue(`/${field}`, 'unreadable', `${field} ${read.unreadable}`));
    }
  }
  if (method !== undefined) body['token_endpoint_auth_method'] = method;
  else delete body['token_endpoint_auth_method'];
  const registration = validateRegistrationMetadata(body);
  const warnings = unknownMembers(document);
  if (!registration.ok) {
    const reported = new Set(issues.map((found) => found.path));
    for (const problem of registration.problems) {
      const path = problem.field === '' ? '' : `/${problem.field}`;
      if (reported.has(path)) continue;
      issues.push(issue(path, problem.error, problem.message));
    }
  }
  if (issues.length > 0 || !registration.ok) return { ok: false, issues, warnings };
  return {
    ok: true,
    value: { clientId, metadata: registration.metadata, named: body['client_name'] !== undefined },
    warnings,
  };
}

/** The document's method (`none` when absent); a refused one is an issue and undefined. */
function authMethodOf(document: object, issues: Issue[]): RegistrationAuthMethod | undefined {
  const read = readOwn(document, 'token_endpoint_auth_method');
  if (!('value' in read)) return undefined; // the registration reader reports it
  if (read.value === undefined) return 'none';
  if (typeof read.value !== 'string') return undefined;
  const rule = Object.hasOwn(AUTH_METHODS, read.value) ? AUTH_METHODS[read.value] : undefined;
  if (rule?.allowed === true) return read.value as RegistrationAuthMethod;
  issues.push(
    issue(
      '/token_endpoint_auth_method',
      rule ? 'shared_secret' : 'unsupported_auth_method',
      `token_endpoint_auth_method must be none or private_key_jwt (with jwks or jwks_uri); ${JSON.stringify(read.value.slice(0, 60))} ${rule?.why === undefined ? 'is not supported' : `uses ${rule.why}, which a public document cannot hold`}`,
    ),
  );
  return undefined;
}

/** Members nothing reads, as warnings (Auth0's preview lists them the same way). */
function unknownMembers(document: object): Issue[] {
  let names: string[];
  try {
    names = Object.keys(document).slice(0, MAX_MEMBERS);
  } catch {
    return [];
  }
  const known: ReadonlySet<string> = new Set<string>([
    ...METADATA_FIELDS,
    ...SECRET_MEMBERS,
    ...QUIETLY_IGNORED,
  ]);
  return names
    .filter((name) => !known.has(name))
    .map((name) =>
      issue(
        `/${escapePointer(name.slice(0, 100))}`,
        'ignored_member',
        `${name.slice(0, 100)} is not used and is ignored`,
      ),
    );
}

function issue(path: string, code: string, message: string): Issue {
  return { path, code, message };
}
