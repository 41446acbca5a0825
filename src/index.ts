/**
 * clientele: OAuth 2.0 / OpenID Connect client applications, modelled on Auth0.
 *
 * @module
 */

// --- errors (src/errors.ts) ---
export {
  ClienteleError,
  ConflictError,
  InvalidArgumentError,
  InvalidClientError,
  InvalidGrantError,
  InsufficientScopeError,
  UnsupportedTokenTypeError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTokenError,
  InvalidUrlPatternError,
  LogQueryError,
  NotFoundError,
  RegistrationError,
  SecretDecryptionError,
  StoreCorruptError,
  StoreUnavailableError,
  TenantReadError,
  UnauthorizedClientError,
  ValidationError,
  isClienteleError,
} from './errors.js';
export type {
  Issue,
  RegistrationErrorBody,
  RegistrationErrorName,
  SecretDecryptionReason,
  ValidationKind,
} from './errors.js';
export {
  MAX_OAUTH_ERROR_DESCRIPTION,
  OAUTH_ERROR_DESCRIPTION_PATTERN,
  oauthErrorDescription,
} from './lib/oauth-error-description.js';

// --- URL allow-lists (src/urls/) ---
export { createAllowList } from './urls/allow-list.js';
export type { AllowList, AllowListOptions, AllowsContext } from './urls/allow-list.js';
export { parseUrlPattern } from './urls/pattern.js';
export type { ParsedUrlPattern, UrlPattern, UrlPatternResult } from './urls/pattern.js';
export { MAX_URL_LENGTH } from './urls/scan.js';
export type { UrlProblem, UrlProblemCode } from './urls/scan.js';
export type { WildcardHost } from './urls/wildcard.js';
export type { AllowListKind } from './urls/kinds.js';

// --- client settings (src/client/) ---
export { APP_TYPES, GRANT_TYPES, OTHER_APP_TYPES, UNTYPED } from './client/app-types.js';
export type {
  AppType,
  AppTypeCapabilities,
  DocumentedAppType,
  GrantType,
  GrantTypeInfo,
  OtherAppType,
  TokenEndpointAuthMethod,
  UrlListSetting,
} from './client/app-types.js';
export type {
  AddonName,
  ClientAddons,
  ClientAuthenticationMethods,
  ClientCredentialRef,
  ClientInput,
  ClientInputFields,
  ClientSettings,
  EncryptionKey,
  JsonObject,
  JsonValue,
  JwtAlgorithm,
  JwtConfiguration,
  MobileSettings,
  NativeSocialLogin,
  NativeSocialLoginProvider,
  PassThroughSettings,
  ReadOnlyExportFields,
  RefreshTokenSettings,
} from './client/settings.js';
export { validateClientSettings } from './client/validate.js';
export type { ClientSettingsPatch, ValidateOptions } from './client/validate.js';
export type { ValidationResult } from './lib/validation-result.js';
export { LINT_RULES, lintClient } from './client/lint.js';
export type { Finding } from './client/lint.js';
export type { LintRule, LintRuleId, Severity } from './client/lint-rules.js';
export { generateClientId, generateClientSecret, secretsEqual } from './client/credentials.js';
export type { ClientIdOptions } from './client/credentials.js';
export type { Client, ClientJson } from './client/client.js';
export { CREDENTIAL_ALGORITHMS } from './client/public-key-credential.js';
export type {
  ClientCredential,
  ClientCredentialInput,
  ClientCredentialPatch,
  CredentialAlgorithm,
  CredentialJwk,
  CredentialKeySpec,
} from './client/public-key-credential.js';

// --- storage (src/storage/) ---
export { MemoryStore } from './storage/memory-store.js';
export { FileStore } from './storage/file-store.js';
export type { FileStoreOptions } from './storage/file-store.js';
export type {
  ChangeFeedReset,
  ChangeListener,
  CollectionName,
  RecordChange,
  Store,
  StoreChange,
  StoredRecord,
  WriteOperation,
} from './storage/store.js';
export { DEFAULT_TRIM_LIMIT, MAX_LOG_PAGE } from './storage/log.js';
export type {
  LogEntry,
  LogEntryInput,
  LogFilter,
  LogQuery,
  LogRetention,
  StoreLogs,
} from './storage/log.js';
export type { LogCondition } from './storage/log-condition.js';

