/**
 * `/clients/{id}/credentials`: Auth0's client credential endpoints over the tenant's
 * `public_key` credentials (`tenant.clients.credentials`, `addCredential`,
 * `updateCredential`, `deleteCredential`). Responses never hold key material; input with a
 * private key is refused without echoing it (the library's checks say so).
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-credentials
 */
import type {
  ClientCredential,
  ClientCredentialInput,
  ClientCredentialPatch,
} from '../../client/public-key-credential.js';
import { emptyResponse, jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import {
  authorised,
  found,
  jsonBody,
  orNotFound,
  type Call,
  type ManagementContext,
} from './context.js';
import { readQuery } from './query.js';

const NO_CLIENT = 'inexistent_client';
const NO_CREDENTIAL = 'inexistent_client_credential';
const PATH = '/clients/:id/credentials';
const ONE = `${PATH}/:credential_id`;

/** The `/clients/{id}/credentials` routes. */
export function clientCredentialRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  /** The client of the call's path, or a 404 `inexistent_client`. */
  const clientOf = async (call: Call): Promise<string> => {
    const id = call.params.id ?? '';
    const client = await tenant.clients.find(id);
    return found(client, NO_CLIENT, 'The client does not exist').client_id;
  };
  /** The client and credential of the call's path, or a 404 naming what is missing. */
  const credentialOf = async (call: Call): Promise<[string, ClientCredential]> => {
    const clientId = await clientOf(call);
    const credentials = await orNotFound(NO_CLIENT, () => tenant.clients.credentials(clientId));
    const wanted = call.params.credential_id ?? '';
    const credential = found(
      credentials.find((candidate) => candidate.id === wanted),
      NO_CREDENTIAL,
      'The client credential does not exist',
    );
    return [clientId, credential];
  };
  return [
    authorised(context, 'GET', PATH, async (call) => {
      readQuery(call.url, {});
      const clientId = await clientOf(call);
      const credentials = await orNotFound(NO_CLIENT, () => tenant.clients.credentials(clientId));
      return jsonResponse(200, credentials);
    }),
    authorised(context, 'GET', ONE, async (call) => {
      readQuery(call.url, {});
      const [, credential] = await credentialOf(call);
      return jsonResponse(200, credential);
    }),
    authorised(context, 'POST', PATH, async (call) => {
      const body = await jsonBody(context, call);
      const clientId = await clientOf(call);
      const credential = await orNotFound(NO_CLIENT, () =>
        tenant.clients.addCredential(
          clientId,
          body as unknown as ClientCredentialInput,
          call.write,
        ),
      );
      return jsonResponse(201, credential);
    }),
    authorised(context, 'PATCH', ONE, async (call) => {
      const body = await jsonBody(context, call);
      const [clientId, { id }] = await credentialOf(call);
      const credential = await orNotFound(NO_CREDENTIAL, () =>
        tenant.clients.updateCredential(
          clientId,
          id,
          body as unknown as ClientCredentialPatch,
          call.write,
        ),
      );
      return jsonResponse(200, credential);
    }),
    authorised(context, 'DELETE', ONE, async (call) => {
      const [clientId, { id }] = await credentialOf(call);
      await orNotFound(NO_CREDENTIAL, () =>
        tenant.clients.deleteCredential(clientId, id, call.write),
      );
      return emptyResponse(204);
    }),
  ];
}
