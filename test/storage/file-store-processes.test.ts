/**
 * FileStore against real processes: writers killed with SIGKILL at random moments, and
 * several processes writing the same file at once.
 *
 * The child processes run plain Node, so the FileStore sources are compiled first, on
 * their own, into a temporary directory (independent of `dist/` and of the rest of the
 * project's build state).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/storage/file-store.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'clientele-file-store-processes-'));
let moduleUrl = '';

beforeAll(() => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const out = join(root, 'build');
  const result = spawnSync(
    process.execPath,
    [
      tsc,
      ...['--outDir', out, '--rootDir', join(repo, 'src'), '--module', 'NodeNext'],
      ...['--moduleResolution', 'NodeNext', '--target', 'ES2023', '--types', 'node'],
      ...['--skipLibCheck', '--strict', join(repo, 'src/storage/file-store.ts')],
    ],
    { cwd: repo, encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`compiling FileStore failed:\n${result.stdout}${result.stderr}`);
  moduleUrl = pathToFileURL(join(out, 'storage', 'file-store.js')).href;
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Seeded choices, so a failing round can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

interface Run {
  acks: string[];
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Starts an `ack` writer and kills it with SIGKILL after `afterAcks` acknowledged writes
 * plus `delayMs` (so the kill lands anywhere inside the next write), or after `delayMs`
 * alone when `afterAcks` is 0 (a kill during start-up or the first write).
 */
function runAndKill(
  path: string,
  prefix: string,
  afterAcks: number,
  delayMs: number,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, moduleUrl, path, 'ack', prefix], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { acks: [], stderr: '', code: null, signal: null };
    let buffered = '';
    let armed = false;
    const arm = () => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    if (afterAcks === 0) arm();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) run.acks.push(line.slice(4));
      if (run.acks.length >= afterAcks) arm();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    child.on('error', reject);
    // 'close' waits for the pipes to drain, so every ack written before the kill is read.
    child.on('close', (code, signal) => resolve({ ...run, code, signal }));
  });
}

function runToEnd(path: string, prefix: string, count: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [writer, moduleUrl, path, 'increment', prefix, String(count)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`writer ${prefix} exited with ${code}:\n${stderr}`)),
    );
  });
}

describe('FileStore across processes', () => {
  it('keeps every acknowledged write and a parseable file when writers are killed mid-write', async () => {
    const seed = Date.now() % 100_000;
    const next = random(seed);
    const path = join(root, 'crash', 'store.json');
    await new FileStore(path).insert('meta', 'counter', { n: 0 });
    const acknowledged: string[] = [];
    const rounds = 20;
    let killedInsideAWrite = 0;
    for (let round = 0; round < rounds; round++) {
      const afterAcks = next() < 0.2 ? 0 : 1 + Math.floor(next() * 25);
      const delayMs = Math.floor(next() * 8);
      const run = await runAndKill(path, `r${round}`, afterAcks, delayMs);
      const context = `seed ${seed}, round ${round} (kill after ${afterAcks} acks + ${delayMs} ms)`;
      expect(run.signal, `${context}: the writer must die by SIGKILL\n${run.stderr}`).toBe(
        'SIGKILL',
      );
      acknowledged.push(...run.acks);
      // A lock file left behind means the kill landed between taking the lock and
      // releasing it, i.e. inside a write: the case this test exists for.
      if (existsSync(`${path}.lock`)) killedInsideAWrite++;

      // The file on disk is one complete version: valid JSON in the store format...
      const raw = JSON.parse(readFileSync(path, 'utf8')) as { format: string };
      expect(raw.format, context).toBe('clientele-store');
      // ...that holds every write that was acknowledged, and whole commits only.
      const store = new FileStore(path);
      const ids = new Set((await store.list('acks')).map((r) => r.id));
      expect(
        acknowledged.filter((id) => !ids.has(id)),
        context,
      ).toEqual([]);
      expect((await store.get('meta', 'counter'))?.value, context).toEqual({ n: ids.size });
    }
    expect(acknowledged.length).toBeGreaterThan(rounds);
    // Most kills land inside a write (a write is far longer than the gap between two);
    // none at all would mean the test no longer exercises what it claims to.
    expect(killedInsideAWrite, `seed ${seed}`).toBeGreaterThan(0);

    // A stale lock or temporary file left by the last kill does not stop the next writer.
    const after = new FileStore(path);
    const counter = (await after.get<{ n: number }>('meta', 'counter'))!;
    await after.replace('meta', 'counter', { n: counter.value.n }, counter.version);
    expect(readdirSync(join(path, '..'))).toEqual(['store.json']);
  }, 180_000);

  it('loses no update when several processes read-modify-write the same record', async () => {
    const path = join(root, 'concurrent', 'store.json');
    await new FileStore(path).insert('meta', 'counter', { n: 0 });
    const writers = ['p0', 'p1', 'p2'];
    const perWriter = 40;
    const outputs = await Promise.all(writers.map((prefix) => runToEnd(path, prefix, perWriter)));
    for (const output of outputs) expect(output).toMatch(/^done \d+\n$/);

    const store = new FileStore(path);
    const counter = await store.get('meta', 'counter');
    expect(counter?.value).toEqual({ n: writers.length * perWriter });
    expect(counter?.version).toBe(writers.length * perWriter + 1);
    const items = (await store.list('items')).map((r) => r.id).sort();
    const expected = writers
      .flatMap((p) => Array.from({ length: perWriter }, (_, i) => `${p}-${i}`))
      .sort();
    expect(items).toEqual(expected);
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 180_000);
});
