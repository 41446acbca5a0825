// @ts-check
/**
 * Shared helpers for bench suites. A suite is a module in `bench/suites/` whose default
 * export is `async () => BenchLine[]`; `bench/run.js` runs them all and prints the table.
 * Every goal is a ratio against a baseline measured in the same run, so figures hold on a
 * noisy machine.
 */
import { Bench } from 'tinybench';

/**
 * @typedef {object} BenchLine
 * @property {string} line       what is measured
 * @property {number} ops        operations per second of the measured operation
 * @property {string} baseline   what it is compared with
 * @property {number} baselineOps operations per second of the baseline
 * @property {number} ratio      the figure the goal is about (see `goal`)
 * @property {string} goal       human form, e.g. ">= 0.6 x throughput" or "<= 1.2 x cost"
 * @property {boolean} met       whether the goal is met
 */

/**
 * Measures synchronous or asynchronous functions. Each call of a function may perform
 * `batch` operations (so sub-microsecond operations are not drowned by timer overhead);
 * the result is operations per second.
 *
 * @param {Record<string, () => unknown>} fns
 * @param {{ batch?: number, time?: number, warmupTime?: number }} [options]
 * @returns {Promise<Record<string, number>>}
 */
export async function measure(fns, { batch = 1, time = 500, warmupTime = 150 } = {}) {
  const bench = new Bench({ time, warmupTime });
  for (const [name, fn] of Object.entries(fns)) bench.add(name, fn);
  await bench.run();
  /** @type {Record<string, number>} */
  const result = {};
  for (const task of bench.tasks) {
    const latency = task.result && 'latency' in task.result ? task.result.latency.mean : NaN;
    result[task.name] = (batch * 1000) / latency;
  }
  return result;
}

/**
 * A line whose goal is a minimum throughput ratio: `ops / baselineOps >= atLeast`.
 *
 * @param {{ line: string, ops: number, baseline: string, baselineOps: number, atLeast: number }} input
 * @returns {BenchLine}
 */
export function atLeast({ line, ops, baseline, baselineOps, atLeast: goal }) {
  const ratio = ops / baselineOps;
  return {
    line,
    ops,
    baseline,
    baselineOps,
    ratio,
    goal: `>= ${goal} x throughput`,
    met: ratio >= goal,
  };
}

/**
 * A line whose goal is a maximum cost ratio: `baselineOps / ops <= atMost` (the measured
 * operation may cost at most `atMost` times the baseline).
 *
 * @param {{ line: string, ops: number, baseline: string, baselineOps: number, atMost: number }} input
 * @returns {BenchLine}
 */
export function atMost({ line, ops, baseline, baselineOps, atMost: goal }) {
  const ratio = baselineOps / ops;
  return { line, ops, baseline, baselineOps, ratio, goal: `<= ${goal} x cost`, met: ratio <= goal };
}
