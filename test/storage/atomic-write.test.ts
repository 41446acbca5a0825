import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeLeftoverTemps, writeFileAtomic } from '../../src/storage/atomic-write.js';

const root = mkdtempSync(join(tmpdir(), 'clientele-atomic-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates and then replaces the file, leaving nothing else in the directory', async () => {
    const dir = mkdtempSync(join(root, 'a-'));
    const path = join(dir, 'data.json');
    await writeFileAtomic(path, 'first', 0o600);
    await writeFileAtomic(path, 'second', 0o600);
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['data.json']);
  });

  it('leaves the old content and no temporary file when the last check fails', async () => {
    const dir = mkdtempSync(join(root, 'b-'));
    const path = join(dir, 'data.json');
    writeFileSync(path, 'old');
    const refuse = () => Promise.reject(new Error('lock lost'));
    await expect(writeFileAtomic(path, 'new', 0o600, refuse)).rejects.toThrow('lock lost');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['data.json']);
  });

  it('fails without leaving anything when the directory does not exist', async () => {
    const path = join(root, 'missing-dir', 'data.json');
    await expect(writeFileAtomic(path, 'x', 0o600)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('removeLeftoverTemps', () => {
  it('removes only files shaped like this store’s temporary files', async () => {
    const dir = mkdtempSync(join(root, 'c-'));
    const path = join(dir, 'data.json');
    const ours = ['.data.json.1.0123456789ab.tmp', '.data.json.99999.ffffffffffff.tmp'];
    const theirs = [
      'data.json',
      '.data.json.tmp',
      '.data.json.1.0123456789ab.tmp.keep',
      '.other.json.1.0123456789ab.tmp',
      '.data.json.x.0123456789ab.tmp',
    ];
    for (const name of [...ours, ...theirs]) writeFileSync(join(dir, name), '');
    expect(await removeLeftoverTemps(path)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual([...theirs].sort());
  });
});
