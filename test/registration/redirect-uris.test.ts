import { describe, expect, it } from 'vitest';
import {
  redirectUriProblem,
  type RedirectUriContext,
} from '../../src/registration/redirect-uris.js';

const web: RedirectUriContext = { applicationType: 'web', implicit: false, kind: 'callback' };
const webImplicit: RedirectUriContext = { ...web, implicit: true };
const native: RedirectUriContext = { applicationType: 'native', implicit: false, kind: 'callback' };

describe('redirect URIs of web clients (OIDC DCR §2)', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com/callback?tenant=a',
    'http://app.example.com/callback',
    'http://localhost:3000/callback',
    'http://127.0.0.1:8080/callback',
    'https://xn--caf-dma.example/cb',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri, web)).toBeUndefined();
  });

  it.each([
    ['com.example.app:/callback', /must use http or https for a web client/],
    ['myapp://callback', /must use http or https for a web client/],
    ['https://app.example.com/cb#fragment', /must not contain a fragment/],
    ['https://app.example.com/cb#', /must not contain a fragment/],
    ['https://*.example.com/cb', /must not contain a wildcard/],
    ['https://app.example.com/*', /must not contain a wildcard/],
    ['https://app.example.com/cb?x=*', /must not contain a wildcard/],
    ['https://{organization_name}.example.com/cb', /must not contain the \{organization_name\}/],
    ['https://{organization_name}.example.com/', /must not contain the \{organization_name\}/],
    ['javascript:alert(1)', /./],
    ['data:text/html,hi', /./],
    ['https://user:pw@app.example.com/cb', /./],
    ['https://app.example.com/a/../cb', /./],
    ['https:app.example.com/cb', /./],
    ['https://app.example.com/c b', /./],
    ['/relative/callback', /./],
    ['', /./],
  ])('refuses %s', (uri, reason) => {
    expect(redirectUriProblem(uri, web)).toMatch(reason);
  });

  it('requires https without localhost or loopback hosts when the client uses implicit', () => {
    expect(redirectUriProblem('https://app.example.com/cb', webImplicit)).toBeUndefined();
    expect(redirectUriProblem('https://127.0.0.2.nip.io/cb', webImplicit)).toBeUndefined();
    expect(redirectUriProblem('http://app.example.com/cb', webImplicit)).toBe(
      'must use https for a web client that uses the implicit grant (OIDC DCR §2)',
    );
    for (const uri of [
      'https://localhost/cb',
      'https://LOCALHOST:8443/cb',
      'https://app.localhost/cb',
      'https://127.0.0.1/cb',
      'https://127.1.2.3/cb',
      'https://[::1]/cb',
      'https://2130706433/cb',
    ]) {
      expect(redirectUriProblem(uri, webImplicit), uri).toBe(
        'must not use localhost or a loopback address for a web client that uses the implicit grant (OIDC DCR §2)',
      );
    }
  });
});

describe('redirect URIs of native clients (OIDC DCR §2, RFC 8252 §7)', () => {
  it.each([
    'com.example.app:/oauth2redirect',
    'com.example.app://callback/path',
    'org.example.tool:/cb?x=1',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:51004/callback',
    'http://[::1]/callback',
    'http://[::1]:8080/oauth',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri, native)).toBeUndefined();
  });

  it.each([
    [
      'myapp://callback',
      /reverse-domain private-use scheme .* not "myapp:" \(RFC 8252 §7.1, §8.4\)/,
    ],
    ['myapp:/callback', /reverse-domain/],
    ['http://localhost/callback', /instead of localhost .*RFC 8252 §7.3, §8.3/],
    ['http://localhost:8080/callback', /instead of localhost/],
    ['http://app.localhost/callback', /instead of localhost/],
    ['http://app.example.com/callback', /may use http only on the loopback IP literal/],
    ['http://127.0.0.2/callback', /may use http only on the loopback IP literal/],
    ['http://192.168.1.10/callback', /may use http only on the loopback IP literal/],
    ['https://app.example.com/callback', /claimed https URIs as application_type web/],
    ['https://127.0.0.1/callback', /private-use scheme .* or http on a loopback IP/],
    ['com.example.app:/cb#x', /fragment/],
    ['com.example.app:/*', /wildcard/],
    ['http://*.example.com/', /wildcard/],
    ['javascript:alert(1)', /./],
    ['file:///etc/passwd', /./],
    ['ws://127.0.0.1/cb', /./],
  ])('refuses %s', (uri, reason) => {
    expect(redirectUriProblem(uri, native)).toMatch(reason);
  });

  it('applies the same rules to post-logout redirect URIs', () => {
    const logout: RedirectUriContext = { ...native, kind: 'logout' };
    expect(redirectUriProblem('com.example.app:/logged-out', logout)).toBeUndefined();
    expect(redirectUriProblem('http://localhost/bye', logout)).toMatch(/instead of localhost/);
    expect(redirectUriProblem('https://*.example.com/bye', { ...web, kind: 'logout' })).toMatch(
      /wildcard/,
    );
  });
});
