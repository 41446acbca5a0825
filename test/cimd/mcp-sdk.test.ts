/**
 * The official MCP TypeScript SDK end to end against clientele: an MCP server (Streamable
 * HTTP) protected by createResourceServer, a tenant with dynamic CIMD serving as its
 * authorization server, and the SDK's client with its default auth flow. With
 * `clientMetadataUrl` (a document served over HTTPS on loopback) it identifies itself by
 * that URL; without it, it falls back to Dynamic Client Registration. Either way: 401
 * with resource_metadata, discovery, /authorize with PKCE and resource, /oauth/token,
 * and a tool call with the token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import {
  UnauthorizedError,
  type OAuthClientProvider,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvider, createResourceServer, toNodeListener } from '../../src/http/index.js';
import { generateSigningKey, memorySink, Tenant } from '../../src/index.js';
import { json, startTlsServer, type TlsServer } from './tls-server.js';

const REDIRECT = 'http://127.0.0.1:47113/callback';
const USER = { sub: 'auth0|ada', claims: { name: 'Ada' } };

interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(handler: (request: Request) => Promise<Response>): Promise<Listening> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('request', toNodeListener(handler, { origin: url }));
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let documents: TlsServer;
let identity: Listening;
let mcp: Listening;
let tenant: Tenant;
let resource: string;
const sink = memorySink();
const toolCalls: string[] = [];

beforeAll(async () => {
  documents = await startTlsServer();
  // The MCP server's URL must be known before the tenant's API is created: reserve it.
  let protect: (request: Request) => Promise<Response> = () =>
    Promise.resolve(new Response(null, { status: 503 }));
  mcp = await listen((request) => protect(request));
  resource = `${mcp.url}/mcp`;
  let provide: (request: Request) => Promise<Response> = () =>
    Promise.resolve(new Response(null, { status: 503 }));
  identity = await listen((request) => provide(request));
  tenant = await Tenant.create({
    domain: new URL(identity.url).host,
    issuer: `${identity.url}/`,
    signingKeys: [await generateSigningKey('RS256')],
    auditSinks: [sink],
    dynamicRegistration: { enabled: true },
    clientIdMetadataDocuments: { enabled: true, allowPrivateNetwork: true, ca: documents.ca },
  });
  await tenant.apis.create({
    identifier: resource,
    name: 'Notes MCP',
    scopes: [{ value: 'notes:read' }],
  });
  const provider = createProvider(tenant, {
    // The demo user signs in at once (a real server shows a login and consent page here).
    login: (_request, pending) =>
      Promise.resolve(
        new Response(null, {
          status: 302,
          headers: { location: `${identity.url}/login/done?id=${encodeURIComponent(pending.id)}` },
        }),
      ),
  });
  provide = (request) => {
    const target = new URL(request.url);
    return target.pathname === '/login/done'
      ? provider.completeAuthorization(target.searchParams.get('id') ?? '', USER)
      : provider(request);
  };
  const guard = createResourceServer(tenant, { resource, scopes: ['notes:read'] });
  protect = async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/.well-known/')) return guard.metadata(request);
    if (pathname !== '/mcp') return new Response(null, { status: 404 });
    const claims = await guard.authenticate(request);
    if (claims instanceof Response) return claims;
    // Stateless Streamable HTTP: one server and transport per request.
    const server = new McpServer({ name: 'notes', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Who the token is for' }, () => {
      toolCalls.push(String(claims.sub));
      return {
        content: [
          {
            type: 'text',
            text: `${String(claims.sub)} via ${String(claims['client_id'] ?? claims.azp)}`,
          },
        ],
      };
    });
    // No sessionIdGenerator: stateless mode.
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    return transport.handleRequest(request);
  };
});

afterAll(async () => {
  await mcp.close();
  await identity.close();
  await documents.close();
  await tenant.close();
});

/** An OAuthClientProvider that keeps everything in memory and "opens the browser" with fetch. */
class TestAuthProvider implements OAuthClientProvider {
  clientMetadataUrl?: string;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  authorizationUrl: URL | undefined;
  code: string | undefined;

  constructor(clientMetadataUrl?: string) {
    if (clientMetadataUrl !== undefined) this.clientMetadataUrl = clientMetadataUrl;
  }

  get redirectUrl(): string {
    return REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Notes agent (DCR)',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return this.#client;
  }

