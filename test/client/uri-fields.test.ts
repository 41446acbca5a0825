import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateClientSettings } from '../../src/client/validate.js';
import { validateRegistrationMetadata } from '../../src/registration/validate-metadata.js';
import { CLIENT_URI_FIELDS, type ClientUriField } from '../../src/client/uri-fields.js';

/** Per field: the closest accepted value beside each smallest refused one. */
const CASES: Record<ClientUriField, { accepted: string[]; refused: [string, RegExp][] }> = {
  initiate_login_uri: {
    accepted: ['', 'https://app.example.com/login', 'https://127.0.0.1:4200/login'],
    refused: [
      ['http://app.example.com/login', /must use https/],
      ['https://localhost:4200/login', /must not use localhost/],
      ['https://app.localhost/login', /must not use localhost/],
      ['javascript:alert(1)', /must use https/],
      ['https://app.example.com/lo gin', /whitespace/],
      ['https://app.example.com/"login', /quotes/],
      ['/login', /absolute URL/],
      ['https://user:pw@app.example.com/login', /user name/],
    ],
  },
  logo_uri: {
    accepted: ['', 'https://cdn.example.com/logo.png', 'http://cdn.example.com/logo.png'],
    refused: [
      ['javascript:alert(1)', /must use http or https/],
      ['data:image/png;base64,AAAA', /must use http or https/],
      ['https://cdn.example.com/logo.png" onerror="x', /whitespace|quotes/],
      ["https://cdn.example.com/logo'.png", /quotes/],
      ['https://cdn.example.com/<logo>.png', /quotes/],
      ['https://cdn.example.com/logo .png', /whitespace/],
      ['cdn.example.com/logo.png', /absolute URL/],
      ['https:cdn.example.com/logo.png', /scheme:\/\/host/],
    ],
  },
};

const fields = Object.keys(CLIENT_URI_FIELDS) as ClientUriField[];

describe('logo_uri and initiate_login_uri: one rule for the Management API and registration', () => {
  for (const field of fields) {
    const { accepted, refused } = CASES[field];
    it(`${field}: accepts ${accepted.map((value) => JSON.stringify(value)).join(', ')}`, () => {
      for (const value of accepted) {
        expect(validateClientSettings({ name: 'App', [field]: value }).ok).toBe(true);
        expect(validateClientSettings({ [field]: value }, { partial: true }).ok).toBe(true);
      }
    });

    for (const [value, reason] of refused) {
      it(`${field}: refuses ${JSON.stringify(value)} at /${field}, in a create, a patch and a registration`, () => {
        for (const options of [{}, { partial: true }]) {
          const result = validateClientSettings({ name: 'App', [field]: value }, options);
          expect(result.ok).toBe(false);
          if (result.ok) continue;
          expect(result.issues).toHaveLength(1);
          expect(result.issues[0]).toMatchObject({ path: `/${field}`, code: 'invalid_uri' });
          expect(result.issues[0]!.message).toMatch(reason);
          expect(result.issues[0]!.message.startsWith(`${field} `)).toBe(true);
          expect(result.issues[0]!.message).toContain(
            `Object didn't pass validation for format ${CLIENT_URI_FIELDS[field].format}`,
          );
        }
        const registration = validateRegistrationMetadata({
          redirect_uris: ['https://app.example.com/cb'],
          [field]: value,
        });
        expect(registration.ok).toBe(false);
        if (!registration.ok) {
          expect(registration.error.error).toBe('invalid_client_metadata');
          expect(registration.error.message).toMatch(reason);
        }
      });
    }
  }

  it('never accepts a value with a quote, a space or a non-http(s) scheme (property)', () => {
    const schemes = fc.constantFrom('https', 'http', 'javascript', 'data', 'ftp', 'vbscript');
    const bad = fc.constantFrom('"', "'", ' ', '<', '>', '`', '\t');
    fc.assert(
      fc.property(schemes, bad, fc.webPath(), (scheme, character, path) => {
        for (const field of fields) {
          const value = `${scheme}://app.example.com${path}${character}x`;
          expect(validateClientSettings({ name: 'App', [field]: value }).ok).toBe(false);
        }
      }),
    );
  });

  it('accepts every plain https URL on a public host (property)', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['https'], withQueryParameters: true }), (url) => {
        fc.pre(!/["'`<>\\\s]/.test(url) && !/@/.test(url) && !/localhost/i.test(url));
        for (const field of fields) {
          const result = validateClientSettings({ name: 'App', [field]: url });
          expect(result.ok ? [] : result.issues).toEqual([]);
        }
      }),
    );
  });
});
