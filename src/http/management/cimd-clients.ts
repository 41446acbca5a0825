/**
 * `/clients/cimd/register` and `/clients/cimd/preview`: Auth0's manual Client ID Metadata
 * Document registration over `tenant.clientIdMetadataDocuments`, with Auth0's request and
 * response shapes (`RegisterCimdClientRequestContent` / `...ResponseContent`,
 * `PreviewCimdMetadataRequestContent` / `...ResponseContent` in the `auth0` SDK). Register
 * is an idempotent upsert by `external_client_id`: `201` with `create:clients` when it
 * creates, `200` with `update:clients` when the client exists.
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-clients-cimd-register
 */
import { HttpError } from '../errors.js';
import { jsonResponse } from '../responses.js';
import type { Route } from '../router.js';
import { authorised, jsonBody, type ManagementContext } from './context.js';

/** The CIMD routes. */
export function cimdClientRoutes(context: ManagementContext): Route[] {
  const { tenant } = context;
  return [
    authorised(context, 'POST', '/clients/cimd/register', async (call) => {
      const url = externalClientId(await jsonBody(context, call));
      // The table lets either scope in; which one counts depends on whether it exists.
      const exists = (await tenant.clientIdMetadataDocuments.find(url)) !== undefined;
      context.auth.requireScope(
        call.caller,
        exists ? 'update:clients' : 'create:clients',
        'external_client_id',
      );
      const { created, ...registered } = await tenant.clientIdMetadataDocuments.register(url);
      return jsonResponse(created ? 201 : 200, registered);
    }),
    authorised(context, 'POST', '/clients/cimd/preview', async (call) => {
      const url = externalClientId(await jsonBody(context, call));
      return jsonResponse(200, await tenant.clientIdMetadataDocuments.preview(url));
    }),
  ];
}

function externalClientId(body: Readonly<Record<string, unknown>>): string {
  const value = body['external_client_id'];
  if (typeof value !== 'string' || value === '') {
    throw new HttpError({
      status: 400,
      code: 'invalid_body',
      message:
        'Payload validation error: external_client_id is required and must be the URL of the Client ID Metadata Document (at /external_client_id)',
    });
  }
  return value;
}
