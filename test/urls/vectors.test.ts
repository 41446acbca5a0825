import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAllowList, type AllowListKind, type AllowListOptions } from '../../src/index.js';

interface AllowListVector {
  allowed: string[];
  candidate: string;
  kind: AllowListKind;
  options: AllowListOptions;
  expect: boolean;
  why: string;
}

const vectors = JSON.parse(
  readFileSync(new URL('../vectors/url-allowlist.json', import.meta.url), 'utf8'),
) as AllowListVector[];

/** A list that createAllowList rejects counts as "not allowed" (the vectors' convention). */
function decide(vector: AllowListVector): boolean {
  let list;
  try {
    list = createAllowList(vector.kind, vector.allowed, vector.options);
  } catch {
    return false;
  }
  return list.allows(vector.candidate);
}

describe('shared URL allow-list vectors', () => {
  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThan(100);
  });

  it.each(vectors.map((v) => [`${v.kind}: ${v.why} — ${JSON.stringify(v.candidate)}`, v] as const))(
    '%s',
    (_title, vector) => {
      expect(decide(vector)).toBe(vector.expect);
    },
  );
});