// --- log search (src/log-search/) ---
export { parseLogQuery } from './log-search/parse-query.js';
export { BARE_TERM_FIELDS, LOG_SEARCH_FIELDS } from './log-search/fields.js';
export type { LogFieldKind } from './log-search/fields.js';

// --- log streams (src/log-streams/) ---
export { LogStreamRegistry } from './tenant/log-streams.js';
export {
  DATADOG_REGIONS,
  HTTP_CONTENT_FORMATS,
  LOG_STREAM_STATUSES,
  LOG_STREAM_TYPES,
  SINK_SECRETS,
} from './log-streams/stream.js';
export type {
  DatadogRegion,
  DatadogSink,
  EventBridgeSink,
  HttpContentFormat,
  HttpCustomHeader,
  HttpSink,
  LogStream,
  LogStreamFilter,
  LogStreamInput,
  LogStreamPatch,
  LogStreamSink,
  LogStreamSinks,
  LogStreamStatus,
  LogStreamType,
  SplunkSink,
  SumoSink,
} from './log-streams/stream.js';
export {
  LOG_STREAM_CATEGORIES,
  LOG_STREAM_CATEGORY_NAMES,
  categoryOf,
} from './log-streams/categories.js';
export type { LogStreamCategory } from './log-streams/categories.js';
export { validateLogStreamInput } from './log-streams/validate-stream.js';
export type { LogStreamValidationOptions, ValidLogStream } from './log-streams/validate-stream.js';
export { DATADOG_INTAKE, REQUEST_BOUNDS, recordOf } from './log-streams/formats.js';
export type { EventBridgeEntry, LogRecord, RequestBounds } from './log-streams/formats.js';
export type { LogStreamOptions } from './log-streams/options.js';
export type { LogStreamHealth } from './log-streams/stream-delivery.js';

// --- audit (src/audit/) ---
export { AuditTrail } from './audit/trail.js';
export type {
  AuditBacklog,
  AuditRecordInput,
  AuditSinkBacklog,
  AuditTrailEvents,
  AuditTrailOptions,
} from './audit/trail.js';
export { DEFAULT_CLOSE_TIMEOUT_MS } from './audit/close-deadline.js';
export type { CloseOptions } from './audit/close-deadline.js';
export type { AuditRetryOptions } from './audit/retry.js';
export { REDACTED } from './lib/redact.js';
export { memorySink } from './audit/sinks/memory.js';
export type { MemorySink, MemorySinkOptions } from './audit/sinks/memory.js';
export { ndjsonFileSink } from './audit/sinks/ndjson-file.js';
export type { NdjsonFileSinkOptions } from './audit/sinks/ndjson-file.js';
export { functionSink } from './audit/sinks/function.js';
export type { FunctionSinkOptions } from './audit/sinks/function.js';
export { httpSink } from './audit/sinks/http.js';
export type { HttpSinkOptions } from './audit/sinks/http.js';
export { LOGS_COLLECTION, StoredLog, storeAuditSink } from './audit/sinks/store.js';
export type { StoreAuditSinkOptions, StoredLogQuery } from './audit/sinks/store.js';
export type { AuditSinkOptions } from './audit/sinks/options.js';
export { AUDIT_EVENT_TYPES } from './audit/event.js';
export type { AuditEvent, AuditEventType, AuditSink } from './audit/event.js';
export type { RequestContext } from './audit/request-context.js';
export type { WriteOptions } from './tenant/context.js';

// --- tokens (src/tokens/) ---
export { KeyRing } from './tokens/key-ring.js';
export type { KeyRingOptions, PublicJwks } from './tokens/key-ring.js';
export { generateSigningKey, retireSigningKey, rotateSigningKeys } from './tokens/signing-keys.js';
export type {
  GenerateSigningKeyOptions,
  SigningKey,
  SigningKeyRecord,
} from './tokens/signing-keys.js';
export type { SigningAlgorithm } from './tokens/algorithms.js';
export type {
  EcPrivateJwk,
  EcPublicJwk,
  PrivateJwk,
  PublicJwk,
  RsaPrivateJwk,
  RsaPublicJwk,
} from './tokens/jwk.js';
export { parseBasicAuthorization } from './tokens/basic-authorization.js';
export {
  JWT_BEARER_ASSERTION_TYPE,
  TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
  TOKEN_ENDPOINT_AUTH_SIGNING_ALGS_SUPPORTED,
} from './tokens/client-assertion.js';
export type { BasicCredentials } from './tokens/basic-authorization.js';

