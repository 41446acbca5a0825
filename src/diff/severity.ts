/**
 * Which changes are destructive, in one table: what they take away from logins, tokens or
 * deployments that work today. Everything else is a plain `change` (adding a callback
 * widens what a client may do, which a review should see, but nothing that works stops).
 *
 * @module
 */
import type { JsonValue } from '../client/settings.js';
import type { ChangeKind, ChangeSeverity, DiffObjectType } from './types.js';

/** One row: a pointer pattern of an object type, the kinds of change, and what breaks. */
interface DestructiveChange {
  /** Object type. */
  readonly type: DiffObjectType;
  /**
   * Pointer pattern: `''` is the object itself, `*` one reference token (a list entry),
   * a trailing `/**` the member and everything below it.
   */
  readonly path: string;
  /** The kinds of change that are destructive there. */
  readonly kinds: readonly ChangeKind[];
  /** Extra condition on the values, when the kind is not enough. */
  readonly when?: (before: JsonValue | undefined, after: JsonValue | undefined) => boolean;
  /** What the change breaks, for reports. */
  readonly reason: string;
}

const ANY: readonly ChangeKind[] = ['added', 'removed', 'changed'];
const REMOVED: readonly ChangeKind[] = ['removed'];

/**
 * The destructive changes. A deleted client, connection or API; a callback, logout URL or
 * origin removed; a grant deleted or narrowed; a connection disabled for a client; a
 * signing algorithm or authentication method changed; and settings Auth0 does not let
 * change once a client exists.
 *
 * @internal
 */
export const DESTRUCTIVE_CHANGES: readonly DestructiveChange[] = [
  {
    type: 'client',
    path: '',
    kinds: REMOVED,
    reason: 'deletes the client: its logins and token requests fail, its grants go with it',
  },
  {
    type: 'client',
    path: '/callbacks/*',
    kinds: REMOVED,
    reason: 'logins that redirect to this callback URL are refused',
  },
  {
    type: 'client',
    path: '/allowed_logout_urls/*',
    kinds: REMOVED,
    reason: 'logouts that return to this URL are refused',
  },
  {
    type: 'client',
    path: '/allowed_origins/*',
    kinds: REMOVED,
    reason: 'cross-origin requests from this origin are refused',
  },
  {
    type: 'client',
    path: '/web_origins/*',
    kinds: REMOVED,
    reason: 'silent authentication and web_message responses to this origin are refused',
  },
  {
    type: 'client',
    path: '/grant_types/*',
    kinds: REMOVED,
    reason: 'the client can no longer use this grant type',
  },
  {
    type: 'client',
    path: '/token_endpoint_auth_method',
    kinds: ANY,
    reason: 'the client must authenticate another way at the token endpoint',
  },
  {
    type: 'client',
    path: '/client_authentication_methods/**',
    kinds: ANY,
    reason: 'the client must authenticate another way at the token endpoint',
  },
  {
    type: 'client',
    path: '/jwt_configuration/alg',
    kinds: ANY,
    reason:
      'ID tokens are signed with another algorithm; verifiers that expect the old one reject them',
  },
  {
    type: 'client',
    path: '/is_first_party',
    kinds: ANY,
    reason: 'Auth0 does not convert a client between first and third party: the update is refused',
  },
  {
    type: 'client',
    path: '/third_party_security_mode',
    kinds: ANY,
    reason: 'third_party_security_mode is set at creation and cannot change: the update is refused',
  },
  {
    type: 'api',
    path: '',
    kinds: REMOVED,
    reason: 'deletes the API: tokens for its audience can no longer be issued',
  },
  {
    type: 'api',
    path: '/scopes/*',
    kinds: REMOVED,
    reason: 'the API no longer defines this scope: grants and token requests for it fail',
  },
  {
    type: 'api',
    path: '/signing_alg',
    kinds: ANY,
    reason:
      'access tokens are signed with another algorithm; APIs that expect the old one reject them',
  },
  {
    type: 'connection',
    path: '',
    kinds: REMOVED,
    reason: 'deletes the connection, and with a database connection its users',
  },
  {
    type: 'connection',
    path: '/enabled_clients/*',
    kinds: REMOVED,
    reason: 'the connection is disabled for this client: its users can no longer log in to it',
  },
  {
    type: 'connection',
    path: '/strategy',
    kinds: ANY,
    reason: "a connection's strategy cannot change: replace the connection instead",
  },
  {
    type: 'grant',
    path: '',
    kinds: REMOVED,
    reason: 'the client can no longer get tokens for this API',
  },
  {
    type: 'grant',
    path: '/scope/*',
    kinds: REMOVED,
    reason: 'the grant is narrowed: token requests for this scope fail',
  },
  {
    type: 'grant',
    path: '/allow_all_scopes',
    kinds: ANY,
    when: (before) => before === true,
    reason: 'the grant is narrowed to its listed scopes',
  },
  {
    type: 'grant',
    path: '/subject_type',
    kinds: ANY,
    reason: 'subject_type cannot change: the Deploy CLI deletes the grant and creates a new one',
  },
];

/** The severity of a change, and for a destructive one what it breaks. */
export function severityOf(
  type: DiffObjectType,
  kind: ChangeKind,
  tokens: readonly (string | number)[],
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): { severity: ChangeSeverity; reason?: string } {
  for (const row of DESTRUCTIVE_CHANGES) {
    if (row.type !== type || !row.kinds.includes(kind) || !matches(row.path, tokens)) continue;
    if (row.when && !row.when(before, after)) continue;
    return { severity: 'destructive', reason: row.reason };
  }
  return { severity: 'change' };
}

function matches(pattern: string, tokens: readonly (string | number)[]): boolean {
  const parts = pattern === '' ? [] : pattern.slice(1).split('/');
  const subtree = parts[parts.length - 1] === '**';
  if (subtree) parts.pop();
  if (subtree ? tokens.length < parts.length : tokens.length !== parts.length) return false;
  return parts.every((part, i) => part === '*' || part === String(tokens[i]));
}
