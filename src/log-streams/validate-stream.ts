/**
 * `validateLogStreamInput` and `validateLogStreamPatch`: would Auth0's Management API
 * accept this log stream (create) or this change to a stored one (update)? Pure and
 * synchronous; nothing throws. Messages name the field and never quote a sink value.
 *
 * @see https://auth0.com/docs/api/management/v2/log-streams/post-log-streams
 * @see https://auth0.com/docs/api/management/v2/log-streams/patch-log-streams-by-id
 * @module
 */
import {
  checkProperties,
  checkString,
  hasControlCharacter,
  mergeIssues,
  readInput,
} from '../apis/input-checks.js';
import { labelOf } from '../client/messages.js';
import type { Issue } from '../errors.js';
import type { ValidationResult } from '../lib/validation-result.js';
import { LOG_STREAM_CATEGORY_NAMES, isLogStreamCategory } from './categories.js';
import { checkSink, type SinkContext } from './sink-rules.js';
import {
  LOG_STREAM_TYPES,
  UNSUPPORTED_LOG_STREAM_TYPES,
  type LogStreamFilter,
  type LogStreamRecord,
  type LogStreamSink,
  type LogStreamStatus,
  type LogStreamType,
} from './stream.js';

/** Options of the log stream validators. */
export interface LogStreamValidationOptions {
  /**
   * `false` refuses sinks whose host is an IP address in a private, loopback or other
   * special range (the tenant option `logStreams.allowPrivateNetwork`). Default `true`.
   */
  allowPrivateNetwork?: boolean;
}

/**
 * A valid new stream, secrets included: everything but what the tenant assigns (the id,
 * and an EventBridge stream's partner event source).
 */
export interface ValidLogStream {
  /** The name (the type when none was given). */
  name: string;
  /** The type. */
  type: LogStreamType;
  /** `active`, or `paused` when asked. */
  status: LogStreamStatus;
  /** Category filters, when given. */
  filters?: LogStreamFilter[];
  /** Auth0's priority flag, when given. */
  isPriority?: boolean;
  /** The sink, with only its known fields. */
  sink: LogStreamSink;
}

/** Most filters of a stream (one per category at most). */
const MAX_FILTERS = LOG_STREAM_CATEGORY_NAMES.length;
/** Longest stream name. */
export const MAX_LOG_STREAM_NAME_LENGTH = 255;

const CREATE_FIELDS = ['name', 'type', 'sink', 'filters', 'isPriority', 'status'];
const UPDATE_FIELDS = ['name', 'status', 'filters', 'isPriority', 'sink'];
const UNSUPPORTED: Readonly<Record<string, string>> = {
  pii_config:
    'pii_config is not supported: clientele does not mask or hash fields of delivered events, and will not pretend to',
  startFrom:
    'startFrom is not supported: a new stream delivers the events recorded from its creation on',
};
const READ_ONLY_ON_CREATE: Readonly<Record<string, string>> = {
  ...UNSUPPORTED,
  id: 'id is assigned by the tenant and cannot be given',
};
const READ_ONLY_ON_UPDATE: Readonly<Record<string, string>> = {
  ...READ_ONLY_ON_CREATE,
  type: 'type of a log stream cannot change; create another stream instead',
};

/**
 * Checks a new log stream as Auth0's `POST /api/v2/log-streams` takes it. A stream read
 * back from the Management API is valid as it is, but for its `id`; its `status` may be
 * `active` or `paused`, and an EventBridge `awsPartnerEventSource` is dropped (the tenant
 * assigns its own).
 *
 * @example
 * ```ts
 * const result = validateLogStreamInput({
 *   type: 'datadog',
 *   sink: { datadogRegion: 'eu', datadogApiKey: process.env.DD_API_KEY },
 * });
 * if (!result.ok) console.log(result.issues);
 * ```
 */
