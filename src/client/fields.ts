/**
 * The client field table: every top-level field of an Auth0 client object that
 * validation accepts, with its role and its type (and enum, where the Management API has
 * one). The JSON Schema in `schema.ts` is built from it, so a field is added, retyped or
 * retired here and nowhere else.
 *
 * The reference is Auth0's Management API v2 as its SDK declares it (`Client`,
 * `CreateClientRequestContent`, `UpdateClientRequestContent` in the `auth0` package).
 * `test/client/sdk-fields.test.ts` compares this table with the SDK's field names
 * (`test/fixtures/auth0-sdk-fields.json`, written by `scripts/auth0-sdk-fields.js`), so a
 * field Auth0 adds later fails a test. See docs/client-settings.md.
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-clients
 */
import type { SchemaObject } from 'ajv';
import { APP_TYPE_VALUES, GRANT_TYPE_VALUES } from './app-types.js';
import { CLIENT_ENUMS, LIMITS } from './field-values.js';
import { CLIENT_OBJECT_FIELDS, type ObjectField } from './object-fields.js';
import type { ClientInput } from './settings.js';

/**
 * What validation does with a field: `setting` fields are interpreted by the library;
 * `pass-through` fields are type-checked and kept unchanged; `read-only` fields describe
 * the exporting tenant's copy and are accepted, then dropped from the value; `alias` is a
 * deprecated name mapped to its current one.
 */
export type FieldRole = 'setting' | 'pass-through' | 'read-only' | 'alias';

/** One row of {@link CLIENT_FIELDS}. */
export interface FieldSpec {
  /** What validation does with the field. */
  readonly role: FieldRole;
  /** The JSON Schema of a non-null value (`null` is handled before the schema runs). */
  readonly schema: SchemaObject;
}

export { ADDON_NAMES, CLIENT_ENUMS, JWT_ALGORITHMS, LIMITS } from './field-values.js';

const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;
const integer = { type: 'integer' } as const;
/** An object-valued field: its row of the object table (`object-fields.ts`). */
const object = (field: ObjectField): SchemaObject => CLIENT_OBJECT_FIELDS[field];
const strings = { type: 'array', items: string } as const;
const urlList = { type: 'array', maxItems: LIMITS.urlListEntries, items: string } as const;
const oneOf = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: values });
const setting = (schema: SchemaObject): FieldSpec => ({ role: 'setting', schema });
const pass = (schema: SchemaObject): FieldSpec => ({ role: 'pass-through', schema });
const readOnly = (schema: SchemaObject = {}): FieldSpec => ({ role: 'read-only', schema });

/**
 * Every accepted top-level field of a client. The type makes the table and
 * {@link ClientInput} name the same fields.
 */
