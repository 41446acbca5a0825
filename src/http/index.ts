/**
 * `clientele/http`: Web-standard handlers (Fetch API `Request` → `Response`) for an
 * identity server built on clientele, and the plumbing they share: {@link toNodeListener}
 * for `node:http`/`node:https`, body readers with limits, a routing table and the error
 * responses of the Management API and of OAuth.
 *
 * @module
 */
export type { Handler } from './handler.js';
export { remoteAddressOf, toNodeListener } from './node-listener.js';
export type { NodeListener, NodeListenerOptions, NodeListenerStats } from './node-listener.js';
export {
  DEFAULT_BODY_LIMIT,
  mediaType,
  readBody,
  readForm,
  readJsonObject,
  readJsonParams,
} from './body.js';
export type { BodyReadOptions } from './body.js';
export { createRouter } from './router.js';
export type { HttpMethod, Route, RouteContext, RouteHandler, RouterOptions } from './router.js';
export { HttpError, PayloadTooLargeError } from './errors.js';
export type { HttpErrorInit } from './errors.js';
export { describeError, managementErrorResponse, oauthErrorResponse } from './error-response.js';
export type {
  DescribedError,
  ManagementErrorBody,
  OAuthErrorResponseOptions,
} from './error-response.js';
export { BASE_HEADERS, emptyResponse, jsonResponse } from './responses.js';
export type { JsonResponseOptions } from './responses.js';
export { createManagementApi } from './management/index.js';
export type { ManagementApiOptions } from './management/index.js';
export {
  MANAGEMENT_API_NAME,
  MANAGEMENT_SCOPES,
  ensureManagementApi,
  managementAudience,
} from './management/scopes.js';
export type { ManagementScope } from './management/scopes.js';
export { createProvider } from './provider/index.js';
export type {
  PendingAuthorization,
  Provider,
  ProviderOptions,
  ProviderUser,
} from './provider/index.js';
export { createAdminConsole } from './console/admin-console.js';
export type { AdminConsole, AdminConsoleOptions } from './console/admin-console.js';
export { createResourceServer } from './resource-server.js';
export type { ResourceServer, ResourceServerOptions } from './resource-server.js';
