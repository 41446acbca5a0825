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
type FieldType =
  'string' | 'boolean' | 'number' | 'object' | 'array' | 'string[]' | 'string|null' | 'number|null';

/** One collection's shape: its id field, required fields and optional ones. */
interface RecordShape {
  /** The field that must equal the record's id, when the record repeats its id. */
  readonly idField?: string;
  readonly required: Readonly<Record<string, FieldType>>;
  readonly optional?: Readonly<Record<string, FieldType>>;
}

/**
 * The shapes, per collection, of what the Tenant writes: the fields its code relies on
 * (ids, references between records, the lists it iterates). Collections not listed
 * hold nothing served (guards, the assertion replay cache, revoked access tokens) or are
 * checked where they are read: a damaged registration (`registrations`,
 * `registration_tokens`) makes its token fail like an unknown one (RFC 7592 §2.1).
 */
const SHAPES: Readonly<Record<string, RecordShape>> = {
  clients: {
    idField: 'client_id',
    // app_type may be absent (Auth0's Default App) and token_endpoint_auth_method null
    // (a client with client_authentication_methods): both are optional here.
    required: { client_id: 'string', name: 'string' },
    optional: {
      app_type: 'string',
      client_secret: 'string',
      token_endpoint_auth_method: 'string|null',
      callbacks: 'string[]',
      allowed_logout_urls: 'string[]',
      allowed_origins: 'string[]',
      web_origins: 'string[]',
      grant_types: 'string[]',
      jwt_configuration: 'object',
    },
  },
  client_credentials: {
    required: { credentials: 'array' },
    optional: { previous_secret: 'object' },
  },
  apis: {
    idField: 'id',
    required: { id: 'string', identifier: 'string', name: 'string' },
    optional: {
      scopes: 'array',
      token_lifetime: 'number',
      signing_alg: 'string',
      signing_secret: 'string',
    },
  },
  grants: {
    idField: 'id',
    required: { id: 'string', client_id: 'string', audience: 'string', scope: 'string[]' },
    optional: {
      organization_usage: 'string',
      allow_any_organization: 'boolean',
      subject_type: 'string',
      authorization_details_types: 'string[]',
      allow_all_scopes: 'boolean',
    },
  },
  connections: {
    idField: 'id',
    required: {
      id: 'string',
      name: 'string',
      strategy: 'string',
      enabled_clients: 'string[]',
      options: 'object',
    },
  },
  keys: { required: { keys: 'array' } },
  authorizations: {
    required: { client_id: 'string', sub: 'string', scope: 'string[]', created_at: 'number' },
    optional: { audience: 'string|null', expires_at: 'number|null', revoked_at: 'number|null' },
  },
  authorization_codes: {
    required: {
      client_id: 'string',
      redirect_uri: 'string',
      sub: 'string',
      scope: 'string[]',
      expires_at: 'number',
    },
    optional: {
      code_challenge: 'string|null',
      audience: 'string|null',
      used_at: 'number|null',
      authorization_id: 'string|null',
    },
  },
  refresh_tokens: {
    required: { authorization_id: 'string', client_id: 'string', issued_at: 'number' },
  },
  sessions: {
    required: {
      secret_hash: 'string',
      sub: 'string',
      claims: 'object',
      auth_time: 'number',
      amr: 'string[]',
      created_at: 'number',
      last_interacted_at: 'number',
      idle_expires_at: 'number',
      expires_at: 'number',
      clients: 'string[]',
    },
  },
  user_sessions: { required: { sessions: 'array' } },
  log_streams: {
    idField: 'id',
    required: { id: 'string', name: 'string', type: 'string', status: 'string', sink: 'object' },
    optional: { filters: 'array', isPriority: 'boolean' },
  },
};

const CHECKS: Readonly<Record<FieldType, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  number: (value) => typeof value === 'number',
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  array: (value) => Array.isArray(value),
  'string[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
  'string|null': (value) => value === null || typeof value === 'string',
  'number|null': (value) => value === null || typeof value === 'number',
};

const DESCRIPTIONS: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  number: 'a number',
  object: 'an object',
  array: 'a list',
  'string[]': 'a list of strings',
  'string|null': 'a string or null',
  'number|null': 'a number or null',
};

/** True when the Tenant checks the records of `collection` when it reads them. */
export function hasRecordShape(collection: string): boolean {
  return Object.hasOwn(SHAPES, collection);
}

/**
 * Returns `value` when it has the shape the Tenant writes into `collection`; throws
 * {@link StoreCorruptError} naming the collection, the id and the first field that is
 * wrong otherwise. Collections without a shape here are returned unchecked.
 *
 * @throws {@link StoreCorruptError} for a foreign or damaged record
 */
export function checkRecordShape<T>(collection: string, id: string, value: unknown): T {
  if (!hasRecordShape(collection)) return value as T;
  const shape = SHAPES[collection] as RecordShape;
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
  for (const [field, type] of Object.entries(shape.optional ?? {})) {
    if (
      Object.hasOwn(record, field) &&
      record[field] !== undefined &&
      !CHECKS[type](record[field])
    ) {
      throw new StoreCorruptError(`${where}: ${field} must be ${DESCRIPTIONS[type]}`);
    }
  }
  if (shape.idField !== undefined && record[shape.idField] !== id) {
    throw new StoreCorruptError(`${where}: ${shape.idField} does not match the record's id`);
  }
  return value as T;
}
