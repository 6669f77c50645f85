import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * How `<NAME>_SERVICE_URL` names the instances of one upstream: a comma-separated list
 * of URLs, each either a literal address (used as given), a DNS name that may stand
 * for several instances (docker compose `--scale`, a Kubernetes headless service), or
 * a `file://` URL of an addresses file (the native stack's `npm run stack -- scale`) that
 * lists such URLs and is re-read while running. Only the origin of each URL counts; a
 * path is ignored, as it always was.
 */
export interface UpstreamEndpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: string;
  /** True for a DNS name: its A/AAAA records are the instances, re-read while running. */
  resolve: boolean;
}

/** One instance to connect to. */
export interface InstanceTarget {
  /** `http://10.0.0.7:3001`: the undici Pool's origin and the instance's identity. */
  origin: string;
  /** The DNS name the address came from, for TLS SNI; undefined for a literal address. */
  servername: string | undefined;
}

/** One entry of the list: an endpoint, or an addresses file that lists endpoints. */
export type AddressEntry = { kind: 'endpoint'; endpoint: UpstreamEndpoint } | { kind: 'file'; path: string };

export function splitUrlList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function toEndpoint(url: string): UpstreamEndpoint {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'https:' ? 'https:' : 'http:';
  const hostname = unbracket(parsed.hostname);
  return {
    protocol,
    hostname,
    port: parsed.port || (protocol === 'https:' ? '443' : '80'),
    resolve: needsResolution(hostname),
  };
}

/**
 * Literal IPs need no lookup, and `localhost` is left to the OS as given: resolving it
 * would turn one local service into two "instances" (127.0.0.1 and ::1) of which
 * usually only one listens.
 */
export function needsResolution(hostname: string): boolean {
  return isIP(hostname) === 0 && hostname.toLowerCase() !== 'localhost';
}

/** The target for one address of an endpoint (the endpoint's own host when it is not resolved). */
export function instanceTarget(endpoint: UpstreamEndpoint, address = endpoint.hostname): InstanceTarget {
  const host = isIP(address) === 6 ? `[${address}]` : address;
  return {
    origin: `${endpoint.protocol}//${host}:${endpoint.port}`,
    servername: endpoint.resolve ? endpoint.hostname : undefined,
  };
}

export function toAddressEntry(url: string): AddressEntry {
  if (url.startsWith('file:')) return { kind: 'file', path: fileURLToPath(url) };
  return { kind: 'endpoint', endpoint: toEndpoint(url) };
}

/**
 * The URLs an addresses file lists: one or more per line (commas work too), blank
 * lines and `#` comments ignored. Entries that are not http(s) URLs are returned apart,
 * so the caller can say so instead of dropping an instance silently.
 */
export function parseAddressFile(text: string): { urls: string[]; invalid: string[] } {
  const entries = text.split('\n').flatMap((line) => splitUrlList(line.replace(/#.*$/, '')));
  const urls: string[] = [];
  const invalid: string[] = [];
  for (const entry of entries) (isHttpUrl(entry) ? urls : invalid).push(entry);
  return { urls, invalid };
}

/** A stable key for an endpoint (the same name in two reads of a file is one endpoint). */
export function endpointKey(endpoint: UpstreamEndpoint): string {
  return `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
