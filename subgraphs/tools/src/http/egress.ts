// Where HTTP tools may send requests: a deny-by-default allow-list of hosts and IP ranges, and
// the rule that an address inside the network (loopback, private, link-local, cloud metadata…)
// is reached only when an IP/CIDR entry names it, whichever hostname led there.
import { domainToASCII } from 'node:url';
import { badInput } from '@supergraph/kit';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

interface HostEntry {
  kind: 'host';
  /** Lower-case ASCII name without a trailing dot; for a wildcard, the suffix after "*.". */
  name: string;
  wildcard: boolean;
  port?: number;
}

interface AddressEntry {
  kind: 'address';
  range: [Address, number];
  port?: number;
}

type EgressEntry = HostEntry | AddressEntry;

/** A parsed allow-list; build it with parseEgressAllowList. Empty allows nothing. */
export interface EgressPolicy {
  readonly entries: readonly EgressEntry[];
}

/** The env variable the allow-list comes from; it names the field in parse errors. */
export const EGRESS_ALLOW_ENV = 'TOOLS_EGRESS_ALLOW';

/**
 * Cloud instance-metadata endpoints (AWS, GCP and Azure share the first; AWS's IPv6 one; Alibaba's).
 * They hand out credentials, so a CIDR that merely contains one does not allow it: only an entry
 * naming that exact address does.
 */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'].map((text) =>
  ipaddr.parse(text),
);

const MAX_PORT = 65_535;
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };
/** RFC 1035 limits, with "_" tolerated as the WHATWG URL parser does. */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const MAX_HOSTNAME_LENGTH = 253;
/** A last label like this makes the URL parser read the whole host as an IPv4 address. */
const NUMERIC_LABEL = /^(?:\d+|0x[0-9a-f]*)$/;

const fullPrefix = (address: Address) => (address.kind() === 'ipv4' ? 32 : 128);

function parsePort(text: string, entry: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= MAX_PORT)) {
    throw entryError(entry, `the port "${text}" is not a number from 1 to ${MAX_PORT}`);
  }
  return port;
}

const entryError = (entry: string, why: string) =>
  badInput(`${EGRESS_ALLOW_ENV} entry "${entry}": ${why}.`, EGRESS_ALLOW_ENV);

function parseAddress(text: string, entry: string): Address {
  // Zone ids ("fe80::1%eth0") name an interface of one machine, not a destination.
  if (text.includes('%') || !ipaddr.isValid(text)) {
    throw entryError(entry, `"${text}" is not an IP address`);
  }
  if (ipaddr.IPv4.isIPv4(text) && !ipaddr.IPv4.isValidFourPartDecimal(text)) {
    throw entryError(entry, `write IPv4 addresses as four decimal numbers, not "${text}"`);
  }
  return ipaddr.process(text);
}

function parseCidr(text: string, entry: string): AddressEntry {
  const [base = '', bits = ''] = text.split('/');
  const address = parseAddress(base, entry);
  const max = fullPrefix(address);
  const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= max)) {
    throw entryError(entry, `the prefix length "/${bits}" is not a number from 0 to ${max}`);
  }
  return { kind: 'address', range: [address, prefix] };
}

function parseHostname(text: string, entry: string): HostEntry {
  const wildcard = text.startsWith('*.');
  const rest = wildcard ? text.slice(2) : text;
  if (rest.includes('*')) {
    throw entryError(
      entry,
      'a wildcard is allowed only as the whole first label ("*.example.com")',
    );
  }
  // Internationalised names are compared in their ASCII (punycode) form, as URLs carry them.
  const name = domainToASCII(rest.replace(/\.$/, '')).toLowerCase();
  const labels = name.split('.');
  if (!name || name.length > MAX_HOSTNAME_LENGTH || !labels.every((label) => LABEL.test(label))) {
    throw entryError(entry, 'not a hostname, an IP address or a CIDR range');
  }
  if (NUMERIC_LABEL.test(labels.at(-1)!)) {
    throw entryError(entry, 'looks like an IP address but is not one (write a.b.c.d)');
  }
  if (wildcard && labels.length < 2) {
    throw entryError(entry, 'a wildcard must stand under a name of at least two labels');
  }
  return { kind: 'host', name, wildcard };
}

