// One linter over all code, tests included (formatting is prettier's job).
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const graphql = require('@graphql-eslint/eslint-plugin');

// Each subgraph's SDL: everything a client can see carries a description, so GraphiQL's docs
// and typed clients explain the API. Only the SDL files: the JS/TS rules above don't parse
// GraphQL, and the SDLs need no loaded schema for this rule.
const SDL_FILES = ['subgraphs/*/src/schema.graphql'];

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      '**/coverage/**',
      '**/src/generated/**',
      '**/.turbo/**',
    ],
  },
  { ...js.configs.recommended, ignores: SDL_FILES },
  ...tseslint.configs.recommended.map((config) => ({ ...config, ignores: SDL_FILES })),
  {
    ignores: SDL_FILES,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        console: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  {
    files: SDL_FILES,
    languageOptions: { parser: graphql.parser },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
        },
      ],
    },
  },
);
