import { readFileSync } from 'node:fs';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, fetch as undiciFetch } from 'undici';
import type { ServerEntry } from '../config/file.ts';

/** One connection pool per distinct set of TLS files: servers sharing a CA share it. */
const dispatchers = new Map<string, Agent>();

/**
 * The fetch to reach the server of `entry`: the global one, or, when the entry names a private
 * CA (`ca`) or a client certificate (`cert` + `key`), one whose connections use them. The
 * certificate is always verified (against `ca` instead of the usual roots when it is set); no
 * setting turns that off. `NODE_EXTRA_CA_CERTS` applies to both, as Node reads it for every connection.
 */
export function fetchFor(entry: ServerEntry): FetchLike {
  if (entry.ca === undefined && entry.cert === undefined) return fetch;
  const key = JSON.stringify([entry.ca, entry.cert, entry.key]);
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = new Agent({
      connect: {
        ...(entry.ca !== undefined ? { ca: readFileSync(entry.ca) } : {}),
        ...(entry.cert !== undefined && entry.key !== undefined ? { cert: readFileSync(entry.cert), key: readFileSync(entry.key) } : {}),
        rejectUnauthorized: true,
      },
    });
    dispatchers.set(key, dispatcher);
  }
  const through = dispatcher;
  // undici's own fetch, not the global one, so the Agent and the fetch always come from the same undici.
  return ((url, init) => undiciFetch(url, { ...(init as object), dispatcher: through })) as FetchLike;
}
