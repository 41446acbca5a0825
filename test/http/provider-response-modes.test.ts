/**
 * Response types and modes at /authorize: the implicit and hybrid types for clients with
 * the implicit grant (nonce rules, c_hash and at_hash, never tokens in a query), and the
 * modes query, fragment, form_post (an auto-submitting page under a hash-based CSP) and
 * web_message (a page posting to the redirect URI's origin, allowed only for Allowed Web
 * Origins). Discovery lists exactly what is served.
 */
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../src/index.js';
import { startSessionServer, TestBrowser, type SessionServer } from './session-helpers.js';

const APP = 'https://app.example.test';
const CALLBACK = `${APP}/callback`;

let server: SessionServer;
let implicit: Client;
let codeOnly: Client;

beforeAll(async () => {
  server = await startSessionServer();
  implicit = await server.tenant.clients.create({
    name: 'Regular web app',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    web_origins: [APP],
    grant_types: ['authorization_code', 'implicit'],
  });
  codeOnly = await server.tenant.clients.create({
    name: 'Code only',
    app_type: 'regular_web',
    callbacks: [CALLBACK],
    grant_types: ['authorization_code'],
  });
});
afterAll(() => server.close());

function url(client: Client, params: Record<string, string>): string {
  return `${server.url}/authorize?${new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: CALLBACK,
    scope: 'openid profile',
    state: 'st',
    ...params,
  })}`;
}

/** Where the browser lands and the parameters of the answer (query or fragment). */
async function land(target: string, browser = new TestBrowser()) {
  const { location, response } = await browser.authorize(target);
  return {
    location,
    response,
    query: new URLSearchParams(location.search),
    fragment: new URLSearchParams(location.hash.slice(1)),
  };
}

const half = (value: string) => {
  const digest = createHash('sha256').update(value).digest();
  return digest.subarray(0, 16).toString('base64url');
};

/** The inline script of a page, and whether the page's CSP allows it by its hash. */
async function scriptOf(response: Response): Promise<{ html: string; script: string }> {
  const html = await response.text();
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(script).digest('base64');
  expect(response.headers.get('content-security-policy')).toContain(`script-src 'sha256-${hash}'`);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return { html, script };
}

describe('implicit and hybrid response types', () => {
  it('code id_token token: everything in the fragment, with c_hash, at_hash, nonce and sid', async () => {
    const { fragment, query } = await land(
      url(implicit, { response_type: 'code id_token token', nonce: 'n-1' }),
    );
    expect([...query.keys()]).toEqual([]);
    const code = fragment.get('code') as string;
    const accessToken = fragment.get('access_token') as string;
    const claims = decodeJwt(fragment.get('id_token') as string);
    expect(claims).toMatchObject({
      nonce: 'n-1',
      c_hash: half(code),
      at_hash: half(accessToken),
      aud: implicit.client_id,
      sub: 'auth0|alice',
    });
    expect(typeof claims.sid).toBe('string');
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('state')).toBe('st');
    const userinfo = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(await userinfo.json()).toMatchObject({ sub: 'auth0|alice', name: 'Alice Example' });
  });

  it('id_token alone carries the profile claims; token alone (no openid) only an access token', async () => {
    const idOnly = await land(url(implicit, { response_type: 'id_token', nonce: 'n-2' }));
    expect(decodeJwt(idOnly.fragment.get('id_token') as string)).toMatchObject({
      name: 'Alice Example',
      nonce: 'n-2',
    });
    expect(idOnly.fragment.has('access_token')).toBe(false);
    const tokenOnly = await land(url(implicit, { response_type: 'token', scope: 'profile' }));
    expect(tokenOnly.fragment.has('access_token')).toBe(true);
    expect(tokenOnly.fragment.has('id_token')).toBe(false);
  });

  it('takes the components in any order', async () => {
    const { fragment } = await land(
      url(implicit, { response_type: 'token id_token', nonce: 'n-3' }),
    );
    expect(fragment.has('id_token') && fragment.has('access_token')).toBe(true);
  });

  it('refuses: nonce missing, openid missing, the implicit grant missing, tokens in a query', async () => {
    const noNonce = await land(url(implicit, { response_type: 'id_token' }));
    expect(noNonce.fragment.get('error')).toBe('invalid_request');
    expect(noNonce.fragment.get('error_description')).toMatch(/^nonce is required/);
    const noOpenid = await land(
      url(implicit, { response_type: 'id_token', nonce: 'n', scope: 'profile' }),
    );
    expect(noOpenid.fragment.get('error')).toBe('invalid_request');
    const noGrant = await land(url(codeOnly, { response_type: 'id_token token', nonce: 'n' }));
    expect(noGrant.fragment.get('error')).toBe('unauthorized_client');
    const inQuery = await land(
      url(implicit, { response_type: 'id_token', nonce: 'n', response_mode: 'query' }),
    );
    // The refusal itself goes in the fragment: nothing of an implicit response in a query.
    expect([...inQuery.query.keys()]).toEqual([]);
    expect(inQuery.fragment.get('error')).toBe('invalid_request');
    const unknown = await land(url(implicit, { response_type: 'code code' }));
    expect(unknown.query.get('error')).toBe('unsupported_response_type');
    const mode = await land(url(implicit, { response_type: 'code', response_mode: 'jwt' }));
    expect(mode.query.get('error')).toBe('invalid_request');
  });

  it('fragment mode for the code flow when asked', async () => {
    const { fragment, query } = await land(
      url(codeOnly, { response_type: 'code', response_mode: 'fragment' }),
    );
    expect(fragment.has('code')).toBe(true);
    expect([...query.keys()]).toEqual([]);
  });
});

