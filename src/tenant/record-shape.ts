/**
 * Records read back from a store are checked for the shape the Tenant wrote before they
 * are served: a record written by something else (another program sharing the store, a
 * hand-edited file) or damaged must not become a `Client` with `client_id: undefined`,
 * which would then match nothing or, worse, something. The check is structural (the
 * fields the Tenant always writes, with their JSON types) rather than a full
 * re-validation: it runs once per record version, and fields added by newer code do not
 * make older records unreadable.
 */
import { StoreCorruptError } from '../errors.js';

/** The JSON type a field must have. */
type FieldType = 'string' | 'boolean' | 'number' | 'object' | 'string[]';

/** One collection's shape: its id field, required fields and optional ones. */
interface RecordShape {
  /** The field that must equal the record's id. */
  readonly idField: string;
  readonly required: Readonly<Record<string, FieldType>>;
  readonly optional: Readonly<Record<string, FieldType>>;
}

/** The shapes, per collection, of what the Tenant writes. */
const SHAPES: Readonly<Record<string, RecordShape>> = {
  clients: {
    idField: 'client_id',
    // app_type may be absent (Auth0's Default App) and token_endpoint_auth_method null
    // (a client with client_authentication_methods): both are optional here.
    required: { client_id: 'string', name: 'string' },
    optional: {
      app_type: 'string',
      client_secret: 'string',
      token_endpoint_auth_method: 'string',
      callbacks: 'string[]',
      allowed_logout_urls: 'string[]',
      allowed_origins: 'string[]',
      web_origins: 'string[]',
      grant_types: 'string[]',
      jwt_configuration: 'object',
    },
  },
};

const CHECKS: Readonly<Record<FieldType, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  number: (value) => typeof value === 'number',
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'string[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
};

const DESCRIPTIONS: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  number: 'a number',
  object: 'an object',
  'string[]': 'a list of strings',
};

/**
 * Returns `value` when it has the shape the Tenant writes into `collection`; throws
 * {@link StoreCorruptError} naming the collection, the id and the first field that is
 * wrong otherwise. Collections without a shape here are returned unchecked.
 *
 * @throws {@link StoreCorruptError} for a foreign or damaged record
 */
export function checkRecordShape<T>(collection: string, id: string, value: unknown): T {
  const shape = SHAPES[collection];
  if (shape === undefined) return value as T;
  const where = `store record ${JSON.stringify(id)} in collection ${JSON.stringify(collection)}`;
  if (!CHECKS.object(value)) {
    throw new StoreCorruptError(`${where} is not an object: not written by clientele`);
  }
  const record = value as Record<string, unknown>;
  for (const [field, type] of Object.entries(shape.required)) {
    if (!Object.hasOwn(record, field) || !CHECKS[type](record[field])) {
      throw new StoreCorruptError(`${where}: ${field} must be ${DESCRIPTIONS[type]}`);
    }
  }
  for (const [field, type] of Object.entries(shape.optional)) {
    if (
      Object.hasOwn(record, field) &&
      record[field] !== undefined &&
      !(field === 'token_endpoint_auth_method' && record[field] === null) &&
      !CHECKS[type](record[field])
    ) {
      throw new StoreCorruptError(`${where}: ${field} must be ${DESCRIPTIONS[type]}`);
    }
  }
  if (record[shape.idField] !== id) {
    throw new StoreCorruptError(`${where}: ${shape.idField} does not match the record's id`);
  }
  return value as T;
}
