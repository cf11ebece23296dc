import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export type RequestId = string | number;

/** JSON-RPC error codes used at the HTTP layer (the SDK answers in-protocol errors itself). */
export const JSONRPC_PARSE_ERROR = -32700;
export const JSONRPC_INVALID_REQUEST = -32600;
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

function isId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Checks the JSON-RPC 2.0 envelope by hand (a zod parse per message costs more than the rest of
 * the HTTP layer) and says what kind of message it is, or why it is not one.
 */
export function classifyMessage(value: unknown): ClassifiedMessage | string {
  if (Array.isArray(value)) return 'batches are not supported since MCP 2025-06-18: send one JSON-RPC message per POST';
  if (typeof value !== 'object' || value === null) return 'the body must be a JSON-RPC 2.0 object';
  const record = value as Record<string, unknown>;
  if (record['jsonrpc'] !== '2.0') return 'the "jsonrpc" member must be "2.0"';
  const method = record['method'];
  const hasId = 'id' in record;
  if (method !== undefined) {
    if (typeof method !== 'string' || method.length === 0) return 'the "method" member must be a non-empty string';
    const params = record['params'];
    if (params !== undefined && (typeof params !== 'object' || params === null)) return '"params" must be an object';
    if (!hasId) return { kind: 'notification', message: value as JSONRPCMessage };
    if (!isId(record['id'])) return 'a request "id" must be a string or a number';
    return { kind: 'request', message: value as JSONRPCMessage };
  }
  if (hasId && ('result' in record || 'error' in record)) {
    return { kind: 'response', message: value as JSONRPCMessage };
  }
  return 'not a JSON-RPC request, notification or response';
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
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = errorBody(code, message);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
