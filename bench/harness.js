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
 * The tasks are measured in `rounds` interleaved rounds and each keeps its best round, so
 * a burst of load on a shared machine hits a measured operation and its baseline alike
 * instead of skewing their ratio.
 *
 * @param {Record<string, () => unknown>} fns
 * @param {{ batch?: number, time?: number, warmupTime?: number, rounds?: number }} [options]
 * @returns {Promise<Record<string, number>>}
 */
export async function measure(fns, { batch = 1, time = 600, warmupTime = 150, rounds = 3 } = {}) {
  /** @type {Record<string, number>} */
  const result = {};
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: time / rounds, warmupTime: round === 0 ? warmupTime : 0 });
    for (const [name, fn] of Object.entries(fns)) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const latency = task.result && 'latency' in task.result ? task.result.latency.mean : NaN;
      const ops = (batch * 1000) / latency;
      result[task.name] = Math.max(result[task.name] ?? 0, Number.isFinite(ops) ? ops : 0);
    }
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
