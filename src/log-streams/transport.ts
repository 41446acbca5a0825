/**
 * How a stream's request leaves the process: through the tenant's `fetch` (the global one
 * unless the app passes its own), or, for a Splunk collector whose certificate is not to
 * be verified (`splunkSecure: false`), through node:https with verification off, which
 * the Fetch API cannot do. Before either, a destination in a private or special range is
 * refused when the tenant option `logStreams.allowPrivateNetwork` is `false`.
 *
 * Failures are {@link DeliveryFailure}s whose message says what happened (a status, a
 * network error code, a timeout) and never the URL or a header: a Sumo Logic source
 * address and webhook URLs may carry a token.
 *
 * @internal
 * @module
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { specialAddressKind } from '../cimd/address.js';
import { ClienteleError } from '../errors.js';

/** One request a stream sends. */
export interface OutgoingRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Skip TLS certificate verification (Splunk with `splunkSecure: false`). */
  readonly insecureTls?: boolean;
}

/** How requests are sent. */
export interface TransportOptions {
  /** The `fetch` of the tenant option `logStreams.fetch`, when the app passed one. */
  readonly fetch: typeof globalThis.fetch | undefined;
  /** `false`: refuse private, loopback and other special destinations. */
  readonly allowPrivateNetwork: boolean;
  /** Milliseconds one request may take. */
  readonly timeoutMs: number;
  /** Resolves host names (tests); default `dns.lookup` with every address. */
  readonly lookup?: (host: string) => Promise<readonly { address: string }[]>;
}

/** A request that did not succeed, with why (code `log_stream_delivery_failed`). */
export class DeliveryFailure extends ClienteleError {
  /** @param message - why, without the URL or any header */
  constructor(message: string, options?: ErrorOptions) {
    super('log_stream_delivery_failed', message, options);
    this.name = 'DeliveryFailure';
  }
}

/** Sends `request`; resolves on a 2xx answer, rejects with a {@link DeliveryFailure}. */
export async function post(
  request: OutgoingRequest,
  options: TransportOptions,
  signal: AbortSignal,
): Promise<void> {
  const url = new URL(request.url);
  if (!options.allowPrivateNetwork) await refusePrivate(url, options.lookup);
  const timed = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
  let status: number;
  try {
    status =
      request.insecureTls === true && options.fetch === undefined
        ? await insecurePost(url, request, timed)
        : await fetchPost(options.fetch ?? globalThis.fetch, url, request, timed);
  } catch (error) {
    throw new DeliveryFailure(failure(error), { cause: error });
  }
  if (status < 200 || status > 299) {
    throw new DeliveryFailure(`the receiver answered ${status}`);
  }
}

async function fetchPost(
  fetch: typeof globalThis.fetch,
  url: URL,
  request: OutgoingRequest,
  signal: AbortSignal,
): Promise<number> {
  const response = await fetch(url.href, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal,
  });
  // Release the connection; what the receiver said beyond its status is of no use.
  await response.body?.cancel().catch(() => undefined);
  return response.type === 'opaqueredirect' ? 302 : response.status;
}

async function insecurePost(
  url: URL,
  request: OutgoingRequest,
  signal: AbortSignal,
): Promise<number> {
  // Loaded on first use: node:https costs more to import than the rest of the library.
  const { request: httpsRequest } = await import('node:https');
  return new Promise<number>((resolve, reject) => {
    const outgoing = httpsRequest(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        rejectUnauthorized: false,
        signal,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Rejects when `url`'s host is, or resolves to, an address in a special range. */
async function refusePrivate(url: URL, lookup: TransportOptions['lookup']): Promise<void> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: readonly { address: string }[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host }];
  } else {
    try {
      addresses = lookup
        ? await lookup(host)
        : await dnsLookup(host, { all: true, verbatim: true });
    } catch (error) {
      throw new DeliveryFailure("the receiver's host could not be resolved", { cause: error });
    }
  }
  for (const { address } of addresses) {
    const kind = specialAddressKind(address);
    if (kind !== undefined) {
      throw new DeliveryFailure(
        `the receiver's host resolves to a ${kind.replace('_', '-')} address, which the tenant option logStreams.allowPrivateNetwork (false) refuses`,
      );
    }
  }
}

/** Why a request failed, without the URL (undici and node:https put the reason in `code`). */
function failure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'the request timed out or was cancelled';
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `the request failed (${code})` : 'the request failed';
}
