/**
 * Parsing a tenant file's text into a value, with one-line reasons on failure.
 *
 * @module
 */
import type * as JsYaml from 'js-yaml';
import { lazyModule } from '../../lib/lazy-module.js';
import { findKeywordMarkers } from '../keywords.js';
import { oneLine } from '../text.js';
import { NodeRecorder, type LineFinder, type SourceText } from './source-lines.js';

/** Loaded on first use (see lib/lazy-module.ts). */
const yaml = lazyModule<typeof JsYaml>('js-yaml');

/** A parsed file, or a one-line reason it could not be parsed. */
export type ParseResult =
  | {
      /** Parsed. */
      ok: true;
      /** The parsed value. */
      value: unknown;
      /** Source lines, when the parser kept them (YAML). */
      lines?: LineFinder;
    }
  | {
      /** Not parsable. */
      ok: false;
      /** One line: what and where. */
      reason: string;
    };

/**
 * Most values a YAML file may stand for once its aliases are expanded. js-yaml shares an
 * aliased node instead of copying it, but everything after parsing (validation, JSON)
 * walks the copies: a "billion laughs" file of a few lines would never finish.
 */
export const MAX_EXPANDED_VALUES = 1_000_000;

/**
 * Parses YAML exactly as the Deploy CLI reads tenant files: with js-yaml 4 and its default
 * schema, so a file it deploys loads here too (loosely indented flow collections
 * included), duplicate keys are an error and `<<` merge keys are supported. The value is
 * then what the Deploy CLI sends to Auth0: its JSON form (a timestamp becomes its ISO
 * string, `.inf` becomes null).
 */
export function parseYamlText(text: string, source?: SourceText): ParseResult {
  const recorder = new NodeRecorder();
  let value: unknown;
  try {
    value = yaml().load(text, { listener: recorder.listener });
  } catch (error) {
    if (error instanceof yaml().YAMLException) {
      const line = error.mark.line + 1;
      const where = `line ${line}, column ${error.mark.column + 1}`;
      return failed(`invalid YAML at ${where}: ${oneLine(error.reason)}`, text, line);
    }
    return failed(`invalid YAML: ${oneLine(error)}`, text);
  }
  // Only an anchor (`&name`) lets a node be used twice: without one the value is a tree.
  const { size, plain } = survey(value, MAX_EXPANDED_VALUES, text.includes('&'));
  if (size > MAX_EXPANDED_VALUES) {
    return failed(
      `invalid YAML: its aliases expand to more than ${MAX_EXPANDED_VALUES} values`,
      text,
    );
  }
  // A plain tree is already what the JSON round trip would give back (most files: it is
  // the costliest step of a check after parsing, so it is skipped when it changes nothing).
  return { ok: true, value: plain ? value : asJson(value), lines: recorder.finder(text, source) };
}

/**
 * One walk over a parsed value:
 *
 * - `size`: how many values it stands for with every shared node counted each time it is
 *   used, counting no further than just past `limit` (linear in the distinct nodes);
 * - `plain`: whether JSON would carry it unchanged: a tree (no node used twice) of plain
 *   objects and arrays, strings, booleans, null and finite numbers other than -0 (a
 *   `__proto__` key is an own property in both). Anything else (a date, binary, an alias,
 *   `.inf`) needs {@link asJson}.
 */
function survey(
  value: unknown,
  limit: number,
  mayShare: boolean,
): { size: number; plain: boolean } {
  // The sizes of the nodes seen, to find shared ones; not needed in a tree.
  const sizes = mayShare ? new Map<object, number>() : undefined;
  let plain = true;
  const size = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) {
      if (
        node === undefined ||
        (typeof node === 'number' && (!Number.isFinite(node) || Object.is(node, -0)))
      ) {
        plain = false;
      }
      return 1;
    }
    const known = sizes?.get(node);
    if (known !== undefined) {
      plain = false;
      return known;
    }
    const prototype = Object.getPrototypeOf(node) as unknown;
    if (prototype !== Object.prototype && prototype !== Array.prototype) plain = false;
    sizes?.set(node, limit + 1); // a cycle (a node aliased inside itself) counts as too many
    let total = 1;
    for (const item of Object.values(node)) {
      total += size(item);
      if (total > limit) break;
    }
    sizes?.set(node, total);
    return total;
  };
  return { size: size(value), plain };
}

/** The value as JSON carries it (shared nodes become copies, dates ISO strings). */
function asJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown);
}

/** Parses strict JSON. */
export function parseJsonText(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = oneLine(error);
    return failed(`invalid JSON: ${withLine(message, text)}`, text, lineOfPosition(message, text));
  }
}

/**
 * Adds a hint when a keyword marker left in the text is the likely cause: the markers on
 * the line of the error, or else any in the file.
 */
function failed(reason: string, text: string, line?: number): ParseResult {
  const onLine = line === undefined ? [] : findKeywordMarkers(text.split('\n')[line - 1] ?? '');
  const markers = onLine.length > 0 ? onLine : findKeywordMarkers(text);
  if (markers.length === 0) return { ok: false, reason };
  const list = markers.slice(0, 3).join(', ');
  return {
    ok: false,
    reason: `${reason} (unreplaced keyword ${list}: give it a value with --keywords <file.json>)`,
  };
}

/** V8 reports JSON errors by character position; people need a line and a column. */
function withLine(message: string, text: string): string {
  const position = positionOf(message);
  if (position === undefined || /\bline \d+/.test(message)) return message;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${col})`;
}

function lineOfPosition(message: string, text: string): number | undefined {
  const position = positionOf(message);
  return position === undefined ? undefined : text.slice(0, position).split('\n').length;
}

function positionOf(message: string): number | undefined {
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}
