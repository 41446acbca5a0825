import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../src/storage/envelope.js';
import { MISSING, readStoreFile, SETTLE_MS, statKey } from '../../src/storage/store-file.js';

const root = mkdtempSync(join(tmpdir(), 'clientele-store-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

function fileAt(revision: number, n: number): string {
  const path = join(root, `store-${++count}.json`);
  const record = { id: 'x', version: 1, value: { n } };
  writeFileSync(path, encodeEnvelope(revision, new Map([['c', new Map([['x', record]])]])));
  return path;
}

describe('reading a store file', () => {
  it('reads a missing file as empty, at revision 0', async () => {
    const path = join(root, 'absent.json');
    expect(await statKey(path)).toBe(MISSING);
    const snapshot = await readStoreFile(path);
    expect(snapshot).toMatchObject({ revision: 0, key: MISSING, mode: 0o600 });
    expect(snapshot.collections.size).toBe(0);
  });

  it('reuses a known snapshot only when both the stat identity and the header revision match', async () => {
    const path = fileAt(5, 1);
    const first = await readStoreFile(path);
    expect(first.key).toBe(await statKey(path));
    expect(await readStoreFile(path, first)).toBe(first);

    // Same identity but another revision in the header: what a recycled inode with the
    // same size and timestamps looks like. The header wins and the file is read again.
    const pretender = { ...first, revision: 4 };
    const again = await readStoreFile(path, pretender);
    expect(again).not.toBe(pretender);
    expect(again.revision).toBe(5);
    expect(again.collections.get('c')?.get('x')?.value).toEqual({ n: 1 });
  });

  it('marks a snapshot settled only once the file is older than the timestamp granularity', async () => {
    const path = fileAt(1, 1);
    const fresh = await readStoreFile(path);
    expect(fresh.settled).toBe(false);
    const later = Date.now() + SETTLE_MS + 1_000;
    const settled = await readStoreFile(path, fresh, later);
    expect(settled.settled).toBe(true);
    expect(settled.collections).toBe(fresh.collections); // same content, not read again
    // Backdating mtime does not help: utimes sets ctime to now, and ctime counts too.
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    expect((await readStoreFile(path)).settled).toBe(false);
  });
});
