// Flat config: typescript-eslint's recommended rules on every workspace package, plus the
// import rules that enforce what the layout promises (docs/architecture.md).
import tseslint from 'typescript-eslint';
import {
  noCrossWorkspaceRelativeImport,
  noUnexportedWorkspaceImport,
} from './scripts/eslint/workspace-boundaries.mjs';

const SERVICES = [
  'gateway',
  'notification',
  'order',
  'payment',
  'payment-provider',
  'product',
  'storefront',
  'user',
];
const serviceNames = (except) => SERVICES.filter((name) => name !== except).map((name) => `@surge/${name}`);

/** Use cases know no transport, database, broker or cache: those are adapters' business. */
const DOMAIN_MUST_NOT_IMPORT = [
  { name: 'express', message: 'domain/ knows no HTTP framework: routes live in entry-points/http.' },
  { name: 'pg', message: 'domain/ knows no database driver: repositories live in data-access/.' },
  { name: 'kafkajs', message: 'domain/ knows no broker client: consumers live in entry-points/kafka.' },
  { name: 'ioredis', message: 'domain/ knows no Redis client: adapters live in data-access/.' },
  { name: 'undici', message: 'domain/ knows no HTTP client: calls to other services live in clients/.' },
  { name: 'opossum', message: 'domain/ knows no circuit breaker: clients/ wrap calls.' },
  ...['@surge/http-kit', '@surge/http-client', '@surge/postgres', '@surge/redis', '@surge/messaging'].map(
    (name) => ({
      name,
      message: 'domain/ may use this package for types only (import type).',
      allowTypeImports: true,
    }),
  ),
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.surge/**', 'coverage/**', 'load-tests/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: {
      surge: {
        rules: {
          'no-cross-workspace-relative-import': noCrossWorkspaceRelativeImport,
          'no-unexported-workspace-import': noUnexportedWorkspaceImport,
        },
      },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Another workspace is reached by its package name and only through what it exports.
      'surge/no-cross-workspace-relative-import': 'error',
      'surge/no-unexported-workspace-import': 'error',
    },
  },
  // No service imports another service's code, in its source or its tests; the one
  // exception is payment's tests, which run the provider simulator in-process.
  ...SERVICES.map((service) => ({
    files: [`services/${service}/**/*.ts`],
    ignores: service === 'payment' ? ['services/payment/test/**'] : [],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: serviceNames(service).map((name) => ({
            name,
            message: 'Services talk over HTTP and Kafka, never by importing each other.',
          })),
        },
      ],
    },
  })),
  {
    files: ['services/*/src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...DOMAIN_MUST_NOT_IMPORT,
            ...SERVICES.map((name) => ({
              name: `@surge/${name}`,
              message: 'Services never import each other.',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: SERVICES.map((name) => ({
            name: `@surge/${name}`,
            message: 'Shared packages serve every service and depend on none.',
          })),
        },
      ],
    },
  },
  {
    files: ['infra/stack/**', 'bench/**', 'scripts/**', 'test/**', '**/test/**', '*.cjs', '*.mjs', '*.js'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
