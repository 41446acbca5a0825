/**
 * Query strings of the Management API: each endpoint names the parameters it knows and
 * their types; an unknown or repeated parameter, a malformed value or a page out of range
 * is a `400` naming the parameter, as Auth0's "Query validation error".
 */
import { HttpError } from '../errors.js';

/** How one query parameter is read. */
export type ParamType = 'string' | 'boolean' | 'integer' | 'list';

/** What each known parameter is; `[type, min, max]` for integers. */
export type QuerySpec = Readonly<Record<string, ParamType | readonly ['integer', number, number]>>;

/** Parsed query values. */
export type QueryValues = Record<string, string | boolean | number | string[] | undefined>;

/** Auth0's largest page. */
export const MAX_PER_PAGE = 100;

/** The paging parameters every list endpoint shares. */
export const PAGING: QuerySpec = {
  page: ['integer', 0, 10_000],
  per_page: ['integer', 1, MAX_PER_PAGE],
  include_totals: 'boolean',
};

/** `from`/`take`: Auth0's checkpoint paging, which the current SDK and the Deploy CLI use. */
export const CHECKPOINT: QuerySpec = { from: 'string', take: ['integer', 1, MAX_PER_PAGE] };

/** Items of a checkpoint page when `take` is not given (Auth0's default). */
export const DEFAULT_TAKE = 50;

/** `fields` and `include_fields`. */
export const FIELDS: QuerySpec = { fields: 'list', include_fields: 'boolean' };

/**
 * Reads `url`'s query by `spec`.
 *
 * @throws {@link HttpError} 400 (`invalid_query_string`) listing every problem.
 */
export function readQuery(url: URL, spec: QuerySpec): QueryValues {
  const values: QueryValues = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of url.searchParams) {
    const type = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (type === undefined) {
      problems.push(`Additional properties not allowed: ${name}`);
      continue;
    }
    const value = parse(type, raw);
    if (seen.has(name)) {
      // A list may be given as repeated parameters (strategy=auth0&strategy=github).
      const earlier = values[name];
      if (Array.isArray(earlier) && Array.isArray(value)) earlier.push(...value);
      else problems.push(`${name} must not be repeated`);
      continue;
    }
    seen.add(name);
    if (typeof value === 'string' && type !== 'string') problems.push(`${name}: ${value}`);
    else values[name] = type === 'string' ? raw : (value as boolean | number | string[]);
  }
  if (problems.length > 0) {
    throw new HttpError({
      status: 400,
      code: 'invalid_query_string',
      message: `Query validation error: ${problems.join('; ')}`,
    });
  }
  return values;
}

/** The parsed value, or a problem message (a string) for non-string types. */
function parse(
  type: ParamType | readonly ['integer', number, number],
  raw: string,
): string | boolean | number | string[] {
  if (type === 'string') return raw;
  if (type === 'list') {
    const list = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    return list.length > 0 ? list : 'must name at least one field';
  }
  if (type === 'boolean') {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    return 'must be true or false';
  }
  const [min, max] = type === 'integer' ? [0, Number.MAX_SAFE_INTEGER] : [type[1], type[2]];
  if (!/^\d{1,15}$/.test(raw)) return `must be an integer from ${min} to ${max}`;
  const value = Number(raw);
  return value >= min && value <= max ? value : `must be an integer from ${min} to ${max}`;
}

/** What a page of a list answers: the array alone, or Auth0's totals object. */
export function pageOf<T>(
  items: readonly T[],
  query: QueryValues,
  key: string,
): T[] | Record<string, unknown> {
  const perPage = typeof query.per_page === 'number' ? query.per_page : undefined;
  const page = typeof query.page === 'number' ? query.page : 0;
  const start = perPage === undefined ? 0 : page * perPage;
  const slice = perPage === undefined ? [...items] : items.slice(start, start + perPage);
  if (query.include_totals !== true) return slice;
  return {
    start,
    limit: perPage ?? MAX_PER_PAGE,
    length: slice.length,
    total: items.length,
    [key]: slice,
  };
}

/**
 * A checkpoint page when the query has `from` or `take` (otherwise `undefined`): up to
 * `take` items from the one whose id is `from`, shown by `show`, as `{ [key]: items, next }`
 * with `next` the id of the first item of the following page (absent on the last page),
 * as Auth0 answers.
 *
 * @throws {@link HttpError} 400 (`invalid_query_string`) when `from` names no item.
 */
export function checkpointOf<T>(
  items: readonly T[],
  query: QueryValues,
  key: string,
  idOf: (item: T) => string,
  show: (item: T) => unknown = (item) => item,
): Record<string, unknown> | undefined {
  if (query.from === undefined && query.take === undefined) return undefined;
  const take = typeof query.take === 'number' ? query.take : DEFAULT_TAKE;
  const start = query.from === undefined ? 0 : items.findIndex((item) => idOf(item) === query.from);
  if (start < 0) {
    throw new HttpError({
      status: 400,
      code: 'invalid_query_string',
      message: 'Query validation error: from does not name an entry of this list',
    });
  }
  const next = items[start + take];
  return {
    [key]: items.slice(start, start + take).map(show),
    ...(next === undefined ? {} : { next: idOf(next) }),
  };
}

/**
 * `fields`/`include_fields` applied to one JSON object: only the named fields (or all but
 * them when `include_fields=false`).
 */
export function project(
  value: Record<string, unknown>,
  query: QueryValues,
): Record<string, unknown> {
  const fields = Array.isArray(query.fields) ? new Set(query.fields) : undefined;
  if (!fields) return value;
  const include = query.include_fields !== false;
  return Object.fromEntries(Object.entries(value).filter(([key]) => fields.has(key) === include));
}
