import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAllowList,
  parseUrlPattern,
  type AllowListKind,
  type UrlProblemCode,
} from '../../src/index.js';
import { createClient, type ClientRecord } from '../../src/client/client.js';

const kinds: AllowListKind[] = ['callback', 'logout', 'origin'];
const tail = (kind: AllowListKind) => (kind === 'origin' ? '' : '/callback');

function refusal(kind: AllowListKind, entry: string): UrlProblemCode {
  const result = parseUrlPattern(kind, entry);
  if (result.ok) throw new Error(`expected ${entry} to be refused`);
  return result.code;
}

/** Auth0 organization names: 1–50 of a-z0-9-_. */
const organizationName = fc.stringMatching(/^[a-z0-9_-]{1,50}$/);
const dnsLabelName = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/);

describe('the {organization_name} placeholder: entry grammar', () => {
  it('is accepted as the whole leftmost host label of an http(s) entry, in every kind', () => {
    for (const kind of kinds) {
      for (const scheme of ['https', 'http']) {
        const result = parseUrlPattern(
          kind,
          `${scheme}://{organization_name}.example.com${tail(kind)}`,
        );
        if (!result.ok) throw new Error(result.reason);
        expect(result.pattern.organizationPlaceholder).toBe(true);
        expect(result.pattern.wildcard).toBeUndefined();
        expect(result.pattern.host).toBe('{organization_name}.example.com');
        expect(result.pattern.normalized).toBe(
          kind === 'origin'
            ? `${scheme}://{organization_name}.example.com`
            : `${scheme}://{organization_name}.example.com/callback`,
        );
      }
    }
    const ok = parseUrlPattern(
      'callback',
      'HTTPS://{organization_name}.B\u00fccher.Example:8443/cb?x',
    );
    expect(ok.ok && ok.pattern.normalized).toBe(
      'https://{organization_name}.xn--bcher-kva.example:8443/cb?x',
    );
  });

  it.each<[string, UrlProblemCode]>([
    ['https://{organization_name}.{organization_name}.example.com/cb', 'placeholder_count'],
    ['https://{organization_name}.example.com/{organization_name}', 'placeholder_count'],
    ['https://{organization_name}.*.example.com/cb', 'placeholder_wildcard'],
    ['https://*.example.com/{organization_name}', 'placeholder_wildcard'],
    ['https://app.{organization_name}.example.com/cb', 'placeholder_position'],
    ['https://{organization_name}-app.example.com/cb', 'placeholder_position'],
    ['https://app-{organization_name}.example.com/cb', 'placeholder_position'],
    ['https://app.example.com/{organization_name}/cb', 'placeholder_position'],
    ['https://app.example.com/cb?org={organization_name}', 'placeholder_position'],
    ['https://{ORGANIZATION_NAME}.example.com/cb', 'placeholder_position'],
    ['https://{organization}.example.com/cb', 'placeholder_position'],
    ['https://{organization_name}/cb', 'placeholder_needs_domain'],
    ['https://{organization_name}.com/cb', 'placeholder_public_suffix'],
    ['https://{organization_name}.co.uk/cb', 'placeholder_public_suffix'],
    ['https://{organization_name}.github.io/cb', 'placeholder_public_suffix'],
    ['https://{organization_name}.amazonaws.com/cb', 'placeholder_public_suffix'],
    ['com.example.app://{organization_name}/cb', 'placeholder_scheme'],
    ['https://{organization_name}.stra\u00dfe.com/cb', 'idn_deviation'],
  ])('refuses %s (%s)', (entry, code) => {
    expect(refusal('callback', entry)).toBe(code);
  });

  it('refuses a placeholder in a scheme other than http(s) in every kind', () => {
    expect(refusal('logout', 'myapp://{organization_name}/bye')).toBe('placeholder_scheme');
    expect(refusal('origin', 'myapp://{organization_name}')).toBe('scheme_not_allowed');
  });
});

