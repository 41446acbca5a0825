/**
 * `diffTenants`: what changes between two tenants, semantically.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { KeywordMappings } from '../cli/keywords.js';
import { isRecord, toPointer } from '../cli/pointer.js';
import { compareObjects, type RawChange } from './compare.js';
import {
  clientEntries,
  clientNames,
  otherEntries,
  type DiffEntries,
  type DiffEntry,
} from './entries.js';
import { pairEntries, type Pairing } from './match.js';
import { masked } from './secrets.js';
import { severityOf } from './severity.js';
import { DOCUMENT_SOURCE, loadSide, type TenantInput } from './sources.js';
import {
  DIFF_OBJECT_TYPES,
  type ChangeLocation,
  type DiffObject,
  type DiffObjectType,
  type TenantChange,
  type TenantDiff,
} from './types.js';

/** Options of {@link diffTenants}. */
export interface DiffTenantsOptions {
  /**
   * Values for `##KEY##` and `@@KEY@@` markers, replaced in both sides as the Deploy CLI
   * replaces them (as a `--keywords` file gives them).
   */
  keywords?: KeywordMappings;
  /** Directory relative paths start from; defaults to `process.cwd()`. */
  cwd?: string;
}

/**
 * Compares two tenants semantically and lists what changes from `before` to `after`.
 *
 * Each side is the path of a tenant export as `clientele check` reads it (Deploy CLI YAML
 * or JSON, a directory export, a FileStore file, a Management API dump saved as JSON),
 * or a tenant document in memory (such as {@link readManagementApiTenant} returns).
 * Objects are paired as the Deploy CLI pairs them (clients by `client_id` then `name`,
 * APIs by `id` then `identifier`, connections by `id` then `name`, grants by `id`, then
 * client and audience), and compared after the library's normalisation: Auth0's defaults
 * filled in, comma-separated lists split, key order and YAML spelling ignored, URL lists
 * compared as sets of the URLs Auth0 tells apart. So a change that Auth0 would not see is
 * no change. Each change has a JSON pointer into the normalised object, the values before
 * and after with secrets replaced by `[redacted]`, and a severity: `destructive` for what
 * takes away something that works (a deleted client, connection or API, a callback or
 * origin removed, a grant narrowed, a connection disabled for a client, a signing
 * algorithm or authentication method changed).
 *
 * Object types that one side has no list of (no `resourceServers`) are not compared: the
 * Deploy CLI leaves them alone. Auth0's own objects (`is_system`) are never compared.
 *
 * @param before - the tenant as it was (or is: a live tenant, to preview a deploy)
 * @param after - the tenant as it is (or will be)
 * @param options - keyword values, and the directory paths are relative to
 * @returns every change, grouped by object, and the totals
 * @throws {@link TenantReadError} when a side cannot be read in full
 * @throws {@link InvalidArgumentError} when `options` is not an object
 * @example
 * ```ts
 * const diff = await diffTenants('main/tenant.yaml', 'branch/tenant.yaml');
 * for (const change of diff.changes) {
 *   console.log(change.severity, change.kind, change.object.key, change.path);
 * }
 * if (diff.summary.destructive > 0) process.exitCode = 1;
 * ```
 * @see https://github.com/auth0/auth0-deploy-cli/blob/master/src/tools/calculateChanges.ts
 */
