/**
 * Maps JSON pointers back to source lines and columns, so the human output can say
 * `tenant.yaml:42` and the SARIF, GitHub and JSON outputs can add the column.
 *
 * js-yaml, the parser the Deploy CLI uses, keeps no positions in what it returns, but it
 * reports every node it composes to a `listener` ('open' where the node begins, 'close'
 * once it is built). {@link NodeRecorder} rebuilds the node tree from those events; a
 * mapping's nodes come as key, value, key, value…, a sequence's as its items. Where the
 * tree does not line up with the value (explicit `?` keys without a value, pairs inside
 * flow sequences, entries merged in with `<<`), the lookup falls back to the nearest
 * ancestor: lines are a help for people, never a reason to fail.
 *
 * JSON files are located the same way (JSON is YAML flow syntax). Lines refer to the text
 * after keyword replacement, which equals the file's own lines unless a `##KEY##` value
 * contains a line break.
 *
 * @module
 */
import type * as JsYaml from 'js-yaml';
import type { EventType, State } from 'js-yaml';
import { lazyModule } from '../../lib/lazy-module.js';
import { pointerTokens } from '../pointer.js';
import type { SourcePosition } from '../types.js';

/** Loaded on first use (see lib/lazy-module.ts). */
const yaml = lazyModule<typeof JsYaml>('js-yaml');

/**
 * Finds where the value at a path of keys and indices starts; falls back to the nearest
 * ancestor, but not above `minDepth` tokens.
 */
export type LineFinder = (
  tokens: readonly (string | number)[],
  minDepth?: number,
) => SourcePosition | undefined;

/** One composed node: where it opened, what it became, and the nodes composed inside it. */
interface NodeSpan {
  /** Offset at the 'open' event (before any space the node skips first). */
  readonly open: number;
  /** `mapping`, `sequence`, `scalar`, or null for an empty node. */
  readonly kind: string | null;
  /** What the node became: collections to check that the children line up, scalars as keys. */
  readonly result: unknown;
  readonly children: NodeSpan[];
}

/** The node kinds js-yaml reports; a kind's code is its index + 1, and 0 stands for null. */
const KINDS = ['mapping', 'sequence', 'scalar'] as const;

/**
 * Collects js-yaml's parse events. Parsing is the hot part of a check, so the listener
 * only writes numbers into typed arrays (and each node's result into one array); the node
 * tree is built on the first line lookup. (Four growing arrays of boxed values made the
 * listener cost as much as the parse itself: 53,000 events for 1,000 clients.)
 */
export class NodeRecorder {
  #opens = new Int32Array(1024);
  #parents = new Int32Array(1024);
  #kinds = new Uint8Array(1024);
  readonly #results: unknown[] = [];
  #count = 0;
  #stack = new Int32Array(64);
  #depth = 0;