export function validateLogStreamInput(
  input: unknown,
  options: LogStreamValidationOptions = {},
): ValidationResult<ValidLogStream> {
  const read = readInput(input, 'log stream');
  const value = read.value;
  if (value === undefined) return { ok: false, issues: read.issues };
  const issues: Issue[] = [];
  const context = contextOf(options);
  checkProperties(value, CREATE_FIELDS, READ_ONLY_ON_CREATE, issues);
  const type = checkType(value.type, issues);
  const name =
    value.name === undefined ? (type ?? 'log stream') : checkName(value.name, '/name', issues);
  const status =
    value.status === undefined || value.status === 'suspended'
      ? 'active'
      : checkStatus(value.status, issues);
  if (value.status === 'suspended') {
    issues.push({
      path: '/status',
      code: 'invalid_value',
      message: 'status of a new stream must be active or paused',
    });
  }
  const filters = value.filters === undefined ? undefined : checkFilters(value.filters, issues);
  const isPriority = checkPriority(value.isPriority, issues);
  let sink: Record<string, unknown> | undefined;
  if (value.sink === undefined) {
    issues.push({ path: '/sink', code: 'required', message: 'sink is required' });
  } else if (type !== undefined) {
    sink = checkSink(type, value.sink, '/sink', issues, context);
  }
  const all = mergeIssues(read.issues, issues);
  if (all.length > 0 || type === undefined || sink === undefined || status === undefined) {
    return { ok: false, issues: all.length > 0 ? all : [internal()] };
  }
  return {
    ok: true,
    value: {
      name: name ?? type,
      type,
      status,
      ...(filters === undefined ? {} : { filters }),
      ...(isPriority === undefined ? {} : { isPriority }),
      sink: sink as unknown as LogStreamSink,
    },
  };
}

/**
 * Checks a change to `stored` as Auth0's `PATCH /api/v2/log-streams/{id}` takes it and
 * returns the stream after the change. `sink` is merged into the stored sink field by
 * field (a secret left out keeps its value: the Deploy CLI never sends one back), then the
 * whole sink is checked; an EventBridge sink cannot change. `status` may be `active`
 * (resume) or `paused`.
 *
 * @internal
 */
export function validateLogStreamPatch(
  patch: unknown,
  stored: LogStreamRecord,
  options: LogStreamValidationOptions = {},
): ValidationResult<LogStreamRecord> {
  const read = readInput(patch, 'log stream patch');
  const value = read.value;
  if (value === undefined) return { ok: false, issues: read.issues };
  const issues: Issue[] = [];
  checkProperties(value, UPDATE_FIELDS, READ_ONLY_ON_UPDATE, issues);
  const next: LogStreamRecord = { ...stored };
  if (value.name !== undefined) {
    const name = checkName(value.name, '/name', issues);
    if (name !== undefined) next.name = name;
  }
  if (value.status !== undefined) {
    const status = checkStatus(value.status, issues);
    if (status === 'suspended' && stored.status !== 'suspended') {
      issues.push({
        path: '/status',
        code: 'read_only',
        message: 'status can be set to active or paused; delivery failures set suspended',
      });
    } else if (status !== undefined) {
      next.status = status;
    }
  }
  if (value.filters !== undefined) {
    const filters = checkFilters(value.filters, issues);
    if (filters !== undefined) next.filters = filters;
  }
  const isPriority = checkPriority(value.isPriority, issues);
  if (isPriority !== undefined) next.isPriority = isPriority;
  if (value.sink !== undefined) {
    const sink = mergedSink(stored, value.sink, issues, contextOf(options));
    if (sink !== undefined) next.sink = sink;
  }
  const all = mergeIssues(read.issues, issues);
  return all.length > 0 ? { ok: false, issues: all } : { ok: true, value: next };
}

function mergedSink(
  stored: LogStreamRecord,
  patch: unknown,
  issues: Issue[],
  context: SinkContext,
): LogStreamSink | undefined {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    issues.push({ path: '/sink', code: 'invalid_type', message: 'sink must be an object' });
    return undefined;
  }
  const given = patch as Record<string, unknown>;
  const storedSink = stored.sink as unknown as Record<string, unknown>;
  if (stored.type === 'eventbridge') {
    const changed = Object.keys(given).filter((field) => given[field] !== storedSink[field]);
    if (changed.length === 0) return stored.sink;
    issues.push({
      path: '/sink',
      code: 'read_only',
      message: 'sink of an eventbridge stream cannot change; create another stream instead',
    });
    return undefined;
  }
  const merged = { ...storedSink, ...given };
  const checked = checkSink(stored.type, merged, '/sink', issues, context);
  return checked as unknown as LogStreamSink | undefined;
}

