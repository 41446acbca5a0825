/**
 * Conformance: the optional change feed (`watch`). Runs only for stores that have it.
 *
 * @internal
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { RecordChange, Store, StoreChange } from '../store.js';
import type { CurrentStore } from './helpers.js';

/** Hooks an adapter gives the change-feed tests. */
export interface WatchHooks {
  /** A second store on the same data (another instance), or undefined to skip those cases. */
  readonly peer: ((store: Store) => Store | Promise<Store>) | undefined;
  /**
   * Cuts the store's feed from the outside (server side), or undefined to skip the
   * reconnection case. The feed must come back by itself.
   */
  readonly interrupt: ((store: Store) => Promise<void>) | undefined;
}

/** How long a change may take to arrive before a case fails. */
const ARRIVAL_MS = 10_000;

/** Records what a store reports; `until` waits for a change matching a predicate. */
class Recorder {
  readonly changes: StoreChange[] = [];
  readonly stop: () => void;
  #probe = 0;

  constructor(readonly store: Store) {
    const watch = store.watch?.bind(store);
    if (!watch) throw new Error('the store has no watch()');
    this.stop = watch((change) => this.changes.push(change));
  }

  /** The record changes seen so far (resets left out). */
  records(): RecordChange[] {
    return this.changes.filter((change): change is RecordChange => !('reset' in change));
  }

  /** Waits until a record change matching `match` was reported. */
  async until(match: (change: RecordChange) => boolean, what: string): Promise<RecordChange> {
    const deadline = Date.now() + ARRIVAL_MS;
    for (;;) {
      const found = this.records().find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no change reported within ${ARRIVAL_MS} ms: ${what}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Writes probe records through `writer` until this recorder sees one: the feed is live.
   * A feed that is still connecting may cover earlier writes with a reset only, so one
   * probe is not enough.
   */
  async settle(writer: Store = this.store): Promise<void> {
    const deadline = Date.now() + ARRIVAL_MS;
    for (;;) {
      const id = `probe-${++this.#probe}-${Math.random().toString(36).slice(2)}`;
      await writer.insert('watch-probes', id, {});
      const until = Math.min(deadline, Date.now() + 250);
      while (Date.now() < until) {
        if (this.records().some((c) => c.collection === 'watch-probes' && c.id === id)) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (Date.now() >= deadline)
        throw new Error(`the feed reported no probe within ${ARRIVAL_MS} ms`);
    }
  }
}

/** Registers the change-feed tests. */
export function describeWatch(store: CurrentStore, hooks: WatchHooks): void {
  const watching = (): boolean => typeof store().watch === 'function';

  describe('change feed (watch)', () => {
    it('reports its own inserts, replaces and deletes with their versions, in order', async (context) => {
      if (!watching()) return context.skip();
      const recorder = new Recorder(store());
      try {
        await recorder.settle();
        const a = await store().insert('clients', 'a', { n: 1 });
        await store().replace('clients', 'a', { n: 2 }, a.version);
        await store().commit([
          { op: 'insert', collection: 'apis', id: 'x', value: {} },
          { op: 'delete', collection: 'clients', id: 'a', expectedVersion: 2 },
        ]);
        await recorder.until((c) => c.collection === 'clients' && c.version === 0, 'delete of a');
        const seen = recorder
          .records()
          .filter((c) => c.collection !== 'watch-probes')
          .map((c) => [c.collection, c.id, c.version]);
        expect(seen).toEqual([
          ['clients', 'a', 1],
          ['clients', 'a', 2],
          ['apis', 'x', 1],
          ['clients', 'a', 0],
        ]);
      } finally {
        recorder.stop();
      }
    });

    it('reports nothing for a refused write and nothing after unsubscribing', async (context) => {
      if (!watching()) return context.skip();
      const recorder = new Recorder(store());
      const other = new Recorder(store());
      try {
        await recorder.settle();
        await store().insert('clients', 'a', {});
        await expect(store().insert('clients', 'a', {})).rejects.toMatchObject({
          code: 'conflict',
        });
        await expect(store().replace('clients', 'a', {}, 9)).rejects.toMatchObject({
          code: 'conflict',
        });
        recorder.stop();
        recorder.stop();
        await store().insert('clients', 'after', {});
        // `other` saw the last write, so `recorder` would have seen it by now.
        await other.until((c) => c.id === 'after', 'insert of after');
        const ids = recorder.records().filter((c) => c.collection === 'clients');
        expect(ids.map((c) => [c.id, c.version])).toEqual([['a', 1]]);
      } finally {
        recorder.stop();
        other.stop();
      }
    });

    it('keeps reporting to other listeners when one throws, and the write succeeds', async (context) => {
      if (!watching()) return context.skip();
      const stopThrowing = (store().watch as NonNullable<Store['watch']>).call(store(), () => {
        throw new Error('listener failure');
      });
      const recorder = new Recorder(store());
      try {
        await recorder.settle();
        const written = await store().insert('clients', 'ok', { n: 1 });
        expect(written.version).toBe(1);
        await recorder.until((c) => c.id === 'ok', 'insert of ok');
      } finally {
        stopThrowing();
        recorder.stop();
      }
    });

    it("reports another instance's writes, batches included", async (context) => {
      if (!watching() || !hooks.peer) return context.skip();
      const peer = await hooks.peer(store());
      const recorder = new Recorder(store());
      try {
        await recorder.settle(peer);
        const record = await peer.insert('clients', 'from-peer', { n: 1 });
        await peer.commit([
          {
            op: 'replace',
            collection: 'clients',
            id: 'from-peer',
            value: { n: 2 },
            expectedVersion: record.version,
          },
          { op: 'insert', collection: 'grants', id: 'g', value: {} },
        ]);
        await recorder.until((c) => c.id === 'g', 'insert of g');
        await recorder.until(
          (c) => c.id === 'from-peer' && c.version === 2,
          'replace of from-peer',
        );
        expect((await store().get('clients', 'from-peer'))?.version).toBe(2);
        await peer.delete('clients', 'from-peer');
        await recorder.until((c) => c.id === 'from-peer' && c.version === 0, 'delete of from-peer');
        expect(await store().get('clients', 'from-peer')).toBeUndefined();
      } finally {
        recorder.stop();
        await peer.close?.();
      }
    });

    it('comes back after its feed is cut and reports what changed meanwhile', async (context) => {
      if (!watching() || !hooks.peer || !hooks.interrupt) return context.skip();
      const peer = await hooks.peer(store());
      const recorder = new Recorder(store());
      try {
        await recorder.settle(peer);
        const before = recorder.changes.length;
        await (hooks.interrupt as (s: Store) => Promise<void>)(store());
        await peer.insert('clients', 'while-away', { n: 1 });
        const deadline = Date.now() + ARRIVAL_MS;
        // Either the exact change (caught up from history) or a reset must arrive.
        while (
          !recorder.changes
            .slice(before)
            .some((c) => 'reset' in c || (c.collection === 'clients' && c.id === 'while-away'))
        ) {
          if (Date.now() > deadline) throw new Error('the feed did not come back');
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await recorder.settle(peer);
        expect((await store().get('clients', 'while-away'))?.version).toBe(1);
      } finally {
        recorder.stop();
        await peer.close?.();
      }
    });
  });
}
