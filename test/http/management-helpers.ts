/**
 * An in-process Management API over a MemoryStore tenant, called with Fetch Requests: what
 * the Management API test files share.
 */
import { MemoryStore, Tenant, type Client } from 'clientele';
import {
  createManagementApi,
  ensureManagementApi,
  managementAudience,
  type Handler,
  type ManagementApiOptions,
} from 'clientele/http';

/** A tenant, its Management API, and ways to call it. */
export interface ManagementFixture {
  readonly tenant: Tenant;
  readonly api: Handler;
  /** A machine-to-machine client granted `scope` on the Management API, and its token. */
  m2m(name: string, scope: readonly string[]): Promise<{ client: Client; token: string }>;
  /** Calls the API with `token` (none when `null`) and a JSON body when given. */
  call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    type?: string,
  ): Promise<Response>;
}

/** Makes a tenant on a MemoryStore and its Management API with `options`. */
export async function managementFixture(
  options: ManagementApiOptions = {},
): Promise<ManagementFixture> {
  const tenant = await Tenant.create({ domain: 'id.example.com', store: new MemoryStore() });
  await ensureManagementApi(tenant);
  const api = createManagementApi(tenant, options);
  const audience = managementAudience(tenant);
  return {
    tenant,
    api,
    m2m: async (name, scope) => {
      const client = await tenant.clients.create({
        name,
        app_type: 'non_interactive',
        grant_types: ['client_credentials'],
      });
      await tenant.apis.grant({ client_id: client.client_id, audience, scope: [...scope] });
      const { access_token: token } = await tenant.issueAccessToken(client.client_id, {
        audience,
      });
      return { client, token };
    },
    call: (method, path, token, body, type = 'application/json') => {
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = type;
      return api(
        new Request(`https://id.example.com/api/v2${path}`, {
          method,
          headers,
          ...(body === undefined
            ? {}
            : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        }),
      );
    },
  };
}

/** The JSON body of a response. */
export async function bodyOf<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