function checkType(type: unknown, issues: Issue[]): LogStreamType | undefined {
  if (type === undefined) {
    issues.push({ path: '/type', code: 'required', message: 'type is required' });
    return undefined;
  }
  if (typeof type === 'string' && (LOG_STREAM_TYPES as readonly string[]).includes(type)) {
    return type as LogStreamType;
  }
  if (typeof type === 'string' && UNSUPPORTED_LOG_STREAM_TYPES.includes(type)) {
    issues.push({
      path: '/type',
      code: 'unsupported',
      message: `type ${type} is one of Auth0's partner integrations, which clientele does not deliver to; use ${LOG_STREAM_TYPES.join(', ')}`,
    });
    return undefined;
  }
  issues.push({
    path: '/type',
    code: 'invalid_value',
    message: `type must be one of ${LOG_STREAM_TYPES.join(', ')}`,
  });
  return undefined;
}

function checkName(name: unknown, pointer: string, issues: Issue[]): string | undefined {
  return checkString(
    name,
    pointer,
    {
      min: 1,
      max: MAX_LOG_STREAM_NAME_LENGTH,
      refine: (text) =>
        hasControlCharacter(text) || text.trim() !== text
          ? 'must not have control characters or leading or trailing spaces'
          : undefined,
    },
    issues,
  );
}

function checkStatus(status: unknown, issues: Issue[]): LogStreamStatus | undefined {
  if (status === 'active' || status === 'paused' || status === 'suspended') return status;
  issues.push({
    path: '/status',
    code: 'invalid_value',
    message: 'status must be active or paused',
  });
  return undefined;
}

function checkPriority(value: unknown, issues: Issue[]): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  issues.push({
    path: '/isPriority',
    code: 'invalid_type',
    message: 'isPriority must be true or false',
  });
  return undefined;
}

function checkFilters(filters: unknown, issues: Issue[]): LogStreamFilter[] | undefined {
  if (!Array.isArray(filters)) {
    issues.push({
      path: '/filters',
      code: 'invalid_type',
      message: 'filters must be an array of { type: "category", name }',
    });
    return undefined;
  }
  if (filters.length > MAX_FILTERS) {
    issues.push({
      path: '/filters',
      code: 'too_many_items',
      message: `filters must have at most ${MAX_FILTERS} entries`,
    });
    return undefined;
  }
  const before = issues.length;
  const seen = new Set<string>();
  const out: LogStreamFilter[] = [];
  filters.forEach((filter: unknown, index) => {
    const at = `/filters/${index}`;
    const entry = (typeof filter === 'object' && filter !== null ? filter : {}) as Record<
      string,
      unknown
    >;
    const { type, name, ...rest } = entry;
    if (Object.keys(rest).length > 0 || type !== 'category') {
      issues.push({
        path: at,
        code: 'invalid_value',
        message: `${labelOf(at)} must be { type: "category", name } (category is Auth0's only filter type)`,
      });
      return;
    }
    if (!isLogStreamCategory(name)) {
      issues.push({
        path: `${at}/name`,
        code: 'invalid_value',
        message: `${labelOf(`${at}/name`)} must be one of Auth0's categories: ${LOG_STREAM_CATEGORY_NAMES.join(', ')}`,
      });
      return;
    }
    if (seen.has(name)) {
      issues.push({
        path: `${at}/name`,
        code: 'duplicate',
        message: `${labelOf(`${at}/name`)} repeats ${name}`,
      });
      return;
    }
    seen.add(name);
    out.push({ type: 'category', name });
  });
  return issues.length === before ? out : undefined;
}

function contextOf(options: LogStreamValidationOptions): SinkContext {
  return { allowPrivateNetwork: options.allowPrivateNetwork !== false };
}

function internal(): Issue {
  return { path: '', code: 'internal_error', message: 'log stream could not be validated' };
}