describe('response_mode=form_post', () => {
  it('answers with an auto-submitting form under a strict CSP, values HTML-escaped', async () => {
    const state = `"><script>alert(1)</script>`;
    const { response, location } = await land(
      url(implicit, { response_type: 'id_token', nonce: 'n-4', response_mode: 'form_post', state }),
    );
    expect(location.origin).toBe(server.url); // no redirect: a page
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`form-action ${APP}`);
    expect(policy).toContain("frame-ancestors 'none'");
    const { html, script } = await scriptOf(response);
    expect(script).toBe('document.forms[0].submit();');
    expect(html).toContain(`<form method="post" action="${CALLBACK}">`);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&#34;&#62;&#60;script&#62;');
    const idToken = /name="id_token" value="([^"]+)"/.exec(html)?.[1] as string;
    expect(decodeJwt(idToken)).toMatchObject({ nonce: 'n-4' });
  });

  it('carries refusals too', async () => {
    const { response } = await land(
      url(implicit, { response_type: 'id_token', response_mode: 'form_post' }),
    );
    const html = await response.text();
    expect(html).toContain('name="error" value="invalid_request"');
  });
});

describe('response_mode=web_message', () => {
  it('posts the response to the redirect URI origin, framable only by it', async () => {
    const state = '</script><script>alert(1)</script>';
    const { response } = await land(
      url(implicit, { response_type: 'code', response_mode: 'web_message', state }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain(`frame-ancestors ${APP}`);
    const { script } = await scriptOf(response);
    expect(script).not.toContain('</script>');
    const message =
      /var target=("[^"]*");var message=\{type:"([^"]+)",response:(\{.*\})\};\(window/.exec(script);
    expect(JSON.parse(message?.[1] as string)).toBe(APP);
    expect(message?.[2]).toBe('authorization_response');
    const data = { response: JSON.parse(message?.[3] as string) as Record<string, string> };
    expect(data.response.state).toBe(state);
    expect(typeof data.response.code).toBe('string');
  });

  it('delivers prompt=none refusals as a web message as well', async () => {
    const { response } = await land(
      url(implicit, { response_type: 'code', response_mode: 'web_message', prompt: 'none' }),
    );
    const { script } = await scriptOf(response);
    expect(script).toContain('"error":"login_required"');
  });

  it('is refused when the origin is not an Allowed Web Origin (the refusal redirects instead)', async () => {
    const { query, response } = await land(
      url(codeOnly, { response_type: 'code', response_mode: 'web_message' }),
    );
    expect(response.status).toBe(302);
    expect(query.get('error')).toBe('invalid_request');
    expect(query.get('error_description')).toMatch(/web_origins/);
  });
});

describe('discovery', () => {
  it('lists exactly the response types and modes served', async () => {
    const metadata = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, string[]>;
    expect(metadata['response_types_supported']).toEqual([
      'code',
      'id_token',
      'id_token token',
      'token',
      'code id_token',
      'code token',
      'code id_token token',
    ]);
    expect(metadata['response_modes_supported']).toEqual([
      'query',
      'fragment',
      'form_post',
      'web_message',
    ]);
    expect(metadata['grant_types_supported']).toContain('implicit');
  });
});
