import type { CodegenConfig } from '@graphql-codegen/cli';
import { resolverCodegen } from '../../packages/kit/codegen-preset.js';

const config: CodegenConfig = resolverCodegen({
  contextType: '../context.js#MemoryContext',
  mappers: {
    Memory: '../db/schema.js#MemoryRow',
    Fold: '../db/schema.js#FoldRow',
    Topic: '../topics.js#Topic',
    MemoryEvent: '../db/writes.js#MemoryChange',
    ContextSentence: '../models.js#ContextSentenceModel',
  },
});

export default config;
