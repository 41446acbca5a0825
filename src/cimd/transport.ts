/**
 * How a document's bytes arrive: the built-in HTTPS client (resolve, check every address,
 * connect to the checked one, GET) or an injected Fetch API `fetch`. Both give the same
 * {@link RawResponse}, so every response rule in fetch.ts applies to either. @internal
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { specialAddressKind } from './address.js';
import { networkError, refusal, tooLarge } from './refusal.js';
import type { FetchDocumentOptions, ResolvedAddress } from './types.js';

const MAX_ADDRESSES = 32;

/** What a response looked like, whoever fetched it. */
export interface RawResponse {
  readonly status: number;
  readonly header: (name: string) => string | undefined;
  /** Reads the body, refusing it past `maxBytes`. */
  readonly read: (maxBytes: number) => Promise<Uint8Array>;
  /** Drops the connection without reading what is left. */
  readonly discard: () => void;
}

/** The built-in client: resolve, check, connect to the checked address, GET. */
export async function viaHttps(
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
  // Loaded on the first fetch: node:https (with TLS) costs more to import than jose, and
  // most programs never fetch a metadata document (docs/performance.md, cold import).
  const { request: httpsRequest } = await import('node:https');
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
export async function viaFetch(
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
        const { done, value } = await reader.read().catch((error: unknown) => {
          throw signal.aborted ? signal.reason : networkError(href, error);
        });
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
