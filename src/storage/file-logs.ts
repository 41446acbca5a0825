/**
 * FileStore's append-only logs: one NDJSON file per log next to the store file
 * (`tenant.json` → `tenant.json.audit.log` for the log named `audit`), one line per
 * entry (`{"id":…,"time":…,"value":…}`), and the {@link LogIndex} rebuilt from it at the
 * first use and kept current by reading what other processes appended since (one `stat`
 * per operation, then only the new bytes).
 *
 * - **Append:** under the log's lock file (the same protocol as the store file's), one
 *   write of the batch's lines with `O_APPEND`, then `fsync`: a log entry is as durable
 *   as a record when its promise resolves, and appending never reads or rewrites what the
 *   file already holds.
 * - **Crash:** a line torn by a crash is the file's last bytes; the next append starts
 *   with a newline so it stands alone, and readers skip lines that are not entries.
 * - **Trim:** under the lock, the kept entries are written to a new file that replaces
 *   the old one atomically (temporary file, `fsync`, `rename`); other processes see the
 *   new inode and read it afresh. Trims are bounded by the caller's retention sweep.
 *
 * @internal
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { checkId } from './batch.js';
import { acquireLock, type LockTiming } from './file-lock.js';
import { deepFreezeParsed } from './json-value.js';
import {
  checkEntries,
  checkFilter,
  checkLogName,
  checkQuery,
  checkRetention,
} from './log-checks.js';
import { LogIndex } from './log-index.js';
import type {
  LogEntry,
  LogEntryInput,
  LogFilter,
  LogQuery,
  LogRetention,
  StoreLogs,
} from './log.js';

const FILE_MODE = 0o600;
const NEWLINE = 0x0a;

/** The path of log `name`'s file for the store file at `storePath`. */
export function logFilePath(storePath: string, name: string): string {
  const encoded = name.replace(
    /[^A-Za-z0-9_-]/gu,
    (char) =>
      `%${[...Buffer.from(char, 'utf8')].map((byte) => byte.toString(16).padStart(2, '0')).join('%')}`,
  );
  const safe =
    encoded.length <= 64 ? encoded : createHash('sha256').update(name).digest('hex').slice(0, 32);
  return `${storePath}.${safe}.log`;
}

/** {@link StoreLogs} in NDJSON files next to a FileStore's file. */
export class FileLogs implements StoreLogs {
  readonly #storePath: string;
  readonly #timing: LockTiming;
  readonly #logs = new Map<string, FileLog>();

  constructor(storePath: string, timing: LockTiming) {
    this.#storePath = storePath;
    this.#timing = timing;
  }

  /** {@inheritDoc StoreLogs.append} */
  async append(log: string, entries: readonly LogEntryInput[]): Promise<number> {
    const file = this.#log(log);
    const checked = checkEntries(entries);
    return file.run(() => file.append(checked));
  }

  /** {@inheritDoc StoreLogs.read} */
  async read<T = unknown>(log: string, query: LogQuery): Promise<LogEntry<T>[]> {
    const file = this.#log(log);
    const checked = checkQuery(query);
    return file.run(async () => {
      await file.refresh();
      return file.index.read(checked) as LogEntry<T>[];
    });
  }

  /** {@inheritDoc StoreLogs.count} */
  async count(log: string, filter?: LogFilter): Promise<number> {
    const file = this.#log(log);
    const checked = checkFilter(filter);
    return file.run(async () => {
      await file.refresh();
      return file.index.count(checked);
    });
  }

  /** {@inheritDoc StoreLogs.get} */
  async get<T = unknown>(log: string, id: string): Promise<LogEntry<T> | undefined> {
    const file = this.#log(log);
    checkId(id);
    return file.run(async () => {
      await file.refresh();
      return file.index.get(id) as LogEntry<T> | undefined;
    });
  }

  /** {@inheritDoc StoreLogs.trim} */
  async trim(log: string, retention: LogRetention): Promise<number> {
    const file = this.#log(log);
    const checked = checkRetention(retention);
    return file.run(() => file.trim(checked));
  }

  #log(name: unknown): FileLog {
    const checked = checkLogName(name);
    let file = this.#logs.get(checked);
    if (file === undefined) {
      file = new FileLog(logFilePath(this.#storePath, checked), this.#timing);
      this.#logs.set(checked, file);
    }
    return file;
  }
}

/** One log file and its index. */
class FileLog {
  index = new LogIndex();
  readonly #path: string;
  readonly #lockPath: string;
  readonly #timing: LockTiming;
  /** Inode of the file the index was read from, and how many bytes of it were taken in. */
  #ino: bigint | undefined;
  #offset = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #directoryReady = false;

