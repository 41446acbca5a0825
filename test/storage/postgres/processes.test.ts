/**
 * Several processes on one PostgreSQL schema, each a Tenant on its own PostgresStore:
 * concurrent creates, updates and deletes; how fast one instance's change reaches the
 * others; a writer killed with SIGKILL in the middle of a batch.
 *
 * The instance script is bundled from TypeScript once (esbuild, which Vitest already
 * ships) into a temporary directory, independent of `dist/`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from 'clientele/postgres';
import { AVAILABLE, DATABASE_URL, RUN, dropRunSchemas, newPool } from './database.js';

// Inside the project, so the bundle resolves `pg` from its node_modules.
const cache = fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url));
mkdirSync(cache, { recursive: true });
const root = mkdtempSync(join(cache, 'clientele-pg-processes-'));
const script = join(root, 'instance.mjs');

type Reply = { reply: string } & Record<string, unknown>;

/** A child instance and a way to wait for its next reply of a kind. */
class Instance {
  readonly child: ChildProcess;
  readonly #waiting: { kind: string; resolve: (reply: Reply) => void }[] = [];
  readonly replies: Reply[] = [];
  readonly exited: Promise<void>;

  constructor(schema: string, name: string) {
    this.child = fork(script, [], {
      env: { ...process.env, DATABASE_URL, CLIENTELE_SCHEMA: schema, CLIENTELE_INSTANCE: name },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        for (const waiting of this.#waiting.splice(0)) {
          waiting.resolve({ reply: 'error', message: `exited (${code ?? signal})` });
        }
        resolve();
      }),
    );
    this.child.on('message', (message: Reply) => {
      this.replies.push(message);
      const index = this.#waiting.findIndex(
        (w) => w.kind === message.reply || message.reply === 'error',
      );
      if (index >= 0) this.#waiting.splice(index, 1)[0]?.resolve(message);
    });
  }

  /** The next reply of `kind` (an error reply fails the test). */
  async next(kind: string): Promise<Reply> {
    const reply = await new Promise<Reply>((resolve) => this.#waiting.push({ kind, resolve }));
    if (reply.reply === 'error') throw new Error(`instance failed: ${String(reply['message'])}`);
    return reply;
  }

  async ask(message: Record<string, unknown>, kind = String(message['cmd'])): Promise<Reply> {
    const reply = this.next(kind);
    this.child.send(message);
    return reply;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.send({ cmd: 'stop' });
      await this.exited;
    }
  }
}

