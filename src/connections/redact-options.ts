/**
 * Connection `options` hold the credentials a tenant uses with its identity providers (a
 * social app's `client_secret`, Twilio's `twilio_token`, a SAML `signing_key`, the
 * `configuration` values of custom database scripts). A returned connection keeps them
 * readable, but every printed or serialised form goes through {@link redactOptions}.
 */
import { setOwn } from '../lib/set-own.js';
import type { JsonObject } from '../client/settings.js';
import { REDACTED, isSecretKey, redactDetails } from '../lib/redact.js';

/**
 * Option keys whose whole value is a secret, at any depth, beyond the audit trail's
 * secret-looking names (`*_secret`, `*_token`, `password`, …): Auth0 keeps custom database
 * script secrets in `configuration` and SAML key pairs in `signing_key`/`decryptionKey`.
 */
const SECRET_OPTION_KEYS: ReadonlySet<string> = new Set([
  'configuration',
  'signing_key',
  'signingKey',
  'decryption_key',
  'decryptionKey',
]);

/**
 * Whether the values of an option key are secrets: a connection-specific key above, or
 * a secret-looking name by the audit trail's rules (`client_secret`, `twilio_token`, …).
 *
 * @internal
 */
export function isSecretOptionKey(key: string): boolean {
  return SECRET_OPTION_KEYS.has(key) || isSecretKey(key);
}

/**
 * A mutable copy of `options` with the values of secret keys replaced by `[redacted]`:
 * first the connection-specific keys above, then the audit trail's rules (secret-looking
 * key names, private JWK members). Never throws.
 *
 * @example
 * ```ts
 * redactOptions({ client_id: 'abc', client_secret: 's3cr3t', scope: ['email'] });
 * // { client_id: 'abc', client_secret: '[redacted]', scope: ['email'] }
 * ```
 * @internal
 */
export function redactOptions(options: Readonly<JsonObject>): JsonObject {
  return structuredClone(redactDetails(maskKnownSecrets(options))) as JsonObject;
}

function maskKnownSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskKnownSecrets);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    setOwn(
      out,
      key,
      SECRET_OPTION_KEYS.has(key) && item !== null && typeof item !== 'boolean'
        ? REDACTED
        : maskKnownSecrets(item),
    );
  }
  return out;
}
