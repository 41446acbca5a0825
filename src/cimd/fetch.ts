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
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { ClientMetadataDocumentError, type ClientMetadataDocumentErrorCode } from '../errors.js';
import { specialAddressKind } from './address.js';
import { checkClientIdUrl } from './client-id-url.js';

/** One address of a host, as `dns.lookup` answers. */
export interface ResolvedAddress {
  /** The IPv4 or IPv6 literal. */
  readonly address: string;
  /** 4 or 6. */
  readonly family: number;
}

/** How a document is fetched. */
export interface FetchDocumentOptions {
  /**
   * Allow hosts that resolve to private, loopback, link-local and other special-purpose
   * addresses (tests, intranets). Default false: such a host is refused before any
   * connection is made.
   */
  readonly allowPrivateNetwork?: boolean | undefined;
  /** Largest body accepted, in bytes. Default 5120 (the draft's recommended 5 KB). */
  readonly maxBytes?: number | undefined;
  /** Milliseconds for everything: resolving, connecting, TLS, headers and body. Default 5000. */
  readonly timeoutMs?: number | undefined;
  /**
   * A Fetch API `fetch` to use instead of the built-in client (tests). It is called with
   * `redirect: 'manual'` and an abort signal, and every response check still applies; it
   * connects where it likes, so only IP-literal hosts are checked against the special
   * ranges then.
   */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Resolves a host name to its addresses (tests). Default `dns.lookup` with `all: true`. */
  readonly lookup?: ((hostname: string) => Promise<readonly ResolvedAddress[]>) | undefined;
  /** Certificate authorities to trust besides the system's (PEM), for tests and intranets. */
  readonly ca?: string | readonly string[] | undefined;
}

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
const MAX_ADDRESSES = 32;

/** What a response looked like, whoever fetched it. */
interface RawResponse {
  readonly status: number;
  readonly header: (name: string) => string | undefined;
  /** Reads the body, refusing it past `maxBytes`. */
  readonly read: (maxBytes: number) => Promise<Uint8Array>;
  /** Drops the connection without reading what is left. */
  readonly discard: () => void;
}

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

/** The built-in client: resolve, check, connect to the checked address, GET. */
async function viaHttps(
  url: URL,
  options: FetchDocumentOptions,
  signal: AbortSignal,
): Promise<RawResponse> {
  const href = url.href;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host) !== 0;
  const addresses = literal
    ? [{ address: host, family: isIP(host) }]
    : await resolve(href, host, options.lookup);
  if (options.allowPrivateNetwork !== true) {
    for (const { address } of addresses) {
      const kind = specialAddressKind(address);
      if (kind !== undefined) {
        throw refusal(
          'cimd_forbidden_address',
          href,
          `the client id URL's host resolves to a ${kind.replace('_', '-')} address, which is never fetched`,
        );
      }
    }
  }
  const [pinned] = addresses;
  if (!pinned) throw refusal('cimd_dns_failed', href, "the client id URL's host has no address");
  return new Promise<RawResponse>((resolvePromise, reject) => {
    const request = httpsRequest(
      {
        protocol: 'https:',
        hostname: host,
        port: url.port === '' ? 443 : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { accept: 'application/json', 'accept-encoding': 'identity' },
        agent: false,
        ...(options.ca === undefined ? {} : { ca: [options.ca].flat() }),
        ...(literal ? {} : { servername: host }),
        // The connection goes to the address checked above, whatever DNS says now.
        lookup: (_name, lookupOptions, callback) => {
          if ((lookupOptions as { all?: boolean }).all === true) {
            (callback as (error: null, list: ResolvedAddress[]) => void)(null, [pinned]);
          } else {
            callback(null, pinned.address, pinned.family);
          }
        },
        signal,
      },
      (response) => resolvePromise(nodeResponse(href, response, signal)),
    );
    request.on('error', (error) => {
      reject(signal.aborted ? signal.reason : networkError(href, error));
    });
    request.end();
  });
}

function nodeResponse(url: string, response: IncomingMessage, signal: AbortSignal): RawResponse {
  const headers: IncomingHttpHeaders = response.headers;
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    status: response.statusCode ?? 0,
    header,
    discard: () => response.destroy(),
    read: (maxBytes) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            // Settle first: destroying emits the stream's own error synchronously.
            reject(tooLarge(url, maxBytes));
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks)));
        response.on('error', (error) => {
          reject(signal.aborted ? signal.reason : networkError(url, error));
        });
        response.on('aborted', () => reject(networkError(url, new Error('aborted'))));
      }),
  };
}

/** An injected `fetch`: only IP-literal hosts can be checked, every response rule applies. */
async function viaFetch(
  url: URL,
  options: FetchDocumentOptions,
  signal: AbortSignal,
): Promise<RawResponse> {
  const href = url.href;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (options.allowPrivateNetwork !== true && isIP(host) !== 0) {
    const kind = specialAddressKind(host);
    if (kind !== undefined) {
      throw refusal(
        'cimd_forbidden_address',
        href,
        `the client id URL's host is a ${kind.replace('_', '-')} address, which is never fetched`,
      );
    }
  }
  let response: Response;
  try {
    response = await (options.fetch as typeof globalThis.fetch)(href, {
      method: 'GET',
      redirect: 'manual',
      signal,
      headers: { accept: 'application/json', 'accept-encoding': 'identity' },
    });
  } catch (error) {
    throw signal.aborted ? signal.reason : networkError(href, error);
  }
  return {
    // A manual redirect answered through a browser-like fetch is an opaque 0.
    status: response.type === 'opaqueredirect' ? 302 : response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    discard: () => void response.body?.cancel().catch(() => undefined),
    read: async (maxBytes) => {
      const reader = response.body?.getReader();
      if (!reader) return new Uint8Array();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw tooLarge(href, maxBytes);
        }
        chunks.push(value);
      }
      return Buffer.concat(chunks);
    },
  };
}

async function resolve(
  url: string,
  host: string,
  lookup: FetchDocumentOptions['lookup'],
): Promise<readonly ResolvedAddress[]> {
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = lookup ? await lookup(host) : await dnsLookup(host, { all: true, verbatim: true });
  } catch (error) {
    throw refusal(
      'cimd_dns_failed',
      url,
      `the client id URL's host could not be resolved`,
      undefined,
      error,
    );
  }
  if (!Array.isArray(addresses) || addresses.length === 0) {
    throw refusal('cimd_dns_failed', url, `the client id URL's host has no address`);
  }
  return addresses
    .slice(0, MAX_ADDRESSES)
    .map(({ address, family }) => ({ address: String(address), family: Number(family) }));
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

function tooLarge(url: string, maxBytes: number): ClientMetadataDocumentError {
  return refusal('cimd_too_large', url, `the document is larger than ${maxBytes} bytes`);
}

function networkError(url: string, cause: unknown): ClientMetadataDocumentError {
  return refusal(
    'cimd_network',
    url,
    'the document could not be fetched (connection or TLS failure)',
    undefined,
    cause,
  );
}

function refusal(
  code: ClientMetadataDocumentErrorCode,
  url: string,
  message: string,
  status?: number,
  cause?: unknown,
): ClientMetadataDocumentError {
  return new ClientMetadataDocumentError(code, url, message, {
    ...(status === undefined ? {} : { status }),
    ...(cause === undefined ? {} : { cause }),
  });
}
