import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  findKeywordMarkers,
  findMarkersInValue,
  loadKeywords,
  replaceKeywords,
  replaceKeywordsMapped,
} from '../../src/cli/keywords.js';
import { fixture } from './helpers.js';

const key = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,11}$/);

describe('replaceKeywords', () => {
  it('replaces ##KEY## with the value as text', () => {
    expect(replaceKeywords('name: "##ENV## shop"', { ENV: 'dev' })).toBe('name: "dev shop"');
    expect(replaceKeywords('port: ##PORT##', { PORT: 8080 })).toBe('port: 8080');
  });

  it('renders a non-string ##KEY## value as the Deploy CLI does (String(value))', () => {
    expect(replaceKeywords('[ "a", ##MORE## ]', { MORE: '"b", "c"' })).toBe('[ "a", "b", "c" ]');
    expect(replaceKeywords('x: ##LIST##', { LIST: ['a', 'b'] })).toBe('x: a,b');
    expect(replaceKeywords('x: ##OBJ##', { OBJ: { toString: 1 } })).toBe('x: [object Object]');
  });

  it('replaces @@KEY@@ with the JSON value, swallowing surrounding double quotes', () => {
    const mappings = { URLS: ['https://a.example.com', 'https://b.example.com'] };
    expect(replaceKeywords('callbacks: @@URLS@@', mappings)).toBe(
      'callbacks: ["https://a.example.com","https://b.example.com"]',
    );
    expect(replaceKeywords('{"callbacks": "@@URLS@@"}', mappings)).toBe(
      '{"callbacks": ["https://a.example.com","https://b.example.com"]}',
    );
    expect(replaceKeywords("name: '@@NAME@@'", { NAME: 'x' })).toBe(`name: '"x"'`);
  });

  it('leaves markers of unknown keys alone and treats keys literally', () => {
    expect(replaceKeywords('##OTHER## @@OTHER@@', { ENV: 'dev' })).toBe('##OTHER## @@OTHER@@');
    expect(replaceKeywords('@@A.B@@ @@AXB@@', { 'A.B': 1 })).toBe('1 @@AXB@@');
    expect(replaceKeywords('##K##', { K: '$& $1 $$' })).toBe('$& $1 $$');
  });

  it('runs every ## replacement before the @@ ones, as the Deploy CLI does', () => {
    expect(replaceKeywords('##A##', { A: '@@B@@', B: [1] })).toBe('[1]');
  });

  it('leaves a text without markers unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.dictionary(key, fc.jsonValue()),
        (text, mappings) => {
          fc.pre(
            Object.keys(mappings).every(
              (k) => !text.includes(`##${k}##`) && !text.includes(`@@${k}@@`),
            ),
          );
          expect(replaceKeywords(text, mappings)).toBe(text);
        },
      ),
    );
  });

  it('makes @@KEY@@ yield exactly the JSON value, in JSON and in YAML', () => {
    fc.assert(
      fc.property(key, fc.jsonValue({ stringUnit: 'grapheme' }), (name, value) => {
        const expected: unknown = JSON.parse(JSON.stringify(value));
        const json = replaceKeywords(`{"value": "@@${name}@@"}`, { [name]: value });
        expect((JSON.parse(json) as { value: unknown }).value).toStrictEqual(expected);
        const yaml = replaceKeywords(`value: @@${name}@@\n`, { [name]: value });
        expect((load(yaml) as { value: unknown }).value).toStrictEqual(expected);
      }),
    );
  });

  it('makes ##KEY## inside a string yield exactly the text', () => {
    fc.assert(
      fc.property(key, fc.string(), fc.string(), (name, before, value) => {
        fc.pre(!before.includes('#') && !value.includes('#') && !value.includes('@'));
        expect(replaceKeywords(`${before}##${name}##`, { [name]: value })).toBe(before + value);
      }),
    );
  });
});

describe('finding markers left in a file', () => {
  it('lists each marker once, in order', () => {
    expect(findKeywordMarkers('##A## @@B@@ ##A## #not# @@ c @@')).toEqual(['##A##', '@@B@@']);
  });

  it('reports the JSON pointer of every string or key that still holds one', () => {
    expect(
      findMarkersInValue({
        name: '##ENV## shop',
        callbacks: ['https://ok.example.com', 'https://##DOMAIN##/cb'],
        client_metadata: { '##K##': 'v', 'a/b': '@@X@@' },
      }),
    ).toEqual([
      { path: '/name', markers: ['##ENV##'] },
      { path: '/callbacks/1', markers: ['##DOMAIN##'] },
      { path: '/client_metadata/##K##', markers: ['##K##'] },
      { path: '/client_metadata/a~1b', markers: ['@@X@@'] },
    ]);
  });
});

describe('loadKeywords', () => {
  it('reads a plain object of keyword values', async () => {
    const loaded = await loadKeywords(fixture('keywords.json'));
    expect(loaded).toMatchObject({ ok: true, mappings: { ENV: 'staging' } });
  });

  it('reads the mappings out of a Deploy CLI config.json', async () => {
    const loaded = await loadKeywords(fixture('deploy-cli-config.json'));
    expect(loaded.ok && Object.keys(loaded.mappings)).toEqual([
      'ENV',
      'DOMAIN',
      'SPA_CALLBACKS',
      'SPA_ORIGINS',
    ]);
  });

  it('says why a file cannot be used', async () => {
    expect(await loadKeywords(fixture('missing.json'))).toEqual({
      ok: false,
      reason: 'no such file or directory',
    });
    expect(await loadKeywords(fixture('bad/array.json'))).toEqual({
      ok: false,
      reason: 'a keywords file must be a JSON object of KEY: value',
    });
    const invalid = await loadKeywords(fixture('bad/invalid-json.json'));
    expect(invalid.ok).toBe(false);
    expect(!invalid.ok && invalid.reason).toMatch(/^invalid JSON: /);
  });
});

describe('replaceKeywordsMapped: where each offset of the replaced text came from', () => {
  const mappings = { A: 'x', B: 'a longer\nvalue', LIST: ['one', 'two'] };

  it('gives what replaceKeywords gives, and maps every offset back', () => {
    const piece = fc.constantFrom(
      '##A##',
      '##B##',
      '@@LIST@@',
      '"@@LIST@@"',
      '##C##',
      'k: ',
      '\n',
      'ab',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        const mapped = replaceKeywordsMapped(text, mappings);
        expect(mapped.text).toBe(replaceKeywords(text, mappings));
        for (let offset = 0; offset < mapped.text.length; offset++) {
          const from = mapped.original(offset);
          expect(from).toBeGreaterThanOrEqual(0);
          expect(from).toBeLessThan(text.length);
          // Either the same character, or the start of the marker whose value holds it.
          const marker = /^(?:##(?:A|B)##|"?@@LIST@@"?)/.exec(text.slice(from));
          expect(text[from] === mapped.text[offset] || marker !== null).toBe(true);
        }
      }),
    );
  });

  it('locates findings in the file as written, also below a value with a line break', () => {
    const text = 'a: ##B##\nb: ##A##, c\n';
    const mapped = replaceKeywordsMapped(text, mappings);
    expect(mapped.text).toBe('a: a longer\nvalue\nb: x, c\n');
    expect(mapped.original(mapped.text.indexOf('c\n'))).toBe(text.indexOf('c\n'));
    expect(mapped.original(mapped.text.indexOf('value'))).toBe(text.indexOf('##B##'));
  });
});
