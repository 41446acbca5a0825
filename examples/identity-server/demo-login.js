// @ts-check
/* global Response */
/**
 * The example's login: two built-in users and no user database. A real server checks a
 * password or a passkey here; this one shows where that goes.
 *
 * - Every authorization request signs the demo user (Alice) in at once, so the flows run
 *   from a browser or a test without typing anything; the admin console's sign-in gets
 *   the demo admin instead.
 * - With `prompt=login` (the client asks for a fresh sign-in) the login page is shown: a
 *   form whose button posts the pending request's id back to `/login`, which ends the
 *   sign-in with `provider.completeAuthorization`.
 */
import { readForm } from 'clientele/http';

/** Where the login page posts. */
export const LOGIN_PATH = '/login';

/** The demo user: every client's sign-in. Claims are released by scope (OIDC Core §5.4). */
export const DEMO_USER = Object.freeze({
  sub: 'demo|alice',
  claims: Object.freeze({
    name: 'Alice Example',
    given_name: 'Alice',
    family_name: 'Example',
    nickname: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    updated_at: 1_700_000_000,
  }),
});

/** The demo admin: the admin console's sign-in, the one user the Management API admits. */
export const DEMO_ADMIN = Object.freeze({
  sub: 'demo|admin',
  claims: Object.freeze({ name: 'Demo Admin', email: 'admin@example.com', email_verified: true }),
});

/** Login pages remembered at once (the oldest is forgotten first). */
const MAX_PAGES = 1000;

/**
 * The login of the example server.
 *
 * @param {(clientId: string) => Promise<boolean>} isConsoleClient - the admin console's
 *   sign-in gets the demo admin
 */
export function demoLogin(isConsoleClient) {
  /** @param {string} clientId */
  const userFor = async (clientId) => ((await isConsoleClient(clientId)) ? DEMO_ADMIN : DEMO_USER);
  /**
   * Who signs in on each login page shown, by pending id: decided when the page is made,
   * never by what the form sends back. Bounded; a page left open too long just expires.
   *
   * @type {Map<string, typeof DEMO_USER | typeof DEMO_ADMIN>}
   */
  const shown = new Map();
  return {
    /**
     * `options.login` of `createProvider`: signs the user in at once, or shows the login
     * page when the client asked for a fresh sign-in.
     *
     * @param {import('clientele/http').Provider} provider
     * @param {import('clientele/http').PendingAuthorization} pending
     * @returns {Promise<Response>}
     */
    async show(provider, pending) {
      const user = await userFor(pending.clientId);
      if (!pending.prompt.includes('login')) {
        return provider.completeAuthorization(pending.id, user);
      }
      if (shown.size >= MAX_PAGES) shown.delete(shown.keys().next().value ?? '');
      shown.set(pending.id, user);
      return loginPage(pending, user.claims.name);
    },

    /**
     * `POST /login`: the login page's form. Ends the sign-in of the pending request it
     * names (a 400 page when that request expired or was used).
     *
     * @param {import('clientele/http').Provider} provider
     * @param {Request} request
     * @returns {Promise<Response>}
     */
    async submit(provider, request) {
      if (request.method !== 'POST') {
        return text(405, 'Use the sign-in form.', { Allow: 'POST' });
      }
      /** @type {Record<string, string>} */
      let form;
      try {
        form = await readForm(request, { limit: 4096 });
      } catch {
        return text(400, 'Bad request: the sign-in form was not sent as a form.');
      }
      const id = form['pending'] ?? '';
      const user = shown.get(id);
      if (!user) return text(400, 'Bad request: this sign-in request expired or was used.');
      shown.delete(id);
      return provider.completeAuthorization(id, user);
    },
  };
}

/**
 * The login page: who signs in, to which client, and one button.
 *
 * @param {import('clientele/http').PendingAuthorization} pending
 * @param {string} name
 */
function loginPage(pending, name) {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<main>
<h1>Sign in to ${escape(pending.clientName)}</h1>
<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="pending" value="${escape(pending.id)}">
<p>This demo server has no passwords: you sign in as ${escape(name)}.</p>
<button type="submit">Sign in as ${escape(name)}</button>
</form>
</main>
</body>
</html>
`;
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
  });
}

/**
 * @param {number} status
 * @param {string} body
 * @param {Record<string, string>} [headers]
 */
function text(status, body, headers = {}) {
  return new Response(`${body}\n`, {
    status,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    },
  });
}

/** @param {string} value */
function escape(value) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
