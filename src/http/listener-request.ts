/**
 * The `Request` {@link toNodeListener} hands to a handler. A `Request` built with a
 * `signal` to follow costs about three times one without (undici links them through a
 * `WeakRef`, a `FinalizationRegistry` entry and an abort listener), and most handlers never
 * read `request.signal`. This one makes its signal when it is first read, already aborted
 * if the client went away before. It also carries the peer address
 * ({@link remoteAddressOf}).
 *
 * @module
 */

/** A `Request` from `node:http` whose signal is made on first read. */
export class ListenerRequest extends Request {
  readonly #address: string | undefined;
  #controller: AbortController | undefined;
  #gone = false;

  /**
   * @param url - the absolute request URL
   * @param init - method, headers and body; never a signal
   * @param address - the socket's peer address
   */
  constructor(url: string, init: RequestInit, address: string | undefined) {
    super(url, init);
    this.#address = address;
  }

  /** The peer address of the socket, when known. */
  get remoteAddress(): string | undefined {
    return this.#address;
  }

  /** The client went away before the response was complete: abort the signal. */
  clientGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#controller?.abort();
  }

  static {
    // An accessor replaces the property the Fetch types declare, so it is defined here.
    Object.defineProperty(this.prototype, 'signal', {
      configurable: true,
      enumerable: true,
      get(this: ListenerRequest): AbortSignal {
        if (this.#controller === undefined) {
          this.#controller = new AbortController();
          if (this.#gone) this.#controller.abort();
        }
        return this.#controller.signal;
      },
    });
  }
}
