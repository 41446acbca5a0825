/**
 * Every TypeScript and JavaScript block of the README and of docs/*.md runs here as a
 * reader would run it: as its own ES module importing the built package (`clientele`, `clientele/http`, …), in
 * a fresh working directory, with every result its comments state asserted (see
 * test/support/readme.ts for the comment forms). Blocks that define Vitest tests run under
 * Vitest. Two blocks need a server or a database and run in the test that provides them
 * (DELEGATED); this file checks that those tests read the block through the same parser.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/build.js';
import {
  CHECK_PRELUDE,
  checkedBlock,
  matchesPrinted,
  readmeBlocks,
  type ReadmeBlock,
} from '../support/readme.js';

/** The README and every page of docs/: their blocks all run here. */
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** A block with the page it is on. */
interface PageBlock extends ReadmeBlock {
  readonly file: string;
}

const BLOCKS: PageBlock[] = PAGES.flatMap((file) =>
  readmeBlocks(readFileSync(path.join(ROOT, file), 'utf8')).map((block) => ({ ...block, file })),
);
const CODE = BLOCKS.filter((block) => block.lang === 'ts' || block.lang === 'js');
const WORK = path.join(ROOT, '.tmp', 'readme');

/** Blocks that run in a test providing what they need, by heading. */
const DELEGATED: Readonly<Record<string, string>> = {
  'Build an identity server': 'test/http/readme-provider.test.ts', // a listening server
  'Many instances: PostgresStore': 'test/storage/postgres/readme.test.ts', // PostgreSQL
};

const isVitest = (block: ReadmeBlock) => /from '(?:vitest|clientele\/testing)'/.test(block.code);
/** The testing recipes: they read auth0/tenant.yaml, so they run against an export below. */
const isRecipe = (block: ReadmeBlock) =>
  block.code.includes("checkTenantFiles(['auth0/tenant.yaml']");
const SCRIPTS = CODE.filter(
  (block) => !isVitest(block) && !isRecipe(block) && !(block.heading in DELEGATED),
);
const SUITES = CODE.filter(isVitest);
const RECIPE_OF = (source: string) =>
  CODE.find((block) => isRecipe(block) && block.code.includes(`from '${source}'`));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
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

function transpile(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  }).outputText;
}

const where = (block: PageBlock) => `${block.file}:${block.line} (${block.heading})`;
/** A file name for a block: its page and line. */
const slug = (block: PageBlock) => `${block.file.replace(/\W+/g, '-')}-${block.line}`;

beforeAll(async () => {
  await ensureBuilt();
  await mkdir(WORK, { recursive: true });
});

describe.concurrent('README blocks', () => {
  it('every code block is a complete module: it imports what it uses from the package', () => {
    for (const block of CODE) {
      expect(block.code, where(block)).toMatch(/^import /m);
    }
  });

  it.each(Object.entries(DELEGATED))(
    '"%s" runs in %s, read by the same parser',
    (heading, file) => {
      expect(CODE.some((block) => block.heading === heading)).toBe(true);
      const test = readFileSync(path.join(ROOT, file), 'utf8');
      expect(test).toContain('readmeBlocks(');
      expect(test).toContain(heading);
    },
  );

  it.each(SCRIPTS.map((block) => [where(block), block] as const))(
    '%s runs and shows what it states',
    async (_where, block) => {
      const checked = checkedBlock(block.code);
      const file = path.join(WORK, `block-${slug(block)}.mjs`);
      await writeFile(file, CHECK_PRELUDE + transpile(checked.code));
      const cwd = await mkdtemp(path.join(tmpdir(), 'clientele-readme-'));
      try {
        const result = await run([file], cwd);
        // An uncaught error or a failed assertion exits with 1 and says why on stderr.
        expect(result.code, `${where(block)}\n${result.stderr}`).toBe(0);
        if (checked.printed.length > 0 && result.stdout !== '') {
          expect(matchesPrinted(checked.printed, result.stdout), result.stdout).toBe(true);
        }
      } finally {
        await rm(cwd, { recursive: true, force: true });
      }
    },
  );

  it('states results in its blocks, and they are asserted', () => {
    const stated = SCRIPTS.reduce((sum, block) => sum + checkedBlock(block.code).assertions, 0);
    expect(stated).toBeGreaterThanOrEqual(20);
  });
});

