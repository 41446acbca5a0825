/**
 * Replacing a file so that a crash at any moment leaves either the old or the new
 * content, never a mix.
 *
 * The new content goes to a temporary file in the same directory (a rename is only
 * atomic within one file system), is flushed to disk, and is renamed over the target;
 * then the directory is flushed so the rename itself survives a power loss. A reader
 * opening the target by name sees one complete version or the other.
 *
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Atomically replaces (or creates) `path` with `data`.
 *
 * @param mode - permission bits of the new file (the old file's, or 0o600 for a new one:
 *   a store holds secrets' hashes and signing keys)
 * @param beforeRename - last check before the new content becomes visible; when it
 *   throws, the temporary file is removed and the target is left as it was
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  mode: number,
  beforeRename?: () => Promise<void>,
): Promise<void> {
  const temp = join(
    dirname(path),
    `${tempPrefix(path)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      // Explicit chmod: the mode given to open() is reduced by the umask. Both calls work
      // on the open descriptor, so they can run side by side.
      await Promise.all([
        process.platform === 'win32' ? undefined : handle.chmod(mode),
        handle.writeFile(data, 'utf8'),
      ]);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Flushes a directory's entries (the rename) to disk. */
async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory as a file; NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Name prefix of `path`'s temporary files: a hidden file next to it. */
function tempPrefix(path: string): string {
  return `.${basename(path)}.`;
}

/**
 * Deletes temporary files that writers of `path` left behind when they crashed. Only
 * safe while holding the store's lock, since every live writer holds it while its
 * temporary file exists.
 *
 * @returns how many were removed
 */
export async function removeLeftoverTemps(path: string): Promise<number> {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    // Exactly the shape writeFileAtomic produces, so no file of the user's is touched.
    if (!name.startsWith(prefix) || !/^\d+\.[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) {
      continue;
    }
    try {
      await unlink(join(dirname(path), name));
      removed++;
    } catch {
      // Already gone or not ours to delete: either way nothing to clean.
    }
  }
  return removed;
}
