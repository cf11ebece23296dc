import type { IncomingMessage } from 'node:http';
import type { Identity } from './agent.ts';

export interface ClientKeyOptions {
  /**
   * Addresses of reverse proxies whose `X-Forwarded-For` is believed. A request from one of them
   * counts against the address it forwarded for; from anywhere else the header is ignored, or
   * any client could pick its own address. Default: none.
   */
  readonly trustedProxies?: readonly string[];
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

/**
 * Who a session counts against for the per-client cap: the token's subject when the caller
 * authenticated, else its network address (with trusted proxies, the one they forwarded for).
 */
export function createClientKey(options: ClientKeyOptions = {}): (req: IncomingMessage, identity: Identity) => string {
  const trusted = new Set((options.trustedProxies ?? []).map(normalize));
  return (req, identity) => {
    if (identity.authenticated) return `token:${identity.subject}`;
    let address = normalize(req.socket.remoteAddress ?? 'unknown');
    const forwarded = req.headers['x-forwarded-for'];
    if (trusted.has(address) && forwarded) {
      // The right-most hop not added by one of our proxies is the client; the rest it could forge.
      const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').map(normalize).filter(Boolean);
      for (let i = hops.length - 1; i >= 0; i--) {
        address = hops[i]!;
        if (!trusted.has(address)) break;
      }
    }
    return `address:${address}`;
  };
}