describe('the {organization_name} placeholder: matching', () => {
  const list = createAllowList('callback', [
    'https://{organization_name}.example.com/callback',
    'https://app.example.com/callback',
  ]);

  it("replaces the placeholder with the context's organization name, then compares exactly", () => {
    const acme = { organizationName: 'acme' };
    expect(list.allows('https://acme.example.com/callback', acme)).toBe(true);
    expect(list.allows('HTTPS://ACME.example.com:443/callback', acme)).toBe(true);
    expect(list.allows('https://acme.example.com/callback/', acme)).toBe(false);
    expect(list.allows('https://acme.example.com/callback?x', acme)).toBe(false);
    expect(list.allows('https://acme.example.com/callback#', acme)).toBe(false);
    expect(list.allows('http://acme.example.com/callback', acme)).toBe(false);
    expect(list.allows('https://acme.example.com:444/callback', acme)).toBe(false);
    expect(list.allows('https://other.example.com/callback', acme)).toBe(false);
    expect(list.allows('https://acme.example.org/callback', acme)).toBe(false);
    expect(list.allows('https://x.acme.example.com/callback', acme)).toBe(false);
    expect(list.allows('https://acmex.example.com/callback', acme)).toBe(false);
    expect(list.allows('https://app.example.com/callback', acme)).toBe(true);
  });

  it('matches nothing without an organization in the context', () => {
    for (const context of [undefined, {}, { organizationName: undefined }, null, 0, 'acme', []]) {
      expect(list.allows('https://acme.example.com/callback', context as never)).toBe(false);
      expect(list.allows('https://app.example.com/callback', context as never)).toBe(true);
    }
  });

  it('matches nothing for a name that is not a valid DNS label or not an Auth0 name', () => {
    for (const name of [
      '',
      'a_b',
      '-acme',
      'acme-',
      'Acme',
      'a.b',
      'a'.repeat(51),
      '{organization_name}',
      '%7Borganization_name%7D',
      'ac me',
      '\u00fc',
    ]) {
      const candidate = `https://${name}.example.com/callback`;
      expect(list.allows(candidate, { organizationName: name }), name).toBe(false);
    }
    const fifty = 'a'.repeat(50);
    expect(list.allows(`https://${fifty}.example.com/callback`, { organizationName: fifty })).toBe(
      true,
    );
  });

  it('never crosses a dot', () => {
    expect(list.allows('https://a.b.example.com/callback', { organizationName: 'a.b' })).toBe(
      false,
    );
    expect(list.allows('https://a.b.example.com/callback', { organizationName: 'a' })).toBe(false);
  });

  it('never matches a literal or percent-encoded {organization_name}', () => {
    for (const context of [undefined, { organizationName: 'acme' }]) {
      expect(list.allows('https://{organization_name}.example.com/callback', context)).toBe(false);
      expect(list.allows('https://%7Borganization_name%7D.example.com/callback', context)).toBe(
        false,
      );
      expect(list.allows('https://%7borganization_name%7d.example.com/callback', context)).toBe(
        false,
      );
    }
  });

  it('follows each kind: logout ignores the query, origin compares the origin', () => {
    const context = { organizationName: 'acme' };
    const logout = createAllowList('logout', ['https://{organization_name}.example.com/bye']);
    expect(logout.allows('https://acme.example.com/bye?returned=1#x', context)).toBe(true);
    expect(logout.allows('https://acme.example.com/bye')).toBe(false);
    const origin = createAllowList('origin', ['https://{organization_name}.example.com']);
    expect(origin.allows('https://acme.example.com', context)).toBe(true);
    expect(origin.allows('https://acme.example.com/', context)).toBe(false);
    expect(origin.allows('https://acme.example.com')).toBe(false);
  });

  it('never throws on a hostile context, detached or not', () => {
    const allows = list.allows;
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    const getter = {
      get organizationName(): string {
        throw new Error('boom');
      },
    };
    expect(allows('https://acme.example.com/callback', hostile)).toBe(false);
    expect(allows('https://acme.example.com/callback', getter)).toBe(false);
    expect(allows('https://app.example.com/callback', hostile)).toBe(true);
  });
});

