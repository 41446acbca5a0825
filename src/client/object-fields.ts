/**
 * The object table: every object-valued client field with the members Auth0 requires
 * together and whether Auth0 refuses members it does not declare. Auth0 validates a
 * request body against its own schema ("Payload validation error: 'Missing required
 * property: expiration_type' on property refresh_token", "'Additional properties not
 * allowed: …'"); a PATCH replaces these objects whole (except `jwt_configuration`, whose
 * members merge), so a patch must give the required members too.
 *
 * The reference is the `auth0` SDK, generated from Auth0's API definition: a member is
 * required where the SDK declares it so, and extra members are refused where the SDK's
 * interface has no `[key: string]: any` (`additionalProperties: false`). The shapes are
 * merged over `Client`, `CreateClientRequestContent` and `UpdateClientRequestContent`
 * (members of any, required by all, open when any is), so an export and a request both
 * fit. `test/client/object-fields.test.ts` compares this table with the SDK's shapes
 * (`clientObjects` in test/fixtures/auth0-sdk-fields.json) and names each place where it
 * departs from them, with the reason. Nested enum values are not checked (the SDK's can
 * lag what Auth0 accepts: `session_transfer.delegation.enforce_device_binding`). See
 * docs/client-settings.md, "What Auth0 refuses".
 *
 * @see https://auth0.com/docs/api/management/v2/clients/post-clients
 */
import type { SchemaObject } from 'ajv';
import { CLIENT_ENUMS, JWT_ALGORITHMS, LIMITS } from './field-values.js';
import {
  boolean,
  closed,
  integer,
  listOf,
  nullOr,
  number,
  oneOf,
  open,
  string,
} from './object-rule.js';

export { objectRuleOf, type ObjectRule } from './object-rule.js';

/**
 * A credential of `client_authentication_methods`, `signed_request_object` or
 * `token_vault_privileged_access`: by id (updates, exports), by name (the Deploy CLI's
 * files), or a new key or certificate (create). One shape for all, the members of every
 * SDK variant plus `thumbprint_sha256` (Auth0's certificate credentials).
 */
const credential = closed({
  alg: string,
  credential_type: string,
  expires_at: string,
  id: string,
  kid: string,
  name: string,
  parse_expiry_from_cert: boolean,
  pem: string,
  subject_dn: string,
  thumbprint_sha256: string,
});

/** The credentials of one client authentication method. */
const credentialList = closed({ credentials: listOf(credential) }, ['credentials']);

/** OIDC logout settings: `oidc_logout`, and `oidc_backchannel_logout`, its older name. */
const oidcLogout = open({
  backchannel_logout_initiators: open({
    mode: string,
    selected_initiators: listOf(string),
  }),
  backchannel_logout_session_metadata: open({
    include: boolean,
  }),
  backchannel_logout_urls: listOf(string),
});

/**
 * Every object-valued client field Auth0 defines (besides `client_metadata`, a map of
 * strings with its own limits in `fields.ts`), as the JSON Schema its row in `fields.ts`
 * uses. Departures from the SDK are commented where they are.
 */
