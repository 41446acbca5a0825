/**
 * The sink fields of each stream type and the rule each must meet, as one table read by
 * {@link checkSink}. Messages name the field and never quote a value: sink values are
 * secrets or URLs that may carry one (a Sumo Logic source address holds its token).
 *
 * @internal
 * @module
 */
import { isIP } from 'node:net';
import { specialAddressKind } from '../cimd/address.js';
import { describeValue, labelOf } from '../client/messages.js';
import type { Issue } from '../errors.js';
import { hasControlCharacter } from '../apis/input-checks.js';
import {
  DATADOG_REGIONS,
  HTTP_CONTENT_FORMATS,
  SINK_SECRETS,
  type LogStreamSinks,
  type LogStreamType,
} from './stream.js';

/** What sink checks need to know besides the value. */
export interface SinkContext {
  /** `false` refuses IP-literal hosts in private, loopback and other special ranges. */
  readonly allowPrivateNetwork: boolean;
}

/** One sink field: required or not, and its check (`undefined` when it failed). */
interface FieldRule {
  readonly required: boolean;
  /** Read-only fields are assigned by the tenant: dropped on create, fixed on update. */
  readonly readOnly?: boolean;
  readonly check: (
    value: unknown,
    pointer: string,
    issues: Issue[],
    context: SinkContext,
  ) => unknown;
}

/** AWS regions an EventBridge partner event source can live in (Auth0's list). */
export const EVENTBRIDGE_REGIONS: readonly string[] = Object.freeze(
  [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-gov-east-1',
    'us-gov-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ].sort(),
);

/** Limits of sink fields (the library's own: Auth0 documents none). */
export const SINK_LIMITS = Object.freeze({
  /** Longest URL. */
  urlLength: 2048,
  /** Longest header value, secret or not. */
  headerValueLength: 4096,
  /** Most `httpCustomHeaders`. */
  customHeaders: 20,
  /** Longest host name. */
  hostLength: 253,
});

/** Header names a stream may not set through `httpCustomHeaders`, with the field to use. */
const RESERVED_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  authorization: 'use sink.httpAuthorization',
  'content-type': 'use sink.httpContentType',
  'content-length': 'it is computed for each request',
  host: 'it is the endpoint’s',
  'transfer-encoding': 'it is chosen for each request',
  connection: 'it is chosen for each request',
});

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const string =
  (max: number) =>
  (value: unknown, pointer: string, issues: Issue[]): string | undefined => {
    if (typeof value !== 'string') return wrong(issues, pointer, 'a string', value);
    if (value.length === 0) return fail(issues, pointer, 'blank', 'must not be empty');
    if (value.length > max) {
      return fail(issues, pointer, 'too_long', `must be at most ${max} characters`);
    }
    return value;
  };

/** A header value: no control characters (which would split or break the request). */
const headerValue = (value: unknown, pointer: string, issues: Issue[]): string | undefined => {
  const text = string(SINK_LIMITS.headerValueLength)(value, pointer, issues);
  if (text === undefined) return undefined;
  if (hasControlCharacter(text) || text.trim() !== text) {
    return fail(
      issues,
      pointer,
      'invalid_format',
      'must be a valid header value: no control characters, no leading or trailing space',
    );
  }
  return text;
};

const oneOf =
  (values: readonly string[]) =>
  (value: unknown, pointer: string, issues: Issue[]): string | undefined => {
    if (typeof value === 'string' && values.includes(value)) return value;
    return fail(issues, pointer, 'invalid_value', `must be one of ${values.join(', ')}`);
  };

const boolean = (value: unknown, pointer: string, issues: Issue[]): boolean | undefined =>
  typeof value === 'boolean' ? value : wrong(issues, pointer, 'true or false', value);

