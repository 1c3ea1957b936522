import type { CodegenConfig } from '@graphql-codegen/cli';
import { resolverCodegen } from '../../packages/kit/codegen-preset.js';

const config: CodegenConfig = resolverCodegen({
  contextType: '../context.js#ProviderContext',
  mappers: {
    Provider: '../db/schema.js#ProviderRow',
    Model: '../db/schema.js#ModelRow',
    Completion: '../completions.js#CompletionResult',
    CompletionChunk: '../completions.js#CompletionChunk',
    FallbackAttempt: '../completions.js#Attempt',
    CompletionEvent: '../db/usage.js#UsageRecord',
  },
});

export default config;
