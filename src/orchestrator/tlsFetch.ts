import { readFileSync } from 'node:fs';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type * as Undici from 'undici';
import type { ServerEntry } from '../config/file.ts';

/** One connection pool per distinct set of TLS files: servers sharing a CA share it. */
const dispatchers = new Map<string, Undici.Agent>();

// Loaded with the first https:// server: most runs reach theirs over loopback http, and undici
// is a tenth of a CLI's start-up.
let undici: Promise<typeof Undici> | undefined;

/**
 * The fetch to reach the server of `entry`: the global one for http://; for https://, one whose
 * connections verify the server's certificate whatever the environment says (so
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` cannot turn verification off for MCP servers), against the
 * entry's private CA (`ca`) instead of the usual roots when it names one, presenting its client
 * certificate (`cert` + `key`) when it has one. Without `ca`, the usual roots and
 * `NODE_EXTRA_CA_CERTS` apply, as Node reads it for every connection.
 */
export function fetchFor(entry: ServerEntry): FetchLike {
  if (new URL(entry.url).protocol !== 'https:') return fetch;
  const key = JSON.stringify([entry.ca, entry.cert, entry.key]);
  // Read now, so a missing file fails the connection at once, whatever loads undici.
  const connect = {
    ...(entry.ca !== undefined ? { ca: readFileSync(entry.ca) } : {}),
    ...(entry.cert !== undefined && entry.key !== undefined ? { cert: readFileSync(entry.cert), key: readFileSync(entry.key) } : {}),
    rejectUnauthorized: true,
  };
  return (async (url, init) => {
    const { Agent, fetch: undiciFetch } = await (undici ??= import('undici'));
    let dispatcher = dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = new Agent({ connect });
      dispatchers.set(key, dispatcher);
    }
    // undici's own fetch, not the global one, so the Agent and the fetch always come from the same undici.
    return undiciFetch(url, { ...(init as object), dispatcher });
  }) as FetchLike;
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A warning when the entry sends headers (a token, most often) over plain http:// to another
 * machine, where anyone on the path can read them; undefined otherwise.
 */
export function cleartextWarning(name: string, entry: ServerEntry): string | undefined {
  const url = new URL(entry.url);
  if (url.protocol !== 'http:' || LOOPBACK_HOSTNAMES.has(url.hostname) || url.hostname.startsWith('127.')) return undefined;
  const headers = Object.keys(entry.headers);
  if (headers.length === 0) return undefined;
  return `server "${name}" at ${entry.url} gets its ${headers.join(', ')} header${headers.length > 1 ? 's' : ''} over plain HTTP, readable on the way: use an https:// url`;
}
