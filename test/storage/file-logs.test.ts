/**
 * FileStore's append-only logs beyond the conformance cases: the file next to the store
 * file, other instances' appends and trims, a line torn by a crash, and an index rebuilt
 * from the file by a new instance.
 */
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/storage/file-store.js';
import { logFilePath } from '../../src/storage/file-logs.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clientele-file-logs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const entry = (id: string, time = 1) => ({ id, time, value: { type: 'sapi', id } });
const ids = (list: readonly { id: string }[]) => list.map((e) => e.id);

describe('FileStore logs', () => {
  it('keeps a log in an NDJSON file of its own and never writes the store file for it', async () => {
    const store = new FileStore(join(root, 'tenant.json'));
    await store.logs.append('logs', [entry('a'), entry('b')]);
    const text = await readFile(join(root, 'tenant.json.logs.log'), 'utf8');
    expect(
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { id: 'a', time: 1, value: { type: 'sapi', id: 'a' } },
      { id: 'b', time: 1, value: { type: 'sapi', id: 'b' } },
    ]);
    await expect(stat(join(root, 'tenant.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(join(root, 'tenant.json.logs.log'))).mode & 0o777).toBe(0o600);
  });

  it('names the files of other logs by percent-encoding, and long names by a hash', () => {
    expect(logFilePath('/d/t.json', 'a/b ü')).toBe('/d/t.json.a%2fb%20%c3%bc.log');
    expect(logFilePath('/d/t.json', 'x'.repeat(80))).toMatch(/^\/d\/t\.json\.[0-9a-f]{32}\.log$/);
  });

  it('sees what another instance appended and trimmed, and a new instance rebuilds it all', async () => {
    const path = join(root, 'tenant.json');
    const one = new FileStore(path);
    const two = new FileStore(path);
    await one.logs.append('logs', [entry('a'), entry('b')]);
    expect(ids(await two.logs.read('logs', { limit: 10 }))).toEqual(['a', 'b']);
    await two.logs.append('logs', [entry('c'), entry('b')]);
    expect(ids(await one.logs.read('logs', { limit: 10 }))).toEqual(['a', 'b', 'c']);
    expect(await one.logs.trim('logs', { keep: 2 })).toBe(1);
    expect(ids(await two.logs.read('logs', { limit: 10 }))).toEqual(['b', 'c']);
    await two.logs.append('logs', [entry('d')]);
    expect(ids(await one.logs.read('logs', { limit: 10 }))).toEqual(['b', 'c', 'd']);
    expect(ids(await new FileStore(path).logs.read('logs', { limit: 10 }))).toEqual([
      'b',
      'c',
      'd',
    ]);
  });

  it('skips a line torn by a crash, and the next append starts on a line of its own', async () => {
    const path = join(root, 'tenant.json');
    const store = new FileStore(path);
    await store.logs.append('logs', [entry('a')]);
    await appendFile(`${path}.logs.log`, '{"id":"torn","time":1,"val');
    expect(ids(await new FileStore(path).logs.read('logs', { limit: 10 }))).toEqual(['a']);
    await store.logs.append('logs', [entry('b')]);
    const fresh = new FileStore(path);
    expect(ids(await fresh.logs.read('logs', { limit: 10 }))).toEqual(['a', 'b']);
    expect(await fresh.logs.get('logs', 'torn')).toBeUndefined();
  });
});
