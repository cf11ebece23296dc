import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { UpstreamError, describeError } from '../errors.ts';

/** Node's and undici's error codes for a request that never reached the server. */
const NOT_REACHED: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  ETIMEDOUT: 'connect timed out',
};

/** Codes for a connection that broke after the request was sent. */
const BROKEN: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

/**
 * Node's http client gives a connection the server closed before its answer was complete the
 * code of a reset, ECONNRESET, and one of these messages.
 */
const NODE_CLOSED_MESSAGES = new Set(['socket hang up', 'aborted']);

const UNTRUSTED =
  'the server\'s certificate is not signed by a CA this client trusts (set "ca" for this server in the config, or NODE_EXTRA_CA_CERTS)';
/** OpenSSL's and Node's codes for a TLS handshake that failed, in words that say what to change. */
const TLS_FAILURES: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
  SELF_SIGNED_CERT_IN_CHAIN: UNTRUSTED,
  DEPTH_ZERO_SELF_SIGNED_CERT: UNTRUSTED,
  CERT_SIGNATURE_FAILURE: UNTRUSTED,
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
  CERT_REVOKED: "the server's certificate is revoked",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS at this address (an http:// server behind an https:// url?)',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    'the server requires a client certificate (set "cert" and "key" for this server in the config)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server refused the client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the server does not trust the CA that signed the client certificate',
};

/** What the JSON-RPC error `data` of a response this client made up itself carries. */
export const STREAM_LOST = 'switchboard/stream-lost';

/** How an exchange with a server failed. `notReached`: the request certainly never got there. */
export interface FailureCause {
  readonly text: string;
  readonly notReached: boolean;
  readonly status: number | undefined;
}

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0];
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The message a server put in an error body (JSON-RPC or `{error: {message}}`), when it is short text. */
function bodyMessage(message: string): string | undefined {
  const at = message.indexOf(': ', message.indexOf('endpoint'));
  const body = at >= 0 ? message.slice(at + 2).trim() : '';
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const text = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    return typeof text === 'string' && text ? text.slice(0, 200) : undefined;
  } catch {
    return body && body.length <= 200 && !body.includes('<') ? body : undefined;
  }
}

/**
 * The cause of a failed exchange with the server at `url`, in words a person can act on:
 * "connection refused [ECONNREFUSED]", "timed out after 300 ms", "HTTP 401 from <url>".
 */
export function describeCause(error: unknown, url: string): FailureCause {
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    const status = typeof error.code === 'number' && error.code > 0 ? error.code : undefined;
    if (status === undefined) return fromText(error.message.replace(/^(Streamable HTTP|SSE) error: /, ''));
    const detail = bodyMessage(error.message);
    return { text: `HTTP ${status} from ${url}${detail ? ` (${detail})` : ''}`, notReached: true, status };
  }
  const legacyPost = error instanceof Error ? /^Error POSTing to endpoint \(HTTP (\d+)\): ?(.*)$/s.exec(error.message) : null;
  if (legacyPost) {
    const detail = legacyPost[2]!.trim();
    const short = detail && detail.length <= 200 && !detail.includes('<') ? ` (${detail})` : '';
    return { text: `HTTP ${legacyPost[1]} from the message endpoint of ${url}${short}`, notReached: true, status: Number(legacyPost[1]) };
  }
  if (error instanceof UnauthorizedError) return { text: `HTTP 401 from ${url} (${error.message})`, notReached: true, status: 401 };
  if (error instanceof McpError) {
    const data = error.data as { timeout?: unknown; maxTotalTimeout?: unknown } | undefined;
    if (error.code === ErrorCode.RequestTimeout && typeof data?.maxTotalTimeout === 'number')
      return { text: `ran past the cap of ${data.maxTotalTimeout} ms on one call`, notReached: false, status: undefined };
    if (error.code === ErrorCode.RequestTimeout && typeof data?.timeout === 'number')
      return { text: `timed out after ${data.timeout} ms`, notReached: false, status: undefined };
    if (error.code === ErrorCode.ConnectionClosed) {
      const lost = (error.data as { [STREAM_LOST]?: unknown } | undefined)?.[STREAM_LOST];
      return { text: typeof lost === 'string' ? lost : 'the connection was closed', notReached: false, status: undefined };
    }
  }
  const code = codeOf(error);
  if (code && NOT_REACHED[code]) return { text: `${NOT_REACHED[code]} [${code}]`, notReached: true, status: undefined };
  if (code === 'ECONNRESET' && NODE_CLOSED_MESSAGES.has((innermost(error) as { message?: unknown }).message as string))
    return { text: `${BROKEN['UND_ERR_SOCKET']} [${code}]`, notReached: false, status: undefined };
  if (code && BROKEN[code]) return { text: `${BROKEN[code]} [${code}]`, notReached: false, status: undefined };
  if (code && TLS_FAILURES[code]) {
    const detail = describeError(innermost(error));
    // The altname message says which names the certificate has, which is what the reader needs.
    const extra = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `: ${detail}` : '';
    return { text: `TLS: ${TLS_FAILURES[code]}${extra} [${code}]`, notReached: true, status: undefined };
  }
  if (code?.startsWith('ERR_TLS') || code?.startsWith('ERR_SSL') || code?.includes('CERT'))
    return { text: `TLS: ${describeError(innermost(error))}`, notReached: true, status: undefined };
  return { text: describeError(innermost(error)), notReached: false, status: undefined };
}

/**
 * An error known only by its text, as the legacy SSE client reports a broken stream ("TypeError:
 * fetch failed: connect ECONNREFUSED 127.0.0.1:9000", "TypeError: terminated: other side closed").
 */
function fromText(text: string): FailureCause {
  const code = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+)\b/.exec(text)?.[1];
  if (code && NOT_REACHED[code]) return { text: `${NOT_REACHED[code]} [${code}]`, notReached: true, status: undefined };
  if (code && BROKEN[code]) return { text: `${BROKEN[code]} [${code}]`, notReached: false, status: undefined };
  if (/other side closed|terminated/.test(text)) return { text: 'connection closed by the server', notReached: false, status: undefined };
  return { text, notReached: false, status: undefined };
}

/** `TypeError: fetch failed` says nothing; its cause does. */
function innermost(error: unknown): unknown {
  let e = error;
  while (e instanceof TypeError && e.message === 'fetch failed' && (e as { cause?: unknown }).cause) e = (e as { cause?: unknown }).cause;
  return e;
}

/**
 * A failed exchange with an MCP server, naming the server, its URL and the cause. Named
 * `ToolException` so @langchain/mcp-adapters passes it on unchanged: it rewraps any other error
 * as "Error calling tool X: <String(error)>", which would bury the message under class names.
 */
export class McpCallError extends UpstreamError {
  constructor(service: string, message: string, options?: { cause?: unknown; hint?: string; status?: number }) {
    super(service, message, options);
    this.name = 'ToolException';
  }
}
