/**
 * The JSON Schema of client settings, built from the field table (`fields.ts`) and
 * compiled once, on first use (ajv and the compilation cost more than the rest of
 * `import 'clientele'`). `schema-issues.ts` turns its errors into issues.
 *
 * The schema checks shapes, enums and limits. What it cannot express (URL entry grammar,
 * names that are blank after trimming, `null` meaning "remove") lives in `validate.ts`;
 * what makes a client broken rather than invalid (a spa with a secret) is lint's.
 *
 * @see https://ajv.js.org/options.html
 */
import type * as AjvModule from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import { lazyModule } from '../lib/lazy-module.js';
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

const ajv = lazyModule<typeof AjvModule>('ajv');
let compiled: ValidateFunction | undefined;

function compiledSchema(): ValidateFunction {
  if (compiled === undefined) {
    const validator = new (ajv().Ajv)({ allErrors: true, verbose: true, allowUnionTypes: true });
    compiled = validator.compile(CLIENT_SETTINGS_SCHEMA);
  }
  return compiled;
}

/** The schema validator: a call validates, `errors` holds the last call's errors. */
export interface SchemaValidator {
  (data: unknown): boolean;
  /** ajv's errors of the last call that failed (`null` after a success). */
  readonly errors: ErrorObject[] | null | undefined;
}

/**
 * The schema validator, compiled on its first call. Exposed for the benchmark's "schema
 * only" baseline.
 *
 * @internal
 */
export const validateSchema: SchemaValidator = Object.defineProperty(
  (data: unknown): boolean => compiledSchema()(data),
  'errors',
  { get: () => compiled?.errors },
) as SchemaValidator;
