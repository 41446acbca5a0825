/**
 * Keyword replacement as the Auth0 Deploy CLI does it (`AUTH0_KEYWORD_REPLACE_MAPPINGS`):
 * on the raw text of each file, before it is parsed.
 *
 * - `##KEY##` is replaced by the value as text (a string as it is; any other value as
 *   JavaScript's `String(value)` renders it, so an array becomes `a,b`).
 * - `@@KEY@@`, or `"@@KEY@@"` with its surrounding double quotes, is replaced by
 *   `JSON.stringify(value)`, so an array stays an array in YAML and JSON alike.
 *
 * All `##` replacements run before the `@@` ones, as in the Deploy CLI.
 *
 * @see https://github.com/auth0/auth0-deploy-cli/blob/master/docs/keyword-replacement.md
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isRecord, toPointer } from './pointer.js';
import { describeFsError, oneLine, stripBom } from './text.js';

/** Keyword values by key, as read from a `--keywords` file. */
export type KeywordMappings = Readonly<Record<string, unknown>>;

/** The Deploy CLI config property that holds the mappings in a `config.json`. */
const DEPLOY_CLI_MAPPINGS = 'AUTH0_KEYWORD_REPLACE_MAPPINGS';

/** A keyword marker left in a file: `##KEY##` or `@@KEY@@` with a conventional key. */
const MARKER = /##([A-Za-z_][A-Za-z0-9_]*)##|@@([A-Za-z_][A-Za-z0-9_]*)@@/g;

/**
 * Replaces `##KEY##` and `@@KEY@@` markers in `text` with the values in `mappings`.
 * Markers of keys that are not in `mappings` are left as they are.
 *
 * @example
 * ```ts
 * replaceKeywords('origins: @@ORIGINS@@', { ORIGINS: ['https://a.example.com'] });
 * // 'origins: ["https://a.example.com"]'
 * ```
 */
export function replaceKeywords(text: string, mappings: KeywordMappings): string {
  return replaceKeywordsMapped(text, mappings).text;
}

/** One replacement: where the marker was in the input and where its value is in the output. */
interface Edit {
  readonly inStart: number;
  readonly inEnd: number;
  readonly outStart: number;
  readonly outEnd: number;
}

/** The text after keyword replacement, and where an offset in it came from. */
export interface ReplacedText {
  /** The text with the markers replaced (what {@link replaceKeywords} returns). */
  readonly text: string;
  /**
   * The offset in the original text that `offset` (in `text`) came from: the marker's
   * start for an offset inside a replaced value, the same character otherwise.
   */
  readonly original: (offset: number) => number;
}

/**
 * {@link replaceKeywords}, also telling where each offset of the result came from, so
 * findings can give lines and columns of the file as written.
 *
 * @internal
 */
export function replaceKeywordsMapped(text: string, mappings: KeywordMappings): ReplacedText {
  const keys = Object.keys(mappings).filter((key) => key !== '');
  const passes: Edit[][] = [];
  let result = text;
  const replace = (pattern: RegExp, value: string): void => {
    const edits: Edit[] = [];
    let shift = 0;
    result = result.replace(pattern, (match: string, offset: number) => {
      edits.push({
        inStart: offset,
        inEnd: offset + match.length,
        outStart: offset + shift,
        outEnd: offset + shift + value.length,
      });
      shift += value.length - match.length;
      return value;
    });
    if (edits.length > 0) passes.push(edits);
  };
  for (const key of keys) {
    replace(new RegExp(escapeRegExp(`##${key}##`), 'g'), asText(mappings[key]));
  }
  for (const key of keys) {
    const marker = `@@${escapeRegExp(key)}@@`;
    replace(new RegExp(`"${marker}"|${marker}`, 'g'), JSON.stringify(mappings[key]) ?? 'null');
  }
  return {
    text: result,
    original: (offset) => passes.reduceRight((at, edits) => throughEdits(edits, at), offset),
  };
}

/** An offset of a pass's output as an offset of its input. */
function throughEdits(edits: readonly Edit[], offset: number): number {
  let shift = 0;
  for (const edit of edits) {
    if (offset < edit.outStart) break;
    if (offset < edit.outEnd) return edit.inStart;
    shift = edit.inEnd - edit.outEnd;
  }
  return offset + shift;
}

/** The keyword markers (`##KEY##`, `@@KEY@@`) that occur in `text`, each once, in order. */
export function findKeywordMarkers(text: string): string[] {
  // Most strings hold neither delimiter: skip the regex (a check visits every string).
  if (!text.includes('##') && !text.includes('@@')) return [];
  return [...new Set(Array.from(text.matchAll(MARKER), (match) => match[0]))];
}

/** A string value that still holds a keyword marker, with its JSON pointer. */
export interface MarkerHit {
  /** JSON pointer to the string (or to the object whose key holds the marker). */
  path: string;
  /** The markers found there. */
  markers: string[];
}

/** Every string (and object key) in `value` that still holds a keyword marker. */
export function findMarkersInValue(value: unknown): MarkerHit[] {
  const hits: MarkerHit[] = [];
  const visit = (node: unknown, tokens: (string | number)[]): void => {
    if (typeof node === 'string') {
      const markers = findKeywordMarkers(node);
      if (markers.length > 0) hits.push({ path: toPointer(tokens), markers });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...tokens, index]));
    } else if (isRecord(node)) {
      for (const [key, item] of Object.entries(node)) {
        const markers = findKeywordMarkers(key);
        if (markers.length > 0) hits.push({ path: toPointer([...tokens, key]), markers });
        visit(item, [...tokens, key]);
      }
    }
  };
  visit(value, []);
  return hits;
}

/** Result of {@link loadKeywords}. */
export type KeywordsResult =
  | {
      /** The file was read. */
      ok: true;
      /** Its keyword values. */
      mappings: KeywordMappings;
    }
  | {
      /** The file cannot be used. */
      ok: false;
      /** One line saying why. */
      reason: string;
    };

/**
 * Reads a `--keywords` file: a JSON object of keyword values, or a Deploy CLI
 * `config.json` whose `AUTH0_KEYWORD_REPLACE_MAPPINGS` holds them.
 */
export async function loadKeywords(
  file: string,
  cwd: string = process.cwd(),
): Promise<KeywordsResult> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    return { ok: false, reason: describeFsError(error) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(text));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${oneLine(error)}` };
  }
  if (!isRecord(parsed)) {
    return { ok: false, reason: 'a keywords file must be a JSON object of KEY: value' };
  }
  const nested = parsed[DEPLOY_CLI_MAPPINGS];
  if (nested !== undefined) {
    if (!isRecord(nested)) {
      return { ok: false, reason: `${DEPLOY_CLI_MAPPINGS} must be an object of KEY: value` };
    }
    return { ok: true, mappings: nested };
  }
  return { ok: true, mappings: parsed };
}

/**
 * `String(value)` as JavaScript renders JSON values (which the Deploy CLI relies on),
 * without calling a `toString` member that a JSON object may carry.
 */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value.map((item) => (item === null || item === undefined ? '' : asText(item))).join(',');
  }
  if (typeof value === 'object' && value !== null) return '[object Object]';
  return String(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
