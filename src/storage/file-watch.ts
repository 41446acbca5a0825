/**
 * Noticing that a FileStore file changed: `fs.watch` on its directory (the file is
 * replaced by a rename, so the directory is what sees every write) and, while someone
 * listens for changes, a cheap `stat` poll for file systems whose watch misses writes
 * (network file systems, some containers).
 *
 * @internal
 * @module
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { statKey } from './store-file.js';

/** How often the fallback poll compares the file's identity while polling is on. */
export const POLL_MS = 100;

/** Counts the changes seen to one file and calls back on each. */
export class FileWatch {
  /** Grows by one for every change noticed (an event or a changed stat). */
  events = 0;
  readonly #path: string;
  readonly #name: string;
  readonly #onChange: () => void;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polledKey: string | undefined;
  #stopped = false;
  #lastTry = 0;

  /**
   * @param path - the watched file
   * @param onChange - called (synchronously, from the event) after `events` grew
   */
  constructor(path: string, onChange: () => void) {
    this.#path = path;
    this.#name = basename(path);
    this.#onChange = onChange;
    this.#start();
  }

  /** True while `fs.watch` runs: then a write by anyone bumps `events`. */
  get healthy(): boolean {
    return this.#watcher !== undefined;
  }

  /** Tries `fs.watch` again if it is not running (at most once a second). */
  retry(): void {
    if (this.#watcher || this.#stopped) return;
    const now = Date.now();
    if (now - this.#lastTry < 1_000) return;
    this.#lastTry = now;
    this.#start();
  }

  /** Turns the stat poll on or off. */
  poll(on: boolean): void {
    if (on && !this.#timer && !this.#stopped) {
      this.#timer = setInterval(() => void this.#tick(), POLL_MS);
      this.#timer.unref();
    } else if (!on && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#polledKey = undefined;
    }
  }

  /** Stops watching and polling. */
  stop(): void {
    this.#stopped = true;
    this.poll(false);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #start(): void {
    if (this.#stopped || this.#watcher) return;
    this.#lastTry = Date.now();
    try {
      const watcher = watch(dirname(this.#path), { persistent: false }, (_type, filename) => {
        if (filename === null || filename === this.#name) this.#changed();
      });
      watcher.on('error', () => {
        // The directory went away or the watch broke: fall back to stat, retried on poll.
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = undefined;
        this.#changed();
      });
      this.#watcher = watcher;
    } catch {
      // No directory yet (no write so far) or no watch support: the poll covers it.
      this.#watcher = undefined;
    }
  }

  async #tick(): Promise<void> {
    if (!this.#watcher) this.#start();
    let key: string;
    try {
      key = await statKey(this.#path);
    } catch {
      return;
    }
    if (this.#polledKey !== undefined && key !== this.#polledKey) this.#changed();
    this.#polledKey = key;
  }

  #changed(): void {
    this.events++;
    this.#onChange();
  }
}
