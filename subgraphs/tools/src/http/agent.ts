// The connection pool HTTP tools call through: an undici Agent whose DNS lookup checks every
// address a name resolves to against the egress policy before the socket connects, so a name
// that passed the allow-list cannot be pointed at an inside address later (DNS rebinding).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { Agent, buildConnector } from 'undici';
import { checkAddress, DEFAULT_PORTS, type EgressPolicy } from './egress.js';

/** A connection refused by the egress policy; never retried. */
export class EgressDeniedError extends Error {
  override readonly name = 'EgressDeniedError';
}

/**
 * Wraps a resolver so that it answers only when every address of the name is allowed: one
 * refused address refuses the name, since the socket may try any of them (happy eyeballs).
 */
export function guardedLookup(
  policy: EgressPolicy,
  port: number,
  resolve: LookupFunction = dnsLookup,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '');
      const addresses: LookupAddress[] =
        typeof found === 'string' ? [{ address: found, family: isIP(found) }] : found;
      for (const { address } of addresses) {
        const refusal = checkAddress(policy, address, port);
        if (refusal) {
          return callback(new EgressDeniedError(`${hostname} resolves to ${refusal}`), '');
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '');
      return callback(null, first.address, first.family);
    });
  };
}

function guardedAgent(
  { Agent, buildConnector }: typeof import('undici'),
  policy: EgressPolicy,
  resolve?: LookupFunction,
): Agent {
  // The port is part of the check (entries may name one) but not an argument of a lookup, so
  // there is one connector per port; each keeps its own TLS session cache.
  const connectors = new Map<number, buildConnector.connector>();
  return new Agent({
    connect: (options, callback) => {
      const port = Number(options.port) || DEFAULT_PORTS[options.protocol] || 0;
      let connector = connectors.get(port);
      if (!connector) {
        connector = buildConnector({ lookup: guardedLookup(policy, port, resolve) });
        connectors.set(port, connector);
      }
      connector(options, callback);
    },
  });
}

/** Agents by policy and resolver, so that calls under one policy share keep-alive connections. */
const agents = new WeakMap<EgressPolicy, Map<LookupFunction | undefined, Agent>>();

// undici is loaded with the first HTTP tool call, not with the subgraph.
export async function agentFor(policy: EgressPolicy, resolve?: LookupFunction): Promise<Agent> {
  // Loaded before the look-up below, so that two first calls cannot both make an agent.
  const undici = await import('undici');
  let byResolver = agents.get(policy);
  if (!byResolver) {
    byResolver = new Map();
    agents.set(policy, byResolver);
  }
  let agent = byResolver.get(resolve);
  if (!agent) {
    agent = guardedAgent(undici, policy, resolve);
    byResolver.set(resolve, agent);
  }
  return agent;
}

/** Closes the pooled connections of calls made under `policy` (at shutdown, or when it is replaced). */
export async function releaseEgressPolicy(policy: EgressPolicy): Promise<void> {
  const byResolver = agents.get(policy);
  agents.delete(policy);
  await Promise.all([...(byResolver?.values() ?? [])].map((agent) => agent.close()));
}
