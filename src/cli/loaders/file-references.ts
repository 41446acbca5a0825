/**
 * Files a Deploy CLI export names instead of holding their text, read as the Deploy CLI
 * reads them before deploying (its `context/yaml/handlers` and
 * `context/directory/handlers`), so the entry checked is the one it would deploy:
 *
 * | entry | field | YAML format: relative to | directory format: relative to | missing file |
 * |---|---|---|---|---|
 * | client | `custom_login_page` | `<tenant file's folder>/clients/` | `clients/` | kept as text |
 * | `email` connection | `options.email.body` | `<tenant file's folder>/connections/` | `connections/` | deploy fails |
 * | database | `options.customScripts.<script>` | the tenant file's folder | its `database-connections/<name>/` | deploy fails |
 *
 * A file that cannot be read is an error finding (`missing-file`) at the field, naming the
 * file; the check goes on. A `custom_login_page` that does not look like a file name
 * (HTML written inline) is the page itself, as for the Deploy CLI. Keyword markers in a
 * file are replaced, as the Deploy CLI replaces them.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { labelOf, quote } from '../../client/messages.js';
import { replaceKeywords, type KeywordMappings } from '../keywords.js';
import { isRecord, toPointer } from '../pointer.js';
import { describeFsError } from '../text.js';
import type { EntryFinding, LoadedEntry, LoadedTenant } from '../types.js';

/** Where an export's referenced files are and how to read them. */
export interface FileContext {
  /** Directory relative paths start from. */
  cwd: string;
  /** Keyword values, replaced in the files too. */
  keywords: KeywordMappings;
}

/** The Deploy CLI's database script names (`constants.DATABASE_SCRIPTS`). */
const DATABASE_SCRIPTS: ReadonlySet<string> = new Set([
  'get_user',
  'create',
  'verify',
  'login',
  'change_password',
  'delete',
  'change_email',
]);

/** One field of an entry that names a file. */
interface Reference {
  /** Path of the field in the entry. */
  tokens: string[];
  /** The file as shown (relative to the working directory, as the export was given). */
  file: string;
  /** Whether an unreadable file is an error (else the value is kept as it is). */
  required: boolean;
  /** What a missing file leads to, completing the message. */
  consequence: string;
}

/**
 * Reads the files the entries of a Deploy CLI YAML file name, relative to the folder of
 * `tenantFile` (as shown).
 */
export async function resolveYamlFiles(
  tenant: LoadedTenant,
  tenantFile: string,
  context: FileContext,
): Promise<LoadedTenant> {
  const base = path.dirname(tenantFile);
  return {
    ...tenant,
    clients: await resolveAll(tenant.clients, context, (raw) =>
      loginPage(raw, path.join(base, 'clients')),
    ),
    ...(tenant.connections && {
      connections: await resolveAll(tenant.connections, context, (raw, entry) =>
        entry.database ? scripts(raw, base, false) : emailBody(raw, path.join(base, 'connections')),
      ),
    }),
  };
}

/** Reads the files the entries of a directory export name, relative to each entry's file. */
export async function resolveDirectoryFiles(
  tenant: LoadedTenant,
  context: FileContext,
): Promise<LoadedTenant> {
  return {
    ...tenant,
    clients: await resolveAll(tenant.clients, context, (raw, entry) =>
      loginPage(raw, path.dirname(entry.file)),
    ),
    ...(tenant.connections && {
      connections: await resolveAll(tenant.connections, context, (raw, entry) =>
        entry.database
          ? scripts(raw, path.dirname(entry.file), true)
          : emailBody(raw, path.dirname(entry.file)),
      ),
    }),
  };
}

async function resolveAll(
  entries: readonly LoadedEntry[],
  context: FileContext,
  references: (raw: Record<string, unknown>, entry: LoadedEntry) => Reference[],
): Promise<LoadedEntry[]> {
  const resolved: LoadedEntry[] = [];
  for (const entry of entries) {
    const found = isRecord(entry.raw) ? references(entry.raw, entry) : [];
    resolved.push(found.length === 0 ? entry : await resolve(entry, found, context));
  }
  return resolved;
}