export const CLIENT_OBJECT_FIELDS = {
  addons: closed({
    aws: open({
      lifetime_in_seconds: number,
      principal: string,
      role: string,
    }),
    azure_blob: open({
      accountName: string,
      blobName: string,
      blob_delete: boolean,
      blob_read: boolean,
      blob_write: boolean,
      containerName: string,
      container_delete: boolean,
      container_list: boolean,
      container_read: boolean,
      container_write: boolean,
      expiration: number,
      signedIdentifier: string,
      storageAccessKey: string,
    }),
    azure_sb: open({
      entityPath: string,
      expiration: number,
      namespace: string,
      sasKey: string,
      sasKeyName: string,
    }),
    box: open({}),
    cloudbees: open({}),
    concur: open({}),
    dropbox: open({}),
    echosign: open({
      domain: string,
    }),
    egnyte: open({
      domain: string,
    }),
    firebase: open({
      client_email: string,
      lifetime_in_seconds: number,
      private_key: string,
      private_key_id: string,
      secret: string,
    }),
    layer: open(
      {
        expiration: number,
        keyId: string,
        principal: string,
        privateKey: string,
        providerId: string,
      },
      ['keyId', 'privateKey', 'providerId'],
    ),
    mscrm: open(
      {
        url: string,
      },
      ['url'],
    ),
    newrelic: open({
      account: string,
    }),
    oag: closed({}),
    office365: open({
      connection: string,
      domain: string,
    }),
    rms: open(
      {
        url: string,
      },
      ['url'],
    ),
    salesforce: open({
      entity_id: string,
    }),
    salesforce_api: open({
      clientid: string,
      communityName: string,
      community_url_section: string,
      principal: string,
    }),
    salesforce_sandbox_api: open({
      clientid: string,
      communityName: string,
      community_url_section: string,
      principal: string,
    }),
    samlp: open({
      audience: string,
      authnContextClassRef: string,
      createUpnClaim: boolean,
      destination: string,
      digestAlgorithm: string,
      issuer: string,
      lifetimeInSeconds: number,
      mapIdentities: boolean,
      mapUnknownClaimsAsIs: boolean,
      mappings: open({}),
      nameIdentifierFormat: string,
      nameIdentifierProbes: listOf(string),
      passthroughClaimsWithNoMapping: boolean,
      recipient: string,
      signResponse: boolean,
      signatureAlgorithm: string,
    }),
    sap_api: open({
      clientid: string,
      nameIdentifierFormat: string,
      scope: string,
      servicePassword: string,
      tokenEndpointUrl: string,
      usernameAttribute: string,
    }),
    sentry: open({
      base_url: string,
      org_slug: string,
    }),
    sharepoint: open({
      external_url: {},
      url: string,
    }),
    slack: open(
      {
        team: string,
      },
      ['team'],
    ),
    springcm: open({
      acsurl: string,
    }),
    sso_integration: open({
      name: string,
      version: string,
    }),
    wams: open({
      masterkey: string,
    }),
    wsfed: open({}),
    zendesk: open({
      accountName: string,
    }),
    zoom: open({
      account: string,
    }),
  }),
  anonymous_sessions: closed(
    {
      active: boolean,
    },
    ['active'],
  ),
  b2b_integration_configuration: closed({
    integration_type: string,
    sso_profiles: listOf(string),
  }),
  client_authentication_methods: closed({
    private_key_jwt: credentialList,
    self_signed_tls_client_auth: credentialList,
    tls_client_auth: credentialList,
  }),
  default_organization: closed(
    {
      flows: listOf(string),
      organization_id: string,
    },
    ['flows', 'organization_id'],
  ),
  encryption_key: open({
    cert: string,
    pub: string,
    subject: string,
  }),
  express_configuration: closed(
    {
      admin_login_domain: string,
      connection_profile_id: string,
      enable_client: boolean,
      enable_organization: boolean,
      initiate_login_uri_template: string,
      linked_clients: listOf(
        closed(
          {
            client_id: string,
          },
          ['client_id'],
        ),
      ),
      oin_submission_id: string,
      okta_oin_client_id: string,
      user_attribute_profile_id: string,
    },
    [
      'admin_login_domain',
      'connection_profile_id',
      'enable_client',
      'enable_organization',
      'initiate_login_uri_template',
      'okta_oin_client_id',
      'user_attribute_profile_id',
    ],
  ),
  fedcm_login: closed({
    google: closed({
      is_enabled: boolean,
    }),
  }),
  identity_assertion_authorization_grant: closed(
    {
      active: boolean,
    },
    ['active'],
  ),
  // The SDK marks it open; Auth0 refuses a misspelt member (lifetime_in_second) and no
  // accepted export holds another member (the Terraform provider's block has these four).
  jwt_configuration: closed({
    alg: oneOf(JWT_ALGORITHMS),
    lifetime_in_seconds: {
      type: 'integer',
      minimum: LIMITS.lifetimeMin,
      maximum: LIMITS.lifetimeMax,
    },
    scopes: open({}),
    secret_encoded: boolean,
  }),
  mobile: open({
    android: open({
      app_package_name: string,
      sha256_cert_fingerprints: listOf(string),
    }),
    ios: open({
      app_bundle_identifier: string,
      team_id: string,
    }),
  }),
  my_organization_configuration: closed(
    {
      allowed_strategies: listOf(string),
      connection_deletion_behavior: string,
      connection_profile_id: string,
      invitation_landing_client_id: string,
      third_party_client_access: closed(
        {
          allowed_values: listOf(string),
          default_value: string,
        },
        ['allowed_values', 'default_value'],
      ),
      user_attribute_profile_id: string,
    },
    ['allowed_strategies', 'connection_deletion_behavior'],
  ),
  native_social_login: closed({
    apple: closed({
      enabled: boolean,
    }),
    facebook: closed({
      enabled: boolean,
    }),
    google: closed({
      enabled: boolean,
    }),
  }),
  oidc_backchannel_logout: oidcLogout,
  oidc_logout: oidcLogout,
  refresh_token: closed(
    {
      expiration_type: oneOf(CLIENT_ENUMS.refresh_token_expiration_type),
      idle_token_lifetime: integer,
      infinite_idle_token_lifetime: boolean,
      infinite_token_lifetime: boolean,
      leeway: integer,
      policies: nullOr(
        listOf(
          closed(
            {
              audience: string,
              scope: listOf(string),
            },
            ['audience', 'scope'],
          ),
        ),
      ),
      rotation_type: oneOf(CLIENT_ENUMS.refresh_token_rotation_type),
      token_lifetime: integer,
    },
    ['expiration_type', 'rotation_type'],
  ),
  // The SDK marks it closed; the Deploy CLI's schema passes other members through
  // (additionalProperties: true), so this table does too. Its delegation stays closed.
  session_transfer: open({
    allow_refresh_token: boolean,
    allowed_authentication_methods: listOf(string),
    can_create_session_transfer_token: boolean,
    delegation: closed({
      allow_delegated_access: boolean,
      enforce_device_binding: string,
    }),
    enforce_cascade_revocation: boolean,
    enforce_device_binding: string,
    enforce_online_refresh_tokens: boolean,
  }),
  signed_request_object: closed({
    credentials: listOf(credential),
    required: boolean,
  }),
  token_exchange: closed({
    allow_any_profile_of_type: listOf(string),
  }),
  token_quota: closed(
    {
      client_credentials: closed({
        enforce: boolean,
        per_day: number,
        per_hour: number,
      }),
    },
    ['client_credentials'],
  ),
  token_vault_privileged_access: closed(
    {
      credentials: listOf(credential),
      grants: listOf(
        closed(
          {
            connection: string,
            scopes: listOf(string),
          },
          ['connection', 'scopes'],
        ),
      ),
      ip_allowlist: listOf(string),
    },
    ['credentials'],
  ),
} as const satisfies Record<string, SchemaObject>;

/** A field of {@link CLIENT_OBJECT_FIELDS}. */
export type ObjectField = keyof typeof CLIENT_OBJECT_FIELDS;
