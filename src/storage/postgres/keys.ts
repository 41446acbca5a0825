/**
 * How PostgresStore writes collection names and ids into `text` columns, and how it
 * quotes identifiers.
 *
 * PostgreSQL `text` cannot hold NUL, and the driver turns an unpaired UTF-16 surrogate
 * into U+FFFD, yet the store contract allows any string. Both, and the backslash that
 * introduces the escapes, are written as escapes; every other string is stored as it is,
 * so the columns stay readable.
 *
 * @internal
 * @module
 */

const SPECIAL = /[\\\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPE = /\\(\\|0|u[0-9a-f]{4})/g;

/** The column text for a collection name or id (injective: distinct keys stay distinct). */
export function encodeKey(key: string): string {
  SPECIAL.lastIndex = 0;
  if (!SPECIAL.test(key)) return key;
  return key.replace(SPECIAL, (char) => {
    if (char === '\\') return '\\\\';
    if (char === '\0') return '\\0';
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** The collection name or id a column text stands for. */
export function decodeKey(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(ESCAPE, (_all, code: string) => {
    if (code === '\\') return '\\';
    if (code === '0') return '\0';
    return String.fromCharCode(Number.parseInt(code.slice(1), 16));
  });
}

/** `name` as a quoted SQL identifier (`"my schema"`, quotes doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
