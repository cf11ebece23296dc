import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OAuthResource } from '../mcp/oauth.ts';
import { createRequestAuthenticator, insufficientScope } from '../mcp/requestAuth.ts';
import { createOriginPolicy, type OriginPolicyOptions } from '../mcp/security.ts';
import { HttpError } from './httpError.ts';

/** What the kit's checks wrote, captured so the API can answer in its own error format. */
interface Captured {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function capturingResponse(): { res: ServerResponse; captured: Captured } {
  const captured: Captured = { status: 0, headers: {}, body: '' };
  const res = {
    headersSent: false,
    writeHead(status: number, headers: Record<string, string> = {}) {
      captured.status = status;
      captured.headers = headers;
      return res;
    },
    end(body?: string) {
      captured.body = body ?? '';
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, captured };
}

function messageOf(captured: Captured): string {
  try {
    return (JSON.parse(captured.body) as { error: { message: string } }).error.message;
  } catch {
    return 'Forbidden';
  }
}

/** A stable, non-secret name for an API key: `key-` and the first 8 hex digits of its SHA-256. */
export function keyName(key: string): string {
  return `key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

export interface ApiAuth {
  /** No keys configured and no OAuth: every caller is `anonymous`. */
  readonly open: boolean;
  /** name -> key, as the MCP kit's `authTokens` takes them. */
  readonly tokens: Readonly<Record<string, string>>;
  /** The OAuth resource server, when `MCP_OAUTH_ISSUER` is set; `/mcp` shares it. */
  readonly oauth: OAuthResource | undefined;
  /**
   * The caller's name (its key's name, its access token's subject, or `anonymous` when the service is open);
   * throws a 401 `HttpError` otherwise, a 403 when an access token lacks the scope (`GET`: read, else write).
   * `queryToken` (for EventSource, which cannot send headers) is used only when the request has no
   * `Authorization` header.
   */
  identify(req: IncomingMessage, queryToken?: string): Promise<string>;
}

const READS = new Set(['GET', 'HEAD']);

/**
 * API keys (`SWITCHBOARD_API_KEYS`) as bearer tokens, compared in constant time by the kit, and with `oauth`
 * JWT access tokens of an authorization server (the same checks and challenges as the kit's `/mcp`).
 */
export function createApiAuth(keys: readonly string[], oauth?: OAuthResource): ApiAuth {
  const tokens = Object.fromEntries(keys.map((key) => [keyName(key), key]));
  const authenticate = createRequestAuthenticator({ tokens, oauth, realm: 'switchboard' });
  const open = keys.length === 0 && !oauth;
  const identified = new WeakMap<IncomingMessage, string>();
  return {
    open,
    tokens,
    oauth,
    async identify(req, queryToken) {
      if (open) return 'anonymous';
      // A route checks before its body is read and again in its handler: one verification per request.
      const known = identified.get(req);
      if (known !== undefined) return known;
      const authorization = !req.headers.authorization && queryToken ? `Bearer ${queryToken}` : req.headers.authorization;
      const view = { headers: { host: req.headers.host, authorization }, socket: req.socket } as IncomingMessage;
      const outcome = await authenticate(view);
      if ('refusal' in outcome) {
        const { status, headers } = outcome.refusal;
        if (status === 503) throw new HttpError(503, 'unavailable', outcome.refusal.message, headers);
        const challenge = headers['www-authenticate'] ?? 'Bearer realm="switchboard"';
        // Without OAuth the API words it for API keys; with it the kit's words name the token's problem.
        const message = oauth
          ? outcome.refusal.message
          : /invalid_token/.test(challenge)
            ? 'the API key is not valid'
            : 'send "Authorization: Bearer <API key>" (the service has SWITCHBOARD_API_KEYS set)';
        throw new HttpError(401, 'unauthorized', message, { 'www-authenticate': challenge });
      }
      const { identity } = outcome;
      if (oauth && identity.scopes !== undefined) {
        const read = READS.has(req.method ?? 'GET');
        const held = new Set(identity.scopes);
        const enough = held.has(oauth.writeScope) || (read && held.has(oauth.readScope));
        if (!enough) {
          const scope = read ? oauth.readScope : oauth.writeScope;
          const refusal = insufficientScope(oauth, req, scope, `${req.method} ${req.url?.split('?')[0] ?? ''}`);
          throw new HttpError(403, 'insufficient_scope', refusal.message, refusal.headers);
        }
      }
      identified.set(req, identity.subject);
      return identity.subject;
    },
  };
}

/**
 * DNS-rebinding protection from the kit (`Host` must name this machine or an allowed host,
 * `Origin`, when sent, a loopback or allowed origin); throws a 403 `HttpError`.
 */
export function createOriginCheck(options: OriginPolicyOptions): (req: IncomingMessage) => void {
  const policy = createOriginPolicy(options);
  return (req) => {
    const { res, captured } = capturingResponse();
    if (!policy(req, res)) throw new HttpError(403, 'forbidden', messageOf(captured));
  };
}
