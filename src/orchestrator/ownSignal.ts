import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * A fetch that gives each request a signal of its own, following the caller's. The SDK's client
 * transports pass one long-lived signal (theirs, aborted when the transport closes) to every
 * request, and fetch adds an abort listener to it per request that stays until garbage
 * collection: the list grows with every call and adding to it costs more each time (a tenth of
 * a call's CPU after a few hundred calls). `AbortSignal.any` follows the caller's signal without
 * a listener on it, so aborting it still aborts every request in flight.
 */
export function withOwnSignal(base: FetchLike): FetchLike {
  return (url, init) => (init?.signal ? base(url, { ...init, signal: AbortSignal.any([init.signal]) }) : base(url, init));
}
