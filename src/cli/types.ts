/**
 * Shapes shared by the `clientele check` loaders, checker and formatters.
 *
 * @module
 */

/** How serious a finding is. `error` fails a check; `warning` fails it under `--strict`. */
export type CheckSeverity = 'error' | 'warning' | 'info';

/**
 * One problem found in one client of a tenant export, or in one of its APIs, connections
 * or client grants.
 */
export interface CheckFinding {
  /** The file the entry was read from, as given on the command line (or found by a glob). */
  file: string;
  /**
   * The client's `name`, or `(unnamed #N)` for the N-th client (1-based) when it has none.
   * For the other entries, a prefixed label: `api:<name>` (`api:<identifier>` without a
   * name), `connection:<name>` (each with `(unnamed #N)` when nothing names it) or `grant:<client_id> -> <audience>`
   * (`grant:third_party_clients -> <audience>` for a default grant; `grant:(#N)` when
   * either is missing).
   */
  client: string;
  /** A validation issue code (`unknown_property`), a lint rule or a CLI rule name. */
  rule: string;
  /** How serious it is. */
  severity: CheckSeverity;
  /** JSON pointer (RFC 6901) into the entry (client, API, …) object; `''` is the entry itself. */
  path: string;
  /** What is wrong, phrased so a person can fix it. */
  message: string;
}

/** The totals of a check run. */
export interface CheckSummary {
  /** Tenant exports checked (a YAML/JSON file or a directory export each count as one). */
  files: number;
  /** Clients checked, valid or not. */
  clients: number;
  /** Findings of severity `error`. */
  errors: number;
  /** Findings of severity `warning`. */
  warnings: number;
}

/** A path that could not be checked at all: unreadable, unparsable or not a tenant export. */
export interface LoadFailure {
  /** The path or pattern as given. */
  file: string;
  /** One line saying why, e.g. `not a tenant export: no "clients" list at the top level`. */
  reason: string;
}

/** A finding the loader already made about an entry (such as a file it names but that is missing). */
export interface EntryFinding {
  /** Rule name (`missing-file`). */
  rule: string;
  /** How serious it is. */
  severity: CheckSeverity;
  /** JSON pointer into the entry. */
  path: string;
  /** What is wrong. */
  message: string;
}

/** Where something starts in a file: 1-based line and column (UTF-16 code units). */
export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

/** One entry of an export (a client, an API, a connection or a grant) as read, before validation. */
export interface LoadedEntry {
  /** The file holding the entry (for a directory export, e.g. its `clients/<name>.json`). */
  file: string;
  /** 1-based position of the entry among the export's entries of its kind. */
  position: number;
  /** The object exactly as read (after keyword replacement). */
  raw: unknown;
  /** The 1-based source line of a JSON pointer into this entry, when it can be told. */
  lineOf(pointer: string): number | undefined;
  /** The source line and column of a JSON pointer into this entry, when the loader can tell. */
  positionOf?(pointer: string): SourcePosition | undefined;
  /** Findings of the loader (files the entry names that cannot be read). */
  findings?: readonly EntryFinding[];
  /** A database connection of the Deploy CLI's `databases` list (its scripts are files). */
  database?: boolean;
}

/** One client as read from an export, before validation. */
export type LoadedClient = LoadedEntry;

/** The supported export formats. */
export type TenantFormat =
  'deploy-cli-yaml' | 'deploy-cli-directory' | 'clientele-json' | 'clientele-file-store';

/** A tenant export read from disk. */
export interface LoadedTenant {
  /** The export's path as given (a file, or a directory for the directory format). */
  source: string;
  /** Which format it was recognised as. */
  format: TenantFormat;
  /** Its clients in export order. */
  clients: LoadedClient[];
  /**
   * Its APIs (Deploy CLI `resourceServers`, clientele `apis`) in export order; absent when
   * the export has no list of them (it then leaves the tenant's APIs alone).
   */
  apis?: LoadedEntry[];
  /** Its connections (Deploy CLI `connections` then `databases`); absent when it has none. */
  connections?: LoadedEntry[];
  /** Its client grants (Deploy CLI `clientGrants`, clientele `grants`); absent when it has none. */
  grants?: LoadedEntry[];
}

/** Result of loading one path: the export, or why it is not one. */
export type LoadResult =
  | {
      /** The path is a tenant export. */
      ok: true;
      /** The export. */
      tenant: LoadedTenant;
    }
  | {
      /** It is not, or cannot be read. */
      ok: false;
      /** Why. */
      failure: LoadFailure;
    };

/** A finding with where it is in its file (the JSON output shows them as `null` when unknown). */
export interface LocatedFinding extends CheckFinding {
  /** 1-based line in `file`, when known. */
  line?: number;
  /** 1-based column in `file` (UTF-16 code units), when known. */
  column?: number;
}

/**
 * The findings for one client, in the order the client appears in its export; the
 * reports of an export's APIs, connections and client grants have this shape too, with
 * `client` set to their prefixed label (`api:Orders API`).
 */
export interface ClientReport {
  /** The client's display name (`name`, or `(unnamed #N)`), or the entry's label. */
  client: string;
  /** The file the entry was read from. */
  file: string;
  /** A client's `app_type` when it is a string, for the human output's heading. */
  appType?: string;
  /**
   * An API's `identifier` or a connection's `strategy` when it is a string, shown in the
   * human output's heading as a client's `appType` is.
   */
  detail?: string;
  /** Its findings: errors first, then warnings, then info. */
  findings: LocatedFinding[];
}

/** The clients, APIs, connections and client grants of one export. */
export interface ExportReport {
  /** The export's path as given (a file, or the directory of a directory export). */
  source: string;
  /** Its clients in export order. */
  clients: ClientReport[];
  /** Its APIs in export order; absent when the export has no list of APIs. */
  apis?: ClientReport[];
  /** Its connections in export order; absent when the export has no list of them. */
  connections?: ClientReport[];
  /** Its client grants in export order; absent when the export has no list of them. */
  grants?: ClientReport[];
}
