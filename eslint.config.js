// ESLint: typescript-eslint's and eslint-plugin-svelte's recommended rules, and one house rule — product code
// reads time through model/clock.ts. Formatting is prettier's (.prettierrc.json); `npm run lint` runs both.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Where reading the wall clock directly is right: the clock port itself, and code that is not the product. */
const WALL_CLOCK_ALLOWED = [
  'model/clock.ts',
  '**/*.test.ts',
  '**/*.contract.ts',
  '**/test-support.ts',
  '**/testing/**',
  '**/testdata/**',
  'test/**',
  'bench/**',
  // the simulated devices stamp readings with their own clocks, as field devices do
  'sim/**',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'ui/web/dist/', '.build/', '.ci/artifacts/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter or binding that is unused on purpose
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.ts'],
    // a binding declared before a closure that reads it, and assigned once later, stays `let`
    rules: { 'prefer-const': ['error', { ignoreReadBeforeAssign: true }] },
  },
  // after the general rules: it turns prefer-const off for `let { … } = $props()` and checks runes instead
  ...svelte.configs.recommended,
  {
    files: ['ui/web/**/*.ts', 'ui/web/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['**/*.ts', '**/*.svelte'],
    ignores: WALL_CLOCK_ALLOWED,
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'read time through a Clock (model/clock.ts: systemClock, or the clock/scheduler passed in)' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'read time through a Clock (model/clock.ts: systemClock, or the clock/scheduler passed in)' },
      ],
    },
  },
);
