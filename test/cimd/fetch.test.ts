import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchClientMetadataDocument, type FetchDocumentOptions } from '../../src/cimd/fetch.js';
import { loadClientMetadataDocument } from '../../src/cimd/load.js';
import { ClientMetadataDocumentError } from '../../src/errors.js';
import { json, startTlsServer, type TlsServer } from './tls-server.js';

let server: TlsServer;
let local: FetchDocumentOptions;

beforeAll(async () => {
  server = await startTlsServer();
  local = { allowPrivateNetwork: true, ca: server.ca, timeoutMs: 3_000 };
});
afterAll(() => server.close());

const documentFor = (url: string, extra: Record<string, unknown> = {}) => ({
  client_id: url,
  client_name: 'Notes for MCP',
  redirect_uris: ['http://127.0.0.1:33418/callback'],
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  ...extra,
});

/** The error a promise rejects with (fails when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<ClientMetadataDocumentError> {
  const error: unknown = await promise.then(
    () => new Error('expected a refusal'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClientMetadataDocumentError);
  return error as ClientMetadataDocumentError;
}

/** Hits of one path so far. */
const hitsOf = (path: string) => server.hits.filter((hit) => hit === path).length;

describe('fetchClientMetadataDocument against a real HTTPS server', () => {
  it('fetches a document served as application/json, with its caching headers', async () => {
    const url = `${server.origin}/ok.json`;
    server.route('/ok.json', json(documentFor(url), { 'cache-control': 'max-age=900' }));
    const fetched = await fetchClientMetadataDocument(url, local);
    expect(fetched.document).toEqual(documentFor(url));
    expect(fetched.headers['cache-control']).toBe('max-age=900');
  });

  it('refuses a private (loopback) address without connecting', async () => {
    const url = `${server.origin}/private.json`;
    server.route('/private.json', json(documentFor(url)));
    const error = await refusal(fetchClientMetadataDocument(url, { ca: server.ca }));
    expect(error.code).toBe('cimd_forbidden_address');
    expect(error.message).toMatch(/loopback/);
    expect(hitsOf('/private.json')).toBe(0);
  });

  it('refuses a DNS name that resolves to a private address, without connecting', async () => {
    const url = `https://cimd.example.test:${server.port}/named.json`;
    server.route('/named.json', json(documentFor(url)));
    const lookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const error = await refusal(fetchClientMetadataDocument(url, { ca: server.ca, lookup }));
    expect(error.code).toBe('cimd_forbidden_address');
    expect(hitsOf('/named.json')).toBe(0);
  });

  it('refuses a name when any one of its addresses is special (IPv4-mapped IPv6 too)', async () => {
    const url = `https://cimd.example.test:${server.port}/mixed.json`;
    const lookup = () =>
      Promise.resolve([
        { address: '93.184.215.14', family: 4 },
        { address: '::ffff:10.0.0.7', family: 6 },
      ]);
    const error = await refusal(fetchClientMetadataDocument(url, { ca: server.ca, lookup }));
    expect(error.code).toBe('cimd_forbidden_address');
    expect(error.message).toMatch(/private/);
  });

  it('connects to the address it checked: the name is resolved once (no DNS rebinding)', async () => {
    const url = `https://cimd.example.test:${server.port}/pinned.json`;
    server.route('/pinned.json', json(documentFor(url)));
    let lookups = 0;
    // A rebinding resolver: the first answer is the one checked, any later one differs.
    const lookup = () => {
      lookups += 1;
      return Promise.resolve([{ address: lookups === 1 ? '127.0.0.1' : '10.9.9.9', family: 4 }]);
    };
    const fetched = await fetchClientMetadataDocument(url, { ...local, lookup });
    expect(fetched.document).toEqual(documentFor(url));
    expect(lookups).toBe(1);
  });

  it('refuses a redirect and never follows it', async () => {
    const url = `${server.origin}/moved.json`;
    server.route('/moved.json', (_request, response) => {
      response.writeHead(302, { location: `${server.origin}/target.json` }).end();
    });
    server.route('/target.json', json(documentFor(url)));
    const error = await refusal(fetchClientMetadataDocument(url, local));
    expect(error.code).toBe('cimd_redirect');
    expect(hitsOf('/target.json')).toBe(0);
  });

  it('refuses a document larger than maxBytes by its Content-Length', async () => {
    const url = `${server.origin}/big.json`;
    server.route('/big.json', json(documentFor(url, { padding: 'x'.repeat(6_000) })));
    const error = await refusal(fetchClientMetadataDocument(url, local));
    expect(error.code).toBe('cimd_too_large');
    expect(error.message).toMatch(/5120 bytes/);
  });

  it('refuses an oversized body sent without Content-Length while it streams in', async () => {
    const url = `${server.origin}/endless.json`;
    let written = 0;
    server.route('/endless.json', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"padding":"');
      // Far more than the limit, chunk by chunk; the client must stop reading early.
      const timer = setInterval(() => {
        if (response.destroyed || written > 1_000_000) {
          clearInterval(timer);
          response.destroy();
          return;
        }
        written += 4096;
        response.write('y'.repeat(4096));
      }, 1);
    });
    const error = await refusal(fetchClientMetadataDocument(url, { ...local, maxBytes: 8_192 }));
    expect(error.code).toBe('cimd_too_large');
    expect(written).toBeLessThan(1_000_000);
  });

  it('gives up on a slow host at timeoutMs, whatever it still sends', async () => {
    const url = `${server.origin}/slow.json`;
    server.route('/slow.json', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => {
        if (response.destroyed) clearInterval(timer);
        else response.write(' ');
      }, 50);
    });
    const error = await refusal(fetchClientMetadataDocument(url, { ...local, timeoutMs: 300 }));
    expect(error.code).toBe('cimd_timeout');
  });

  it('gives up on a host that never answers', async () => {
    const url = `${server.origin}/silent.json`;
    server.route('/silent.json', () => undefined);
    const error = await refusal(fetchClientMetadataDocument(url, { ...local, timeoutMs: 300 }));
    expect(error.code).toBe('cimd_timeout');
  });

  it('refuses a content type other than application/json', async () => {
    const url = `${server.origin}/html.json`;
    server.route('/html.json', (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(JSON.stringify(documentFor(url)));
    });
    const error = await refusal(fetchClientMetadataDocument(url, local));
    expect(error.code).toBe('cimd_content_type');
  });

  it('accepts application/json with parameters', async () => {
    const url = `${server.origin}/charset.json`;
    server.route(
      '/charset.json',
      json(documentFor(url), { 'content-type': 'application/json; charset=utf-8' }),
    );
    await expect(fetchClientMetadataDocument(url, local)).resolves.toMatchObject({
      document: { client_id: url },
    });
  });

  it('refuses a status other than 200, and a body that is not JSON', async () => {
    const gone = `${server.origin}/gone.json`;
    expect((await refusal(fetchClientMetadataDocument(gone, local))).code).toBe('cimd_http_status');
    const broken = `${server.origin}/broken.json`;
    server.route('/broken.json', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"client_id":');
    });
    expect((await refusal(fetchClientMetadataDocument(broken, local))).code).toBe(
      'cimd_invalid_json',
    );
  });

  it('refuses a connection it cannot trust (a certificate not in ca)', async () => {
    const url = `${server.origin}/ok.json`;
    const error = await refusal(fetchClientMetadataDocument(url, { allowPrivateNetwork: true }));
    expect(error.code).toBe('cimd_network');
  });

  it.each([
    ['http://127.0.0.1/client.json', /https/],
    ['https://app.example.com/', /path/],
    ['https://app.example.com', /path/],
    ['https://app.example.com/client.json#x', /fragment/],
    ['https://user:pw@app.example.com/client.json', /user name/],
    ['https://app.example.com/a/../client.json', /\.\./],
    ['https://app.example.com/a/%2e%2e/client.json', /\.\.|canonical/],
    ['https://APP.example.com/client.json', /canonical/],
    ['https://app.example.com:443/client.json', /canonical/],
    ['https://app.example.com/client .json', /whitespace/],
    ['https://app.example.com:0/client.json', /port 0/],
  ])('refuses the client id URL %s before any network use', async (url, reason) => {
    const error = await refusal(fetchClientMetadataDocument(url, local));
    expect(error.code).toBe('cimd_invalid_url');
    expect(error.message).toMatch(reason);
  });
});

