/**
 * The shapes `diffTenants` returns: one {@link TenantChange} per semantic difference.
 *
 * @module
 */
import type { JsonValue } from '../client/settings.js';
import type { TenantFormat } from '../cli/types.js';

/** The kinds of objects a diff compares, in the order reports list them. */
export type DiffObjectType = 'client' | 'api' | 'connection' | 'grant';

/** Every {@link DiffObjectType}, in report order. */
export const DIFF_OBJECT_TYPES: readonly DiffObjectType[] = Object.freeze([
  'client',
  'api',
  'connection',
  'grant',
]);

/** What happened at a pointer: something appeared, disappeared, or has another value. */
export type ChangeKind = 'added' | 'removed' | 'changed';

/**
 * `destructive`: the change takes something away that running logins, tokens or
 * deployments rely on (a deleted client, a callback removed, a grant narrowed, a signing
 * algorithm changed, …: see `DESTRUCTIVE_CHANGES`); `change`: anything else.
 */
export type ChangeSeverity = 'destructive' | 'change';

/** The object a change belongs to, named as the Deploy CLI matches it. */
export interface DiffObject {
  /** What kind of object it is. */
  type: DiffObjectType;
  /**
   * What identifies it: a client's `name`, an API's `identifier`, a connection's `name`,
   * a grant's `<client name> -> <audience>` (`third_party_clients -> <audience>` for the
   * default grant of third-party clients). The after side's value when the two differ.
   */
  key: string;
  /** How people know it: an API's `name` (its identifier without one), otherwise `key`. */
  name: string;
}

/** One semantic difference between two tenants. */
export interface TenantChange {
  /** Added, removed or changed. */
  kind: ChangeKind;
  /** The object it belongs to. */
  object: DiffObject;
  /**
   * JSON pointer into the object, after normalisation: `''` for the whole object (added or
   * removed), `/callbacks/2` for one entry of a URL list (its index on the side that has it).
   */
  path: string;
  /** The value before (absent when added); secrets are `[redacted]`. */
  before?: JsonValue;
  /** The value after (absent when removed); secrets are `[redacted]`. */
  after?: JsonValue;
  /** Whether it is destructive. */
  severity: ChangeSeverity;
  /** For a destructive change, what it breaks, on one line. */
  reason?: string;
  /**
   * Where the change is in the files: the after side's (the before side's for what the
   * after side no longer has, or when the after side is not a file). Absent when neither
   * side is a file (a document in memory, a live tenant).
   */
  location?: ChangeLocation;
}

/** A place in a tenant file. */
export interface ChangeLocation {
  /** The file (for a directory export, the object's own file). */
  file: string;
  /** 1-based line, when the loader can tell. */
  line?: number;
  /** 1-based column (UTF-16 code units), when the loader can tell. */
  column?: number;
}

/** One side of a diff: where it came from. */
export interface DiffSide {
  /** The path as given, `(document)` for an object, or the Management API URL of `--live`. */
  source: string;
  /** The format it was recognised as; `management-api` for a live tenant. */
  format: TenantFormat | 'management-api';
}

/** Counts over {@link TenantDiff.changes}. */
export interface DiffSummary {
  /** Objects with at least one change. */
  objects: number;
  /** Changes. */
  changes: number;
  /** Destructive changes. */
  destructive: number;
}

/** What {@link diffTenants} found. */
export interface TenantDiff {
  /** The before side. */
  before: DiffSide;
  /** The after side. */
  after: DiffSide;
  /**
   * The object types compared: every type of which both sides have a list. A side without
   * one (no `resourceServers` in a tenant.yaml) leaves those objects alone when the Deploy
   * CLI deploys it, so there is nothing to compare.
   */
  compared: DiffObjectType[];
  /** Every change, grouped by object in {@link DIFF_OBJECT_TYPES} order, then by key. */
  changes: TenantChange[];
  /** Totals. */
  summary: DiffSummary;
}
