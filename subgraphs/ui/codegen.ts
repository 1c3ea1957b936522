import type { CodegenConfig } from '@graphql-codegen/cli';
import { resolverCodegen } from '../../packages/kit/codegen-preset.js';

const config: CodegenConfig = resolverCodegen({
  contextType: '../context.js#UiContext',
  mappers: {
    Document: '../db/schema.js#DocumentRow',
    Visualization: '../db/schema.js#VisualizationRow',
    User: '../db/schema.js#UserRef',
    DocumentVersion: '../db/schema.js#DocumentVersionRow',
    DocumentShare: '../db/schema.js#ShareRow',
    DocumentUpdateEvent: '../collab/events.js#UpdateEvent',
    PresenceEvent: '../collab/events.js#PresenceEventModel',
  },
});

export default config;
