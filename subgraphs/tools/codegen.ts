import type { CodegenConfig } from '@graphql-codegen/cli';
import { resolverCodegen } from '../../packages/kit/codegen-preset.js';

const config: CodegenConfig = resolverCodegen({
  contextType: '../context.js#ToolsContext',
  mappers: {
    Tool: '../db/schema.js#ToolRow',
    McpServer: '../db/schema.js#McpServerRow',
    Execution: '../db/schema.js#ExecutionRow',
    ExecutionEvent: '../executions/service.js#StreamEvent',
    User: '../db/schema.js#UserRef',
  },
});

export default config;
