// ESLint (typescript-eslint, without type information: fast enough to run in every `npm test`).
import js from '@eslint/js';
import security from 'eslint-plugin-security';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// eslint-plugin-security's recommended rules, as errors (docs/operations.md, "CI security checks").
const securityRules = Object.fromEntries(
  Object.keys(security.configs.recommended.rules).map((rule) => [rule, 'error']),
);

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.dist-next/',
      '.dist-old/',
      'node_modules/',
      'data/',
      'coverage/',
      'bench/results/',
      'bench/peers/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
          caughtErrors: 'none',
        },
      ],
      // Logs go through winston as JSON; the CLI writes its answers with process.stdout.
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
    },
  },
  {
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    plugins: { security },
    rules: {
      ...securityRules,
      // Flags every obj[key]; typed code, JSON parsed with prototype-poisoning protection and bodies
      // validated with additionalProperties: false make its findings noise (59 here, none real).
      'security/detect-object-injection': 'off',
      // Adapters open files under DATA_DIR by design; the HTTP layer (below) must never build a path.
      'security/detect-non-literal-fs-filename': 'off',
    },
  },
  {
    files: ['api/**'],
    rules: { 'security/detect-non-literal-fs-filename': 'error' },
  },
  {
    // The deciders' guard is a function named require; the domain cannot load modules (layer rules).
    files: ['domain/**'],
    rules: { 'security/detect-non-literal-require': 'off' },
  },
  {
    // Tests and benchmarks build their patterns and module names from their own constants.
    files: ['tests/**', 'bench/**'],
    rules: {
      'security/detect-non-literal-regexp': 'off',
      'security/detect-unsafe-regex': 'off',
      'security/detect-non-literal-require': 'off',
    },
  },
);
