/**
 * Registered metadata → client settings (Auth0 field names), and the way back for the
 * rare settings issue: a problem found by `validateClientSettings` is reported at the
 * metadata field it came from.
 *
 * @see https://auth0.com/docs/get-started/applications/dynamic-client-registration
 */
import type { AppType } from '../client/app-types.js';
import type { ClientInput, ClientSettings } from '../client/settings.js';
import type { Issue } from '../errors.js';
import {
  METADATA_FIELDS,
  REGISTRATION_METADATA,
  type MappedSetting,
  type MetadataField,
  type RegistrationMetadata,
} from './metadata.js';
import type { MetadataProblem } from './problems.js';

/**
 * Client settings that registration owns: an update replaces them all (and removes those
 * the new metadata leaves out). Every other setting of the client is left as it is.
 */
export const REGISTRATION_SETTINGS: readonly (keyof ClientSettings)[] = [
  'name',
  'app_type',
  'callbacks',
  'allowed_logout_urls',
  'token_endpoint_auth_method',
  'client_authentication_methods',
  'grant_types',
  'logo_uri',
  'initiate_login_uri',
  'is_first_party',
];

/**
 * The Auth0 `token_endpoint_auth_method` of each registered method. `client_secret_jwt`
 * has none in Auth0: the client gets a secret method, which also accepts HS256 assertions.
 * `private_key_jwt` is Auth0's `client_authentication_methods`, which the tenant fills
 * in with the credentials it creates from `jwks`; the method is then left out.
 */
const SETTINGS_AUTH_METHOD: Readonly<
  Record<
    RegistrationMetadata['token_endpoint_auth_method'],
    ClientSettings['token_endpoint_auth_method'] | undefined
  >
> = {
  none: 'none',
  client_secret_basic: 'client_secret_basic',
  client_secret_post: 'client_secret_post',
  client_secret_jwt: 'client_secret_basic',
  private_key_jwt: undefined,
};

/**
 * Keys of `client_metadata` registration owns: `default_max_age` (decimal seconds) and
 * `require_auth_time` (`'true'`), mirrored there so an authorization server holding only
 * the `Client` can honour them. Auth0's `client_metadata` holds strings only.
 */
export const REGISTRATION_CLIENT_METADATA_KEYS = ['default_max_age', 'require_auth_time'] as const;

/**
 * The Auth0 app type for registered metadata:
 *
 * | metadata | app_type |
 * |---|---|
 * | `application_type: native` | `native` |
 * | `web`, `grant_types` exactly `['client_credentials']` | `non_interactive` |
 * | `web`, `token_endpoint_auth_method: none` | `spa` |
 * | `web`, a secret method | `regular_web` |
 *
 * @param metadata - validated metadata
 * @example
 * ```ts
 * appTypeFor({ ...metadata, application_type: 'web', token_endpoint_auth_method: 'none' }); // 'spa'
 * ```
 */
export function appTypeFor(
  metadata: Pick<
    RegistrationMetadata,
    'application_type' | 'grant_types' | 'token_endpoint_auth_method'
  >,
): AppType {
  if (metadata.application_type === 'native') return 'native';
  if (metadata.grant_types.every((grant) => grant === 'client_credentials')) {
    return 'non_interactive';
  }
  return metadata.token_endpoint_auth_method === 'none' ? 'spa' : 'regular_web';
}

/**
 * The client settings for registered metadata: `redirect_uris` → `callbacks`,
 * `post_logout_redirect_uris` → `allowed_logout_urls`, `client_name` → `name`, `logo_uri`,
 * `token_endpoint_auth_method` and `grant_types` as they are, the app type from
 * {@link appTypeFor}, and `is_first_party: false` (a registered client is a third party).
 * Metadata the settings have no field for stays in the registration record.
 *
 * @param metadata - validated metadata
 * @example
 * ```ts
 * toClientInput(metadata).callbacks; // metadata.redirect_uris
 * ```
 */
