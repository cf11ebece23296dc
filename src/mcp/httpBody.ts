import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  JSONRPC_INVALID_REQUEST,
  JSONRPC_PARSE_ERROR,
  MCP_SERVER_ERROR,
  classifyMessage,
  isRejection,
  sendJsonRpcError,
  type ClassifiedMessage,
} from './jsonrpc.ts';

/** Default cap on a request body: 1 MiB, plenty for any tool call and far below memory trouble. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

/** Reads a request body as UTF-8, refusing (without buffering) anything over `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => collectBody(req, limit, resolve));
}

/** {@link readBody} with a callback, so a caller that goes on to parse needs no promise of its own. */
function collectBody(req: IncomingMessage, limit: number, resolve: (result: BodyResult) => void): void {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    resolve(tooLarge(limit));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (result: BodyResult) => {
    if (done) return;
    done = true;
    resolve(result);
  };
  req.on('data', (chunk: Buffer) => {
    if (done) return;
    size += chunk.length;
    if (size > limit) {
      chunks.length = 0;
      req.resume();
      finish(tooLarge(limit));
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () =>
    finish({ ok: true, text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') }),
  );
  // A client that goes away mid-body makes this fire too (after the deprecated 'aborted', which needs no listener of its own).
  req.on('error', () => finish({ ok: false, status: 400, message: 'the request body could not be read or was cut off' }));
}

function tooLarge(limit: number): BodyResult {
  return { ok: false, status: 413, message: `request body exceeds the ${limit}-byte limit` };
}

/**
 * Reads, parses and checks one JSON-RPC message from a request; on failure answers with the
 * right status and JSON-RPC error and returns undefined.
 */
export function readMessage(req: IncomingMessage, res: ServerResponse, limit: number): Promise<ClassifiedMessage | undefined> {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    sendJsonRpcError(res, 415, MCP_SERVER_ERROR, 'Unsupported Media Type: Content-Type must be application/json');
    return Promise.resolve(undefined);
  }
  // One promise for the read and the parse: this runs for every POST.
  return new Promise((resolve, reject) =>
    collectBody(req, limit, (body) => {
      // Called from a stream event: a throw must become the rejection, not an uncaught exception.
      try {
        resolve(classifyBody(res, body));
      } catch (error) {
        reject(error);
      }
    }),
  );
}

function classifyBody(res: ServerResponse, body: BodyResult): ClassifiedMessage | undefined {
  if (!body.ok) {
    sendJsonRpcError(res, body.status, body.status === 413 ? MCP_SERVER_ERROR : JSONRPC_PARSE_ERROR, body.message);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    sendJsonRpcError(res, 400, JSONRPC_PARSE_ERROR, 'Parse error: the body is not valid JSON');
    return undefined;
  }
  const classified = classifyMessage(parsed);
  if (isRejection(classified)) {
    sendJsonRpcError(res, 400, JSONRPC_INVALID_REQUEST, `Invalid Request: ${classified.reason}`, {}, classified.id);
    return undefined;
  }
  return classified;
}
