/**
 * The JSON Schema of client settings, compiled once at module load, with the limits and
 * value lists it is built from. `schema-issues.ts` turns its errors into issues.
 *
 * The schema checks shapes and limits. What it cannot express (per-app-type rules, URL
 * entry grammar, names that are blank after trimming) lives in `rules.ts` and
 * `validate.ts`.
 *
 * @see https://ajv.js.org/options.html
 */
import { Ajv, type SchemaObject } from 'ajv';
import { APP_TYPE_VALUES, GRANT_TYPE_VALUES } from './app-types.js';
import type { AddonName, JwtAlgorithm } from './settings.js';
import { READ_ONLY_FIELDS } from './settings.js';

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

/** Accepted `jwt_configuration.alg` values. */
export const JWT_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'HS256', 'PS256', 'RS512'];

/** Accepted keys of `addons`. */
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

const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;
const object = { type: 'object' } as const;
const nullableObject = { type: ['object', 'null'] } as const;
const stringArray = { type: 'array', items: string } as const;
const urlList = { type: 'array', maxItems: LIMITS.urlListEntries, items: string } as const;
/** An object whose listed members are type-checked and whose other members pass through. */
const open = (properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'object',
  properties,
});

/** The settings schema (shapes and limits only; see the module comment). */
export const CLIENT_SETTINGS_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Interpreted settings.
    name: { type: 'string', pattern: '^[^<>]*$' },
    description: { type: 'string', maxLength: LIMITS.descriptionLength },
    app_type: { type: 'string', enum: APP_TYPE_VALUES },
    callbacks: urlList,
    allowed_logout_urls: urlList,
    allowed_origins: urlList,
    web_origins: urlList,
    token_endpoint_auth_method: {
      type: 'string',
      enum: ['none', 'client_secret_post', 'client_secret_basic'],
    },
    grant_types: { type: 'array', items: { type: 'string', enum: GRANT_TYPE_VALUES } },
    jwt_configuration: {
      type: 'object',
      additionalProperties: false,
      properties: {
        lifetime_in_seconds: {
          type: 'integer',
          minimum: LIMITS.lifetimeMin,
          maximum: LIMITS.lifetimeMax,
        },
        alg: { type: 'string', enum: JWT_ALGORITHMS },
        secret_encoded: boolean,
        scopes: object,
      },
    },
    sso: boolean,
    sso_disabled: boolean,
    is_first_party: boolean,
    client_metadata: {
      type: 'object',
      maxProperties: LIMITS.metadataKeys,
      propertyNames: { maxLength: LIMITS.metadataLength },
      additionalProperties: { type: 'string', maxLength: LIMITS.metadataLength },
    },
    addons: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(ADDON_NAMES.map((name) => [name, object])),
    },

    // Pass-through Auth0 fields (DESIGN.md's list).
    oidc_conformant: boolean,
    cross_origin_authentication: boolean,
    cross_origin_auth: boolean,
    cross_origin_loc: string,
    custom_login_page_on: boolean,
    custom_login_page: string,
    custom_login_page_preview: string,
    form_template: string,
    client_aliases: stringArray,
    allowed_clients: stringArray,
    native_social_login: open({
      apple: open({ enabled: boolean }),
      facebook: open({ enabled: boolean }),
      google: open({ enabled: boolean }),
    }),
    refresh_token: {
      type: ['object', 'null'],
      properties: {
        rotation_type: { type: 'string', enum: ['rotating', 'non-rotating'] },
        expiration_type: { type: 'string', enum: ['expiring', 'non-expiring'] },
        leeway: { type: 'integer' },
        token_lifetime: { type: 'integer' },
        infinite_token_lifetime: boolean,
        idle_token_lifetime: { type: 'integer' },
        infinite_idle_token_lifetime: boolean,
        policies: { type: ['array', 'null'] },
      },
    },
    logo_uri: string,
    initiate_login_uri: string,
    organization_usage: { type: 'string', enum: ['deny', 'allow', 'require'] },
    organization_require_behavior: {
      type: 'string',
      enum: ['no_prompt', 'pre_login_prompt', 'post_login_prompt'],
    },
    mobile: open({
      android: open({ app_package_name: string, sha256_cert_fingerprints: stringArray }),
      ios: open({ team_id: string, app_bundle_identifier: string }),
    }),
    is_token_endpoint_ip_header_trusted: boolean,
    skip_non_verifiable_callback_uri_confirmation_prompt: { type: ['boolean', 'null'] },
    compliance_level: { type: ['string', 'null'] },
    require_pushed_authorization_requests: boolean,
    encryption_key: {
      type: ['object', 'null'],
      properties: { pub: string, cert: string, subject: string },
    },

    // Newer Auth0 fields seen in Management API responses, passed through.
    oidc_logout: nullableObject,
    oidc_backchannel_logout: nullableObject,
    session_transfer: nullableObject,
    default_organization: nullableObject,
    organization_discovery_methods: { type: ['array', 'null'], items: string },
    client_authentication_methods: nullableObject,
    require_proof_of_possession: boolean,
    signed_request_object: nullableObject,
    token_exchange: nullableObject,
    par_request_expiry: { type: ['integer', 'null'] },
    token_quota: nullableObject,
    express_configuration: nullableObject,
    async_approval_notification_channels: { type: ['array', 'null'], items: string },

    // Read-only export fields: accepted whatever they hold, dropped from the value.
    ...Object.fromEntries([...READ_ONLY_FIELDS].map((field) => [field, {}])),
  },
};

/** Top-level fields the schema knows (for "did you mean" hints). */
export const KNOWN_FIELDS: readonly string[] = Object.keys(
  CLIENT_SETTINGS_SCHEMA['properties'] as object,
);

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });

/**
 * The compiled schema validator. Exposed for the benchmark's "schema only" baseline.
 *
 * @internal
 */
export const validateSchema = ajv.compile(CLIENT_SETTINGS_SCHEMA);