/** Runs the Vitest blocks as test files of a project of their own, on the built package. */
async function vitest(files: readonly PageBlock[], cwd: string) {
  const dir = path.join(WORK, 'vitest');
  await mkdir(dir, { recursive: true });
  const dist = (entry: string) => path.join(ROOT, 'dist', entry);
  await writeFile(
    path.join(dir, 'vitest.config.mjs'),
    `export default ${JSON.stringify({
      resolve: {
        alias: {
          'clientele/testing': dist('testing.js'),
          'clientele/http': dist('http/index.js'),
          'clientele/postgres': dist('postgres.js'),
          clientele: dist('index.js'),
        },
      },
      test: { include: ['*.test.ts'], pool: 'forks', testTimeout: 60_000 },
    })};\n`,
  );
  for (const block of files) {
    await writeFile(path.join(dir, `block-${slug(block)}.test.ts`), block.code);
  }
  const report = path.join(cwd, 'report.json');
  const result = await run(
    [
      path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--root',
      dir,
      '--config',
      path.join(dir, 'vitest.config.mjs'),
      '--reporter=json',
      `--outputFile=${report}`,
      ...files.map((block) => `block-${slug(block)}.test.ts`),
    ],
    cwd,
  );
  const json = JSON.parse(await readFile(report, 'utf8')) as {
    testResults: { assertionResults: { fullName: string; status: string }[] }[];
  };
  const tests = json.testResults.flatMap((file) => file.assertionResults);
  return { code: result.code, tests, output: result.stdout + result.stderr };
}

/** Runs the Jest recipe in Jest's ESM mode, on the built package; test name -> status. */
async function jest(block: PageBlock, cwd: string) {
  const dir = path.join(WORK, 'jest');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'tenant.test.mjs'), block.code);
  const config = {
    rootDir: dir,
    testEnvironment: 'node',
    transform: {},
    testMatch: ['**/*.test.mjs'],
    moduleNameMapper: { '^clientele$': path.join(ROOT, 'dist', 'index.js') },
    cacheDirectory: path.join(WORK, 'jest-cache'),
  };
  const report = path.join(cwd, 'jest.json');
  const result = await run(
    [
      '--experimental-vm-modules',
      path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--config',
      JSON.stringify(config),
      '--json',
      `--outputFile=${report}`,
    ],
    cwd,
  );
  const json = JSON.parse(await readFile(report, 'utf8')) as {
    testResults: { assertionResults: { fullName: string; status: string }[] }[];
  };
  const tests = json.testResults.flatMap((file) => file.assertionResults);
  return { code: result.code, tests, output: result.stdout + result.stderr };
}

/** Runs the node:test recipe with `node --test`; test name -> status from its TAP output. */
async function nodeTest(block: PageBlock, cwd: string) {
  const dir = path.join(WORK, 'node-test');
  await mkdir(dir, { recursive: true });
  // Under the repository, so `clientele` resolves to this package as a dependency would.
  const file = path.join(dir, 'tenant.test.mjs');
  await writeFile(file, block.code);
  const result = await run(['--test', '--test-reporter=tap', file], cwd);
  const tests = [...result.stdout.matchAll(/^ {4}(ok|not ok) \d+ - (.+)$/gm)].map((match) => ({
    fullName: `auth0/tenant.yaml ${match[2] ?? ''}`,
    status: match[1] === 'ok' ? 'passed' : 'failed',
  }));
  return { code: result.code, tests, output: result.stdout + result.stderr };
}

/** A realistic export with keyword markers, and the Deploy CLI config that fills them. */
const EXPORT = [
  'clients:',
  "  - name: '##ENV## Storefront'",
  '    app_type: spa',
  '    callbacks: @@SPA_CALLBACKS@@',
  '    allowed_logout_urls:',
  '      - https://##DOMAIN##/',
  '    web_origins:',
  '      - https://##DOMAIN##',
  "  - name: '##ENV## Worker'",
  '    app_type: non_interactive',
  '    grant_types: [client_credentials]',
  'resourceServers:',
  '  - name: Orders',
  '    identifier: https://api.##DOMAIN##/orders',
  '    scopes:',
  '      - value: read:orders',
  '        description: Read orders',
  'clientGrants:',
  "  - client_id: '##ENV## Worker'",
  '    audience: https://api.##DOMAIN##/orders',
  '    scope: [read:orders]',
];
const MAPPINGS = {
  ENV: 'staging',
  DOMAIN: 'staging.acme-shop.com',
  SPA_CALLBACKS: ['https://staging.acme-shop.com/callback'],
};

