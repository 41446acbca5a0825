import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { MAX_EXPANDED_VALUES, parseJsonText, parseYamlText } from '../../src/cli/loaders/parse.js';
import { lineFinder } from '../../src/cli/loaders/source-lines.js';

/** The parsed value, or the reason it could not be parsed. */
function parsed(text: string): unknown {
  const result = parseYamlText(text);
  return result.ok ? result.value : result.reason;
}

describe('YAML as the Deploy CLI reads it (js-yaml 4)', () => {
  it('reads a loosely indented flow map that a stricter YAML 1.2 parser refuses', () => {
    const text = [
      'clients:',
      '  - {name: Shop,',
      '  app_type: spa,',
      '      callbacks: [https://shop.example.com/cb,',
      ' https://shop.example.com/cb2]}',
      '',
    ].join('\n');
    expect(parsed(text)).toEqual({
      clients: [
        {
          name: 'Shop',
          app_type: 'spa',
          callbacks: ['https://shop.example.com/cb', 'https://shop.example.com/cb2'],
        },
      ],
    });
    const result = parseYamlText(text);
    expect(result.ok && result.lines?.(['clients', 0, 'app_type'])).toEqual(at(3, 13));
    expect(result.ok && result.lines?.(['clients', 0, 'callbacks', 1])).toEqual(at(5, 2));
  });

  it('refuses a duplicate key with its line and column, as the Deploy CLI does', () => {
    expect(parsed('clients:\n  - name: A\n    name: B\n')).toBe(
      'invalid YAML at line 3, column 5: duplicated mapping key',
    );
  });

  it('gives the value the Deploy CLI sends: timestamps as ISO strings, shared nodes copied', () => {
    const value = parsed('a: &x [1]\nb: *x\nexpires_at: 2030-01-02\n') as Record<string, unknown>;
    expect(value).toEqual({ a: [1], b: [1], expires_at: '2030-01-02T00:00:00.000Z' });
    expect(value['a']).not.toBe(value['b']);
  });

  it('gives exactly the JSON round trip of what js-yaml reads, for any mix of plain and special values', () => {
    const snippet = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      fc.constantFrom(
        '2030-01-02',
        '2030-01-02T03:04:05Z',
        '-0',
        '-0.0',
        '.inf',
        '-.inf',
        '.nan',
        '!!binary aGVsbG8=',
        '0x1F',
        '~',
        '{"__proto__": 1}',
        '!!set {a, b}',
        '!!omap [a: 1, b: 2]',
        '*shared',
        '[*shared, *shared]',
      ),
    );
    fc.assert(
      fc.property(fc.array(snippet, { maxLength: 6 }), (snippets) => {
        const text = [
          'shared: &shared {x: [1, 2]}',
          ...snippets.map((value, index) => `k${index}: ${value}`),
        ].join('\n');
        const expected: unknown = JSON.parse(JSON.stringify(yaml.load(text)));
        expect(parsed(text)).toStrictEqual(expected);
      }),
    );
  });

  it('refuses aliases that expand beyond the limit (billion laughs) and aliases inside themselves', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    expect(parsed(levels.join('\n'))).toBe(
      `invalid YAML: its aliases expand to more than ${MAX_EXPANDED_VALUES} values`,
    );
    expect(parsed('a: &a [*a]\n')).toMatch(/^invalid YAML: its aliases expand/);
  });

  it('falls back to the parent line where the node tree does not match the value', () => {
    const text = 'base: &base\n  app_type: spa\nclient:\n  <<: *base\n  name: Shop\n';
    const result = parseYamlText(text);
    expect(result.ok && result.lines?.(['client', 'name'])).toEqual(at(5, 9));
    // A merged-in key is not written under the client: its position is the client's.
    expect(result.ok && result.lines?.(['client', 'app_type'])).toEqual(at(4, 3));
    expect(result.ok && result.lines?.(['client', 'app_type'], 2)).toBeUndefined();
  });

  it('shows an empty value at its key, and skips comments before a value', () => {
    const text = 'a:\n  # about b\n  b:\n  c: # about c\n    - 1\n';
    const find = lineFinder(text);
    expect(find(['a', 'b'])).toEqual(at(3, 3));
    expect(find(['a', 'c'])).toEqual(at(5, 5));
    expect(find(['a', 'c', 0])).toEqual(at(5, 7));
  });

  it('locates pointers in JSON, a repeated key at its last occurrence as JSON.parse reads it', () => {
    const text =
      '{\n  "clients": [\n    {"name": "A"},\n    {\n      "name": "B",\n      "name": "C"\n    }\n  ]\n}\n';
    expect(parseJsonText(text).ok).toBe(true);
    const find = lineFinder(text);
    expect(find(['clients', 0, 'name'])).toEqual(at(3, 14));
    expect(find(['clients', 1, 'name'])).toEqual(at(6, 15));
    expect(find(['clients', 1])).toEqual(at(4, 5));
  });

  it('finds the line and column where every value of any JSON document is written', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        const { text, positions } = layOut(value);
        const find = lineFinder(text);
        for (const [tokens, position] of positions) expect(find(tokens)).toEqual(position);
      }),
    );
  });
});

const at = (line: number, column: number) => ({ line, column });

/**
 * JSON with every array item and object member on a line of its own, indented, and the
 * line and column where the value at each pointer (as tokens) starts.
 */
function layOut(value: unknown): {
  text: string;
  positions: [(string | number)[], { line: number; column: number }][];
} {
  const positions: [(string | number)[], { line: number; column: number }][] = [[[], at(1, 1)]];
  let text = '';
  let line = 1;
  const newLine = (): void => {
    text += '\n';
    line += 1;
  };
  const column = () => text.length - text.lastIndexOf('\n');
  const write = (node: unknown, tokens: (string | number)[]): void => {
    const entries: [string | number, unknown][] | undefined = Array.isArray(node)
      ? node.map((item, index) => [index, item])
      : typeof node === 'object' && node !== null
        ? Object.entries(node)
        : undefined;
    if (entries === undefined || entries.length === 0) {
      text += JSON.stringify(node);
      return;
    }
    text += Array.isArray(node) ? '[' : '{';
    entries.forEach(([token, item], index) => {
      newLine();
      text += ' '.repeat(tokens.length + 1);
      if (typeof token === 'string') text += `${JSON.stringify(token)}: `;
      positions.push([[...tokens, token], at(line, column())]);
      write(item, [...tokens, token]);
      if (index < entries.length - 1) text += ',';
    });
    newLine();
    text += Array.isArray(node) ? ']' : '}';
  };
  write(value, []);
  return { text, positions };
}
