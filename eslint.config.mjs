// Flat config: typescript-eslint's recommended rules on every workspace package.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.surge/**', 'coverage/**', 'load-tests/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['infra/stack/**', 'bench/**', 'scripts/**', 'test/**', '**/test/**', '*.cjs', '*.mjs', '*.js'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
