import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export type RequestId = string | number;

/** JSON-RPC error codes used at the HTTP layer (the SDK answers in-protocol errors itself). */
export const JSONRPC_PARSE_ERROR = -32700;
export const JSONRPC_INVALID_REQUEST = -32600;
export const JSONRPC_INVALID_PARAMS = -32602;
export const JSONRPC_INTERNAL_ERROR = -32603;
/** MCP's implementation-defined "server error" range; -32001 is what the SDK uses for an unknown session. */
export const MCP_SERVER_ERROR = -32000;
export const MCP_SESSION_NOT_FOUND = -32001;
/** The answer to a request the client cancelled (LSP's code; MCP itself sends no response). */
export const REQUEST_CANCELLED = -32800;

export type MessageKind = 'request' | 'notification' | 'response';

export interface ClassifiedMessage {
  readonly kind: MessageKind;
  readonly message: JSONRPCMessage;
}

/** A message refused: why, and the request id when one could be read (so the client can match the error). */
export interface Rejection {
  readonly reason: string;
  readonly id: RequestId | null;
}

/** The SDK's `RequestIdSchema`: a string or an integer. */
function isId(value: unknown): value is RequestId {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The SDK's JSONRPC*Schema are `.strict()`: a member outside these makes it drop the message
// unanswered, so the kit must refuse it first.
const REQUEST_MEMBERS = new Set(['jsonrpc', 'id', 'method', 'params']);
const NOTIFICATION_MEMBERS = new Set(['jsonrpc', 'method', 'params']);
const RESULT_MEMBERS = new Set(['jsonrpc', 'id', 'result']);
const ERROR_MEMBERS = new Set(['jsonrpc', 'id', 'error']);

function stray(record: Record<string, unknown>, allowed: ReadonlySet<string>): string | undefined {
  for (const key in record) if (!allowed.has(key)) return key;
  return undefined;
}

/** What the SDK's `RequestSchema`/`NotificationSchema` demand of `params` (an object; `_meta` an object, its progress token a string or integer). */
function paramsProblem(params: unknown): string | undefined {
  if (params === undefined) return undefined;
  if (!isPlainObject(params)) return '"params" must be an object';
  const meta = params['_meta'];
  if (meta === undefined) return undefined;
  if (!isPlainObject(meta)) return '"params._meta" must be an object';
  const token = meta['progressToken'];
  if (token !== undefined && !isId(token)) return '"params._meta.progressToken" must be a string or an integer';
  return undefined;
}

/**
 * Checks the JSON-RPC 2.0 envelope by hand (a zod parse per message costs more than the rest of
 * the HTTP layer), exactly as strictly as the SDK's `JSONRPCMessageSchema` does, and says what
 * kind of message it is, or why it is not one.
 */
export function classifyMessage(value: unknown): ClassifiedMessage | Rejection {
  const reject = (reason: string, id: unknown = null): Rejection => ({ reason, id: isId(id) ? id : null });
  if (Array.isArray(value)) return reject('batches are not supported since MCP 2025-06-18: send one JSON-RPC message per POST');
  if (!isPlainObject(value)) return reject('the body must be a JSON-RPC 2.0 object');
  const id = value['id'];
  if (value['jsonrpc'] !== '2.0') return reject('the "jsonrpc" member must be "2.0"', id);
  const method = value['method'];
  const hasId = 'id' in value;
  if (method !== undefined) {
    if (typeof method !== 'string' || method.length === 0) return reject('the "method" member must be a non-empty string', id);
    const extra = stray(value, hasId ? REQUEST_MEMBERS : NOTIFICATION_MEMBERS);
    if (extra !== undefined) return reject(`unknown member "${extra}" (a request has only jsonrpc, id, method and params)`, id);
    const problem = paramsProblem(value['params']);
    if (problem) return reject(problem, id);
    if (!hasId) return { kind: 'notification', message: value as JSONRPCMessage };
    if (!isId(id)) return reject('a request "id" must be a string or an integer');
    return { kind: 'request', message: value as JSONRPCMessage };
  }
  if (hasId && 'result' in value) {
    if (stray(value, RESULT_MEMBERS) !== undefined) return reject('a response has only jsonrpc, id and result (or error)', id);
    if (!isId(id) || !isPlainObject(value['result'])) return reject('a response needs a string or integer "id" and an object "result"', id);
    return { kind: 'response', message: value as JSONRPCMessage };
  }
  if (hasId && 'error' in value) {
    if (stray(value, ERROR_MEMBERS) !== undefined) return reject('an error response has only jsonrpc, id and error', id);
    const error = value['error'];
    if (!isId(id) || !isPlainObject(error) || !Number.isSafeInteger(error['code']) || typeof error['message'] !== 'string')
      return reject('an error response needs an "id" and an "error" with an integer code and a string message', id);
    return { kind: 'response', message: value as JSONRPCMessage };
  }
  return reject('not a JSON-RPC request, notification or response', id);
}

/** True when {@link classifyMessage} refused the message. */
export function isRejection(value: ClassifiedMessage | Rejection): value is Rejection {
  return 'reason' in value;
}

/** The body of an HTTP-level JSON-RPC error (`id: null`: the request could not be attributed). */
export function errorBody(code: number, message: string, id: RequestId | null = null): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } });
}

/** Answers with a JSON-RPC error and an HTTP status; never HTML, never a stack trace. */
export function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: RequestId | null = null,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = errorBody(code, message, id);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
