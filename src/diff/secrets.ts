/**
 * Secrets in a diff: compared (a changed secret is a change), never shown. A value is a
 * secret when it sits under a connection's secret option (`configuration`, `signing_key`,
 * … as a whole), when it is a string or number under a secret-looking name
 * (`client_secret`, `signing_secret`, `twilio_token`, …), or when it is a private member
 * of a JWK. Objects under a secret-looking name (a client's `refresh_token` settings) are
 * looked into instead, member by member.
 *
 * A secret that one side does not really state (an export holds a keyword placeholder
 * such as `##GOOGLE_CLIENT_SECRET##` where the Deploy CLI masked it, or `[redacted]` where
 * the Management API hid it) is not compared: it says nothing about the tenant.
 *
 * @module
 */
import type { JsonValue } from '../client/settings.js';
import { isSecretOptionKey } from '../connections/redact-options.js';
import { findKeywordMarkers } from '../cli/keywords.js';
import { JWK_PRIVATE_MEMBERS } from '../lib/jwk-private-members.js';
import { REDACTED, isSecretKey } from '../lib/redact.js';

/** A key whose whole value is a secret, whatever its type (a connection's `configuration`). */
function isWholeSecret(key: string): boolean {
  return isSecretOptionKey(key) && !isSecretKey(key);
}

/**
 * Whether the value at `tokens` is a secret. `parent` is the object that holds it (for
 * the JWK rule).
 */
export function isSecretAt(
  tokens: readonly (string | number)[],
  value: JsonValue | undefined,
  parent?: JsonValue,
): boolean {
  if (tokens.some((token) => typeof token === 'string' && isWholeSecret(token))) return true;
  const last = tokens[tokens.length - 1];
  if (typeof last !== 'string') return false;
  const primitive = typeof value === 'string' || typeof value === 'number';
  if (primitive && isSecretKey(last)) return true;
  return primitive && JWK_PRIVATE_MEMBERS.has(last) && isJwk(parent);
}

/** True for a secret value that only stands for one: a keyword placeholder or `[redacted]`. */
export function isPlaceholder(value: JsonValue | undefined): boolean {
  return typeof value === 'string' && (value === REDACTED || findKeywordMarkers(value).length > 0);
}

/** `value` (found at `tokens`) with every secret in it replaced by `[redacted]`. */
export function masked(
  tokens: readonly (string | number)[],
  value: JsonValue,
  parent?: JsonValue,
): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (isSecretAt(tokens, value, parent)) return REDACTED;
  if (Array.isArray(value))
    return value.map((item, index) => masked([...tokens, index], item, value));
  if (typeof value !== 'object') return value;
  const copy: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(copy, key, {
      value: masked([...tokens, key], item, value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function isJwk(value: JsonValue | undefined): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value['kty'] === 'string'
  );
}
