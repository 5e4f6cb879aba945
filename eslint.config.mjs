// One linter: typescript-eslint's recommended rules, plus the layer rules of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'http',
  'https',
  'net',
  'child_process',
  'worker_threads',
  'url',
  'crypto',
  'stream',
  'zlib',
  'process',
];
const nodeImports = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'artifacts/**',
      '.editor-cache/**',
      '**/*.py',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // Only src/vscode may import 'vscode'.
    files: ['src/**/*.ts', 'renderers/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.*'],
    ignores: ['src/vscode/**', 'test/integration/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'] }] },
  },
  {
    // Activation loads only the adapters: the layers they call are required on first use
    // through src/vscode/lazy.ts. Elsewhere in src/vscode they are imported for types only,
    // or esbuild would bundle them into dist/extension.js again.
    files: ['src/vscode/**/*.ts'],
    ignores: ['src/vscode/lazy.ts', 'src/vscode/lazy/**', 'src/vscode/mapping.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/notebook/**',
                '!**/notebook/file-type',
                '!**/notebook/saved',
                '!**/notebook/version',
                '**/results',
                '**/results/**',
                '**/outputs/**',
                '**/cli/**',
                '**/engine/**',
                '!**/engine/result',
                '**/data/**',
                '!**/data/paths',
                '!**/data/dataset-cache',
                '!**/data/progress',
                './mapping',
                'zod',
                'yaml',
                'jsonc-parser',
                'markdown-it',
              ],
              allowTypeImports: true,
              message:
                'Loaded on first use: import types only here and call it through src/vscode/lazy.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine is pure: no I/O, nothing from the layers above it.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...nodeImports.filter((p) => !p.includes('*'))],
          patterns: [
            {
              group: [
                '**/results/**',
                '**/notebook/**',
                '**/outputs/**',
                '**/data/**',
                '**/cli/**',
                '**/vscode/**',
              ],
              message: 'src/engine imports nothing above it.',
            },
            {
              group: nodeImports.filter((p) => p.includes('*')),
              message: 'src/engine does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The results contract (src/results): imports nothing but zod, so every side can share it.
    files: ['src/results/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...nodeImports.filter((p) => !p.includes('*'))],
          patterns: [
            {
              group: [
                '**/engine/**',
                '**/notebook/**',
                '**/outputs/**',
                '**/data/**',
                '**/cli/**',
                '**/vscode/**',
              ],
              message: 'src/results is the shared contract: it imports nothing but zod.',
            },
            {
              group: nodeImports.filter((p) => p.includes('*')),
              message: 'src/results does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // Pure layers below the adapters never import the adapters.
    files: ['src/notebook/**/*.ts', 'src/outputs/**/*.ts', 'src/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode'],
          patterns: [{ group: ['**/cli/**', '**/vscode/**'], message: 'Arrows point down only.' }],
        },
      ],
    },
  },
  {
    // The renderer runs in a webview: no node modules, no vscode.
    files: ['renderers/**/*.ts', 'src/outputs/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...nodeImports.filter((p) => !p.includes('*'))],
          patterns: [
            {
              group: ['**/cli/**', '**/vscode/**', '**/data/**', '**/notebook/**'],
              message: 'The renderer side depends only on src/results and src/outputs.',
            },
            {
              group: nodeImports.filter((p) => p.includes('*')),
              message: 'The renderer side imports no node modules.',
            },
          ],
        },
      ],
    },
  },
);