// --- tenant, apis, connections, registration ---
export { RegistrationService } from './tenant/registration.js';
export type {
  RegisterOptions,
  RegistrationSupport,
  UpdateRegistrationOptions,
} from './tenant/registration.js';
export type {
  RegistrationApplicationType,
  RegistrationAuthMethod,
  RegistrationGrantType,
  RegistrationJwks,
  RegistrationMetadata,
  RegistrationRequest,
  RegistrationResponseType,
} from './registration/metadata.js';
export type { RegistrationResponse } from './registration/response.js';
export { ApiRegistry } from './tenant/apis.js';
export { ConnectionRegistry } from './tenant/connections.js';
export { API_DEFAULTS, API_LIMITS, API_SIGNING_ALGORITHMS } from './apis/api.js';
export type {
  Api,
  ApiInput,
  ApiPatch,
  ApiScope,
  ApiSettings,
  ApiSigningAlgorithm,
} from './apis/api.js';
export type {
  ClientGrant,
  ClientGrantAuth0Fields,
  ClientGrantInput,
  ClientGrantPatch,
  ClientGrantQuery,
  ClientGrantSettings,
} from './apis/grant.js';
export { GRANT_DEFAULT_FOR, GRANT_ORGANIZATION_USAGES, GRANT_SUBJECT_TYPES } from './apis/grant.js';
export { validateApiInput } from './apis/validate-api.js';
export type { ValidateApiOptions } from './apis/validate-api.js';
export { grantScopeIssues, validateGrantInput } from './apis/validate-grant.js';
export type { ValidateGrantOptions } from './apis/validate-grant.js';
export {
  CONNECTION_STRATEGIES,
  connectionCategory,
  isConnectionStrategy,
} from './connections/strategies.js';
export type { ConnectionCategory, ConnectionStrategy } from './connections/strategies.js';
export type {
  Connection,
  ConnectionInput,
  ConnectionJson,
  ConnectionPatch,
  ConnectionSettings,
} from './connections/connection.js';
export { CONNECTION_LIMITS, validateConnectionInput } from './connections/validate-connection.js';
export type { ValidateConnectionOptions } from './connections/validate-connection.js';
export { Tenant } from './tenant.js';
export type { VerifiedAccessToken } from './tenant.js';
export type {
  DynamicRegistrationOptions,
  GeneratedSigningKeys,
  TenantOptions,
} from './tenant/options.js';
export type { SecretsKey, SecretsKeyEntry } from './tenant/secrets-key.js';
export type {
  AccessTokenRequest,
  ClientAuthenticationRequest,
  GrantedApi,
} from './tenant/tokens.js';
export type { AccessTokenResponse } from './tokens/access-token.js';
export type { AccessTokenProfile } from './tokens/access-token-profile.js';
export type { IdTokenInputClaims } from './tokens/id-token.js';
export { ClientRegistry } from './tenant/clients.js';
export type { ClientList, ClientListQuery, RotateSecretOptions } from './tenant/clients.js';
export { AuthorizationService } from './tenant/authorization.js';
export type {
  AuthorizationRequestCheck,
  Caller,
  CodeExchangeRequest,
  CodeInput,
  FrontChannelInput,
  FrontChannelTokens,
  IntrospectionResponse,
  RefreshRequest,
  TokenSet,
} from './tenant/authorization.js';
export { OIDC_SCOPE_CLAIMS } from './tokens/oidc-claims.js';

// --- sessions (src/sessions/, wired in src/tenant/sessions.ts) ---
export { SessionService } from './tenant/sessions.js';
export type {
  ActiveSession,
  EndedSession,
  SessionCaller,
  SessionEnd,
  SessionLogin,
  StartedSession,
} from './tenant/sessions.js';
export { DEFAULT_SESSION_LIFETIMES } from './sessions/lifetimes.js';
export type { SessionLifetimes, SessionOptions } from './sessions/lifetimes.js';
export type { LoginReason } from './sessions/login-decision.js';
export { BackchannelLogout } from './backchannel-logout/index.js';
export type { BackchannelLogoutOptions } from './backchannel-logout/index.js';
export { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TYP } from './backchannel-logout/logout-token.js';