  constructor(path: string, timing: LockTiming) {
    this.#path = path;
    this.#lockPath = `${path}.lock`;
    this.#timing = timing;
  }

  /** Runs `task` after every operation of this log called before (one at a time). */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task, task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Takes in what was appended since the last look (everything, if the file was replaced). */
  async refresh(): Promise<void> {
    let size: number;
    let ino: bigint;
    try {
      const stats = await stat(this.#path, { bigint: true });
      size = Number(stats.size);
      ino = stats.ino;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (this.#ino !== undefined) this.#reset(undefined);
      return;
    }
    if (ino !== this.#ino || size < this.#offset) this.#reset(ino);
    if (size > this.#offset) await this.#readFrom(this.#offset, size);
  }

  async append(entries: readonly LogEntry[]): Promise<number> {
    if (!this.#directoryReady) {
      await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
      this.#directoryReady = true;
    }
    const lock = await acquireLock(this.#lockPath, this.#path, this.#timing);
    try {
      await this.refresh();
      const seen = new Set<string>();
      const fresh = entries.filter((entry) => {
        if (this.index.has(entry.id) || seen.has(entry.id)) return false;
        seen.add(entry.id);
        return true;
      });
      if (fresh.length === 0) return 0;
      const handle = await open(this.#path, 'a', FILE_MODE);
      try {
        const before = (await handle.stat({ bigint: true })).size;
        // A torn last line (a writer crashed mid-append) gets its own line end.
        const torn = Number(before) > this.#offset;
        const text = `${torn ? '\n' : ''}${fresh.map(line).join('')}`;
        await handle.write(text, null, 'utf8');
        await handle.sync();
        const after = await handle.stat({ bigint: true });
        if (this.#ino === undefined) this.#ino = after.ino;
        if (Number(after.size) === Number(before) + Buffer.byteLength(text)) {
          for (const entry of fresh) this.index.add(entry);
          this.#offset = Number(after.size);
        } else {
          // Another writer appended alongside (its lock was taken over as stale): read it all.
          await this.refresh();
        }
      } finally {
        await handle.close();
      }
      return fresh.length;
    } finally {
      await lock.release();
    }
  }

  async trim(retention: Parameters<LogIndex['doomed']>[0]): Promise<number> {
    await this.refresh();
    if (this.index.doomed(retention).length === 0) return 0;
    const lock = await acquireLock(this.#lockPath, this.#path, this.#timing);
    try {
      await this.refresh();
      const doomed = this.index.doomed(retention).length;
      if (doomed === 0) return 0;
      const kept: string[] = [];
      let skipped = 0;
      for (const entry of this.index) {
        if (skipped < doomed) skipped++;
        else kept.push(line(entry));
      }
      const text = kept.join('');
      await writeFileAtomic(this.#path, text, FILE_MODE, () => lock.verify());
      this.index.dropOldest(doomed);
      this.#ino = (await stat(this.#path, { bigint: true })).ino;
      this.#offset = Buffer.byteLength(text);
      return doomed;
    } finally {
      await lock.release();
    }
  }

  #reset(ino: bigint | undefined): void {
    this.index = new LogIndex();
    this.#ino = ino;
    this.#offset = 0;
  }

  /** Reads bytes `[from, to)` and adds every complete line that is an entry. */
  async #readFrom(from: number, to: number): Promise<void> {
    const handle = await open(this.#path, 'r');
    let bytes: Buffer;
    try {
      bytes = Buffer.alloc(to - from);
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(
          bytes,
          filled,
          bytes.length - filled,
          from + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      bytes = bytes.subarray(0, filled);
    } finally {
      await handle.close();
    }
    // Only complete lines: a partial last one is an append in progress or a torn write.
    const end = bytes.lastIndexOf(NEWLINE);
    if (end < 0) return;
    for (const text of bytes.toString('utf8', 0, end).split('\n')) {
      const entry = parseLine(text);
      if (entry) this.index.add(entry);
    }
    this.#offset = from + end + 1;
  }
}

function line(entry: LogEntry): string {
  return `${JSON.stringify({ id: entry.id, time: entry.time, value: entry.value })}\n`;
}

/** The entry a line holds, or undefined for a torn or foreign line. */
function parseLine(text: string): LogEntry | undefined {
  if (text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { id, time, value } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof time !== 'number' || value === undefined) {
    return undefined;
  }
  if (!deepFreezeParsed(value)) return undefined;
  return Object.freeze({ id, time, value });
}
