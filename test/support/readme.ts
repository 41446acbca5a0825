/**
 * The README's code blocks, read the way the README test runs them.
 *
 * A block shows results the way a reader expects them, as comments, and those comments are
 * what the tests assert:
 *
 * - `expr; // value` and `const x = expr; // value`: `value` (a JavaScript literal: a
 *   string, number, boolean, `null`, array or object, possibly followed by `:`, `;`, `,` or
 *   ` (` and prose) must deep-equal the expression or the binding. `console.log(expr);
 *   // value` asserts `expr`.
 * - `expr; // throws Name…`: the expression must throw (or reject with) an error whose
 *   class is called `Name`.
 * - A run of comment lines that ends the block, in a block that prints: the printed lines,
 *   in order. A comment line ending in `…` matches a printed line that starts with the text
 *   before it; whitespace runs compare as one space.
 *
 * Comments that are not of these forms are prose.
 */

/** One fenced code block. */
export interface ReadmeBlock {
  /** The `##`/`###` heading the block is under. */
  readonly heading: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The info string's first word: `ts`, `js`, `sh`, `json`, … */
  readonly lang: string;
  /** The code between the fences. */
  readonly code: string;
}

/** Every fenced block of a Markdown text, with the heading it belongs to. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const title = /^#{2,3} (.+)$/.exec(line);
    if (title) heading = title[1] ?? '';
    const fence = /^```(\w*)/.exec(line);
    if (!fence) continue;
    const start = index;
    const body: string[] = [];
    while (++index < lines.length && !(lines[index] ?? '').startsWith('```')) {
      body.push(lines[index] ?? '');
    }
    blocks.push({ heading, line: start + 1, lang: fence[1] ?? '', code: body.join('\n') });
  }
  return blocks;
}

/** Where a literal at the start of `text` ends, or -1 when there is none. */
function literalEnd(text: string): number {
  const keyword = /^(?:true|false|null|undefined|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\b/i.exec(text);
  if (keyword) return keyword[0].length;
  const open = text[0];
  if (open !== '[' && open !== '{' && open !== "'" && open !== '"') return -1;
  let depth = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === '\\') index++;
      else if (char === quote) {
        quote = undefined;
        if (depth === 0) return index + 1;
      }
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/** The literal a result comment states, as source text, or `undefined` for prose. */
export function statedValue(comment: string): string | undefined {
  const end = literalEnd(comment);
  if (end < 0) return undefined;
  const rest = comment.slice(end);
  if (rest !== '' && !/^(?::|;|,| \()/.test(rest)) return undefined;
  const literal = comment.slice(0, end);
  // In an object literal `__proto__: v` sets the prototype instead of a property, so a
  // JSON-looking value with that key would be compared as something else: leave it as prose.
  if (literal.includes('__proto__')) return undefined;
  try {
    // Only literals: anything that names a variable (`{ client_id, … }`) is prose.
    new Function(`'use strict'; return (${literal});`)();
  } catch {
    return undefined;
  }
  return literal;
}

/** A block rewritten to check what it states, and what it must print. */
export interface CheckedBlock {
  /** The code with an assertion for every result comment. */
  readonly code: string;
  /** How many results it asserts. */
  readonly assertions: number;
  /** The printed lines the block states at its end (empty: output not checked). */
  readonly printed: readonly string[];
}

const STATEMENT = /^(\s*)(?!\/\/)(.*?);\s*\/\/ (.+)$/;

/**
 * Rewrites a block so that each result comment becomes an assertion through the
 * `__expect(actual, expected, line)` and `__expectThrows(thunk, name, line)` functions
 * that {@link CHECK_PRELUDE} defines.
 */
export function checkedBlock(code: string): CheckedBlock {
  const lines = code.split('\n');
  let assertions = 0;
  const out = lines.map((line, index) => {
    const match = STATEMENT.exec(line);
    if (!match) return line;
    const [, indent = '', statement = '', comment = ''] = match;
    const where = index + 1;
    const thrown = /^throws (\w+)/.exec(comment);
    if (thrown && !/^(const|let|var|return)\b/.test(statement)) {
      assertions++;
      return `${indent}await __expectThrows(async () => ${statement}, '${thrown[1]}', ${where});`;
    }
    const value = statedValue(comment);
    if (value === undefined) return line;
    const binding = /^(?:const|let) (?:(\w+)|\{ (\w+) \}) = /.exec(statement);
    assertions++;
    if (binding)
      return `${line}\n${indent}__expect(${binding[1] ?? binding[2]}, ${value}, ${where});`;
    const logged = /^console\.log\((.*)\)$/.exec(statement);
    const actual = logged ? logged[1] : statement;
    const check = `__expect(${actual}, ${value}, ${where})`;
    return `${indent}${logged ? `console.log(${check})` : check};`;
  });
  const printed: string[] = [];
  for (let index = lines.length - 1; index >= 0; index--) {
    const comment = /^\/\/ ?(.*)$/.exec(lines[index] ?? '');
    if (!comment) break;
    printed.unshift(comment[1] ?? '');
  }
  return { code: out.join('\n'), assertions, printed };
}

/** The assertion functions a checked block calls (plain JavaScript, prepended to it). */
export const CHECK_PRELUDE = `
import { isDeepStrictEqual as __equal, inspect as __inspect } from 'node:util';
async function __expectThrows(thunk, name, line) {
  try {
    await thunk();
  } catch (error) {
    if (error?.constructor?.name === name) return;
    throw new Error(\`README block line \${line}: expected \${name}, got \${error?.constructor?.name}: \${error?.message}\`);
  }
  throw new Error(\`README block line \${line}: expected \${name} to be thrown, nothing was\`);
}
function __expect(actual, expected, line) {
  if (!__equal(actual, expected)) {
    throw new Error(\`README block line \${line}: expected \${__inspect(expected)}, got \${__inspect(actual)}\`);
  }
  return actual;
}
`;

/** Whether printed output is what a block states (see the module comment). */
export function matchesPrinted(stated: readonly string[], output: string): boolean {
  const squash = (text: string) => text.trim().replace(/\s+/g, ' ');
  const lines = output.split('\n').map(squash).filter(Boolean);
  if (lines.length !== stated.length) return false;
  return stated.every((line, index) => {
    const want = squash(line);
    const got = lines[index] ?? '';
    return want.endsWith('…') ? got.startsWith(want.slice(0, -1).trimEnd()) : got === want;
  });
}