/** The entry with each referenced file's text in place, and a finding per unreadable one. */
async function resolve(
  entry: LoadedEntry,
  references: readonly Reference[],
  context: FileContext,
): Promise<LoadedEntry> {
  const raw = structuredClone(entry.raw) as Record<string, unknown>;
  const findings: EntryFinding[] = [...(entry.findings ?? [])];
  for (const reference of references) {
    const read = await readText(reference.file, context);
    if (read.ok) {
      setAt(raw, reference.tokens, read.text);
      continue;
    }
    if (!reference.required) continue;
    const pointer = toPointer(reference.tokens);
    findings.push({
      rule: 'missing-file',
      severity: 'error',
      path: pointer,
      message: `${labelOf(pointer)} names the file ${reference.file}, which ${read.reason}; ${reference.consequence}`,
    });
  }
  return { ...entry, raw, findings };
}

/**
 * A client's `custom_login_page`: read from a file when there is one; when there is none,
 * an error only if the value looks like a file name (else it is the page, written inline).
 */
function loginPage(client: Record<string, unknown>, folder: string): Reference[] {
  const page = client['custom_login_page'];
  if (typeof page !== 'string' || page === '') return [];
  return [
    {
      tokens: ['custom_login_page'],
      file: path.join(folder, page),
      required: looksLikeFileName(page),
      consequence: `the Deploy CLI would deploy the text ${quote(page)} as the login page`,
    },
  ];
}

/** An `email` connection's template, which the Deploy CLI always reads from a file. */
function emailBody(connection: Record<string, unknown>, folder: string): Reference[] {
  if (connection['strategy'] !== 'email') return [];
  const options = connection['options'];
  const email = isRecord(options) ? options['email'] : undefined;
  const body = isRecord(email) ? email['body'] : undefined;
  const name = typeof body === 'string' ? body : '';
  return [
    {
      tokens: ['options', 'email', 'body'],
      file: path.join(folder, name),
      required: true,
      consequence:
        'the Deploy CLI refuses to deploy a passwordless email connection without its template file',
    },
  ];
}

/** A database's `options.customScripts` files. */
function scripts(
  database: Record<string, unknown>,
  folder: string,
  knownOnly: boolean,
): Reference[] {
  const options = database['options'];
  const customScripts = isRecord(options) ? options['customScripts'] : undefined;
  if (!isRecord(customScripts)) return [];
  return Object.entries(customScripts)
    .filter(
      ([name, script]) => typeof script === 'string' && (!knownOnly || DATABASE_SCRIPTS.has(name)),
    )
    .map(([name, script]) => ({
      tokens: ['options', 'customScripts', name],
      file: path.join(folder, (script as string).replaceAll('\\', '/')),
      required: true,
      consequence: `the Deploy CLI refuses to deploy the database without its ${name} script`,
    }));
}

/** A single line naming an HTML file or a relative path, not inline HTML. */
function looksLikeFileName(value: string): boolean {
  if (/[<>\r\n]/.test(value)) return false;
  return /\.html?$/i.test(value) || /^\.{1,2}[\\/]/.test(value);
}

type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

async function readText(file: string, context: FileContext): Promise<ReadResult> {
  const full = path.resolve(context.cwd, file);
  try {
    if (!(await stat(full)).isFile()) return { ok: false, reason: 'is not a file' };
    return { ok: true, text: replaceKeywords(await readFile(full, 'utf8'), context.keywords) };
  } catch (error) {
    return { ok: false, reason: `cannot be read (${describeFsError(error)})` };
  }
}

/** Sets the value at `tokens`, creating the objects on the way (as the Deploy CLI does). */
function setAt(target: Record<string, unknown>, tokens: readonly string[], value: string): void {
  let node = target;
  for (const token of tokens.slice(0, -1)) {
    const next = node[token];
    if (!isRecord(next)) {
      const created: Record<string, unknown> = {};
      Object.defineProperty(node, token, {
        value: created,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      node = created;
    } else {
      node = next;
    }
  }
  const last = tokens.at(-1);
  if (last !== undefined) {
    Object.defineProperty(node, last, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
}
