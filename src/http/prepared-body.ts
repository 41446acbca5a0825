/**
 * Responses the library builds from a text it has serialised (JSON answers). Under
 * Node 20 a `Response` made with a body builds its body stream at once, which costs
 * several times the rest of the `Response`; the stream is then read back chunk by chunk
 * (a promise per chunk) only to be written to a socket. A prepared response keeps its
 * text and makes the stream only when someone asks for the body, so
 * {@link toNodeListener} writes headers and text in one `res.end(text)`.
 *
 * Its headers are kept the same way: as a record of the library's own header values
 * (lower-case names), put into the `Headers` object only when someone reads
 * `response.headers`; until then {@link setPreparedHeader} adds to the record and the
 * listener writes the record as it is. Filling and then iterating a `Headers` cost about
 * three times the rest of such a response.
 *
 * To a handler it is an ordinary `Response`: `headers`, `body`, `bodyUsed`, `text()`,
 * `json()`, `arrayBuffer()`, `blob()`, `formData()`, `bytes()` and `clone()` behave as
 * they do on `new Response(text, init)`.
 *
 * @module
 */

type BodyReader = 'arrayBuffer' | 'blob' | 'bytes' | 'formData' | 'json' | 'text';
const READERS: readonly BodyReader[] = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'];

/** `Response.prototype`'s own `headers` getter, which fills nothing. */
const fetchHeaders = Object.getOwnPropertyDescriptor(Response.prototype, 'headers')?.get as (
  this: Response,
) => Headers;

/** A `Response` whose body is a text, made into a stream only when asked for. */
class PreparedResponse extends Response {
  readonly #text: string;
  /** The same response built for real, once anyone asked for the body. */
  #real: Response | undefined;
  /** The headers, by lower-case name, until someone reads `headers`. */
  #pending: Record<string, string> | undefined;

  constructor(text: string, status: number, headers: Readonly<Record<string, string>>) {
    super(null, { status });
    const pending: Record<string, string> = {};
    for (const name of Object.keys(headers)) pending[name.toLowerCase()] = headers[name] as string;
    // What the Fetch API adds to a Response made with a text and no type.
    pending['content-type'] ??= 'text/plain;charset=UTF-8';
    this.#pending = pending;
    this.#text = text;
  }

  /** The headers as a record, while nobody has read `headers`. */
  get untouchedHeaders(): Readonly<Record<string, string>> | undefined {
    return this.#pending;
  }

  /** Sets a header in the record; false once `headers` has been read. */
  setPending(name: string, value: string): boolean {
    if (this.#pending === undefined) return false;
    this.#pending[name.toLowerCase()] = value;
    return true;
  }

  #headers(): Headers {
    const headers = fetchHeaders.call(this);
    if (this.#pending !== undefined) {
      for (const name of Object.keys(this.#pending)) {
        headers.set(name, this.#pending[name] as string);
      }
      this.#pending = undefined;
    }
    return headers;
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
      const headers: Record<string, string> = {};
      for (const [name, value] of this.headers) headers[name] = value;
      return new PreparedResponse(this.#text, this.status, headers);
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
    Object.defineProperty(this.prototype, 'headers', {
      configurable: true,
      enumerable: true,
      get(this: PreparedResponse) {
        return this.#headers();
      },
    });
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
 * A `Response` with `text` as its body and `headers` (the library's own, valid header
 * values), which {@link toNodeListener} can write without building or reading a stream
 * or a `Headers`.
 */
export function preparedResponse(
  text: string,
  status: number,
  headers: Readonly<Record<string, string>>,
): Response {
  return new PreparedResponse(text, status, headers);
}

/** The body of `response` as the text it was prepared from, while nobody asked for its stream. */
export function preparedBody(response: Response): string | undefined {
  return response instanceof PreparedResponse ? response.untouchedText : undefined;
}

/** The headers of `response` as a record (lower-case names), while nobody read `headers`. */
export function preparedHeaders(response: Response): Readonly<Record<string, string>> | undefined {
  return response instanceof PreparedResponse ? response.untouchedHeaders : undefined;
}

/** `response.headers.set(name, value)`, without filling a prepared response's `Headers`. */
export function setPreparedHeader(response: Response, name: string, value: string): void {
  if (!(response instanceof PreparedResponse && response.setPending(name, value))) {
    response.headers.set(name, value);
  }
}
