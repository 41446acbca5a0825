/**
 * The one shape every HTTP building block of clientele has: a function from a Fetch API
 * `Request` to a `Response`. No framework object reaches the logic, tests call handlers
 * with `new Request()`, and {@link toNodeListener} adapts one to `node:http`.
 *
 * @module
 */

/** A Web-standard request handler: `(request) => Promise<Response>`. */
export type Handler = (request: Request) => Promise<Response>;
