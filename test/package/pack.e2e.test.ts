/**
 * The package as a user gets it: `npm pack` once, `npm install <tarball>` once into a
 * fresh project (dependencies from npm's cache: --prefer-offline), then every entry point
 * imported from ESM and from CommonJS (`require` of an ES module, Node ≥ 20.19), the bin
 * run through `npx`, a consumer type-checked with `moduleResolution: nodenext`, and a stack
 * trace that names a TypeScript source.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/build.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const node = (args: string[], cwd: string) => run(process.execPath, args, cwd);

/** The bytes of every file under `dir`. */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** The entry points of package.json "exports" that load without a test runner. */
const PLAIN_ENTRIES = ['clientele', 'clientele/http', 'clientele/postgres'];

let work: string;
let project: string;
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };

beforeAll(async () => {
  await ensureBuilt();
  work = await mkdtemp(path.join(tmpdir(), 'clientele-pack-'));
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [first] = JSON.parse(pack.stdout) as (typeof packed)[];
  if (!first) throw new Error(`npm pack printed no package: ${pack.stdout}`);
  packed = first;

  project = path.join(work, 'app');
  await mkdir(project);
  await writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true }),
  );
  const install = await run(
    'npm',
    [
      'install',
      path.join(work, packed.filename),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--omit=peer',
    ],
    project,
  );
  expect(install.code, install.stderr).toBe(0);
  // The optional peers and the types a consumer would have: taken from this repository.
  for (const name of ['pg', 'vitest', '@types/node', '@types/pg']) {
    const target = path.join(project, 'node_modules', name);
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules', name), target, 'dir').catch(() => undefined);
  }
}, 240_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  // When the layout changed (commit 7de133c) the same tree packed the old way (dist + src +
  // source maps) was 2.9 times the bytes of src/ unpacked and 0.78 times packed; the new
  // layout was 1.24 and 0.33. The limits are half the old ratios, so they follow the code as
  // it grows and still catch a return of src/, of the maps' text or of tsc's loose files.
  it('is at most half the size the old layout would be (2.9x src/ unpacked, 0.78x packed)', async () => {
    const source = await bytesUnder(path.join(ROOT, 'src'));
    expect(packed.unpackedSize).toBeLessThan(source * 1.45);
    expect(packed.size).toBeLessThan(source * 0.39);
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/cli/main.js']));
    expect(paths.filter((file) => file.startsWith('src/'))).toEqual([]);
    expect(paths.filter((file) => file.endsWith('.d.ts.map'))).toEqual([]);
  });

  it('imports every entry point from ESM', async () => {
    const script = `for (const s of ${JSON.stringify(PLAIN_ENTRIES)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s); } console.log('ok');`;
    const result = await node(['--input-type=module', '-e', script], project);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok\n');
  });

  it('requires every entry point from CommonJS (Node >= 20.19)', async () => {
    const script = `for (const s of ${JSON.stringify(PLAIN_ENTRIES)}) if (Object.keys(require(s)).length === 0) throw new Error(s); console.log(typeof require('clientele').Tenant.create);`;
    const result = await node(['-e', script], project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('function\n');
  });

  it('runs clientele/testing under Vitest', async () => {
    await writeFile(
      path.join(project, 'store.test.mjs'),
      [
        "import { runStoreConformance } from 'clientele/testing';",
        "import { MemoryStore } from 'clientele';",
        "runStoreConformance('MemoryStore from the tarball', () => new MemoryStore());",
        '',
      ].join('\n'),
    );
    const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const result = await node([vitest, 'run', '--root', project, 'store.test.mjs'], project);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+\d+ passed/);
  });

  it('has a bin that npx finds: npx clientele --help', async () => {
    const result = await run('npx', ['--no-install', 'clientele', '--help'], project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: clientele check \[options\] <path\.\.\.>/);
    expect(await readdir(path.join(project, 'node_modules', '.bin'))).toContain('clientele');
  });

  it('type-checks a strict consumer with moduleResolution nodenext', async () => {
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['consumer.mts'],
      }),
    );
    await writeFile(
      path.join(project, 'consumer.mts'),
      [
        "import { createAllowList, MemoryStore, Tenant, validateClientSettings } from 'clientele';",
        "import type { ClientSettings, ValidationResult } from 'clientele';",
        "import { createManagementApi, toNodeListener, type Handler } from 'clientele/http';",
        "import { PostgresStore } from 'clientele/postgres';",
        '',
        "const tenant = await Tenant.create({ domain: 'id.example.com', store: new MemoryStore() });",
        'const api: Handler = createManagementApi(tenant);',
        'toNodeListener(api);',
        "const result: ValidationResult<ClientSettings> = validateClientSettings({ name: 'x' });",
        "const allowed: boolean = createAllowList('callback', []).allows('https://a.example/');",
        '// @ts-expect-error: not an AllowListKind (fails unless the types are the real ones)',
        "createAllowList('redirect', []);",
        'export { result, allowed, PostgresStore };',
        '',
      ].join('\n'),
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await node([tsc, '-p', 'tsconfig.json'], project);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('gives stack traces that name the TypeScript source under --enable-source-maps', async () => {
    const script =
      "import { createAllowList } from 'clientele'; try { createAllowList('callback', ['javascript:alert(1)']); } catch (error) { console.log(error.stack); }";
    const result = await node(
      ['--enable-source-maps', '--input-type=module', '-e', script],
      project,
    );
    expect(result.stdout).toMatch(/^InvalidUrlPatternError/);
    expect(result.stdout).toMatch(/node_modules\/clientele\/src\/urls\/[a-z-]+\.ts:\d+:\d+/);
  });
});
