import type { CodegenConfig } from '@graphql-codegen/cli';
import { resolverCodegen } from '../../packages/kit/codegen-preset.js';

const config: CodegenConfig = resolverCodegen({
  contextType: '../context.js#UiContext',
  mappers: {
    Document: '../db/schema.js#DocumentRow',
    Visualization: '../db/schema.js#VisualizationRow',
    User: '../db/schema.js#UserRef',
  },
});

export default config;
