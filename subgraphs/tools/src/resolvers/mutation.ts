// Mutation: register tools and switch them on and off; both need the scope tools:admin.
import { codedError, notFound, parseInput, requireScope } from '@supergraph/kit';
import { insertTool, setToolEnabled } from '../db/tools.js';
import type { MutationResolvers } from '../generated/resolvers-types.js';
import { ADMIN_SCOPE, registerToolInput } from '../inputs.js';

export const Mutation: MutationResolvers = {
  async registerTool(_parent, { input }, context) {
    const { userId } = requireScope(context, ADMIN_SCOPE);
    const values = parseInput(registerToolInput(context.maxToolSchemaBytes), input);
    const tool = await insertTool(context.db, {
      ...values,
      enabled: values.enabled ?? true,
      createdBy: userId,
    });
    if (!tool) {
      throw codedError('CONFLICT', `A tool named ${values.name} already exists.`, {
        extensions: { field: 'input.name' },
      });
    }
    context.logger.info({ toolId: tool.id, name: tool.name }, 'tool registered');
    return tool;
  },

  async setToolEnabled(_parent, { id, enabled }, context) {
    requireScope(context, ADMIN_SCOPE);
    const tool = await setToolEnabled(context.db, id, enabled);
    if (!tool) throw notFound('Tool', id);
    return tool;
  },
};