/** An absolute http(s) URL without credentials or fragment. */
const url = (
  value: unknown,
  pointer: string,
  issues: Issue[],
  context: SinkContext,
): string | undefined => {
  const text = string(SINK_LIMITS.urlLength)(value, pointer, issues);
  if (text === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return fail(issues, pointer, 'invalid_url', 'must be an absolute https: or http: URL');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return fail(
      issues,
      pointer,
      'invalid_url',
      'must not contain credentials (use the sink’s authorization field)',
    );
  }
  if (parsed.hash !== '') return fail(issues, pointer, 'invalid_url', 'must not have a fragment');
  return privateHost(parsed.hostname, pointer, issues, context) ? undefined : text;
};

/** A host name or IP address, without scheme, port or path. */
const host = (
  value: unknown,
  pointer: string,
  issues: Issue[],
  context: SinkContext,
): string | undefined => {
  const text = string(SINK_LIMITS.hostLength)(value, pointer, issues);
  if (text === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = /^[A-Za-z0-9.\-[\]:]+$/.test(text) ? new URL(`https://${text}/`) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.port !== '' || parsed.host !== text.toLowerCase()) {
    return fail(
      issues,
      pointer,
      'invalid_format',
      'must be a host name or IP address, without scheme, port or path',
    );
  }
  return privateHost(parsed.hostname, pointer, issues, context) ? undefined : text;
};

const port = (value: unknown, pointer: string, issues: Issue[]): string | undefined => {
  if (typeof value === 'string' && /^\d{1,5}$/.test(value)) {
    const number = Number(value);
    if (number >= 1 && number <= 65_535) return value;
  }
  if (typeof value !== 'string') return wrong(issues, pointer, 'a string of digits', value);
  return fail(issues, pointer, 'invalid_format', 'must be a port number from 1 to 65535');
};

const accountId = (value: unknown, pointer: string, issues: Issue[]): string | undefined => {
  if (typeof value === 'string' && /^\d{12}$/.test(value)) return value;
  return fail(issues, pointer, 'invalid_format', 'must be an AWS account id: 12 digits');
};

