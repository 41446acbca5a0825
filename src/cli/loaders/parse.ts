/**
 * Parsing a tenant file's text into a value, with one-line reasons on failure.
 *
 * @module
 */
import { LineCounter, parseDocument } from 'yaml';
import { findKeywordMarkers } from '../keywords.js';
import { oneLine } from '../text.js';

/** A parsed file, or a one-line reason it could not be parsed. */
export type ParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses YAML 1.2 (duplicate keys are an error, as in the Deploy CLI's YAML loader). */
export function parseYamlText(text: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    return failed(`invalid YAML at line ${line}, column ${col}: ${oneLine(first)}`, text);
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (error) {
    return failed(`invalid YAML: ${oneLine(error)}`, text);
  }
}

/** Parses strict JSON. */
export function parseJsonText(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return failed(`invalid JSON: ${withLine(oneLine(error), text)}`, text);
  }
}

/** Adds a hint when a keyword marker left in the text is the likely cause. */
function failed(reason: string, text: string): ParseResult {
  const markers = findKeywordMarkers(text);
  if (markers.length === 0) return { ok: false, reason };
  const list = markers.slice(0, 3).join(', ');
  return {
    ok: false,
    reason: `${reason} (unreplaced keyword ${list}: give it a value with --keywords <file.json>)`,
  };
}

/** V8 reports JSON errors by character position; people need a line and a column. */
function withLine(message: string, text: string): string {
  const match = /at position (\d+)/.exec(message);
  if (!match || /\bline \d+/.test(message)) return message;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${col})`;
}
