/**
 * The values and limits of client fields: DESIGN.md's limits, and the enums and addon
 * names of the Management API (the `auth0` SDK's declarations). The field table
 * (`fields.ts`) and the object table (`object-fields.ts`) both read them.
 */
import type { AddonName, JwtAlgorithm } from './settings.js';

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