export function toClientInput(metadata: RegistrationMetadata): ClientInput {
  const input: ClientInput = {
    name: metadata.client_name,
    app_type: appTypeFor(metadata),
    is_first_party: false,
  };
  for (const field of METADATA_FIELDS) {
    const setting: MappedSetting | undefined = REGISTRATION_METADATA[field].setting;
    const value = metadata[field];
    if (setting === undefined || value === undefined) continue;
    Object.assign(input, { [setting]: Array.isArray(value) ? [...value] : value });
  }
  const method = SETTINGS_AUTH_METHOD[metadata.token_endpoint_auth_method];
  if (method === undefined) delete input.token_endpoint_auth_method;
  else input.token_endpoint_auth_method = method;
  if (metadata.id_token_signed_response_alg !== undefined) {
    input.jwt_configuration = { alg: metadata.id_token_signed_response_alg };
  }
  const mirrored: Record<string, string> = {};
  if (metadata.default_max_age !== undefined) {
    mirrored.default_max_age = String(metadata.default_max_age);
  }
  if (metadata.require_auth_time === true) mirrored.require_auth_time = 'true';
  if (Object.keys(mirrored).length > 0) input.client_metadata = mirrored;
  return input;
}

/**
 * The settings of an RFC 7592 update: `kept` (every setting registration does not own)
 * with the new metadata's settings over it. `jwt_configuration` keeps its other members
 * (an administrator's `lifetime_in_seconds`) and takes only `alg` from the metadata (or
 * loses it, back to the default); `client_metadata` keeps every key but the ones
 * registration owns.
 *
 * @param kept - the client's settings without those registration owns
 * @param input - {@link toClientInput} of the new metadata
 * @example
 * ```ts
 * updatedSettings({ jwt_configuration: { lifetime_in_seconds: 60, alg: 'RS256' } }, toClientInput(metadata));
 * ```
 */
export function updatedSettings(
  kept: Record<string, unknown>,
  input: ClientInput,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...kept, ...input };
  const { alg: _oldAlg, ...jwt } = (kept.jwt_configuration ?? {}) as Record<string, unknown>;
  const alg = input.jwt_configuration?.alg;
  const jwtConfiguration = alg === undefined ? jwt : { ...jwt, alg };
  if (Object.keys(jwtConfiguration).length > 0) merged.jwt_configuration = jwtConfiguration;
  else delete merged.jwt_configuration;
  const owned: ReadonlySet<string> = new Set(REGISTRATION_CLIENT_METADATA_KEYS);
  const metadata: Record<string, unknown> = Object.fromEntries(
    Object.entries((kept.client_metadata ?? {}) as object).filter(([key]) => !owned.has(key)),
  );
  Object.assign(metadata, input.client_metadata);
  if (Object.keys(metadata).length > 0) merged.client_metadata = metadata;
  else delete merged.client_metadata;
  return merged;
}

/**
 * The metadata field a settings issue is about, so the error names what the client sent:
 * `/callbacks/2` → `redirect_uris/2` (`invalid_redirect_uri`), `/name` → `client_name`.
 * Issues about settings registration does not own keep their setting name.
 *
 * @param issues - issues from `validateClientSettings`
 * @example
 * ```ts
 * settingsProblems([{ path: '/callbacks/0', code: 'invalid_url', message: 'callbacks[0] ...' }]);
 * // [{ field: 'redirect_uris/0', error: 'invalid_redirect_uri', message: 'redirect_uris/0: ...' }]
 * ```
 */
export function settingsProblems(issues: readonly Issue[]): MetadataProblem[] {
  return issues.map((issue) => {
    const [, setting = '', ...rest] = issue.path.split('/');
    const field = METADATA_FIELDS.find((name) => REGISTRATION_METADATA[name].setting === setting);
    const name: string = field ?? (setting || 'client settings');
    const where = [name, ...rest].join('/');
    const error: MetadataProblem['error'] =
      field === undefined ? 'invalid_client_metadata' : errorFor(field);
    return { field: where, error, message: `${where}: ${issue.message}` };
  });
}

function errorFor(field: MetadataField): MetadataProblem['error'] {
  return REGISTRATION_METADATA[field].error;
}