describe.skipIf(!AVAILABLE)('PostgresStore with several processes', () => {
  const pool = newPool(4);

  beforeAll(async () => {
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/instance.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: script,
      external: ['pg'],
      logLevel: 'silent',
    });
  }, 60_000);

  afterAll(async () => {
    await dropRunSchemas(pool);
    await pool.end();
    rmSync(root, { recursive: true, force: true });
  });

  it('loses no acknowledged write, duplicates no id, keeps versions monotonic, and spreads changes to every instance', async () => {
    const schema = `${RUN}_p3`;
    const instances = ['a', 'b', 'c'].map((name) => new Instance(schema, name));
    try {
      await Promise.all(instances.map((instance) => instance.next('ready')));
      const results = await Promise.all(
        instances.map((instance, index) =>
          instance.ask({ cmd: 'work', steps: 40, seed: index + 1 }),
        ),
      );

      const store = new PostgresStore({ pool, schema });
      const records = await store.list<{ client_id: string }>('clients');
      const ids = records.map((record) => record.id);
      expect(new Set(ids).size).toBe(ids.length);
      const byId = new Map(records.map((record) => [record.id, record]));
      const deleted = new Set<string>();
      let acknowledged = 0;
      for (const result of results) {
        const acks = result['acks'] as { op: string; id: string; version: number }[];
        acknowledged += acks.length;
        for (const ack of acks) if (ack.op === 'delete') deleted.add(ack.id);
        // Each instance saw every client's versions only grow.
        for (const versions of Object.values(result['observed'] as Record<string, number[]>)) {
          expect(versions).toEqual([...versions].sort((x, y) => x - y));
        }
      }
      expect(acknowledged).toBeGreaterThan(100);
      for (const result of results) {
        for (const ack of result['acks'] as { op: string; id: string; version: number }[]) {
          if (ack.op === 'delete') {
            expect(byId.has(ack.id), `deleted ${ack.id}`).toBe(false);
          } else if (!deleted.has(ack.id)) {
            // Created and never deleted: present, at least at the acknowledged version.
            expect(byId.get(ack.id)?.version ?? 0, `${ack.op} ${ack.id}`).toBeGreaterThanOrEqual(
              ack.version,
            );
          }
        }
      }
      // No lost update: every acknowledged update of a client still there added exactly one
      // version (versions start at 1 and each write adds 1). The acks carry the version read
      // back after the write, which another writer may already have moved on, so they are
      // counted rather than compared.
      const updatesOf = new Map<string, number>();
      for (const result of results) {
        for (const ack of result['acks'] as { op: string; id: string }[]) {
          if (ack.op === 'update') updatesOf.set(ack.id, (updatesOf.get(ack.id) ?? 0) + 1);
        }
      }
      for (const [id, count] of updatesOf) {
        if (deleted.has(id) || !byId.has(id)) continue;
        expect(byId.get(id)?.version, `versions of ${id}`).toBe(1 + count);
      }

      // Propagation: one instance changes a client's callback; the others must allow it.
      const target = ids.find((id) => !deleted.has(id)) as string;
      const latencies: number[] = [];
      for (let round = 0; round < 15; round++) {
        const writer = instances[round % 3] as Instance;
        const readers = instances.filter((instance) => instance !== writer);
        const callback = `https://round${round}.example.net/cb`;
        const origin = `https://round${round}.example.net`;
        const seen = readers.map((reader) =>
          reader.ask({ cmd: 'watch', id: target, callback, origin }),
        );
        const { at: writtenAt } = await writer.ask({
          cmd: 'update',
          id: target,
          callback,
          origin,
        });
        for (const reply of await Promise.all(seen)) {
          expect(reply['at'], `round ${round}: the change never arrived`).not.toBeNull();
          latencies.push(Math.max(0, (reply['at'] as number) - (writtenAt as number)));
        }
      }
      latencies.sort((x, y) => x - y);
      const p99 = latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)];
      console.info(
        `PostgresStore propagation across processes: p50 ${latencies[latencies.length >> 1]?.toFixed(1)} ms, p99 ${p99?.toFixed(1)} ms over ${latencies.length} observations`,
      );
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
    }
  }, 60_000);

  it('keeps a batch whole when its writer is killed in the middle, and the others go on', async () => {
    const schema = `${RUN}_kill`;
    const victim = new Instance(schema, 'victim');
    const survivor = new Instance(schema, 'survivor');
    try {
      await Promise.all([victim.next('ready'), survivor.next('ready')]);
      victim.child.send({ cmd: 'batches', prefix: 'v', size: 200 });
      survivor.child.send({ cmd: 'batches', prefix: 's', size: 5 });
      for (let acks = 0; acks < 3; acks++) await victim.next('batch');
      // Kill it while it is sending the next batch.
      await new Promise((resolve) => setTimeout(resolve, 3));
      victim.child.kill('SIGKILL');
      await victim.exited;
      const survivorBefore = survivor.replies.filter((r) => r.reply === 'batch').length;
      for (let acks = 0; acks < 3; acks++) await survivor.next('batch');
      expect(survivor.replies.filter((r) => r.reply === 'batch').length).toBeGreaterThan(
        survivorBefore,
      );

      const store = new PostgresStore({ pool, schema });
      const records = await store.list<{ batch: number; n: number }>('batches');
      const sizes = new Map<string, number>();
      for (const record of records) {
        const batch = record.id.split('-').slice(0, 2).join('-');
        sizes.set(batch, (sizes.get(batch) ?? 0) + 1);
      }
      for (const [batch, size] of sizes) {
        expect(size, `batch ${batch}`).toBe(batch.startsWith('v-') ? 200 : 5);
      }
      const acked = victim.replies.filter((r) => r.reply === 'batch').map((r) => r['batch']);
      for (const batch of acked) expect(sizes.get(`v-${String(batch)}`)).toBe(200);
    } finally {
      survivor.child.kill('SIGKILL');
      victim.child.kill('SIGKILL');
      await Promise.all([victim.exited, survivor.exited]);
    }
  }, 60_000);

  it('loses no acknowledged audit event when a process is killed while it records them', async () => {
    const schema = `${RUN}_audit_kill`;
    const victim = new Instance(schema, 'victim');
    const survivor = new Instance(schema, 'survivor');
    try {
      await Promise.all([victim.next('ready'), survivor.next('ready')]);
      victim.child.send({ cmd: 'audit', size: 150 });
      survivor.child.send({ cmd: 'audit', size: 7 });
      for (let acks = 0; acks < 4; acks++) await victim.next('audit');
      await new Promise((resolve) => setTimeout(resolve, 2));
      victim.child.kill('SIGKILL');
      await victim.exited;
      for (let acks = 0; acks < 3; acks++) await survivor.next('audit');
      survivor.child.kill('SIGKILL');
      await survivor.exited;

      const { storeAuditSink } = await import('clientele');
      const reader = storeAuditSink(new PostgresStore({ pool, schema }));
      const kept = new Set((await reader.list()).map((event) => event.log_id));
      const acknowledged = [...victim.replies, ...survivor.replies]
        .filter((reply) => reply.reply === 'audit')
        .flatMap((reply) => reply['ids'] as string[]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(4 * 150 + 3 * 7);
      expect(acknowledged.filter((id) => !kept.has(id))).toEqual([]);
      // A burst of 150 goes out as batches of 100 and 50 (the trail's batch size), each one
      // INSERT: whatever the kill interrupted is stored whole or not at all.
      const victimKept = (await reader.list()).filter((event) =>
        event.description.startsWith('victim '),
      ).length;
      expect(victimKept % 50).toBe(0);
    } finally {
      survivor.child.kill('SIGKILL');
      victim.child.kill('SIGKILL');
      await Promise.all([victim.exited, survivor.exited]);
    }
  }, 60_000);
});
