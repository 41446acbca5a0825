// @ts-check
/**
 * `npm run bench`: runs every suite in bench/suites (or the ones named on the command
 * line), prints one table and writes bench/results.json. A run of some suites replaces
 * only their lines there: the other suites keep the lines (and the date) of their last run.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';

const dir = new URL('./suites/', import.meta.url);
const wanted = process.argv.slice(2);
const files = (await readdir(dir))
  .filter((file) => file.endsWith('.js'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();

/** @type {(import('./harness.js').BenchLine & { suite: string })[]} */
const lines = [];
for (const file of files) {
  const suite = file.replace(/\.js$/, '');
  process.stderr.write(`running ${suite}...\n`);
  /** @type {{ default: () => Promise<import('./harness.js').BenchLine[]> }} */
  const module = await import(new URL(file, dir).href);
  for (const line of await module.default()) lines.push({ suite, ...line });
}

const format = (/** @type {number} */ n) =>
  n >= 1e6
    ? `${(n / 1e6).toFixed(2)} M/s`
    : n >= 1e3
      ? `${(n / 1e3).toFixed(1)} k/s`
      : `${n.toFixed(1)} /s`;
const rows = [
  ['suite', 'operation', 'ops/s', 'baseline', 'baseline ops/s', 'ratio', 'goal', 'met'],
  ...lines.map((l) => [
    l.suite,
    l.line,
    format(l.ops),
    l.baseline,
    format(l.baselineOps),
    l.ratio.toFixed(2),
    l.goal,
    l.met ? 'met' : 'NOT MET',
  ]),
];
const widths = rows.reduce(
  (acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)),
  /** @type {number[]} */ ([]),
);
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));

const machine = {
  node: process.version,
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
};
const date = new Date().toISOString();
const resultsFile = new URL('./results.json', import.meta.url);
/** @typedef {{ suite: string, date?: string | undefined }} StoredLine */
/** What an earlier run wrote; its lines of suites not run now are kept. */
const earlier = await readFile(resultsFile, 'utf8').then(
  (text) => /** @type {{ date?: string, lines?: StoredLine[] }} */ (JSON.parse(text)),
  () => /** @type {{ date?: string, lines?: StoredLine[] }} */ ({}),
);
const fresh = lines.map((line) => ({ ...line, date }));
const ran = new Set(fresh.map((line) => line.suite));
/**
 * The earlier lines in their order, a suite run now replaced where it was (or appended).
 * @type {StoredLine[]}
 */
const merged = [];
for (const line of earlier.lines ?? []) {
  if (!ran.has(line.suite)) merged.push({ ...line, date: line.date ?? earlier.date });
  else if (!merged.some((kept) => kept.suite === line.suite)) {
    merged.push(...fresh.filter((run) => run.suite === line.suite));
  }
}
merged.push(...fresh.filter((run) => !merged.some((kept) => kept.suite === run.suite)));
await writeFile(resultsFile, `${JSON.stringify({ date, machine, lines: merged }, null, 2)}\n`);
if (lines.some((l) => !l.met)) process.exitCode = 1;
