/**
 * Who a request's `client_id` names, and which API its `resource` names: the two lookups
 * the CIMD and RFC 8707 features add to `/authorize` and `/oauth/token`, kept here so the
 * endpoints call one function each.
 *
 * - A `client_id` that is an `https` URL is a Client ID Metadata Document's: it names the
 *   client registered for that URL, or (dynamic CIMD) the client made of its document.
 *   Any other `client_id` is looked up as it is.
 * - `resource` (RFC 8707) names an API by its identifier. With `audience` too, both must
 *   name the same API. An unknown resource is `invalid_target`.
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
import type { Client } from '../../client/client.js';
import { looksLikeClientIdUrl } from '../../cimd/client-id-url.js';
import { ClientMetadataDocumentError, InvalidTargetError } from '../../errors.js';
import { findClient, type ProviderContext } from './context.js';
import type { Params } from './params.js';

/** The longest resource indicator looked up (an API identifier is at most 600 characters). */
const MAX_RESOURCE_LENGTH = 600;

/**
 * The client `clientId` names; the document's error when a client id URL's document cannot
 * be used (the CIMD service has audited it); undefined when it names no client.
 */
export async function resolveClient(
  context: ProviderContext,
  clientId: string | undefined,
): Promise<Client | ClientMetadataDocumentError | undefined> {
  let client: Client | undefined;
  try {
    client = looksLikeClientIdUrl(clientId)
      ? await context.tenant.clientIdMetadataDocuments.resolve(clientId)
      : await findClient(context.tenant, clientId);
  } catch (error) {
    if (error instanceof ClientMetadataDocumentError) return error;
    throw error;
  }
  if (client) await context.tenant.clientHygiene.noteUse(client);
  return client;
}

/**
 * The API a request asks for: `resource` (RFC 8707) or Auth0's `audience`, which must agree
 * when both are sent. Undefined when neither is.
 *
 * @throws {@link InvalidTargetError} for a resource that is not an absolute URI without a
 *   fragment, names no API of the tenant, or differs from `audience`.
 */
export async function requestedAudience(
  context: ProviderContext,
  params: Params,
): Promise<string | undefined> {
  const resource = params['resource'];
  const audience = params['audience'];
  if (resource === undefined) return audience;
  if (resource.length > MAX_RESOURCE_LENGTH || !isAbsoluteWithoutFragment(resource)) {
    throw new InvalidTargetError('resource must be an absolute URI without a fragment (RFC 8707)');
  }
  if (audience !== undefined && audience !== resource) {
    throw new InvalidTargetError(
      'resource and audience name different APIs; send one, or the same in both',
    );
  }
  if (!(await context.tenant.apis.getByAudience(resource))) {
    throw new InvalidTargetError('resource names no API of this tenant');
  }
  return resource;
}

function isAbsoluteWithoutFragment(value: string): boolean {
  try {
    return !value.includes('#') && new URL(value).protocol !== '';
  } catch {
    return false;
  }
}
