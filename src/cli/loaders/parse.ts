/**
 * Parsing a tenant file's text into a value, with one-line reasons on failure.
 *
 * @module
 */
import { LineCounter, parseDocument } from 'yaml';
import { findKeywordMarkers } from '../keywords.js';
import { oneLine } from '../text.js';
import { documentLineFinder, type LineFinder } from './source-lines.js';

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
 * Parses YAML 1.2 as the Deploy CLI's loader (js-yaml) reads tenant files: duplicate keys
 * are an error and `<<` merge keys are supported.
 */
export function parseYamlText(text: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
  });
  const [first] = doc.errors;
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    return failed(`invalid YAML at line ${line}, column ${col}: ${oneLine(first)}`, text, line);
  }
  try {
    return {
      ok: true,
      value: doc.toJS({ maxAliasCount: 1000 }),
      lines: documentLineFinder(doc, lines),
    };
  } catch (error) {
    return failed(`invalid YAML: ${oneLine(error)}`, text);
  }
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