export async function diffTenants(
  before: TenantInput,
  after: TenantInput,
  options: DiffTenantsOptions = {},
): Promise<TenantDiff> {
  if (!isRecord(options as unknown)) {
    throw new InvalidArgumentError('/options', 'options must be an object');
  }
  const { keywords = {}, cwd = process.cwd() } = options;
  if (!isRecord(keywords as unknown)) {
    throw new InvalidArgumentError('/options/keywords', 'options.keywords must be an object');
  }
  if (typeof cwd !== 'string') {
    throw new InvalidArgumentError('/options/cwd', 'options.cwd must be a directory path');
  }
  const left = await loadSide(before, 'before', keywords, cwd);
  const right = await loadSide(after, 'after', keywords, cwd);
  const beforeClients = clientEntries(left.tenant);
  const afterClients = clientEntries(right.tenant);
  const clients = pairEntries(beforeClients, afterClients);
  const canonical = new Map(clients.paired.map(({ before: b, after: a }) => [b, a.key]));
  const a: DiffEntries = {
    client: beforeClients,
    ...otherEntries(left.tenant, clientNames(beforeClients, canonical)),
  };
  const b: DiffEntries = {
    client: afterClients,
    ...otherEntries(right.tenant, clientNames(afterClients)),
  };
  const compared = DIFF_OBJECT_TYPES.filter((type) => a[type] && b[type]);
  const changes = compared.flatMap((type) =>
    changesOf(type, type === 'client' ? clients : pairEntries(a[type] ?? [], b[type] ?? [])),
  );
  const objects = new Set(changes.map(({ object }) => `${object.type} ${object.key}`));
  return {
    before: left.side,
    after: right.side,
    compared,
    changes,
    summary: {
      objects: objects.size,
      changes: changes.length,
      destructive: changes.filter((change) => change.severity === 'destructive').length,
    },
  };
}

/** The changes of one object type, grouped by object, objects ordered by key. */
function changesOf(type: DiffObjectType, { paired, added, removed }: Pairing): TenantChange[] {
  const groups: { key: string; changes: TenantChange[] }[] = [];
  for (const entry of removed) {
    const raw: RawChange = { kind: 'removed', tokens: [], before: entry.value };
    groups.push({ key: entry.key, changes: [change(entry, raw, { before: entry })] });
  }
  for (const entry of added) {
    const raw: RawChange = { kind: 'added', tokens: [], after: entry.value };
    groups.push({ key: entry.key, changes: [change(entry, raw, { after: entry })] });
  }
  for (const pair of paired) {
    const unstated = new Set([...pair.before.unstated, ...pair.after.unstated]);
    const raw = compareObjects(type, pair.before.value, pair.after.value, { unstated });
    if (raw.length > 0) {
      groups.push({
        key: pair.after.key,
        changes: raw.map((found) => change(pair.after, found, pair)),
      });
    }
  }
  // Sorted by key, code unit order: a stable order whatever the locale.
  groups.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return groups.flatMap((group) => group.changes);
}

/** A reported change: located, masked and rated. */
function change(
  entry: DiffEntry,
  raw: RawChange,
  sides: { before?: DiffEntry; after?: DiffEntry },
): TenantChange {
  const object: DiffObject = { type: entry.type, key: entry.key, name: entry.name };
  const { severity, reason } = severityOf(entry.type, raw.kind, raw.tokens, raw.before, raw.after);
  const location = locate(raw, sides);
  return {
    kind: raw.kind,
    object,
    path: toPointer(raw.tokens),
    ...(raw.before !== undefined && { before: masked(raw.tokens, raw.before, raw.beforeParent) }),
    ...(raw.after !== undefined && { after: masked(raw.tokens, raw.after, raw.afterParent) }),
    severity,
    ...(reason !== undefined && { reason }),
    ...(location !== undefined && { location }),
  };
}

/**
 * Where a change is in the files: at its pointer on the after side, or on the before side
 * when the after side is not a file; a value one side lacks is located at its parent
 * there (a removed callback at the after side's `callbacks`).
 */
function locate(
  raw: RawChange,
  sides: { before?: DiffEntry; after?: DiffEntry },
): ChangeLocation | undefined {
  const inFile = (entry: DiffEntry | undefined) =>
    entry !== undefined && entry.loaded.file !== DOCUMENT_SOURCE ? entry : undefined;
  const after = inFile(sides.after);
  const entry = after ?? inFile(sides.before);
  if (entry === undefined) return undefined;
  const lacks = entry === after ? raw.kind === 'removed' : raw.kind === 'added';
  const pointer = toPointer(lacks ? raw.tokens.slice(0, -1) : raw.tokens);
  const position = entry.loaded.positionOf?.(pointer);
  const line = position?.line ?? entry.loaded.lineOf(pointer);
  return {
    file: entry.loaded.file,
    ...(line !== undefined && { line }),
    ...(position !== undefined && { column: position.column }),
  };
}
