/**
 * Reading a FileStore file, and telling cheaply whether it changed since it was read.
 *
 * @internal
 * @module
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { StoreCorruptError } from '../errors.js';
import type { Collections } from './batch.js';
import { decodeEnvelope, HEADER_BYTES, peekRevision } from './envelope.js';

/** What a FileStore knows about its file: the content and the identity it was read at. */
export interface Snapshot {
  readonly revision: number;
  readonly collections: Collections;
  /** `ino:size:mtime:ctime` (ns) of the file read, or `missing`. */
  readonly key: string;
  /** Permission bits to keep on rewrite. */
  readonly mode: number;
  /**
   * The file was already older than {@link SETTLE_MS} when read, so no later write can
   * share its timestamps and the stat identity alone proves it unchanged.
   */
  readonly settled: boolean;
}

/** The `key` of a file that does not exist. */
export const MISSING = 'missing';
/** Mode of a store file created by the first write: it holds keys and secret hashes. */
export const NEW_FILE_MODE = 0o600;
/**
 * Longer than the coarsest file timestamp granularity in use (FAT: 2 s; ext4: a clock
 * tick). Writes rename a new file over the old one and file systems recycle the freed
 * inode at once, so two same-size writes within one tick can reproduce the stat identity
 * a reader cached. Until a snapshot is this old, reads also compare the header revision.
 */
export const SETTLE_MS = 2_000;

/** Identity of the file at `path` (or {@link MISSING}): one `stat`, no read. */
export async function statKey(path: string): Promise<string> {
  try {
    return keyOf(await stat(path, { bigint: true }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return MISSING;
    throw error;
  }
}

/**
 * Reads the store file at `path`. With `known`, the snapshot is reused when the file has
 * the same identity and the same revision in its header (read from the first bytes
 * only): the revision catches a rewrite that kept the stat.
 *
 * @param now - the current time in ms (a parameter so tests can age a file)
 * @throws {@link StoreCorruptError} when the file is not a valid store file
 */
export async function readStoreFile(
  path: string,
  known?: Snapshot,
  now = Date.now(),
): Promise<Snapshot> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (known?.key === MISSING) return known;
    return {
      revision: 0,
      collections: new Map(),
      key: MISSING,
      mode: NEW_FILE_MODE,
      settled: true,
    };
  }
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    // Side by side: usually the stat and the header show that nothing changed. A
    // positional read leaves the file position at 0 for readFile below.
    const [stats, { bytesRead }] = await Promise.all([
      handle.stat({ bigint: true }),
      known ? handle.read(head, 0, HEADER_BYTES, 0) : { bytesRead: 0 },
    ]);
    const key = keyOf(stats);
    const mode = Number(stats.mode & 0o777n);
    const changedNs = stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs;
    const settled = now - Number(changedNs / 1_000_000n) > SETTLE_MS;
    if (
      known?.key === key &&
      peekRevision(head.toString('utf8', 0, bytesRead)) === known.revision
    ) {
      return known.settled === settled ? known : { ...known, settled };
    }
    const decoded = decodeEnvelope(await handle.readFile('utf8'));
    if (!decoded.ok) {
      throw new StoreCorruptError(
        `${path}: the store file is corrupt: ${decoded.reason}. It was left untouched; ` +
          'restore it from a backup, or move it away to start with an empty store.',
      );
    }
    return { ...decoded.snapshot, key, mode, settled };
  } finally {
    await handle.close();
  }
}

function keyOf(stats: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}