  /** The `listener` option of js-yaml's `load`. */
  readonly listener = (event: EventType, state: State): void => {
    if (event === 'open') {
      const id = this.#count++;
      if (id === this.#opens.length) this.#grow();
      this.#opens[id] = state.position;
      this.#parents[id] = this.#depth === 0 ? -1 : (this.#stack[this.#depth - 1] ?? -1);
      if (this.#depth === this.#stack.length) this.#stack = grown(this.#stack);
      this.#stack[this.#depth++] = id;
      return;
    }
    if (this.#depth === 0) return;
    const id = this.#stack[--this.#depth] ?? 0;
    this.#kinds[id] = KINDS.indexOf(state.kind as (typeof KINDS)[number]) + 1;
    this.#results[id] = state.result;
  };

  #grow(): void {
    this.#opens = grown(this.#opens);
    this.#parents = grown(this.#parents);
    this.#kinds = grown(this.#kinds);
  }

  /**
   * A line finder over the recorded tree; `text` is the text that was parsed, `source`
   * the file as written when keyword replacement changed it.
   */
  finder(text: string, source?: SourceText): LineFinder {
    let tree: { root: NodeSpan | undefined; lines: LineIndex } | undefined;
    return (tokens, minDepth = 0) => {
      tree ??= { root: this.#tree(), lines: new LineIndex(text, source) };
      if (tree.root === undefined) return undefined;
      const found = locate(tree.root, tokens, tree.lines);
      return found.depth >= minDepth ? found.position : undefined;
    };
  }

  /** The nodes as a tree; siblings in the order they were read (a node opens after its elder sibling closed). */
  #tree(): NodeSpan | undefined {
    const nodes: NodeSpan[] = [];
    for (let id = 0; id < this.#count; id++) {
      nodes.push({
        open: this.#opens[id] ?? 0,
        kind: KINDS[(this.#kinds[id] ?? 0) - 1] ?? null,
        result: this.#results[id],
        children: [],
      });
    }
    let root: NodeSpan | undefined;
    nodes.forEach((node, id) => {
      const parent = nodes[this.#parents[id] ?? -1];
      if (parent) parent.children.push(node);
      else root = node;
    });
    return root;
  }
}

/** A typed array twice as long, holding the same values first. */
function grown<T extends Int32Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * A lazy line finder over `text`: the text is parsed for positions on first use only, and
 * any failure simply yields `undefined`.
 */
export function lineFinder(text: string, source?: SourceText): LineFinder {
  let find: LineFinder | undefined;
  return (tokens, minDepth) => {
    if (find === undefined) {
      const recorder = new NodeRecorder();
      try {
        // `json: true`: a repeated key wins as it does in JSON.parse, instead of failing.
        yaml().load(text, { listener: recorder.listener, json: true });
        find = recorder.finder(text, source);
      } catch {
        find = () => undefined;
      }
    }
    return find(tokens, minDepth);
  };
}

/**
 * `lineOf(pointer)` and `positionOf(pointer)` for the entry (a client, an API, …) found at
 * `base` in a file.
 */
export function entryLocator(
  finder: LineFinder,
  base: readonly (string | number)[],
): {
  lineOf: (pointer: string) => number | undefined;
  positionOf: (pointer: string) => SourcePosition | undefined;
} {
  const positionOf = (pointer: string) => finder([...base, ...pointerTokens(pointer)], base.length);
  return { lineOf: (pointer) => positionOf(pointer)?.line, positionOf };
}

/** The deepest node on the path of `tokens`, and where it starts. */
function locate(
  root: NodeSpan,
  tokens: readonly (string | number)[],
  lines: LineIndex,
): { depth: number; position: SourcePosition } {
  let node = root;
  let offset = root.open;
  let depth = 0;
  for (const token of tokens) {
    const next = child(node, String(token));
    if (next === undefined) break;
    node = next.node;
    // An empty value (`key:` and nothing) is shown at its key.
    offset = node.kind === null && next.key ? next.key.open : node.open;
    depth += 1;
  }
  return { depth, position: lines.contentPosition(offset) };
}

function child(parent: NodeSpan, token: string): { node: NodeSpan; key?: NodeSpan } | undefined {
  const node = unwrapped(parent);
  const { children, result } = node;
  if (node.kind === 'sequence' && Array.isArray(result)) {
    if (children.length !== result.length || !/^(?:0|[1-9]\d*)$/.test(token)) return undefined;
    const item = children[Number(token)];
    return item && { node: item };
  }
  if (node.kind === 'mapping' && children.length % 2 === 0) {
    // The last pair with the key wins, as it does in the value (JSON mode allows repeats).
    for (let index = children.length - 2; index >= 0; index -= 2) {
      const key = children[index];
      const value = children[index + 1];
      if (key && value && key.kind === 'scalar' && String(key.result) === token) {
        return { node: value, key };
      }
    }
  }
  return undefined;
}

/**
 * A flow collection met where a block mapping's key could start (`{"a": 1}` at the top of
 * a JSON file) is composed inside a node that then only takes its result: look through it.
 */
function unwrapped(node: NodeSpan): NodeSpan {
  let inner = node;
  for (;;) {
    const [only] = inner.children;
    if (inner.children.length !== 1 || only === undefined) return inner;
    if (typeof inner.result !== 'object' || inner.result === null || only.result !== inner.result) {
      return inner;
    }
    inner = only;
  }
}

/**
 * The file as written, when the parsed text is that file after keyword replacement:
 * positions are reported in it.
 */
export interface SourceText {
  /** The file's text before replacement. */
  readonly text: string;
  /** The offset in `text` that an offset of the parsed text came from. */
  readonly original: (offset: number) => number;
}

/** Line numbers of offsets in a text (positions in the file as written, see SourceText). */
class LineIndex {
  readonly #text: string;
  readonly #starts: number[];
  readonly #source: SourceText | undefined;

  constructor(text: string, source?: SourceText) {
    this.#text = text;
    this.#source = source;
    this.#starts = lineStarts(source?.text ?? text);
  }

  /**
   * The 1-based line and column (in UTF-16 code units, as SARIF counts by default) of the
   * first content at or after `offset` (spaces and comments skipped).
   */
  contentPosition(offset: number): SourcePosition {
    const parsed = this.#skipBlank(offset);
    const start = this.#source ? this.#source.original(parsed) : parsed;
    const line = this.lineOf(start);
    return { line, column: start - (this.#starts[line - 1] ?? 0) + 1 };
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  #skipBlank(offset: number): number {
    const text = this.#text;
    let position = offset;
    while (position < text.length) {
      const char = text[position];
      if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
        position += 1;
      } else if (char === '#') {
        const end = text.indexOf('\n', position);
        if (end === -1) return position;
        position = end + 1;
      } else {
        break;
      }
    }
    return position;
  }
}

/** The offset where each line of `text` starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    starts.push(index + 1);
  }
  return starts;
}
