// @ts-check
/**
 * Cold import (DESIGN: `import 'clientele'` at most 2 × `import 'jose'`, `clientele/http`
 * at most 3 ×): each sample is a fresh Node process that times one dynamic `import()` of
 * the built package (the bundles of scripts/bundle.js) from inside, so process start-up
 * is left out and only loading and evaluating the modules counts. The three imports take
 * turns, 15 samples each, and each line compares medians.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { atMost } from '../harness.js';

const SAMPLES = 15;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SPECIFIERS = ['jose', 'clientele', 'clientele/http'];

/** Milliseconds one fresh process takes to import `specifier`. */
function sample(/** @type {string} */ specifier) {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }),
  );
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

export default async function coldImportBench() {
  /** @type {Record<string, number[]>} */
  const times = Object.fromEntries(SPECIFIERS.map((specifier) => [specifier, []]));
  for (let round = 0; round < SAMPLES; round++) {
    for (const specifier of SPECIFIERS) times[specifier]?.push(sample(specifier));
  }
  const perSecond = (/** @type {string} */ specifier) => 1000 / median(times[specifier] ?? []);
  const jose = perSecond('jose');
  return [
    atMost({
      line: `cold import 'clientele' (fresh process, median of ${SAMPLES})`,
      ops: perSecond('clientele'),
      baseline: "cold import 'jose'",
      baselineOps: jose,
      atMost: 2,
    }),
    atMost({
      line: `cold import 'clientele/http' (fresh process, median of ${SAMPLES})`,
      ops: perSecond('clientele/http'),
      baseline: "cold import 'jose'",
      baselineOps: jose,
      atMost: 3,
    }),
  ];
}
