/**
 * What an HTTP request tells the audit trail about the operation it caused: who called
 * from where, and which endpoint. Built once per request by the HTTP layer (or by an
 * embedding server) and passed down explicitly, as `request` in the audit input or the
 * `{ request }` option of a tenant operation.
 *
 * @module
 */
import { BoundedTable, intern } from '../lib/intern.js';
import { rememberLast } from '../lib/remember-last.js';

/** The request behind an operation, as its audit event records it. Every member optional. */
export interface RequestContext {
  /** The caller's IP address (the event's `ip`). */
  readonly ip?: string | undefined;
  /** The caller's `User-Agent` (the event's `user_agent`, and from it `isMobile`). */
  readonly userAgent?: string | undefined;
  /** The HTTP method (`details.request.method`, lower case as Auth0 writes it). */
  readonly method?: string | undefined;
  /** The path of the URL, without its query (`details.request.path`). */
  readonly path?: string | undefined;
  /**
   * Who was authenticated for the request (a Management API call's client), as
   * `details.request.auth`. Never a token or a secret.
   */
  readonly auth?:
    | {
        /** The client the request's access token was issued to. */
        readonly client_id?: string | undefined;
      }
    | undefined;
}

/** Longest `User-Agent` kept: the event stays small whatever a client sends. */
export const MAX_USER_AGENT_LENGTH = 512;

/** User agents of phones and tablets, as log consumers read `isMobile`. */
const MOBILE_AGENT = /Mobi|Android|iPhone|iPad|iPod|Windows Phone|BlackBerry|Opera Mini/;

/**
 * Whether `userAgent` is a phone's or a tablet's browser or app. A client sends the same
 * agent request after request, so it is tested once for a run of them.
 */
export const isMobileAgent = rememberLast((userAgent: string): boolean =>
  MOBILE_AGENT.test(userAgent),
);

/** Lower-case methods, one string each, rather than a new one per event. */
const LOWER_METHODS: Readonly<Record<string, string>> = {
  GET: 'get',
  HEAD: 'head',
  POST: 'post',
  PUT: 'put',
  PATCH: 'patch',
  DELETE: 'delete',
  OPTIONS: 'options',
};

/** `details.request` objects without `auth`, by `"<method> <path>"`. */
const SHARED_DETAILS = new BoundedTable<Readonly<Record<string, unknown>>>(1024);

/**
 * `details.request` for `context`: `{ method, path, auth }` with what is known, or
 * `undefined` when nothing is. Frozen, and only strings: deep-frozen JSON.
 */
export function requestDetails(
  context: RequestContext,
): Readonly<Record<string, unknown>> | undefined {
  const { method, path, auth } = context;
  if (method === undefined && path === undefined && auth?.client_id === undefined) return undefined;
  const lower =
    typeof method !== 'string'
      ? undefined
      : Object.hasOwn(LOWER_METHODS, method)
        ? LOWER_METHODS[method]
        : method.toLowerCase();
  if (auth === undefined && lower !== undefined && typeof path === 'string') {
    // Most events come from a few endpoints: one object per method and path, shared.
    const key = `${lower} ${path}`;
    return (
      SHARED_DETAILS.get(key) ??
      SHARED_DETAILS.set(key, Object.freeze({ method: lower, path: intern(path) }))
    );
  }
  const details: Record<string, unknown> = {};
  if (lower !== undefined) details.method = lower;
  if (typeof path === 'string') details.path = intern(path);
  if (typeof auth?.client_id === 'string') {
    details.auth = Object.freeze({ client_id: intern(auth.client_id), strategy: 'jwt' });
  }
  return Object.freeze(details);
}