function parseEntry(entry: string): EgressEntry {
  if (entry === '*') throw entryError(entry, 'allowing every destination is not supported');
  if (entry.includes('/')) {
    if (entry.includes('://')) throw entryError(entry, 'write a host, not a URL');
    return parseCidr(entry, entry);
  }
  // "[v6]" or "[v6]:port"
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    const address = parseAddress(bracketed[1]!, entry);
    const port = bracketed[2] === undefined ? undefined : parsePort(bracketed[2], entry);
    return { kind: 'address', range: [address, fullPrefix(address)], port };
  }
  // More than one colon without brackets: a bare IPv6 address, which cannot carry a port.
  if (entry.indexOf(':') !== entry.lastIndexOf(':')) {
    const address = parseAddress(entry, entry);
    return { kind: 'address', range: [address, fullPrefix(address)] };
  }
  const [host = '', portText] = entry.split(':');
  const port = portText === undefined ? undefined : parsePort(portText, entry);
  if (ipaddr.IPv4.isIPv4(host)) {
    const address = parseAddress(host, entry);
    return { kind: 'address', range: [address, fullPrefix(address)], port };
  }
  return { ...parseHostname(host, entry), port };
}

/**
 * Parses an allow-list such as "api.example.com, *.example.org:8443, 127.0.0.1:8080,
 * 10.0.0.0/8, [::1]" (entries separated by commas or white space). An entry without a port
 * allows every port; "*.example.org" allows names under example.org at any depth, not
 * example.org itself; CIDR ranges take no port. Throws BAD_USER_INPUT naming the bad entry.
 */
export function parseEgressAllowList(spec: string): EgressPolicy {
  const entries = spec
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseEntry);
  return { entries };
}

const portMatches = (entry: EgressEntry, port: number) =>
  entry.port === undefined || entry.port === port;

function covers(entry: AddressEntry, address: Address): boolean {
  const [base, prefix] = entry.range;
  if (base.kind() !== address.kind() || !address.match(base, prefix)) return false;
  const metadata = METADATA_ADDRESSES.some(
    (known) => known.kind() === address.kind() && address.match(known, fullPrefix(known)),
  );
  return !metadata || prefix === fullPrefix(address);
}

const addressListed = (policy: EgressPolicy, address: Address, port: number) =>
  policy.entries.some(
    (entry) => entry.kind === 'address' && portMatches(entry, port) && covers(entry, address),
  );

/**
 * Why connecting to `text` (an address literal or one DNS returned) on `port` is refused, or
 * undefined. Ordinary public (unicast) addresses pass; any other range needs an entry covering
 * the address. This is the check made at connect time, on every address a name resolves to.
 */
export function checkAddress(policy: EgressPolicy, text: string, port: number): string | undefined {
  const address = ipaddr.process(text);
  if (addressListed(policy, address, port)) return undefined;
  const range = address.range();
  if (range === 'unicast') return undefined;
  const shown = address.toString();
  return METADATA_ADDRESSES.some((known) => known.toString() === shown)
    ? `${shown} is a cloud metadata address; only an allow-list entry naming it exactly allows it`
    : `${shown} is a ${range} address; only an IP or CIDR entry on the allow-list covering it allows it`;
}

/** URLs write IPv6 hosts as "[::1]". */
const unbracket = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

const hostMatches = (entry: HostEntry, hostname: string) =>
  entry.wildcard ? hostname.endsWith(`.${entry.name}`) : hostname === entry.name;

/**
 * Why a call of `url` is refused, or undefined when the allow-list lets it through: the scheme,
 * then the hostname against the host entries or an IP literal against the IP/CIDR entries, with
 * the port. Makes no DNS query (fit for registration time); the addresses a name resolves to are
 * checked when the connection is made (checkAddress).
 */
export function checkEgress(policy: EgressPolicy, url: URL): string | undefined {
  if (!(url.protocol in DEFAULT_PORTS)) return `the scheme ${url.protocol} is not http: or https:`;
  const port = portOf(url);
  // The URL parser has already turned every IPv4 spelling ("0x7f.1", "2130706433") into a.b.c.d.
  const literal = url.hostname.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(url.hostname);
  const listed = literal
    ? addressListed(policy, ipaddr.process(unbracket(url.hostname)), port)
    : policy.entries.some(
        (entry) =>
          entry.kind === 'host' &&
          portMatches(entry, port) &&
          hostMatches(entry, url.hostname.replace(/\.$/, '')),
      );
  return listed ? undefined : `${url.hostname}:${port} is not on the egress allow-list`;
}

/** The port a request to `url` connects to. */
export const portOf = (url: URL): number =>
  url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
