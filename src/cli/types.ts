/**
 * Shapes shared by the `clientele check` loaders, checker and formatters.
 *
 * @module
 */

/** How serious a finding is. `error` fails a check; `warning` fails it under `--strict`. */
export type CheckSeverity = 'error' | 'warning' | 'info';

/** One problem found in one client of a tenant export. */
export interface CheckFinding {
  /** The file the client was read from, as given on the command line (or found by a glob). */
  file: string;
  /** The client's `name`, or `(unnamed #N)` for the N-th client (1-based) when it has none. */
  client: string;
  /** A validation issue code (`unknown_property`) or a lint rule name. */
  rule: string;
  /** How serious it is. */
  severity: CheckSeverity;
  /** JSON pointer (RFC 6901) into the client object; `''` is the client itself. */
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

/** One client as read from an export, before validation. */
export interface LoadedClient {
  /** The file holding the client (for a directory export, its `clients/<name>.json`). */
  file: string;
  /** 1-based position of the client within its export. */
  position: number;
  /** The client object exactly as read (after keyword replacement). */
  raw: unknown;
  /** The 1-based source line of a JSON pointer into this client, when it can be told. */
  lineOf(pointer: string): number | undefined;
}

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