describe('the {organization_name} placeholder: properties', () => {
  const lists = kinds.map((kind) =>
    createAllowList(kind, [`https://{organization_name}.example.com${tail(kind)}`]),
  );

  it('a candidate matches exactly when its first label is the (valid) organization name', () => {
    fc.assert(
      fc.property(
        organizationName,
        fc.oneof(organizationName, dnsLabelName),
        fc.nat(2),
        (name, label, k) => {
          const kind = kinds[k] ?? 'callback';
          const list = lists[k];
          const candidate = `https://${label}.example.com${tail(kind)}`;
          const validName = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name);
          expect(list?.allows(candidate, { organizationName: name })).toBe(
            validName && label === name,
          );
          expect(list?.allows(candidate)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never allows a candidate with more or fewer labels than the entry', () => {
    fc.assert(
      fc.property(dnsLabelName, dnsLabelName, (name, other) => {
        const list = lists[0];
        const context = { organizationName: name };
        expect(list?.allows(`https://${name}.${other}.example.com/callback`, context)).toBe(false);
        expect(list?.allows(`https://${other}.${name}.example.com/callback`, context)).toBe(false);
        expect(list?.allows(`https://${name}example.com/callback`, context)).toBe(false);
        expect(list?.allows(`https://${name}.example.com.${other}.com/callback`, context)).toBe(
          false,
        );
      }),
      { numRuns: 1000 },
    );
  });
});

describe('Client.allowsCallback and allowsLogoutUrl with an organization', () => {
  const client = createClient({
    client_id: 'abcdefghijklmnopqrstuvwxyz012345',
    name: 'Org app',
    app_type: 'regular_web',
    callbacks: ['https://{organization_name}.example.com/callback'],
    allowed_logout_urls: ['https://{organization_name}.example.com/bye'],
  } as ClientRecord);

  it('passes the context to the callback and logout lists', () => {
    const acme = { organizationName: 'acme' };
    expect(client.allowsCallback('https://acme.example.com/callback', acme)).toBe(true);
    expect(client.allowsCallback('https://acme.example.com/callback')).toBe(false);
    expect(client.allowsCallback('https://other.example.com/callback', acme)).toBe(false);
    expect(client.allowsLogoutUrl('https://acme.example.com/bye?x=1', acme)).toBe(true);
    expect(client.allowsLogoutUrl('https://acme.example.com/bye')).toBe(false);
    expect(
      client.allowsLogoutUrl('https://acme.example.com/bye', { organizationName: 'a_b' }),
    ).toBe(false);
  });

  it('has no origin from a placeholder callback without an organization', () => {
    expect(client.allowsOrigin('https://acme.example.com')).toBe(false);
  });
});

describe('the {organization_name} placeholder: many entries', () => {
  it('decides the same through the index as one entry at a time', () => {
    const entries = Array.from(
      { length: 40 },
      (_, i) => `https://{organization_name}.t${i}.example.com/cb${i % 3}`,
    );
    const many = createAllowList('callback', [
      ...entries,
      'http://{organization_name}.t1.example.com/cb1',
    ]);
    fc.assert(
      fc.property(
        fc.nat(45),
        fc.nat(4),
        fc.constantFrom('https', 'http'),
        dnsLabelName,
        (t, cb, scheme, name) => {
          const candidate = `${scheme}://${name}.t${t}.example.com/cb${cb}`;
          const expected =
            (scheme === 'https' && t < 40 && cb === t % 3) ||
            (scheme === 'http' && t === 1 && cb === 1);
          expect(many.allows(candidate, { organizationName: name })).toBe(expected);
          expect(many.allows(candidate)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