describe('loadClientMetadataDocument: fetched from a real server, then validated', () => {
  it('refuses a document whose client_id is not its URL', async () => {
    const url = `${server.origin}/mismatch.json`;
    server.route('/mismatch.json', json(documentFor(`${server.origin}/other.json`)));
    const error = await refusal(loadClientMetadataDocument(url, local));
    expect(error.code).toBe('cimd_invalid_document');
    expect(error.issues).toContainEqual(
      expect.objectContaining({ path: '/client_id', code: 'client_id_mismatch' }),
    );
  });

  it('refuses a shared-secret authentication method', async () => {
    const url = `${server.origin}/secret.json`;
    server.route(
      '/secret.json',
      json(documentFor(url, { token_endpoint_auth_method: 'client_secret_basic' })),
    );
    const error = await refusal(loadClientMetadataDocument(url, local));
    expect(error.issues).toContainEqual(
      expect.objectContaining({ path: '/token_endpoint_auth_method', code: 'shared_secret' }),
    );
  });

  it('refuses an invalid redirect URI, located', async () => {
    const url = `${server.origin}/redirect.json`;
    server.route(
      '/redirect.json',
      json(
        documentFor(url, {
          redirect_uris: ['https://app.example.com/cb', 'https://app.example.com/cb#frag'],
        }),
      ),
    );
    const error = await refusal(loadClientMetadataDocument(url, local));
    expect(error.issues).toContainEqual(
      expect.objectContaining({ path: '/redirect_uris/1', code: 'invalid_redirect_uri' }),
    );
  });

  it('loads a valid document, normalised, with unknown members as warnings', async () => {
    const url = `${server.origin}/valid.json`;
    server.route('/valid.json', json(documentFor(url, { software_statement_v2: 'x' })));
    const loaded = await loadClientMetadataDocument(url, local);
    expect(loaded.document.metadata).toMatchObject({
      client_name: 'Notes for MCP',
      token_endpoint_auth_method: 'none',
      response_types: ['code'],
    });
    expect(loaded.warnings).toEqual([
      expect.objectContaining({ path: '/software_statement_v2', code: 'ignored_member' }),
    ]);
  });
});

describe('an injected fetch', () => {
  it('gets every response check, and IP-literal hosts are still refused', async () => {
    const url = 'https://app.example.com/client.json';
    const fetch = (async () =>
      new Response(JSON.stringify(documentFor(url)), {
        headers: { 'content-type': 'text/plain' },
      })) as typeof globalThis.fetch;
    expect((await refusal(fetchClientMetadataDocument(url, { fetch }))).code).toBe(
      'cimd_content_type',
    );
    const literal = 'https://10.0.0.1/client.json';
    expect((await refusal(fetchClientMetadataDocument(literal, { fetch }))).code).toBe(
      'cimd_forbidden_address',
    );
  });

  it('turns a body that breaks off into cimd_network, as the built-in client does', async () => {
    const url = 'https://app.example.com/client.json';
    const fetch = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"client_id":'));
            controller.error(new TypeError('terminated'));
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      )) as typeof globalThis.fetch;
    const error = await refusal(fetchClientMetadataDocument(url, { fetch }));
    expect(error).toBeInstanceOf(ClientMetadataDocumentError);
    expect(error.code).toBe('cimd_network');
  });
});
