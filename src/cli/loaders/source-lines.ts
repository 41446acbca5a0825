/**
 * Maps JSON pointers back to source lines, so the human output can say `tenant.yaml:42`.
 *
 * Both YAML and JSON files are located through the `yaml` parser (JSON is YAML 1.2
 * flow syntax). Lines refer to the text after keyword replacement, which equals the
 * file's own lines unless a `##KEY##` value contains a line break.
 *
 * @module
 */
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { pointerTokens } from '../pointer.js';

/**
 * Finds the line of a path of keys and indices; falls back to the nearest ancestor, but
 * not above `minDepth` tokens.
 */
export type LineFinder = (
  tokens: readonly (string | number)[],
  minDepth?: number,
) => number | undefined;

/**
 * A lazy line finder over `text`: the text is parsed for positions on first use only, and
 * any failure simply yields `undefined`.
 */
export function lineFinder(text: string): LineFinder {
  let find: LineFinder | undefined;
  return (tokens, minDepth) => {
    if (find === undefined) {
      try {
        const lines = new LineCounter();
        const doc = parseDocument(text, { lineCounter: lines, merge: true });
        find = doc.errors.length === 0 ? documentLineFinder(doc, lines) : () => undefined;
      } catch {
        find = () => undefined;
      }
    }
    return find(tokens, minDepth);
  };
}

/** A line finder over a document already parsed with `lines` as its line counter. */
export function documentLineFinder(doc: Document, lines: LineCounter): LineFinder {
  return (tokens, minDepth = 0) => {
    for (let depth = tokens.length; depth >= minDepth; depth -= 1) {
      const node: unknown = depth === 0 ? doc.contents : doc.getIn(tokens.slice(0, depth), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

/** A `lineOf(pointer)` for the entry (a client, an API, …) found at `base` in a file. */
export function clientLines(
  finder: LineFinder,
  base: readonly (string | number)[],
): (pointer: string) => number | undefined {
  return (pointer) => finder([...base, ...pointerTokens(pointer)], base.length);
}
