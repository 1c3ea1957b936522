import type { CodegenConfig } from '@graphql-codegen/cli';
import { resolverCodegen } from '../../packages/kit/codegen-preset.js';

const config: CodegenConfig = resolverCodegen({
  contextType: '../context.js#SecurityContext',
  mappers: {
    User: '../db/schema.js#UserRow',
    Session: '../db/schema.js#SessionRow',
    SigningKey: '../db/schema.js#SigningKeyRow',
    Passkey: '../db/schema.js#PasskeyRow',
    IdentityProvider: '../db/schema.js#IdentityProviderRow',
    IdentityProviderSettings: '../db/schema.js#IdentityProviderRow',
  },
});

export default config;