/** Runs `fn` in a scratch directory holding `auth0/tenant.yaml` and `auth0/config.json`. */
async function withExport<T>(
  lines: string[],
  mappings: Record<string, unknown>,
  fn: (cwd: string) => Promise<T>,
): Promise<T> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'clientele-readme-recipe-'));
  try {
    await mkdir(path.join(cwd, 'auth0'));
    await writeFile(path.join(cwd, 'auth0', 'tenant.yaml'), [...lines, ''].join('\n'));
    await writeFile(
      path.join(cwd, 'auth0', 'config.json'),
      JSON.stringify({
        AUTH0_DOMAIN: 'acme.eu.auth0.com',
        AUTH0_KEYWORD_REPLACE_MAPPINGS: mappings,
      }),
    );
    return await fn(cwd);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

const CLIENT_TESTS = [
  'auth0/tenant.yaml client staging Storefront has no errors or warnings',
  'auth0/tenant.yaml client staging Worker has no errors or warnings',
];

describe('README testing recipes (Vitest, Jest, node:test) on an export with keyword markers', () => {
  const vitestRecipe = SUITES.find((block) => isRecipe(block));
  const adapterSample = SUITES.find((block) => block.code.includes('runStoreConformance'));
  const runners = {
    // The store adapter suite runs along (one Vitest start less); it passes on a clean run.
    vitest: (cwd: string) => vitest([vitestRecipe as PageBlock, adapterSample as PageBlock], cwd),
    jest: (cwd: string) => jest(RECIPE_OF('@jest/globals') as PageBlock, cwd),
    'node:test': (cwd: string) => nodeTest(RECIPE_OF('node:test') as PageBlock, cwd),
  };

  it('are the three recipes, and the Vitest blocks are the recipe and the store adapter suite', () => {
    expect(SUITES).toHaveLength(2);
    expect(vitestRecipe).toBeDefined();
    expect(adapterSample).toBeDefined();
    expect(RECIPE_OF('@jest/globals')).toBeDefined();
    expect(RECIPE_OF('node:test')).toBeDefined();
  });

  it.each(Object.keys(runners))('%s: pass on a clean export, one test per client', async (name) => {
    const runner = runners[name as keyof typeof runners];
    const { code, tests, output } = await withExport(EXPORT, MAPPINGS, runner);
    expect(code, output).toBe(0);
    const names = tests.map((test) => test.fullName);
    expect(names).toEqual(expect.arrayContaining(CLIENT_TESTS));
    expect(tests.filter((test) => test.status === 'failed')).toEqual([]);
    if (name === 'vitest') expect(tests.length).toBeGreaterThan(10); // with the adapter suite
  });

  it.each(Object.keys(runners))(
    '%s: fail on a wildcard (warning) and a typo (error), at the clients that have them',
    async (name) => {
      const runner = runners[name as keyof typeof runners];
      const broken = EXPORT.map((line) =>
        line === '    grant_types: [client_credentials]'
          ? '    grant_type: [client_credentials]'
          : line,
      );
      const mappings = {
        ...MAPPINGS,
        SPA_CALLBACKS: ['https://staging.acme-shop.com/callback', 'https://*.acme-shop.com/cb'],
      };
      const { code, tests, output } = await withExport(broken, mappings, runner);
      expect(code, output).not.toBe(0);
      const failed = tests.filter((test) => test.status === 'failed').map((test) => test.fullName);
      expect(failed).toEqual(expect.arrayContaining(CLIENT_TESTS));
      // Vitest's JSON reporter keeps the messages in its report, the others print them.
      if (name !== 'vitest') expect(output).toMatch(/wildcard-url \/callbacks\/1/);
    },
  );
});

/** `clientele check examples/tenant.yaml` with `args`, as `npm start` runs it. */
const checkExample = (...args: string[]) =>
  run([path.join(ROOT, 'dist', 'cli', 'main.js'), 'check', 'examples/tenant.yaml', ...args], ROOT);

describe('README CLI sample', () => {
  // The sample is the output of `npm start`. Run with UPDATE_README=1 to write the current
  // output into the README; without it, a difference fails here.
  it('is what `clientele check examples/tenant.yaml` prints', async () => {
    const sample = BLOCKS.find(
      (block) => block.heading === 'The `clientele check` CLI' && block.lang === 'text',
    ) as PageBlock;
    expect(sample).toBeDefined();
    const result = await checkExample();
    expect(result.code, result.stderr).toBe(0);
    const printed = result.stdout.trimEnd();
    if (process.env.UPDATE_README === '1' && printed !== sample.code) {
      const page = path.join(ROOT, sample.file);
      await writeFile(page, readFileSync(page, 'utf8').replace(sample.code, printed));
    } else {
      expect(sample.code).toBe(printed);
    }
  });

  it('shows a JSON output that `--format json` prints, findings abridged', async () => {
    const sample = BLOCKS.find(
      (block) => block.heading === 'The `clientele check` CLI' && block.code.includes('"findings"'),
    ) as PageBlock;
    expect(sample).toBeDefined();
    const result = await checkExample('--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    interface Output {
      findings: unknown[];
      summary: unknown;
      failures: unknown[];
    }
    const shown = JSON.parse(sample.code) as Output;
    const actual = JSON.parse(result.stdout) as Output;
    expect(Object.keys(shown)).toEqual(Object.keys(actual));
    expect(actual.findings).toEqual(expect.arrayContaining(shown.findings));
    expect(shown.findings.length).toBeGreaterThan(0);
    expect(shown.summary).toEqual(actual.summary);
    expect(shown.failures).toEqual(actual.failures);
  });
});
