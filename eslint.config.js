import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Ids are brought to one spelling at the edge (src/http/resource-id.ts, decision 0055).
const ID_IMPORTS = [
  {
    name: '@nestjs/common',
    importNames: ['ParseUUIDPipe'],
    message: 'Use IdParam() from src/http/resource-id.ts: it also lower-cases the id.',
  },
  {
    name: 'class-validator',
    importNames: ['IsUUID'],
    message: 'Use IsId() from src/http/resource-id.ts: it also lower-cases the id.',
  },
];

export default tseslint.config(
  // bench/peer is a conventional NestJS service written as the docs show, not held to Keel's rules.
  { ignores: ['dist/', 'client/dist/', 'coverage/', '.data/', 'node_modules/', 'bench/peer/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One program for sources, specs, e2e suites and the bench (see tsconfig.check.json).
      parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'error',
      // Ids are brought to one spelling at the edge (src/http/resource-id.ts, decision 0055).
      'no-restricted-imports': [
        'error',
        {
          paths: [...ID_IMPORTS],
        },
      ],
    },
  },
  {
    // Request rules that match what PostgreSQL stores (docs/decisions/0041-text-length-and-null.md),
    // and ids brought to one spelling at the edge (decision 0055). One rule: in flat config a later
    // block's `no-restricted-imports` replaces an earlier one's paths.
    files: ['src/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...ID_IMPORTS,
            {
              name: 'class-validator',
              importNames: ['IsOptional', 'Length', 'MaxLength', 'MinLength'],
              message:
                'Use src/validation: IsOmittable()/IsNullable() (IsOptional lets null reach NOT NULL columns), CharLength()/MaxChars() (counts characters as PostgreSQL does).',
            },
            {
              name: '@nestjs/swagger',
              importNames: ['PartialType'],
              message:
                'Use PatchType() from src/validation/patch-type.ts: null only for nullable fields.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/resource-id.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
  {
    // The schematic collection is CommonJS: @angular-devkit/schematics loads factories with
    // require() (schematics/package.json, decision 0130).
    files: ['schematics/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
