import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintClient, validateClientSettings } from '../../src/index.js';

interface SettingsVector {
  name: string;
  input: unknown;
  ok: boolean;
  /** Dotted paths into the value and what they must equal. */
  expect?: Record<string, unknown>;
  /** JSON pointers that must be among the issues. */
  paths?: string[];
  /** Valid for Auth0, but lint errors at exactly these JSON pointers. */
  lintErrors?: string[];
}

const vectors = JSON.parse(
  readFileSync(new URL('../vectors/client-settings.json', import.meta.url), 'utf8'),
) as SettingsVector[];

function at(value: unknown, dotted: string): unknown {
  let node = value;
  for (const key of dotted.split('.')) {
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[key]
        : undefined;
  }
  return node;
}

describe('shared client settings vectors', () => {
  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThan(20);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const result = validateClientSettings(vector.input);
    if (vector.ok) {
      expect(result.ok ? [] : result.issues).toEqual([]);
      if (!result.ok) return;
      for (const [path, expected] of Object.entries(vector.expect ?? {})) {
        expect(at(result.value, path), path).toEqual(expected);
      }
      const errors = lintClient(result.value).filter((finding) => finding.severity === 'error');
      expect(errors.map((finding) => finding.path).sort()).toEqual(
        [...(vector.lintErrors ?? [])].sort(),
      );
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const paths = result.issues.map((issue) => issue.path);
      for (const path of vector.paths ?? []) expect(paths).toContain(path);
    }
  });
});
