import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from './agent.ts';
import { MCP_SERVER_ERROR, sendJsonRpcError } from './jsonrpc.ts';
import { AuthServerUnavailableError, InvalidTokenError, type OAuthResource } from './oauth.ts';
import { createBearerAuth } from './security.ts';

export interface RequestAuthOptions {
  /** subject -> static bearer token (`MCP_AUTH_TOKEN`). */
  readonly tokens: Readonly<Record<string, string>>;
  /** JWT access tokens of an authorization server, besides (or instead of) the static tokens. */
  readonly oauth?: OAuthResource;
  readonly realm?: string;
}

/** Why a request was refused, for callers that answer in their own format (the service's API). */
export interface AuthRefusal {
  readonly status: 401 | 403 | 503;
  readonly message: string;
  readonly headers: Record<string, string>;
}

/** Authenticates a request; resolves to its identity, or to the refusal to answer with. */
export type RequestAuthenticator = (req: IncomingMessage) => Promise<{ identity: Identity } | { refusal: AuthRefusal }>;

const bearerOf = (header: string | undefined) => (header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined);

/** A response that only records what was written: the static check answers on it when it refuses. */
function discard(): ServerResponse {
  const res = { headersSent: false, writeHead: () => res, end: () => res };
  return res as unknown as ServerResponse;
}

/**
 * Static tokens first (constant time), then, with `oauth`, a JWT access token. A 401 names how to
 * authenticate: with OAuth, `WWW-Authenticate: Bearer resource_metadata="…", scope="…"` (RFC 9728).
 */
export function createRequestAuthenticator(options: RequestAuthOptions): RequestAuthenticator {
  const staticTokens = Object.keys(options.tokens).length > 0;
  const bearer = createBearerAuth({ tokens: options.tokens, realm: options.realm });
  const realm = options.realm ?? 'mcp';
  const { oauth } = options;
  if (!oauth) {
    return async (req) => {
      if (!staticTokens) return { identity: { subject: 'anonymous', authenticated: false } };
      const identity = bearer(req, discard());
      if (identity) return { identity };
      return bearerOf(req.headers.authorization) === undefined
        ? refusal(401, 'send "Authorization: Bearer <token>" (the server has MCP_AUTH_TOKEN set)', `Bearer realm="${realm}"`)
        : refusal(401, 'the bearer token is not valid', `Bearer realm="${realm}", error="invalid_token"`);
    };
  }
  return async (req) => {
    const resource = oauth.resourceUrl(req);
    const token = bearerOf(req.headers.authorization);
    if (token === undefined)
      return refusal(
        401,
        'send "Authorization: Bearer <access token>" (see the resource metadata for the authorization server)',
        oauth.challenge(resource),
      );
    if (staticTokens) {
      const identity = bearer(req, discard());
      if (identity) return { identity };
    }
    try {
      return { identity: await oauth.verify(token, resource) };
    } catch (error) {
      if (error instanceof InvalidTokenError)
        return refusal(401, error.message, oauth.challenge(resource, { code: 'invalid_token', description: error.message }));
      if (error instanceof AuthServerUnavailableError)
        return { refusal: { status: 503, message: error.message, headers: { 'retry-after': '5' } } };
      throw error;
    }
  };
}

function refusal(status: 401 | 403, message: string, challenge: string): { refusal: AuthRefusal } {
  return { refusal: { status, message, headers: { 'www-authenticate': challenge } } };
}

/** The refusal as the kit answers: a JSON-RPC error with the status and headers. */
export function sendRefusal(res: ServerResponse, refusal: AuthRefusal): void {
  const label = refusal.status === 401 ? 'Unauthorized' : refusal.status === 403 ? 'Forbidden' : 'Service Unavailable';
  sendJsonRpcError(res, refusal.status, MCP_SERVER_ERROR, `${label}: ${refusal.message}`, refusal.headers);
}

/** The 403 of a call whose token lacks `scope` (MCP authorization: step-up by `insufficient_scope`). */
export function insufficientScope(oauth: OAuthResource, req: IncomingMessage, scope: string, what: string): AuthRefusal {
  const message = `${what} needs the scope "${scope}", which the access token does not have`;
  return {
    status: 403,
    message,
    headers: { 'www-authenticate': oauth.challenge(oauth.resourceUrl(req), { code: 'insufficient_scope', description: message, scope }) },
  };
}
