/**
 * The JSON Schema of client settings, built from the field table (`fields.ts`) and
 * compiled once at module load. `schema-issues.ts` turns its errors into issues.
 *
 * The schema checks shapes, enums and limits. What it cannot express (URL entry grammar,
 * names that are blank after trimming, `null` meaning "remove") lives in `validate.ts`;
 * what makes a client broken rather than invalid (a spa with a secret) is lint's.
 *
 * @see https://ajv.js.org/options.html
 */
import { Ajv, type SchemaObject } from 'ajv';
import { CLIENT_FIELD_NAMES, fieldSpec } from './fields.js';

export { ADDON_NAMES, JWT_ALGORITHMS, LIMITS } from './fields.js';

/** The settings schema (shapes, enums and limits; see the module comment). */
export const CLIENT_SETTINGS_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    CLIENT_FIELD_NAMES.map((name) => [name, fieldSpec(name)?.schema ?? {}]),
  ),
};

/** Top-level fields the schema knows (for "did you mean" hints). */
export const KNOWN_FIELDS: readonly string[] = CLIENT_FIELD_NAMES;

const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });

/**
 * The compiled schema validator. Exposed for the benchmark's "schema only" baseline.
 *
 * @internal
 */
export const validateSchema = ajv.compile(CLIENT_SETTINGS_SCHEMA);