  saveClientInformation(information: OAuthClientInformationMixed) {
    this.#client = information;
  }

  tokens() {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens) {
    this.#tokens = tokens;
  }

  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }

  codeVerifier() {
    return this.#verifier;
  }

  /** Follows the authorization server's redirects to the callback, as a browser would. */
  async redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
    let location = url;
    for (let hop = 0; hop < 5; hop++) {
      const response = await fetch(location, { redirect: 'manual' });
      const next = response.headers.get('location');
      if (next === null)
        throw new Error(`authorization stopped with ${response.status}: ${await response.text()}`);
      location = new URL(next, location);
      if (location.href.startsWith(REDIRECT)) {
        this.code = location.searchParams.get('code') ?? undefined;
        return;
      }
    }
    throw new Error('too many redirects');
  }
}

/** Connects the SDK client, completing the OAuth flow when the server asks for it. */
async function connectAndCall(auth: TestAuthProvider): Promise<string> {
  const first = new StreamableHTTPClientTransport(new URL(resource), { authProvider: auth });
  const client = new McpClient({ name: 'notes-agent', version: '1.0.0' });
  await expect(client.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(auth.code).toBeDefined();
  await first.finishAuth(auth.code ?? '');
  const second = new McpClient({ name: 'notes-agent', version: '1.0.0' });
  await second.connect(
    new StreamableHTTPClientTransport(new URL(resource), { authProvider: auth }),
  );
  const result = await second.callTool({ name: 'whoami', arguments: {} });
  await second.close();
  return (result.content as { text: string }[])[0]?.text ?? '';
}

describe('the MCP TypeScript SDK against an MCP server protected by clientele', () => {
  it('answers 401 with resource_metadata, and serves RFC 9728 metadata naming the tenant', async () => {
    const response = await fetch(resource, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(
      /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/,
    );
    const metadata = await (
      await fetch(/resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '')
    ).json();
    expect(metadata).toMatchObject({ resource, authorization_servers: [`${identity.url}/`] });
    const discovery = await (
      await fetch(`${identity.url}/.well-known/oauth-authorization-server`)
    ).json();
    expect(discovery).toMatchObject({ client_id_metadata_document_supported: true });
  });

  it('connects through a Client ID Metadata Document (clientMetadataUrl) and calls a tool', async () => {
    const url = `${documents.origin}/agent/client-metadata.json`;
    documents.route(
      '/agent/client-metadata.json',
      json({
        client_id: url,
        client_name: 'Notes agent',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    );
    const auth = new TestAuthProvider(url);
    const text = await connectAndCall(auth);
    expect(text).toMatch(/^auth0\|ada via /);
    // The SDK used the URL as client_id, PKCE and the resource indicator.
    const asked = auth.authorizationUrl?.searchParams;
    expect(asked?.get('client_id')).toBe(url);
    expect(asked?.get('code_challenge_method')).toBe('S256');
    expect(asked?.get('resource')).toBe(resource);
    // The client Auth0 would have made of it.
    const client = await tenant.clientIdMetadataDocuments.find(url);
    expect(client).toMatchObject({
      name: 'Notes agent',
      is_first_party: false,
      external_client_id: url,
      external_metadata_type: 'cimd',
      external_metadata_created_by: 'client',
      third_party_security_mode: 'strict',
      token_endpoint_auth_method: 'none',
      callbacks: [REDIRECT],
    });
    expect(await tenant.apis.grants({ client_id: client?.client_id ?? '' })).toEqual([]);
    expect(text).toContain(client?.client_id);
    await tenant.audit.flush();
    expect(sink.events).toContainEqual(
      expect.objectContaining({
        type: 'sapi',
        details: expect.objectContaining({ operation: 'cimd_register', external_client_id: url }),
      }),
    );
    expect(documents.hits.filter((hit) => hit === '/agent/client-metadata.json')).toHaveLength(1);
  });

  it('falls back to Dynamic Client Registration without clientMetadataUrl', async () => {
    const auth = new TestAuthProvider();
    const text = await connectAndCall(auth);
    expect(text).toMatch(/^auth0\|ada via /);
    const registered = auth.clientInformation();
    expect(registered?.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(auth.authorizationUrl?.searchParams.get('resource')).toBe(resource);
    expect(toolCalls).toEqual(['auth0|ada', 'auth0|ada']);
  });
});
