// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/ (DESIGN.md, "Architecture"), kept by `no-restricted-imports`: for
 * each folder, the folders its files must not import. Data flows one way: lib → urls and
 * client → tokens, apis, connections, registration → audit and storage → tenant → http
 * and cli. A rule per folder rather than one list, because ESLint replaces (does not
 * merge) a rule's options when two config objects match the same file.
 */
export const LAYERS = {
  lib: [
    'client',
    'urls',
    'tokens',
    'apis',
    'connections',
    'registration',
    'cimd',
    'dpop',
    'par',
    'jar',
    'audit',
    'log-streams',
    'storage',
    'tenant',
    'http',
    'cli',
  ],
  urls: ['storage', 'audit', 'tenant', 'http', 'cli'],
  client: ['storage', 'audit', 'tenant', 'http', 'cli'],
  tokens: ['storage', 'audit', 'tenant', 'http', 'cli'],
  apis: ['storage', 'audit', 'tenant', 'http', 'cli'],
  connections: ['storage', 'audit', 'tenant', 'http', 'cli'],
  registration: ['storage', 'audit', 'tenant', 'http', 'cli'],
  cimd: ['storage', 'audit', 'tenant', 'http', 'cli'],
  dpop: ['storage', 'audit', 'tenant', 'http', 'cli'],
  par: ['storage', 'audit', 'tenant', 'http', 'cli'],
  jar: ['storage', 'audit', 'tenant', 'http', 'cli'],
  audit: ['tenant', 'http', 'cli'],
  'log-streams': ['storage', 'tenant', 'http', 'cli'],
  storage: ['audit', 'tenant', 'http', 'cli'],
  tenant: ['http', 'cli'],
  diff: ['storage', 'audit', 'tenant', 'http'],
};

/** @type {Readonly<Record<string, string>>} Why a folder may not import another, shown with the lint error. */
const WHY = {
  http: 'nothing under src/tenant/ or below imports src/http/ (the HTTP layer sits on top)',
  tenant: 'only src/tenant.ts, src/http/ and src/cli/ build on the Tenant',
  storage: 'nothing below the Tenant knows about storage: pass data in, let src/tenant/ store it',
  audit: 'nothing below the Tenant knows about audit: let src/tenant/ record events',
  cli: 'src/cli/ is the command on top; move what you need below it (src/lib/ for generic helpers)',
};

/**
 * The import patterns that name folder `name` of src/ from anywhere inside src/.
 *
 * @param {string} name
 */
function folderPatterns(name) {
  // `tenant` is also the facade file src/tenant.ts.
  return name === 'tenant' ? ['**/tenant/**', '**/tenant.js'] : [`**/${name}/**`];
}

/**
 * @param {string} folder
 * @param {readonly string[]} banned
 * @returns {import('eslint').Linter.Config}
 */
function layerRules(folder, banned) {
  return {
    files: folder === 'tenant' ? ['src/tenant/**', 'src/tenant.ts'] : [`src/${folder}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: banned.map((name) => ({
            group: folderPatterns(name),
            message:
              WHY[name] ??
              `src/${folder}/ sits below src/${name}/: move what both need to src/lib/ (generic) or below`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  // Scratch output of tests (.tmp/, test-artifacts/) is not source: a run can write there meanwhile.
  { ignores: ['dist/', 'docs/api/', 'coverage/', 'node_modules/', '.tmp/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...tseslint.configs.stylistic,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
    },
  },
  ...Object.entries(LAYERS).map(([folder, banned]) => layerRules(folder, banned)),
  {
    // The admin console's browser code runs in the page, not in Node.
    files: ['src/http/console/browser/**'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        history: 'readonly',
        location: 'readonly',
        sessionStorage: 'readonly',
        crypto: 'readonly',
        fetch: 'readonly',
        btoa: 'readonly',
        queueMicrotask: 'readonly',
        FormData: 'readonly',
        URLSearchParams: 'readonly',
        TextEncoder: 'readonly',
        HTMLElement: 'readonly',
        Element: 'readonly',
        Node: 'readonly',
      },
    },
  },
  {
    files: ['test/**', 'examples/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
