// The built-in roles and the scopes their tokens carry. New users get DEFAULT_ROLE.
export const DEFAULT_ROLE = 'member';
export const ADMIN_ROLE = 'admin';

export const BUILT_IN_ROLES = [
  {
    name: DEFAULT_ROLE,
    description: 'Every signed-up user: reads and writes their own data.',
    scopes: [
      'memory:read',
      'memory:write',
      'provider:read',
      'provider:complete',
      'ui:read',
      'ui:write',
      'tools:read',
      'tools:execute',
    ],
  },
  {
    name: ADMIN_ROLE,
    description: 'Administrators: every scope, including the admin scopes of each subgraph.',
    scopes: ['*'],
  },
] as const;
