import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from './agent.ts';
import { MCP_SERVER_ERROR, sendJsonRpcError } from './jsonrpc.ts';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface OriginPolicyOptions {
  /** Hostnames (optionally with `:port`) accepted in `Host`; empty = loopback names only. */
  readonly allowedHosts?: readonly string[];
  /** Full origins (`https://app.example.com`) accepted in `Origin`, besides loopback origins. */
  readonly allowedOrigins?: readonly string[];
  /** Skip the `Host` check (a server bound to a public interface behind a proxy that checks it). */
  readonly checkHost?: boolean;
}

/** Parses `host[:port]` the way a URL would, so `[::1]:8101` and `LOCALHOST` compare correctly. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Names an allowed origin, or the hosts a request may come through, after lower-casing. */
function originSets(options: OriginPolicyOptions) {
  const hosts = new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase()));
  const hostnames = new Set([...hosts].map((host) => hostnameOf(host)).filter((name): name is string => !!name));
  const origins = new Set((options.allowedOrigins ?? []).map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  return { hosts, hostnames, origins };
}

/**
 * Whether a browser `Origin` may call us: a loopback origin, one in `allowedOrigins` (`*`: any),
 * or one on an allowed host. The one rule both the origin check and CORS follow.
 */
export function createOriginMatcher(options: OriginPolicyOptions = {}): (origin: string) => boolean {
  const { hostnames, origins } = originSets(options);
  return (origin) => {
    const lower = origin.toLowerCase();
    if (origins.has('*') || origins.has(lower)) return true;
    try {
      const url = new URL(lower);
      return LOOPBACK_HOSTNAMES.has(url.hostname) || hostnames.has(url.hostname);
    } catch {
      return false;
    }
  };
}

/**
 * DNS-rebinding protection: a page on a foreign site that resolves its name to 127.0.0.1 still sends
 * its own `Host` and `Origin`, so both must name us (or an origin the operator allowed).
 */
export function createOriginPolicy(options: OriginPolicyOptions = {}) {
  const { hosts, hostnames } = originSets(options);
  const matches = createOriginMatcher(options);
  const checkHost = options.checkHost ?? true;

  // Clients send the same Host on every request: decide once per value (parsing it as a URL costs
  // more than the rest of the check). Bounded, since the header is the client's to choose.
  const decided = new Map<string, boolean>();
  function hostAllowed(hostHeader: string | undefined): boolean {
    if (!checkHost) return true;
    if (!hostHeader) return false;
    let allowed = decided.get(hostHeader);
    if (allowed === undefined) {
      allowed = decideHost(hostHeader);
      if (decided.size >= 256) decided.clear();
      decided.set(hostHeader, allowed);
    }
    return allowed;
  }

  function decideHost(hostHeader: string): boolean {
    const lower = hostHeader.toLowerCase();
    const name = hostnameOf(lower);
    if (!name) return false;
    if (hosts.has(lower) || hostnames.has(name)) return true;
    return LOOPBACK_HOSTNAMES.has(name);
  }

  // No Origin: not a browser, or a same-origin GET, and Host is already checked.
  const originAllowed = (origin: string | undefined) => origin === undefined || matches(origin);

  /** Answers 403 and returns false when the request must not be served. */
  return function checkOrigin(req: IncomingMessage, res: ServerResponse): boolean {
    if (!hostAllowed(req.headers.host)) {
      sendJsonRpcError(res, 403, MCP_SERVER_ERROR, `Forbidden: Host "${req.headers.host ?? ''}" is not allowed (set MCP_ALLOWED_HOSTS)`);
      return false;
    }
    const origin = req.headers.origin;
    if (!originAllowed(origin)) {
      sendJsonRpcError(res, 403, MCP_SERVER_ERROR, `Forbidden: Origin "${origin}" is not allowed (set MCP_ALLOWED_ORIGINS)`);
      return false;
    }
    return true;
  };
}

export interface BearerAuthOptions {
  /** subject -> token. Empty: no authentication, every caller is anonymous. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Sent in `WWW-Authenticate` so clients can discover how to authenticate. */
  readonly realm?: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Static bearer tokens, compared in constant time (digests have equal length, so
 * `timingSafeEqual` never leaks the token's length either).
 */
export function createBearerAuth(options: BearerAuthOptions) {
  const entries = Object.entries(options.tokens).map(([subject, token]) => ({ subject, digest: digest(token) }));
  const realm = options.realm ?? 'mcp';

  /** The caller's identity, or undefined after answering 401. */
  return function authenticate(req: IncomingMessage, res: ServerResponse): Identity | undefined {
    if (entries.length === 0) return { subject: 'anonymous', authenticated: false };
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      sendJsonRpcError(
        res,
        401,
        MCP_SERVER_ERROR,
        'Unauthorized: send "Authorization: Bearer <token>" (the server has MCP_AUTH_TOKEN set)',
        {
          'www-authenticate': `Bearer realm="${realm}"`,
        },
      );
      return undefined;
    }
    const presented = digest(match[1]!);
    let subject: string | undefined;
    for (const entry of entries) {
      // no early exit: every entry is compared, so timing does not reveal which one matched
      if (timingSafeEqual(presented, entry.digest)) subject ??= entry.subject;
    }
    if (subject === undefined) {
      sendJsonRpcError(res, 401, MCP_SERVER_ERROR, 'Unauthorized: the bearer token is not valid', {
        'www-authenticate': `Bearer realm="${realm}", error="invalid_token"`,
      });
      return undefined;
    }
    return { subject, authenticated: true };
  };
}
