import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOriginMatcher, type OriginPolicyOptions } from './security.ts';

/** Response headers a browser MCP client must be able to read: its session, the protocol version, how to authenticate. */
export const MCP_EXPOSED_HEADERS: readonly string[] = ['mcp-session-id', 'mcp-protocol-version', 'www-authenticate'];
/**
 * Request headers an MCP client sends: its token, JSON, the session, the version, `Last-Event-ID` to resume a
 * stream, and the 2026-07-28 routing headers `Mcp-Method` / `Mcp-Name`.
 */
export const MCP_REQUEST_HEADERS: readonly string[] = [
  'authorization',
  'content-type',
  'accept',
  'last-event-id',
  'mcp-session-id',
  'mcp-protocol-version',
  'mcp-method',
  'mcp-name',
];
const METHODS = 'GET, POST, DELETE, OPTIONS';
/** How long a browser may reuse a preflight's answer: 10 minutes. */
const DEFAULT_MAX_AGE_S = 600;

export interface CorsOptions extends Pick<OriginPolicyOptions, 'allowedOrigins' | 'allowedHosts'> {
  /** Response headers to expose besides {@link MCP_EXPOSED_HEADERS}. */
  readonly exposeHeaders?: readonly string[];
  /** Request headers to allow besides {@link MCP_REQUEST_HEADERS}. */
  readonly allowHeaders?: readonly string[];
}

/** What {@link createCors}'s handler did: answered a preflight (the request is over), or let the request go on. */
export type CorsOutcome = 'preflight' | 'continue';

/**
 * CORS for the origins the origin check lets through (loopback ones, `MCP_ALLOWED_ORIGINS`, and
 * those on `MCP_ALLOWED_HOSTS`), shared by agents and the service. Run it after that check: a
 * foreign origin gets no CORS headers here and the check's 403 there. A preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) from an allowed origin is answered 204 before authentication,
 * since browsers never send credentials on one. The allowed origin is echoed, never `*`.
 */
export function createCors(options: CorsOptions = {}): (req: IncomingMessage, res: ServerResponse) => CorsOutcome {
  const allowed = createOriginMatcher(options);
  const expose = [...MCP_EXPOSED_HEADERS, ...(options.exposeHeaders ?? [])].join(', ');
  const allowHeaders = [...MCP_REQUEST_HEADERS, ...(options.allowHeaders ?? [])].join(', ');
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin === undefined || !allowed(origin)) return 'continue';
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-expose-headers', expose);
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return 'continue';
    res.setHeader('access-control-allow-methods', METHODS);
    res.setHeader('access-control-allow-headers', allowHeaders);
    res.setHeader('access-control-max-age', String(DEFAULT_MAX_AGE_S));
    // Chromium's Private Network Access asks before a public page calls a private address; the operator allowed this origin.
    if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('access-control-allow-private-network', 'true');
    res.writeHead(204).end();
    return 'preflight';
  };
}
