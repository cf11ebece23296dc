import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  JSONRPC_INVALID_PARAMS,
  JSONRPC_INVALID_REQUEST,
  JSONRPC_PARSE_ERROR,
  classifyMessage,
  isRejection,
  type RequestId,
} from './jsonrpc.ts';
import { invalidParams } from './requestParams.ts';

/** A line longer than this is refused (and skipped up to its end) rather than buffered. Default 4 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface StdioTransportOptions {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly maxLineBytes?: number;
}

/**
 * MCP over stdio, one JSON-RPC message per line, where every line gets an answer: the SDK's own
 * transport hands a line it cannot parse to `onerror` and the client waits for good. Malformed
 * JSON is -32700, a bad envelope -32600 (with its id when it has one), bad params -32602.
 */
export class StdioTransport implements Transport {
  onmessage: ((message: JSONRPCMessage) => void) | undefined;
  onclose: (() => void) | undefined;
  onerror: ((error: Error) => void) | undefined;
  private readonly options: StdioTransportOptions;
  private readonly maxLineBytes: number;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** Inside a line already refused as too long: drop bytes up to its newline. */
  private skipping = false;
  private closed = false;

  constructor(options: StdioTransportOptions) {
    this.options = options;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  async start(): Promise<void> {
    this.options.stdin.on('data', this.onData);
    this.options.stdin.on('error', this.onStreamError);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    const { stdout } = this.options;
    if (!stdout.write(`${JSON.stringify(message)}\n`)) await new Promise((resolve) => stdout.once('drain', resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.stdin.off('data', this.onData);
    this.options.stdin.off('error', this.onStreamError);
    if (this.options.stdin.listenerCount('data') === 0) this.options.stdin.pause();
    this.buffered = [];
    this.onclose?.();
  }

  private readonly onStreamError = (error: Error) => this.onerror?.(error);

  private readonly onData = (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10)) {
      const tail = data.subarray(0, newline);
      data = data.subarray(newline + 1);
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const line = this.buffered.length ? Buffer.concat([...this.buffered, tail]) : tail;
      this.buffered = [];
      this.bufferedBytes = 0;
      this.line(line.toString('utf8'));
    }
    if (this.skipping || data.length === 0) return;
    this.bufferedBytes += data.length;
    if (this.bufferedBytes > this.maxLineBytes) {
      this.buffered = [];
      this.bufferedBytes = 0;
      this.skipping = true;
      this.refuse(null, JSONRPC_INVALID_REQUEST, `Invalid Request: a message longer than ${this.maxLineBytes} bytes`);
      return;
    }
    this.buffered.push(data);
  };

  private line(text: string): void {
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.refuse(null, JSONRPC_PARSE_ERROR, 'Parse error: the line is not valid JSON');
      return;
    }
    const classified = classifyMessage(parsed);
    if (isRejection(classified)) {
      this.refuse(classified.id, JSONRPC_INVALID_REQUEST, `Invalid Request: ${classified.reason}`);
      return;
    }
    if (classified.kind === 'request') {
      const request = classified.message as { id: RequestId; method: string; params?: unknown };
      const problem = invalidParams(request.method, request.params);
      if (problem !== undefined) {
        this.refuse(request.id, JSONRPC_INVALID_PARAMS, problem);
        return;
      }
    }
    this.onmessage?.(classified.message);
  }

  private refuse(id: RequestId | null, code: number, message: string): void {
    // JSON-RPC's error response allows a null id for what could not be attributed; the SDK's type does not say so.
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as JSONRPCMessage);
  }
}
