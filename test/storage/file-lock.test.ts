import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors.js';
import { acquireLock } from '../../src/storage/file-lock.js';

const root = mkdtempSync(join(tmpdir(), 'clientele-file-lock-'));
let count = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const timing = { timeoutMs: 2_000, staleMs: 30_000 };
const freshLock = () => join(root, `store-${++count}.json.lock`);

describe('the store lock file', () => {
  it('records the holder and is removed on release', async () => {
    const path = freshLock();
    const lock = await acquireLock(path, 'store', timing);
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(owner['token']).toMatch(/^[0-9a-f]{24}$/);
    await lock.verify();
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('is held by one caller at a time', async () => {
    const path = freshLock();
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        const lock = await acquireLock(path, 'store', timing);
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        order.push(`${name} out`);
        await lock.release();
      }),
    );
    // Every "in" is immediately followed by the same holder's "out".
    for (let i = 0; i < order.length; i += 2) {
      expect(order[i + 1]).toBe(order[i]!.replace(' in', ' out'));
    }
  });

  it('notices a takeover: verify fails and release leaves the new holder’s file alone', async () => {
    const path = freshLock();
    const lock = await acquireLock(path, 'the store', timing);
    const other = JSON.stringify({
      pid: process.pid,
      host: hostname(),
      created: Date.now(),
      token: 'other',
    });
    // A takeover removes the stale file and creates a new one in its place.
    rmSync(path);
    writeFileSync(path, other);
    await expect(lock.verify()).rejects.toBeInstanceOf(ConflictError);
    await expect(lock.verify()).rejects.toThrow(/taken over as stale/);
    await lock.release();
    expect(readFileSync(path, 'utf8')).toBe(other);
  });

  it('reports that it broke a stale lock, so leftovers get cleaned', async () => {
    const path = freshLock();
    writeFileSync(
      path,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), created: 0, token: 'x' }),
    );
    const lock = await acquireLock(path, 'store', timing);
    expect(lock.brokeStale).toBe(true);
    await lock.release();
    const clean = await acquireLock(path, 'store', timing);
    expect(clean.brokeStale).toBe(false);
    await clean.release();
  });

  it('removes an abandoned breaker file and still recovers the stale lock', async () => {
    const path = freshLock();
    writeFileSync(
      path,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), created: 0, token: 'x' }),
    );
    writeFileSync(`${path}.break`, '');
    const { utimesSync } = await import('node:fs');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.break`, old, old);
    const lock = await acquireLock(path, 'store', timing);
    expect(existsSync(`${path}.break`)).toBe(false);
    await lock.release();
  });
});
