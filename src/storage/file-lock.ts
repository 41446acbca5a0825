/**
 * A cross-process lock: a file created with `O_CREAT | O_EXCL`, which the kernel lets
 * exactly one process create. It holds `{ pid, host, created, token }` so others can tell
 * whether its holder is still alive.
 *
 * A lock left by a crashed writer is *stale* when its holder's pid no longer runs on
 * this host, or when it is older than `staleMs` (covers other hosts and reused pids).
 * Removing a stale lock races with other waiters that reached the same verdict: if two
 * of them both deleted "the" stale lock, the slower one could delete the fresh lock the
 * faster one had just created. So breaking takes a second exclusive file, the breaker,
 * and re-checks under it that the lock is still the same stale one before unlinking it.
 *
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../errors.js';

/** Timing of {@link acquireLock}. */
export interface LockTiming {
  /** Give up (with `ConflictError`) after waiting this long for a live holder. */
  readonly timeoutMs: number;
  /** A lock older than this is abandoned even if its pid seems alive. */
  readonly staleMs: number;
}

/** A lock this process holds. */
export interface HeldLock {
  /** True when a stale lock had to be removed first (a writer crashed). */
  readonly brokeStale: boolean;
  /** @throws {@link ConflictError} when another process has taken the lock over as stale */
  verify(): Promise<void>;
  /**
   * Removes a breaker file left by a process that crashed while removing a stale lock.
   * Safe while the lock is held: a breaker only ever unlinks the stale lock it saw, and
   * the lock in place now is ours.
   */
  clearBreaker(): Promise<void>;
  /** Removes the lock file if it is still ours. Never throws. */
  release(): Promise<void>;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly created: number;
  readonly token: string;
}

interface LockState {
  /** Undefined while the holder is between creating the file and writing it, or if garbled. */
  readonly owner: LockOwner | undefined;
  readonly ino: number;
  readonly mtimeMs: number;
}

/** A breaker is held for two syscalls; one this old belongs to a crashed process. */
const ABANDONED_BREAKER_MS = 2_000;
/**
 * A holder writes its owner record right after creating the lock file; a lock still
 * without one after this long belongs to a process that died in between (or is paused,
 * and then its `verify()` before the rename fails, so taking the lock over loses nothing).
 */
const UNWRITTEN_LOCK_MS = 2_000;

/**
 * Takes the lock at `lockPath`, waiting (with jittered backoff) while a live process
 * holds it and removing it when it is stale.
 *
 * @param label - what the lock protects, for error messages
 * @throws {@link ConflictError} when a live holder keeps it beyond `timing.timeoutMs`
 */
export async function acquireLock(
  lockPath: string,
  label: string,
  timing: LockTiming,
): Promise<HeldLock> {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    created: Date.now(),
    token: randomBytes(12).toString('hex'),
  };
  const content = JSON.stringify(owner);
  const deadline = Date.now() + timing.timeoutMs;
  let brokeStale = false;
  for (let attempt = 0; ; attempt++) {
    const created = await createExclusive(lockPath, content);
    if (created) return heldLock(lockPath, label, created, brokeStale);
    const holder = await inspect(lockPath);
    if (!holder) continue; // released in between: try again at once
    if (staleReason(holder, timing.staleMs) !== undefined) {
      if (await breakStale(lockPath, holder, timing.staleMs, content)) brokeStale = true;
      else await sleep(1 + Math.random() * 4);
    } else if (Date.now() >= deadline) {
      const who = holder.owner ? `pid ${holder.owner.pid} on ${holder.owner.host}` : 'a writer';
      throw new ConflictError(
        `${label}: ${who} has held the lock ${lockPath} for ` +
          `${Math.round(Date.now() - holder.mtimeMs)} ms; gave up after ${timing.timeoutMs} ms ` +
          'and wrote nothing. Retry, or delete the lock file if no writer is running.',
      );
    } else {
      await sleep(Math.min(2 ** attempt, 32) * (0.5 + Math.random()));
    }
  }
}

function heldLock(
  lockPath: string,
  label: string,
  { handle, ino }: CreatedFile,
  brokeStale: boolean,
): HeldLock {
  // The lock file stays open while held, so its inode cannot be recycled for another
  // file: the path still names our lock exactly when it still has our inode number. One
  // stat, instead of reading and parsing the file, on every write.
  const stillOurs = () =>
    stat(lockPath, { bigint: true }).then(
      (stats) => stats.ino === ino,
      () => false,
    );
  return {
    brokeStale,
    async verify() {
      if (!(await stillOurs())) {
        throw new ConflictError(
          `${label}: the lock ${lockPath} was taken over as stale while this write was in ` +
            'progress (it took longer than the stale-lock age); nothing was written',
        );
      }
    },
    async clearBreaker() {
      await unlink(`${lockPath}.break`).catch(() => undefined);
    },
    async release() {
      try {
        // Only delete our own lock: if it was taken over, the file is someone else's now.
        if (await stillOurs()) await unlink(lockPath);
      } catch {
        // A lock we fail to delete goes stale and is recovered by the next writer.
      } finally {
        await handle.close().catch(() => undefined);
      }
    },
  };
}

/** An exclusively created file, still open. */
interface CreatedFile {
  readonly handle: FileHandle;
  readonly ino: bigint;
}

/** Creates `path` with `content` only if it does not exist; `undefined` if it does. */
async function createExclusive(path: string, content: string): Promise<CreatedFile | undefined> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    const [, stats] = await Promise.all([handle.write(content), handle.stat({ bigint: true })]);
    return { handle, ino: stats.ino };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

async function inspect(lockPath: string): Promise<LockState | undefined> {
  try {
    const [stats, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    return { owner: parseOwner(text), ino: stats.ino, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    const pid = value?.pid;
    if (
      // A pid of 0 or below would make kill(pid, 0) signal a whole process group.
      typeof pid === 'number' &&
      Number.isSafeInteger(pid) &&
      pid > 0 &&
      typeof value?.host === 'string' &&
      typeof value.created === 'number' &&
      typeof value.token === 'string'
    ) {
      return value as LockOwner;
    }
  } catch {
    // Empty (being created) or garbled: judged by age alone.
  }
  return undefined;
}

function staleReason(state: LockState, staleMs: number): string | undefined {
  const { owner } = state;
  if (owner && owner.host === hostname() && !isAlive(owner.pid)) {
    return `its holder (pid ${owner.pid}) is no longer running`;
  }
  const age = Date.now() - state.mtimeMs;
  if (!owner && age > UNWRITTEN_LOCK_MS) return 'it names no holder';
  // File time rather than `created`: it is written by this machine's clock (or the file
  // server's), so another host's clock skew does not make a live lock look old.
  if (age > staleMs) return `it is older than ${staleMs} ms`;
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `seen` if, under the breaker, it is still the same stale lock. */
async function breakStale(
  lockPath: string,
  seen: LockState,
  staleMs: number,
  content: string,
): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  const created = await createExclusive(breaker, content);
  if (!created) {
    const since = await stat(breaker).then(
      (stats) => Date.now() - stats.mtimeMs,
      () => 0,
    );
    if (since > ABANDONED_BREAKER_MS) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    const now = await inspect(lockPath);
    if (!now || !sameLock(now, seen) || staleReason(now, staleMs) === undefined) return false;
    await unlink(lockPath);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
    await created.handle.close().catch(() => undefined);
  }
}

function sameLock(a: LockState, b: LockState): boolean {
  if (a.owner && b.owner) return a.owner.token === b.owner.token;
  return !a.owner && !b.owner && a.ino === b.ino && a.mtimeMs === b.mtimeMs;
}
