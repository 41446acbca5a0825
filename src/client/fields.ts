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
import type { AddonName, ClientInput, JwtAlgorithm } from './settings.js';

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

/** The limits DESIGN.md sets, in one place. */
export const LIMITS = {
  /** `name`, after trimming. */
  nameLength: 255,
  /** `description`. */
  descriptionLength: 140,
  /** Entries of each URL list. */
  urlListEntries: 100,
  /** Keys of `client_metadata`. */
  metadataKeys: 10,
  /** Length of a `client_metadata` key and of a value. */
  metadataLength: 255,
  /** `jwt_configuration.lifetime_in_seconds` bounds (30 days at most). */
  lifetimeMin: 1,
  /** Upper bound of `jwt_configuration.lifetime_in_seconds`. */
  lifetimeMax: 2_592_000,
  /** Default id_token lifetime: 10 hours. */
  lifetimeDefault: 36_000,
} as const;

/** Accepted `jwt_configuration.alg` values (the SDK's `SigningAlgorithmEnum`). */
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'HS256', 'PS256', 'RS512'];

/** Accepted keys of `addons` (the SDK's `ClientAddons`). */
export const ADDON_NAMES: readonly AddonName[] = [
  'aws',
  'azure_blob',
  'azure_sb',
  'rms',
  'mscrm',
  'slack',
  'sentry',
  'box',
  'cloudbees',
  'concur',
  'dropbox',
  'echosign',
  'egnyte',
  'firebase',
  'newrelic',
  'office365',
  'salesforce',
  'salesforce_api',
  'salesforce_sandbox_api',
  'samlp',
  'layer',
  'sap_api',
  'sharepoint',
  'springcm',
  'wams',
  'wsfed',
  'zendesk',
  'zoom',
  'sso_integration',
  'oag',
];

/** The enums of the Management API's client fields (the SDK's `Client…Enum` types). */
export const CLIENT_ENUMS = {
  token_endpoint_auth_method: ['none', 'client_secret_post', 'client_secret_basic'],
  compliance_level: [
    'none',
    'fapi1_adv_pkj_par',
    'fapi1_adv_mtls_par',
    'fapi2_sp_pkj_mtls',
    'fapi2_sp_mtls_mtls',
  ],
  organization_usage: ['deny', 'allow', 'require'],
  organization_require_behavior: ['no_prompt', 'pre_login_prompt', 'post_login_prompt'],
  organization_discovery_methods: ['email', 'organization_name'],
  third_party_security_mode: ['strict', 'permissive'],
  redirection_policy: ['allow_always', 'open_redirect_protection'],
  external_metadata_type: ['cimd', 'dcr'],
  external_metadata_created_by: ['admin', 'client'],
  refresh_token_rotation_type: ['rotating', 'non-rotating'],
  refresh_token_expiration_type: ['expiring', 'non-expiring'],
} as const;

const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;
const integer = { type: 'integer' } as const;
/** An object whose members are not checked (the SDK's open or deeply nested types). */
const object = { type: 'object' } as const;
const strings = { type: 'array', items: string } as const;
const urlList = { type: 'array', maxItems: LIMITS.urlListEntries, items: string } as const;
const oneOf = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: values });
/** An object whose listed members are type-checked and whose other members pass through. */
const open = (properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'object',
  properties,
});
/** `client_authentication_methods.<method>`: `{ credentials: [...] }` and nothing else. */
const credentialsOf = (item: SchemaObject): SchemaObject => ({
  type: 'object',
  required: ['credentials'],
  additionalProperties: false,
  properties: { credentials: { type: 'array', items: item } },
});
/** A credential by id (updates) or a new one (create: a public key or certificate). */
const credential: SchemaObject = open({
  id: string,
  credential_type: string,
  name: string,
  pem: string,
  alg: string,
  kid: string,
  expires_at: string,
  parse_expiry_from_cert: boolean,
  subject_dn: string,
  thumbprint_sha256: string,
});

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
  client_authentication_methods: setting({
    type: 'object',
    additionalProperties: false,
    properties: {
      private_key_jwt: credentialsOf(credential),
      tls_client_auth: credentialsOf(credential),
      self_signed_tls_client_auth: credentialsOf(credential),
    },
  }),
  grant_types: setting({ type: 'array', items: oneOf(GRANT_TYPE_VALUES) }),
  jwt_configuration: setting(
    open({
      lifetime_in_seconds: {
        type: 'integer',
        minimum: LIMITS.lifetimeMin,
        maximum: LIMITS.lifetimeMax,
      },
      alg: oneOf(JWT_ALGORITHMS),
      secret_encoded: boolean,
      scopes: object,
    }),
  ),
  sso: setting(boolean),
  sso_disabled: setting(boolean),
  is_first_party: setting(boolean),
  client_metadata: setting({
    type: 'object',
    maxProperties: LIMITS.metadataKeys,
    propertyNames: { maxLength: LIMITS.metadataLength },
    additionalProperties: { type: 'string', maxLength: LIMITS.metadataLength },
  }),
  addons: setting({
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(ADDON_NAMES.map((name) => [name, object])),
  }),
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
  native_social_login: pass(
    open({
      apple: open({ enabled: boolean }),
      facebook: open({ enabled: boolean }),
      google: open({ enabled: boolean }),
    }),
  ),
  fedcm_login: pass(open({ google: object })),
  mobile: pass(
    open({
      android: open({ app_package_name: string, sha256_cert_fingerprints: strings }),
      ios: open({ team_id: string, app_bundle_identifier: string }),
    }),
  ),
  refresh_token: pass(
    open({
      rotation_type: oneOf(CLIENT_ENUMS.refresh_token_rotation_type),
      expiration_type: oneOf(CLIENT_ENUMS.refresh_token_expiration_type),
      leeway: integer,
      token_lifetime: integer,
      infinite_token_lifetime: boolean,
      idle_token_lifetime: integer,
      infinite_idle_token_lifetime: boolean,
      policies: { type: ['array', 'null'] },
    }),
  ),
  default_organization: pass(open({ organization_id: string, flows: strings })),
  organization_require_behavior: pass(oneOf(CLIENT_ENUMS.organization_require_behavior)),
  organization_discovery_methods: pass({
    type: 'array',
    items: oneOf(CLIENT_ENUMS.organization_discovery_methods),
  }),
  require_pushed_authorization_requests: pass(boolean),
  require_proof_of_possession: pass(boolean),
  signed_request_object: pass(open({ required: boolean, credentials: { type: 'array' } })),
  token_vault_privileged_access: pass(open({ credentials: { type: 'array' } })),
  compliance_level: pass(oneOf(CLIENT_ENUMS.compliance_level)),
  skip_non_verifiable_callback_uri_confirmation_prompt: pass(boolean),
  token_exchange: pass(object),
  par_request_expiry: pass(integer),
  token_quota: pass(object),
  encryption_key: pass(open({ pub: string, cert: string, subject: string })),
  oidc_logout: pass(open({ backchannel_logout_urls: strings })),
  oidc_backchannel_logout: pass(open({ backchannel_logout_urls: strings })),
  session_transfer: pass(object),
  resource_server_identifier: pass(string),
  identity_assertion_authorization_grant: pass(object),
  anonymous_sessions: pass(object),
  third_party_security_mode: pass(oneOf(CLIENT_ENUMS.third_party_security_mode)),
  redirection_policy: pass(oneOf(CLIENT_ENUMS.redirection_policy)),
  express_configuration: pass(object),
  b2b_integration_configuration: pass(object),
  my_organization_configuration: pass(object),
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
