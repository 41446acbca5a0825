/** The fetcher's option types, apart so its two halves can share them. */

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
