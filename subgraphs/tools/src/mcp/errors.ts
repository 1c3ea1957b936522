// Why a call of a remote MCP server failed; apart from the client so that code that only
// tells failures apart does not load the SDK.
export type McpToolErrorReason =
  'unavailable' | 'circuit-open' | 'timeout' | 'cancelled' | 'protocol';

export class McpToolError extends Error {
  override readonly name = 'McpToolError';
  constructor(
    readonly reason: McpToolErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
