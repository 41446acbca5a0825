/**
 * Wording helpers shared by validation and lint, so every message names its field the
 * same way (`callbacks[2]`, `jwt_configuration.alg`) and quotes values the same way.
 */

const MAX_QUOTED = 80;

/**
 * The field a JSON pointer names, as people write it: `/callbacks/2` → `callbacks[2]`,
 * `/jwt_configuration/alg` → `jwt_configuration.alg`, `''` → `client settings`.
 */
export function labelOf(pointer: string): string {
  if (pointer === '') return 'client settings';
  let label = '';
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (label !== '' && /^(?:0|[1-9][0-9]*)$/.test(token)) label += `[${token}]`;
    else label += label === '' ? token : `.${token}`;
  }
  return label;
}

/** A value for a "(got …)" clause: strings quoted and shortened, containers by kind. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      break;
  }
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return 'an array';
    // Hostile objects (proxies, getters) may throw here; they are just "an object".
    const proto: unknown = Object.getPrototypeOf(value);
    const name =
      proto !== null && typeof proto === 'object'
        ? (proto as { constructor?: { name?: unknown } }).constructor?.name
        : undefined;
    if (typeof name === 'string' && /^[A-Za-z_$][\w$]{0,40}$/.test(name) && name !== 'Object') {
      return `a ${name}`;
    }
  } catch {
    // fall through
  }
  return 'an object';
}

/** A string in double quotes, escaped like JSON, shortened to a readable length. */
export function quote(text: string): string {
  const shown = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;
  return JSON.stringify(shown);
}

/** Length in code points, as JSON Schema (and ajv) count string length. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** `a, b or c` for short lists of allowed values. */
export function oneOf(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;
}