export const CLIENT_FIELDS: { readonly [Field in keyof Required<ClientInput>]: FieldSpec } = {
  // Interpreted settings.
  name: setting({ type: 'string', pattern: '^[^<>]*$' }),
  description: setting({ type: 'string', maxLength: LIMITS.descriptionLength }),
  app_type: setting(oneOf(APP_TYPE_VALUES)),
  callbacks: setting(urlList),
  allowed_logout_urls: setting(urlList),
  allowed_origins: setting(urlList),
  web_origins: setting(urlList),
  token_endpoint_auth_method: setting(oneOf(CLIENT_ENUMS.token_endpoint_auth_method)),
  client_authentication_methods: setting(object('client_authentication_methods')),
  grant_types: setting({ type: 'array', items: oneOf(GRANT_TYPE_VALUES) }),
  jwt_configuration: setting(object('jwt_configuration')),
  sso: setting(boolean),
  sso_disabled: setting(boolean),
  is_first_party: setting(boolean),
  client_metadata: setting({
    type: 'object',
    maxProperties: LIMITS.metadataKeys,
    propertyNames: { maxLength: LIMITS.metadataLength },
    additionalProperties: { type: 'string', maxLength: LIMITS.metadataLength },
  }),
  addons: setting(object('addons')),
  organization_usage: setting(oneOf(CLIENT_ENUMS.organization_usage)),

  // Passed through, type-checked.
  logo_uri: pass(string),
  oidc_conformant: pass(boolean),
  cross_origin_authentication: pass(boolean),
  cross_origin_auth: { role: 'alias', schema: boolean },
  cross_origin_loc: pass(string),
  custom_login_page_on: pass(boolean),
  custom_login_page: pass(string),
  custom_login_page_preview: pass(string),
  form_template: pass(string),
  client_aliases: pass(strings),
  allowed_clients: pass(strings),
  is_token_endpoint_ip_header_trusted: pass(boolean),
  initiate_login_uri: pass(string),
  native_social_login: pass(object('native_social_login')),
  fedcm_login: pass(object('fedcm_login')),
  mobile: pass(object('mobile')),
  refresh_token: pass(object('refresh_token')),
  default_organization: pass(object('default_organization')),
  organization_require_behavior: pass(oneOf(CLIENT_ENUMS.organization_require_behavior)),
  organization_discovery_methods: pass({
    type: 'array',
    items: oneOf(CLIENT_ENUMS.organization_discovery_methods),
  }),
  require_pushed_authorization_requests: pass(boolean),
  require_proof_of_possession: pass(boolean),
  signed_request_object: pass(object('signed_request_object')),
  token_vault_privileged_access: pass(object('token_vault_privileged_access')),
  compliance_level: pass(oneOf(CLIENT_ENUMS.compliance_level)),
  skip_non_verifiable_callback_uri_confirmation_prompt: pass(boolean),
  token_exchange: pass(object('token_exchange')),
  par_request_expiry: pass(integer),
  token_quota: pass(object('token_quota')),
  encryption_key: pass(object('encryption_key')),
  oidc_logout: pass(object('oidc_logout')),
  oidc_backchannel_logout: pass(object('oidc_backchannel_logout')),
  session_transfer: pass(object('session_transfer')),
  resource_server_identifier: pass(string),
  identity_assertion_authorization_grant: pass(object('identity_assertion_authorization_grant')),
  anonymous_sessions: pass(object('anonymous_sessions')),
  third_party_security_mode: pass(oneOf(CLIENT_ENUMS.third_party_security_mode)),
  redirection_policy: pass(oneOf(CLIENT_ENUMS.redirection_policy)),
  express_configuration: pass(object('express_configuration')),
  b2b_integration_configuration: pass(object('b2b_integration_configuration')),
  my_organization_configuration: pass(object('my_organization_configuration')),
  async_approval_notification_channels: pass(strings),
  external_client_id: pass(string),
  external_metadata_type: pass(oneOf(CLIENT_ENUMS.external_metadata_type)),
  external_metadata_created_by: pass(oneOf(CLIENT_ENUMS.external_metadata_created_by)),
  jwks_uri: pass(string),

  // Read-only fields of the exporting tenant's copy: accepted whatever they hold, dropped.
  client_id: readOnly(),
  client_secret: readOnly(),
  tenant: readOnly(),
  global: readOnly(),
  callback_url_template: readOnly(),
  signing_keys: readOnly(),
  owners: readOnly(),
  encrypted: readOnly(),
  config_route: readOnly(),
  created_at: readOnly(),
  updated_at: readOnly(),
};

/** Every field name of {@link CLIENT_FIELDS}. */
export const CLIENT_FIELD_NAMES: readonly string[] = Object.freeze(Object.keys(CLIENT_FIELDS));

/** The fields whose role is `read-only`, dropped from the value. */
export const READ_ONLY_FIELDS: ReadonlySet<string> = new Set(
  CLIENT_FIELD_NAMES.filter((name) => fieldSpec(name)?.role === 'read-only'),
);

/** The row of a field, or `undefined` for a field the table does not know. */
export function fieldSpec(name: string): FieldSpec | undefined {
  return Object.hasOwn(CLIENT_FIELDS, name)
    ? (CLIENT_FIELDS as Record<string, FieldSpec>)[name]
    : undefined;
}
