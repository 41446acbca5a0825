/**
 * The reader of the `jwks` registration field: a JWK Set of public keys, within the
 * field's limits, copied as plain JSON. Private and symmetric key material is refused.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
import type { JsonObject } from '../client/settings.js';
import { privateJwkMember } from '../lib/jwk-private-members.js';
import type { MetadataFieldSpec, RegistrationJwks } from './metadata.js';
import type { ProblemLog } from './problems.js';

/** `jwks`: a JWK Set of public keys within the field's limits. */
export function readJwks(
  field: string,
  value: unknown,
  spec: MetadataFieldSpec,
  log: ProblemLog,
): RegistrationJwks | undefined {
  if (!isPlainJsonObject(value))
    return log.wrongType(field, value, 'a JWK Set object ({ "keys": [...] })');
  const keys = value.keys;
  const maxKeys = spec.maxItems ?? 20;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > maxKeys) {
    return log.fail(field, `${field}.keys must be an array of 1 to ${maxKeys} JWKs`);
  }
  if (JSON.stringify(value).length > (spec.maxLength ?? 65_536)) {
    return log.fail(
      field,
      `${field} must be at most ${spec.maxLength ?? 65_536} characters as JSON`,
    );
  }
  const copies: JsonObject[] = [];
  for (const [index, key] of keys.entries()) {
    if (!isPlainJsonObject(key) || typeof key.kty !== 'string' || key.kty === '') {
      return log.fail(field, `${field}.keys/${index} must be a JWK object with a "kty" member`);
    }
    const secret = privateJwkMember(key);
    if (secret !== undefined) {
      return log.fail(
        field,
        `${field}.keys/${index} must be a public key: remove the private member "${secret}"`,
      );
    }
    copies.push(key as JsonObject);
  }
  return { keys: copies };
}

/** A non-null, non-array object. */
function isPlainJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
