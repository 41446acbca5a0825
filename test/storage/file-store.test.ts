import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStoreConformance } from 'clientele/testing';
import { FileStore } from '../../src/storage/file-store.js';

const root = mkdtempSync(join(tmpdir(), 'clientele-file-store-'));
let count = 0;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

runStoreConformance('FileStore', () => new FileStore(join(root, `store-${++count}.json`)), {
  // Another instance on the same file: it learns of this one's writes by watching the file.
  peer: (store) => new FileStore((store as FileStore).path),
});
