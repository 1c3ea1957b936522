// The MCP client and the /mcp endpoint, loaded on first use: the SDK takes about a second and
// a dozen MB to load, which a replica (or a test supergraph) that never speaks MCP should not
// pay at start.
import type { McpClients, McpClientsOptions } from './client.js';
import type { McpEndpointOptions } from './endpoint.js';

export function lazyMcpClients(options?: McpClientsOptions): McpClients {
  let loading: Promise<McpClients> | undefined;
  let loaded: McpClients | undefined;
  const load = () =>
    (loading ??= import('./client.js').then(
      (module) => (loaded = module.createMcpClients(options)),
    ));
  return {
    listTools: async (...args) => (await load()).listTools(...args),
    callTool: async (...args) => (await load()).callTool(...args),
    breakerState: (url) => loaded?.breakerState(url),
    close: async () => {
      if (loading) await (await loading).close();
    },
  };
}

export function lazyMcpEndpoint(
  options: McpEndpointOptions,
): (request: Request) => Promise<Response> {
  let handler: Promise<(request: Request) => Promise<Response>> | undefined;
  return async (request) =>
    (
      await (handler ??= import('./endpoint.js').then((module) =>
        module.createMcpEndpoint(options),
      ))
    )(request);
}
