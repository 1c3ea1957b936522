// Typed documents for the operations in src/, from the schema clients see. The committed
// supergraph file also holds the join__/link machinery the router plans with; a client must be
// typed against its API schema instead, derived here rather than kept as a second generated
// file that could go stale. `npm run codegen -- --check` fails when src/generated is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { readApiSchema } from '../../schema/compose.js';

const config: CodegenConfig = {
  overwrite: true,
  // NodeNext resolution: relative imports in the generated files need their extension.
  emitLegacyCommonJSImports: false,
  schema: printSchema(readApiSchema()),
  documents: ['src/**/*.ts', '!src/generated/**'],
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
