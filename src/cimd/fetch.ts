/**
 * Fetching a Client ID Metadata Document without letting its URL aim the server anywhere
 * else (SSRF): the URL's rules first, then the host resolved here and every address it
 * has checked against the special-purpose ranges, then a connection to the very address
 * that was checked (a second DNS answer, as in DNS rebinding, is never asked for), one
 * GET, no redirect followed, a size limit counted while the body streams in, and one
 * deadline over all of it. Every refusal is a {@link ClientMetadataDocumentError}.
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-6
 */
import { checkClientIdUrl } from './client-id-url.js';
import { refusal, tooLarge } from './refusal.js';
import { viaFetch, viaHttps, type RawResponse } from './transport.js';
import type { FetchDocumentOptions } from './types.js';

export type { FetchDocumentOptions, ResolvedAddress } from './types.js';

/** A fetched document and what its response said about caching it. */
export interface FetchedDocument {
  /** The parsed JSON body. */
  readonly document: unknown;
  /** The response headers caching reads (lower-case names). */
  readonly headers: Readonly<
    Record<'cache-control' | 'expires' | 'date' | 'age', string | undefined>
  >;
}

/** The draft's recommended size limit: 5 kilobytes. */
export const DEFAULT_MAX_BYTES = 5 * 1024;
/** Default deadline of one fetch. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Fetches and parses the metadata document at a client id URL.
 *
 * @param clientId - the client id URL
 * @param options - limits, and the injectable pieces for tests
 * @throws {@link ClientMetadataDocumentError} with a stable `code`: `cimd_invalid_url`,
 *   `cimd_forbidden_address`, `cimd_dns_failed`, `cimd_network`, `cimd_timeout`,
 *   `cimd_redirect`, `cimd_http_status`, `cimd_content_type`, `cimd_too_large`,
 *   `cimd_invalid_json`.
 * @example
 * ```ts
 * const { document } = await fetchClientMetadataDocument('https://app.example.com/client.json');
 * ```
 */
export async function fetchClientMetadataDocument(
  clientId: string,
  options: FetchDocumentOptions = {},
): Promise<FetchedDocument> {
  const checked = checkClientIdUrl(clientId);
  if (!checked.ok) {
    const url = String(clientId).slice(0, 300);
    throw refusal('cimd_invalid_url', url, `the client id URL ${checked.reason}`);
  }
  return fetchJson(checked.url, options, DOCUMENT_TYPES);
}

/**
 * Fetches a client's `jwks_uri` with the same safeguards (12 KB by default, Auth0's
 * limit), served as `application/json` or `application/jwk-set+json`. @internal
 *
 * @throws {@link ClientMetadataDocumentError} as {@link fetchClientMetadataDocument}.
 */
export async function fetchJwksDocument(
  jwksUri: string,
  options: FetchDocumentOptions,
): Promise<unknown> {
  let url: URL | undefined;
  try {
    url = new URL(jwksUri);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    url.protocol !== 'https:' ||
    url.username !== '' ||
    url.password !== '' ||
    url.hash !== ''
  ) {
    throw refusal(
      'cimd_invalid_url',
      jwksUri.slice(0, 300),
      'jwks_uri must be an https URL without credentials or fragment',
    );
  }
  return (await fetchJson(url, options, JWKS_TYPES)).document;
}

const DOCUMENT_TYPES: ReadonlySet<string> = new Set(['application/json']);
const JWKS_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/jwk-set+json']);

async function fetchJson(
  target: URL,
  options: FetchDocumentOptions,
  mediaTypes: ReadonlySet<string>,
): Promise<FetchedDocument> {
  const url = target.href.slice(0, 300);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      refusal('cimd_timeout', url, `the document did not arrive within ${timeoutMs} ms`),
    );
  }, timeoutMs);
  try {
    const work = (async () => {
      const response = options.fetch
        ? await viaFetch(target, options, controller.signal)
        : await viaHttps(target, options, controller.signal);
      try {
        return await readDocument(url, response, maxBytes, mediaTypes);
      } catch (error) {
        response.discard();
        throw error;
      }
    })();
    return await raceAbort(work, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks what the response says, then reads and parses the body. */
async function readDocument(
  url: string,
  response: RawResponse,
  maxBytes: number,
  mediaTypes: ReadonlySet<string>,
): Promise<FetchedDocument> {
  const { status } = response;
  if (status >= 300 && status < 400) {
    throw refusal(
      'cimd_redirect',
      url,
      `the document's host answered a redirect (${status}); redirects are not followed`,
    );
  }
  if (status !== 200) {
    throw refusal(
      'cimd_http_status',
      url,
      `the document's host answered ${status}, not 200`,
      status,
    );
  }
  const type = (response.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === undefined || !mediaTypes.has(type)) {
    throw refusal(
      'cimd_content_type',
      url,
      `the document must be served as application/json (got ${JSON.stringify((type ?? '').slice(0, 100))})`,
    );
  }
  const encoding = response.header('content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw refusal('cimd_content_type', url, 'the document must not be content-encoded');
  }
  const declared = Number(response.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw tooLarge(url, maxBytes);
  }
  const bytes = await response.read(maxBytes);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw refusal('cimd_invalid_json', url, 'the document is not valid UTF-8 JSON');
  }
  return {
    document,
    headers: {
      'cache-control': response.header('cache-control'),
      expires: response.header('expires'),
      date: response.header('date'),
      age: response.header('age'),
    },
  };
}
/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
