import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidArgumentError, StoreCorruptError } from '../../src/errors.js';
import { FileStore } from '../../src/storage/file-store.js';

const root = mkdtempSync(join(tmpdir(), 'clientele-file-store-file-'));
let count = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A path in a directory of its own, so directory listings are about this test only. */
function freshPath(name = 'store.json'): string {
  const dir = join(root, `case-${++count}`);
  return join(dir, name);
}

function envelope(path: string): { revision: number; collections: Record<string, unknown[]> } {
  return JSON.parse(readFileSync(path, 'utf8')) as {
    revision: number;
    collections: Record<string, unknown[]>;
  };
}

/** A pid that certainly belongs to no running process: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

function writeLock(path: string, owner: object | string): void {
  writeFileSync(`${path}.lock`, typeof owner === 'string' ? owner : JSON.stringify(owner));
}

const PER_OS_HOST = (await import('node:os')).hostname();

describe('FileStore file handling', () => {
  it('treats a missing file as an empty store and creates it, with its directory, on the first write', async () => {
    const path = join(freshPath(), '..', 'nested', 'deeper', 'store.json');
    const store = new FileStore(path);
    expect(await store.get('clients', 'a')).toBeUndefined();
    expect(await store.list('clients')).toEqual([]);
    expect(existsSync(path)).toBe(false);
    await store.insert('clients', 'a', { n: 1 });
    expect(envelope(path)).toEqual({
      format: 'clientele-store',
      formatVersion: 1,
      revision: 1,
      collections: { clients: [{ id: 'a', version: 1, value: { n: 1 } }] },
    });
  });

  it('writes the file with mode 0600 and keeps a mode set by the owner', async () => {
    if (process.platform === 'win32') return;
    const path = freshPath();
    const store = new FileStore(path);
    await store.insert('clients', 'a', {});
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o640);
    await store.insert('clients', 'b', {});
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('raises the revision once per successful write and never on a refused one', async () => {
    const path = freshPath();
    const store = new FileStore(path);
    await store.insert('clients', 'a', {});
    await store.commit([
      { op: 'insert', collection: 'clients', id: 'b', value: {} },
      { op: 'replace', collection: 'clients', id: 'a', value: { n: 2 }, expectedVersion: 1 },
    ]);
    expect(envelope(path).revision).toBe(2);
    await expect(store.insert('clients', 'a', {})).rejects.toBeInstanceOf(ConflictError);
    await expect(store.commit([])).resolves.toEqual([]);
    expect(envelope(path).revision).toBe(2);
    await store.delete('clients', 'b');
    expect(envelope(path).revision).toBe(3);
    expect(envelope(path).collections).toEqual({
      clients: [{ id: 'a', version: 2, value: { n: 2 } }],
    });
  });

  it('leaves no temporary or lock file behind after writing', async () => {
    const path = freshPath();
    const store = new FileStore(path);
    await Promise.all([store.insert('c', 'a', {}), store.insert('c', 'b', {})]);
    await expect(store.insert('c', 'a', {})).rejects.toBeInstanceOf(ConflictError);
    expect(readdirSync(join(path, '..'))).toEqual(['store.json']);
  });

  it('reads a valid file written by someone else, whatever its formatting', async () => {
    const path = freshPath();
    const store = new FileStore(path);
    await store.insert('clients', 'a', { n: 1 });
    const edited = {
      format: 'clientele-store',
      formatVersion: 1,
      revision: 7,
      collections: {
        clients: [
          { id: '10', version: 3, value: { by: 'hand' } },
          { id: '2', version: 1, value: null },
        ],
      },
    };
    writeFileSync(path, JSON.stringify(edited, null, 2));
    expect((await store.list('clients')).map((r) => [r.id, r.version])).toEqual([
      ['10', 3],
      ['2', 1],
    ]);
    await store.replace('clients', '2', { n: 2 }, 1);
    expect(envelope(path).revision).toBe(8);
  });

  it('close() waits for the writes already started', async () => {
    const path = freshPath();
    const store = new FileStore(path);
    const pending = [
      store.insert('c', 'a', {}),
      store.insert('c', 'b', {}),
      store.insert('c', 'a', {}),
    ];
    await store.close();
    expect(envelope(path).collections['c']?.map((r) => (r as { id: string }).id)).toEqual([
      'a',
      'b',
    ]);
    const settled = await Promise.allSettled(pending);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  it('refuses an empty path and invalid lock timings', () => {
    expect(() => new FileStore('')).toThrow(InvalidArgumentError);
    expect(() => new FileStore('x.json', { lockTimeoutMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => new FileStore('x.json', { staleLockMs: Number.NaN })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('FileStore with a corrupt file', () => {
  const valid =
    '{"format":"clientele-store","formatVersion":1,"revision":2,"collections":{"c":[{"id":"a","version":1,"value":{"n":1}}]}}\n';
  const cases: [string, string, RegExp][] = [
    ['bad JSON', '{"format": "clientele-store", ', /not valid JSON/],
    ['a torn write (half a file)', valid.slice(0, 60), /not valid JSON/],
    ['an empty file', '', /empty/],
    ['a JSON array', '[]', /not a JSON object/],
    [
      'another format',
      valid.replace('clientele-store', 'other-store'),
      /"format" is "other-store"/,
    ],
    [
      'a newer format version',
      valid.replace('"formatVersion":1', '"formatVersion":2'),
      /newer clientele/,
    ],
    ['a negative revision', valid.replace('"revision":2', '"revision":-1'), /"revision"/],
    [
      'no collections',
      '{"format":"clientele-store","formatVersion":1,"revision":1}',
      /"collections"/,
    ],
    [
      'a collection that is not a list',
      valid.replace('"c":[', '"c":{"x":[').replace(']}}', ']}}}'),
      /must be an array/,
    ],
    ['a record without a version', valid.replace('"version":1,', ''), /version/],
    ['a record with version 0', valid.replace('"version":1', '"version":0'), /version/],
    [
      'a record with an extra field',
      valid.replace('"version":1,', '"version":1,"x":1,'),
      /other than/,
    ],
    [
      'a repeated id',
      valid.replace('}}]', '}},{"id":"a","version":1,"value":{}}]'),
      /repeats the id "a"/,
    ],
  ];

  it.each(cases)(
    'reports %s with the path and reason, on every call, and leaves the bytes untouched',
    async (_label, text, reason) => {
      const path = freshPath();
      const store0 = new FileStore(path);
      await store0.insert('c', 'seed', {}); // creates the directory
      writeFileSync(path, text);
      const before = readFileSync(path);
      const store = new FileStore(path);
      const calls: (() => Promise<unknown>)[] = [
        () => store.get('c', 'a'),
        () => store.list('c'),
        () => store.insert('c', 'new', { n: 1 }),
        () => store.replace('c', 'a', { n: 2 }, 1),
        () => store.delete('c', 'a'),
        () => store.commit([{ op: 'insert', collection: 'c', id: 'z', value: {} }]),
        () => store0.insert('c', 'other', {}), // an instance that read the file before it broke
      ];
      for (const call of calls) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StoreCorruptError);
        expect((error as StoreCorruptError).code).toBe('store_corrupt');
        expect((error as Error).message).toContain(path);
        expect((error as Error).message).toMatch(reason);
      }
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(readdirSync(join(path, '..'))).toEqual(['store.json']);
    },
  );
});

describe('FileStore with several instances on one file', () => {
  it('lets each instance see the other’s writes and refuses a stale version with ConflictError', async () => {
    const path = freshPath();
    const a = new FileStore(path);
    const b = new FileStore(path);
    const created = await a.insert('clients', 'x', { by: 'a', n: 1 });
    expect((await b.get('clients', 'x'))?.value).toEqual({ by: 'a', n: 1 });

    await a.replace('clients', 'x', { by: 'a', n: 2 }, created.version);
    // b last saw version 1: its write must fail, not overwrite a's change.
    await expect(
      b.replace('clients', 'x', { by: 'b', n: 2 }, created.version),
    ).rejects.toBeInstanceOf(ConflictError);
    const fresh = await b.get('clients', 'x');
    expect(fresh?.value).toEqual({ by: 'a', n: 2 });
    await b.replace('clients', 'x', { by: 'b', n: 3 }, fresh!.version);
    expect(await a.get('clients', 'x')).toMatchObject({ version: 3, value: { by: 'b', n: 3 } });

    await b.delete('clients', 'x');
    expect(await a.get('clients', 'x')).toBeUndefined();
    await expect(a.insert('clients', 'x', { again: true })).resolves.toMatchObject({ version: 1 });
  });

  it('sees every change even when the file system recycles the inode within one timestamp tick', async () => {
    // Each write renames a new file over the old one; file systems hand the freed inode
    // to the next file, and timestamps are coarse (ext4: a few ms). Two same-size writes
    // in a row can thus leave the stat identity the reader saw before.
    const path = freshPath();
    const writer = new FileStore(path);
    const reader = new FileStore(path);
    let record = await writer.insert('meta', 'counter', { n: 10 });
    for (let round = 0; round < 40; round++) {
      expect((await reader.get('meta', 'counter'))?.version).toBe(record.version);
      record = await writer.replace('meta', 'counter', { n: 11 + (round % 80) }, record.version);
      record = await writer.replace('meta', 'counter', { n: 12 + (round % 80) }, record.version);
      expect((await reader.get('meta', 'counter'))?.version, `round ${round}`).toBe(record.version);
    }
  });

  it('loses no write when instances write concurrently', async () => {
    const path = freshPath();
    const stores = [new FileStore(path), new FileStore(path), new FileStore(path)];
    await stores[0]!.insert('meta', 'counter', { n: 0 });
    const increment = async (store: FileStore) => {
      for (;;) {
        const current = (await store.get<{ n: number }>('meta', 'counter'))!;
        try {
          return await store.replace(
            'meta',
            'counter',
            { n: current.value.n + 1 },
            current.version,
          );
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
    };
    await Promise.all(
      stores.flatMap((store, s) =>
        Array.from({ length: 10 }, async (_, i) => {
          await store.insert('items', `s${s}-${i}`, { s, i });
          await increment(store);
        }),
      ),
    );
    expect((await stores[1]!.get('meta', 'counter'))?.value).toEqual({ n: 30 });
    expect(await stores[2]!.list('items')).toHaveLength(30);
    expect(envelope(path).revision).toBe(61);
  });
});

describe('FileStore lock recovery', () => {
  it('removes a lock left by a process that no longer runs and writes', async () => {
    const path = freshPath();
    const store = new FileStore(path);
    await store.insert('c', 'a', {});
    writeLock(path, { pid: deadPid(), host: PER_OS_HOST, created: Date.now(), token: 'dead' });
    await store.insert('c', 'b', {});
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect((await store.list('c')).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('waits for a live holder and gives up with ConflictError, writing nothing', async () => {
    const path = freshPath();
    const store = new FileStore(path, { lockTimeoutMs: 150 });
    await store.insert('c', 'a', {});
    const before = readFileSync(path);
    const live = { pid: process.pid, host: PER_OS_HOST, created: Date.now(), token: 'live' };
    writeLock(path, live);
    const error = await store.insert('c', 'b', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(`pid ${process.pid}`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toEqual(live);
  });

  it('writes as soon as a live holder releases the lock', async () => {
    const path = freshPath();
    const store = new FileStore(path);
    await store.insert('c', 'a', {});
    writeLock(path, { pid: process.pid, host: PER_OS_HOST, created: Date.now(), token: 'held' });
    const pending = store.insert('c', 'b', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(envelope(path).collections['c']).toHaveLength(1);
    rmSync(`${path}.lock`);
    await pending;
    expect(envelope(path).collections['c']).toHaveLength(2);
  });

  it.each([
    [
      'a live pid (possibly reused)',
      { pid: process.pid, host: PER_OS_HOST, created: 0, token: 'old' },
    ],
    ['another host', { pid: 1, host: 'elsewhere.example', created: 0, token: 'remote' }],
    ['unreadable content', ''],
  ])('breaks a lock older than staleLockMs held by %s', async (_label, owner) => {
    const path = freshPath();
    const store = new FileStore(path, { staleLockMs: 1_000, lockTimeoutMs: 5_000 });
    await store.insert('c', 'a', {});
    writeLock(path, owner);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    await store.insert('c', 'b', {});
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('breaks a lock that names no holder after two seconds, whatever staleLockMs says', async () => {
    const path = freshPath();
    const store = new FileStore(path, { staleLockMs: 600_000, lockTimeoutMs: 5_000 });
    await store.insert('c', 'a', {});
    // What a writer killed between creating the lock file and writing its owner leaves.
    writeLock(path, '');
    const old = new Date(Date.now() - 3_000);
    utimesSync(`${path}.lock`, old, old);
    await store.insert('c', 'b', {});
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('respects a lock that names no holder yet while it is fresh', async () => {
    const path = freshPath();
    const store = new FileStore(path, { lockTimeoutMs: 100 });
    await store.insert('c', 'a', {});
    writeLock(path, '');
    await expect(store.insert('c', 'b', {})).rejects.toBeInstanceOf(ConflictError);
    expect(existsSync(`${path}.lock`)).toBe(true);
  });

  it('keeps a fresh lock from another host even though its pid is unknown here', async () => {
    const path = freshPath();
    const store = new FileStore(path, { lockTimeoutMs: 100 });
    await store.insert('c', 'a', {});
    writeLock(path, { pid: deadPid(), host: 'elsewhere.example', created: Date.now(), token: 't' });
    await expect(store.insert('c', 'b', {})).rejects.toBeInstanceOf(ConflictError);
    expect(existsSync(`${path}.lock`)).toBe(true);
  });

  it('removes temporary and breaker files left by a crashed writer and nothing else', async () => {
    const path = freshPath();
    await new FileStore(path).insert('c', 'a', {});
    const dir = join(path, '..');
    const leftover = join(dir, '.store.json.4242.0123456789ab.tmp');
    const breaker = `${path}.lock.break`;
    const unrelated = [join(dir, '.store.json.backup'), join(dir, 'store.json.tmp')];
    for (const file of [leftover, breaker, ...unrelated]) writeFileSync(file, 'partial');
    await new FileStore(path).insert('c', 'b', {});
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(breaker)).toBe(false);
    for (const file of unrelated) expect(existsSync(file)).toBe(true);
  });
});