const customHeaders = (value: unknown, pointer: string, issues: Issue[]): unknown => {
  if (!Array.isArray(value)) return wrong(issues, pointer, 'an array of { header, value }', value);
  if (value.length > SINK_LIMITS.customHeaders) {
    return fail(
      issues,
      pointer,
      'too_many_items',
      `must have at most ${SINK_LIMITS.customHeaders} entries`,
    );
  }
  const before = issues.length;
  const seen = new Set<string>();
  const headers = value.map((entry: unknown, index) => {
    const at = `${pointer}/${index}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return wrong(issues, at, 'an object { header, value }', entry);
    }
    const { header, value: text, ...rest } = entry as Record<string, unknown>;
    for (const extra of Object.keys(rest)) {
      fail(
        issues,
        `${at}/${extra}`,
        'unknown_property',
        'is not a known property: use header, value',
      );
    }
    const name = string(256)(header, `${at}/header`, issues);
    if (name !== undefined && !TOKEN.test(name)) {
      fail(issues, `${at}/header`, 'invalid_format', 'must be a header name (RFC 9110 token)');
    } else if (name !== undefined) {
      const lower = name.toLowerCase();
      const reserved = RESERVED_HEADERS[lower];
      if (reserved !== undefined) {
        fail(issues, `${at}/header`, 'reserved_header', `may not be ${lower}: ${reserved}`);
      } else if (seen.has(lower)) {
        fail(issues, `${at}/header`, 'duplicate', 'repeats an earlier header of the list');
      }
      seen.add(lower);
    }
    headerValue(text, `${at}/value`, issues);
    return { header, value: text };
  });
  return issues.length === before ? headers : undefined;
};

/** The sink fields of each type. */
export const SINK_FIELDS: {
  readonly [Type in LogStreamType]: Readonly<Record<keyof LogStreamSinks[Type], FieldRule>>;
} = Object.freeze({
  http: {
    httpEndpoint: { required: true, check: url },
    httpContentFormat: { required: false, check: oneOf(HTTP_CONTENT_FORMATS) },
    httpContentType: { required: false, check: headerValue },
    httpAuthorization: { required: false, check: headerValue },
    httpCustomHeaders: { required: false, check: customHeaders },
  },
  datadog: {
    datadogRegion: { required: true, check: oneOf(DATADOG_REGIONS) },
    datadogApiKey: { required: true, check: headerValue },
  },
  splunk: {
    splunkDomain: { required: true, check: host },
    splunkPort: { required: true, check: port },
    splunkToken: { required: true, check: headerValue },
    splunkSecure: { required: true, check: boolean },
  },
  sumo: {
    sumoSourceAddress: { required: true, check: url },
  },
  eventbridge: {
    awsAccountId: { required: true, check: accountId },
    awsRegion: { required: true, check: oneOf(EVENTBRIDGE_REGIONS) },
    awsPartnerEventSource: { required: false, readOnly: true, check: string(1024) },
  },
});

/**
 * Checks a whole sink of `type` (on create, and on update after merging the patch into
 * the stored sink). Read-only fields are skipped (the registry keeps its own). Returns the
 * sink with only its known fields, or `undefined` when something is wrong.
 */
export function checkSink(
  type: LogStreamType,
  sink: unknown,
  pointer: string,
  issues: Issue[],
  context: SinkContext,
): Record<string, unknown> | undefined {
  if (typeof sink !== 'object' || sink === null || Array.isArray(sink)) {
    return wrong(issues, pointer, `the ${type} sink object`, sink);
  }
  const rules: Readonly<Record<string, FieldRule>> = SINK_FIELDS[type];
  const given = sink as Record<string, unknown>;
  const before = issues.length;
  const known = Object.keys(rules);
  for (const field of Object.keys(given)) {
    if (!Object.hasOwn(rules, field)) {
      fail(
        issues,
        `${pointer}/${field}`,
        'unknown_property',
        `is not a field of a ${type} sink: use ${known.join(', ')}`,
      );
    }
  }
  const checked: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(rules)) {
    if (rule.readOnly === true) continue;
    const at = `${pointer}/${field}`;
    if (!Object.hasOwn(given, field) || given[field] === undefined) {
      if (rule.required) fail(issues, at, 'required', `is required for a ${type} stream`);
      continue;
    }
    const value = rule.check(given[field], at, issues, context);
    if (value !== undefined) checked[field] = value;
  }
  return issues.length === before ? checked : undefined;
}

/** True when `field` of a `type` sink is a secret. */
export function isSinkSecret(type: LogStreamType, field: string): boolean {
  return SINK_SECRETS[type].includes(field);
}

/** Reports an IP-literal host in a special range when private networks are refused. */
function privateHost(
  hostname: string,
  pointer: string,
  issues: Issue[],
  context: SinkContext,
): boolean {
  if (context.allowPrivateNetwork) return false;
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  const kind = isIP(bare) === 0 ? undefined : specialAddressKind(bare);
  if (kind === undefined && bare.toLowerCase() !== 'localhost') return false;
  fail(
    issues,
    pointer,
    'forbidden_address',
    `names a ${(kind ?? 'loopback').replace('_', '-')} address, which the tenant option logStreams.allowPrivateNetwork (false) refuses`,
  );
  return true;
}

function fail(issues: Issue[], path: string, code: string, reason: string): undefined {
  issues.push({ path, code, message: `${labelOf(path)} ${reason}` });
  return undefined;
}

function wrong(issues: Issue[], path: string, expected: string, value: unknown): undefined {
  // A secret given with the wrong type is described by its type only, never its value.
  const got =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? `a ${typeof value}`
      : describeValue(value);
  issues.push({
    path,
    code: 'invalid_type',
    message: `${labelOf(path)} must be ${expected} (got ${got})`,
  });
  return undefined;
}
