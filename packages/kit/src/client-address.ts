// Where a request comes from: the socket's peer, or, behind proxies that each append their
// peer to X-Forwarded-For, the address the outermost of them saw. The router trusts the
// proxies its settings name; a subgraph trusts one hop, the router, which forwards the
// client's address and user agent (forwardedClientHeaders).
import type { IncomingMessage } from 'node:http';

export interface ClientRequestContext {
  request?: Request;
  req?: IncomingMessage;
}

/**
 * The client's address: the socket's peer, or with `trustedProxyHops` proxies in front, the
 * address the outermost of them saw (each appends its peer, so entries further left are
 * whatever the client chose to send).
 */
export function clientAddress(context: ClientRequestContext, trustedProxyHops: number): string {
  const peer = context.req?.socket?.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return peer;
  const header =
    context.request?.headers.get('x-forwarded-for') ?? context.req?.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - trustedProxyHops] ?? forwarded[0] ?? peer;
}

/** The client's user agent as the request carries it. */
export function clientUserAgent(context: ClientRequestContext): string | undefined {
  const header = context.request?.headers.get('user-agent') ?? context.req?.headers['user-agent'];
  return header ?? undefined;
}

/** A subgraph's one trusted hop: the router in front of it, which forwards the client's address. */
const ROUTER_HOPS = 1;

/** The client of a request that reached a subgraph through the router: its address and user
 * agent as the router forwarded them (or the direct caller's own). */
export const routedClient = (context: ClientRequestContext) => ({
  address: clientAddress(context, ROUTER_HOPS),
  userAgent: clientUserAgent(context),
});

/** What the router tells subgraphs about the client: its address (one X-Forwarded-For
 * entry, which a subgraph reads as its one trusted hop) and its user agent. */
export function forwardedClientHeaders(
  context: ClientRequestContext,
  trustedProxyHops: number,
): Record<string, string> {
  const userAgent = clientUserAgent(context);
  return {
    'x-forwarded-for': clientAddress(context, trustedProxyHops),
    ...(userAgent ? { 'user-agent': userAgent.slice(0, 512) } : {}),
  };
}
