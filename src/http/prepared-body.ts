/**
 * Responses the library builds from a text it has serialised (JSON answers). Under
 * Node 20 a `Response` made with a body builds its body stream at once, which costs
 * several times the rest of the `Response`; the stream is then read back chunk by chunk
 * (a promise per chunk) only to be written to a socket. A prepared response keeps its
 * text and makes the stream only when someone asks for the body, so
 * {@link toNodeListener} writes headers and text in one `res.end(text)`.
 *
 * To a handler it is an ordinary `Response`: `body`, `bodyUsed`, `text()`, `json()`,
 * `arrayBuffer()`, `blob()`, `formData()`, `bytes()` and `clone()` behave as they do on
 * `new Response(text, init)`.
 *
 * @module
 */

type BodyReader = 'arrayBuffer' | 'blob' | 'bytes' | 'formData' | 'json' | 'text';
const READERS: readonly BodyReader[] = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'];

/** A `Response` whose body is a text, made into a stream only when asked for. */
class PreparedResponse extends Response {
  readonly #text: string;
  /** The same response built for real, once anyone asked for the body. */
  #real: Response | undefined;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    // What the Fetch API adds to a Response made with a text and no type.
    if (!this.headers.has('content-type')) {
      this.headers.set('content-type', 'text/plain;charset=UTF-8');
    }
    this.#text = text;
  }

  /** The text, while nobody has asked for the body stream. */
  get untouchedText(): string | undefined {
    return this.#real === undefined ? this.#text : undefined;
  }

  #body(): Response {
    this.#real ??= new Response(this.#text, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
    return this.#real;
  }

  #clone(): Response {
    if (this.#real === undefined) {
      return new PreparedResponse(this.#text, {
        status: this.status,
        statusText: this.statusText,
        headers: this.headers,
      });
    }
    const copy = this.#real.clone(); // throws as Response.clone does once the body was used
    return new Response(copy.body, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
  }

  static {
    // Accessors replace the properties the Fetch types declare, so they are defined here.
    Object.defineProperty(this.prototype, 'body', {
      configurable: true,
      enumerable: true,
      get(this: PreparedResponse) {
        return this.#body().body;
      },
    });
    Object.defineProperty(this.prototype, 'bodyUsed', {
      configurable: true,
      enumerable: true,
      get(this: PreparedResponse) {
        return this.#real?.bodyUsed ?? false;
      },
    });
    Object.defineProperty(this.prototype, 'clone', {
      configurable: true,
      writable: true,
      value(this: PreparedResponse) {
        return this.#clone();
      },
    });
    for (const name of READERS) {
      // bytes() is newer than some runtimes.
      if (typeof Response.prototype[name as keyof Response] !== 'function') continue;
      Object.defineProperty(this.prototype, name, {
        configurable: true,
        writable: true,
        value(this: PreparedResponse) {
          const real = this.#body();
          return (real[name as keyof Response] as () => Promise<unknown>).call(real);
        },
      });
    }
  }
}

/**
 * A `Response` with `text` as its body, which {@link toNodeListener} can write without
 * building or reading a stream.
 */
export function preparedResponse(text: string, init: ResponseInit): Response {
  return new PreparedResponse(text, init);
}

/** The body of `response` as the text it was prepared from, while nobody asked for its stream. */
export function preparedBody(response: Response): string | undefined {
  return response instanceof PreparedResponse ? response.untouchedText : undefined;
}