// --- cli (src/cli/) ---
export { checkTenantFiles } from './cli/check-files.js';
export type { CheckTenantFilesOptions, TenantCheckResult } from './cli/check-files.js';
export type { ClientReport, ExportReport, LocatedFinding } from './cli/types.js';
export type { CheckFinding, CheckSeverity, CheckSummary, LoadFailure } from './cli/types.js';
export { replaceKeywords } from './cli/keywords.js';
export type { KeywordMappings } from './cli/keywords.js';

// --- diff (src/diff/) ---
export { diffTenants } from './diff/diff-tenants.js';
export type { DiffTenantsOptions } from './diff/diff-tenants.js';
export type { TenantInput } from './diff/sources.js';
export type { TenantFormat } from './cli/types.js';
export { DIFF_OBJECT_TYPES } from './diff/types.js';
export type {
  ChangeKind,
  ChangeLocation,
  ChangeSeverity,
  DiffObject,
  DiffObjectType,
  DiffSide,
  DiffSummary,
  TenantChange,
  TenantDiff,
} from './diff/types.js';
export { readManagementApiTenant } from './diff/management-api.js';
export type { ManagementApiOptions, ManagementApiTenant } from './diff/management-api.js';

// --- Client ID Metadata Documents (src/cimd/) ---
export { ClientMetadataDocumentError, InvalidTargetError } from './errors.js';
export type { ClientMetadataDocumentErrorCode } from './errors.js';
export { checkClientIdUrl, looksLikeClientIdUrl } from './cimd/client-id-url.js';
export type { ClientIdUrlCheck } from './cimd/client-id-url.js';
export { fetchClientMetadataDocument } from './cimd/fetch.js';
export type { FetchDocumentOptions, FetchedDocument, ResolvedAddress } from './cimd/fetch.js';
export { validateClientMetadataDocument } from './cimd/validate.js';
export type {
  ClientMetadataDocumentValidation,
  ValidatedClientMetadataDocument,
} from './cimd/validate.js';
export { loadClientMetadataDocument } from './cimd/load.js';
export type { LoadedClientMetadataDocument } from './cimd/load.js';
export { specialAddressKind } from './cimd/address.js';
export type { SpecialAddressKind } from './cimd/address.js';
export { CimdService } from './tenant/cimd.js';
export type {
  CimdIndexRecord,
  CimdPreview,
  CimdRegistration,
  CimdValidationResult,
} from './tenant/cimd.js';
export type { CimdCreatedBy, CimdMappedClientFields } from './cimd/map-client.js';
export type { ClientIdMetadataDocumentsOptions } from './cimd/options.js';
export { ClientHygiene } from './tenant/client-hygiene.js';
export type { ClientUsageRecord, SweepResult } from './tenant/client-hygiene.js';

// --- DPoP, PAR, JAR (src/dpop/, src/par/, src/jar/) ---
export {
  InvalidDpopProofError,
  InvalidRequestObjectError,
  InvalidRequestUriError,
  UseDpopNonceError,
} from './errors.js';
export type { DpopProofFailureReason, RequestObjectFailureReason } from './errors.js';
export { DpopService } from './tenant/dpop.js';
export type { AcceptedProof, DpopPresentation } from './tenant/dpop.js';
export type { DpopOptions } from './dpop/options.js';
export { PROOF_ALGORITHM_NAMES } from './dpop/algorithms.js';
export type { DpopAccessTokenResponse } from './tokens/access-token.js';
export type { PushedAuthorizationRequestOptions } from './par/options.js';
export { PushedAuthorizationRequests } from './tenant/pushed-requests.js';
export type { PushedRequest, PushedRequestUri } from './tenant/pushed-requests.js';
export { RequestObjects } from './tenant/request-objects.js';
export type { VerifiedRequestObject } from './jar/request-object.js';
export { REQUEST_OBJECT_ALGORITHMS } from './jar/request-object.js';
export { COMPLIANCE_LEVELS } from './client/compliance-levels.js';
export type { ComplianceLevel, ComplianceRules } from './client/compliance-levels.js';
