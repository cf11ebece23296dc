import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBearerAuth, createOriginPolicy, type OriginPolicyOptions } from '../mcp/security.ts';
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
  /** No keys configured: every caller is `anonymous`. */
  readonly open: boolean;
  /** name -> key, as the MCP kit's `authTokens` takes them. */
  readonly tokens: Readonly<Record<string, string>>;
  /**
   * The caller's name (its key's name, or `anonymous` when the service is open); throws a 401
   * `HttpError` otherwise. `queryToken` (for EventSource, which cannot send headers) is used only
   * when the request has no `Authorization` header.
   */
  identify(req: IncomingMessage, queryToken?: string): string;
}

/**
 * API keys (`SWITCHBOARD_API_KEYS`) as bearer tokens, compared in constant time by the kit's
 * `createBearerAuth`.
 */
export function createApiAuth(keys: readonly string[]): ApiAuth {
  const tokens = Object.fromEntries(keys.map((key) => [keyName(key), key]));
  const bearer = createBearerAuth({ tokens, realm: 'switchboard' });
  const open = keys.length === 0;
  return {
    open,
    tokens,
    identify(req, queryToken) {
      if (open) return 'anonymous';
      const headers =
        !req.headers.authorization && queryToken ? { authorization: `Bearer ${queryToken}` } : { authorization: req.headers.authorization };
      const { res, captured } = capturingResponse();
      const identity = bearer({ headers } as IncomingMessage, res);
      if (identity) return identity.subject;
      const invalid = /invalid_token/.test(captured.headers['www-authenticate'] ?? '');
      throw new HttpError(
        401,
        'unauthorized',
        invalid ? 'the API key is not valid' : 'send "Authorization: Bearer <API key>" (the service has SWITCHBOARD_API_KEYS set)',
        { 'www-authenticate': captured.headers['www-authenticate'] ?? 'Bearer realm="switchboard"' },
      );
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
