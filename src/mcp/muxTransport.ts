import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { RequestBackstop } from './backstop.ts';
import type { CallExtra, DirectToolCall } from './buildServer.ts';
import { JSONRPC_INTERNAL_ERROR, MCP_SERVER_ERROR, REQUEST_CANCELLED, type RequestId } from './jsonrpc.ts';

/** Where the messages about one client request go: one HTTP response (JSON or SSE). */
export interface ResponseSink {
  /** A notification or server-to-client request related to the client's request. */
  event(message: JSONRPCMessage): void;
  /** The response to the client's request, with the client's own id restored. */
  final(message: JSONRPCMessage): void;
}

export interface RequestRecord {
  readonly originalId: RequestId;
  readonly method: string;
  /** For `tools/call`: the tool's name (for metrics). */
  readonly tool: string | undefined;
  readonly startedAt: number;
  readonly sink: ResponseSink;
}

/**
 * A transport that lets one SDK server serve many overlapping HTTP requests at once.
 * Each client request gets a fresh internal id (so ids from different clients or requests
 * never collide) and a sink; the server's answer and the notifications it relates to that
 * request are routed back to the sink with the client's id restored.
 */
export class MuxTransport implements Transport {
  sessionId: string | undefined;
  onmessage: ((message: JSONRPCMessage, extra?: MessageExtraInfo) => void) | undefined;
  onclose: (() => void) | undefined;
  onerror: ((error: Error) => void) | undefined;
  /** Messages unrelated to any request (list_changed, session-wide logs): the GET stream. */
  standalone: ((message: JSONRPCMessage) => void) | undefined;
  /** Called when a request got its response, or with none when it was cancelled (for metrics). */
  onAnswered: ((record: RequestRecord, response: JSONRPCMessage | undefined) => void) | undefined;
  /**
   * The kit's own answer to plain `tools/call` requests (see {@link DirectToolCall}); the rest, and
   * every call when unset, go to the SDK server through `onmessage`.
   */
  direct: DirectToolCall | undefined;

  private nextId = 1;
  /** Calls answered by {@link direct} that are still running, by internal id: cancelling one aborts it. */
  private readonly directCalls = new Map<number, LazyAbort>();
  private closed = false;
  private readonly pending = new Map<number, RequestRecord>();
  /** client id -> internal id, so `notifications/cancelled` reaches the right handler (stateful only). */
  private readonly byClientId: Map<RequestId, number> | undefined;

  /** Shared by every transport of an app, so a shutdown can wait for all of them. */
  private readonly counter: InFlightCounter | undefined;
  private readonly backstop: RequestBackstop | undefined;

  constructor(options: {
    sessionId?: string | undefined;
    trackClientIds: boolean;
    counter?: InFlightCounter;
    /** Answers requests nothing else answers in time. */
    backstop?: RequestBackstop;
  }) {
    this.sessionId = options.sessionId;
    this.byClientId = options.trackClientIds ? new Map() : undefined;
    this.counter = options.counter;
    this.backstop = options.backstop;
  }

  async start(): Promise<void> {}

  get inFlight(): number {
    return this.pending.size;
  }

  /** Hands a client request to the server; returns the internal id (for `cancel`). */
  request(
    message: JSONRPCMessage & { id: RequestId; method: string; params?: Record<string, unknown> },
    sink: ResponseSink,
    extra: MessageExtraInfo,
  ): number {
    const id = this.nextId++;
    const tool = message.method === 'tools/call' && typeof message.params?.['name'] === 'string' ? message.params['name'] : undefined;
    this.pending.set(id, { originalId: message.id, method: message.method, tool, startedAt: performance.now(), sink });
    this.counter?.add(1);
    this.byClientId?.set(message.id, id);
    this.backstop?.watch(this);
    if (!(message.method === 'tools/call' && this.callDirectly(id, message.params, extra))) this.onmessage?.({ ...message, id }, extra);
    return id;
  }

  /** Runs the call through {@link direct} when it takes it; the answer goes out as the SDK's would. */
  private callDirectly(id: number, params: Record<string, unknown> | undefined, extra: MessageExtraInfo): boolean {
    const abort = new LazyAbort();
    const answer = this.direct?.(params, {
      get signal() {
        return abort.signal;
      },
      sessionId: this.sessionId,
      _meta: params?.['_meta'] as CallExtra['_meta'],
      authInfo: extra.authInfo,
      sendNotification: (notification) => this.send({ jsonrpc: '2.0', ...notification } as JSONRPCMessage, { relatedRequestId: id }),
    });
    if (answer === undefined) return false;
    this.directCalls.set(id, abort);
    const answered = (response: JSONRPCMessage) => {
      this.directCalls.delete(id);
      // Like the SDK: a cancelled request gets no answer from its handler (its sink was answered already).
      if (!abort.aborted) void this.send(response);
    };
    answer.then(
      (result) => answered({ jsonrpc: '2.0', id, result }),
      (error: unknown) => answered({ jsonrpc: '2.0', id, error: internalError(error) }),
    );
    return true;
  }

  private abortDirect(id: number, reason: string): void {
    this.directCalls.get(id)?.abort(new Error(reason));
  }

  /** A client notification; a cancellation is re-addressed to the internal id. */
  notify(message: JSONRPCMessage & { method: string; params?: Record<string, unknown> }, extra: MessageExtraInfo): void {
    if (message.method === 'notifications/cancelled') {
      const internal = this.byClientId?.get(message.params?.['requestId'] as RequestId);
      const record = internal === undefined ? undefined : this.pending.get(internal);
      if (internal === undefined || !record) return; // unknown or already answered: nothing to cancel
      this.forget(internal, record);
      this.abortDirect(internal, String(message.params?.['reason'] ?? 'cancelled by the client'));
      this.onAnswered?.(record, undefined);
      // The SDK sends nothing for a cancelled request; the HTTP response still open for it gets this.
      record.sink.final({
        jsonrpc: '2.0',
        id: record.originalId,
        error: { code: REQUEST_CANCELLED, message: 'Request cancelled by the client' },
      });
      this.onmessage?.({ ...message, params: { ...message.params, requestId: internal } }, extra);
      return;
    }
    this.onmessage?.(message, extra);
  }

  /** A client's response to a server-to-client request (ids are the server's own). */
  respond(message: JSONRPCMessage, extra: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }

  /** Cancels a request whose client went away: its handler is aborted and nothing is sent. */
  cancel(id: number, reason: string): void {
    const record = this.pending.get(id);
    if (!record) return;
    this.forget(id, record);
    this.abortDirect(id, reason);
    this.onAnswered?.(record, undefined);
    this.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
  }

  /**
   * Answers every request started at or before `startedBefore` (performance.now() time) with an
   * error and tells its handler it was cancelled: the backstop for requests nothing answers.
   */
  expire(startedBefore: number, reason: string): void {
    for (const [id, record] of this.pending) {
      // Map order is insertion order, so the oldest come first.
      if (record.startedAt > startedBefore) break;
      this.forget(id, record);
      this.abortDirect(id, reason);
      const response: JSONRPCMessage = { jsonrpc: '2.0', id: record.originalId, error: { code: MCP_SERVER_ERROR, message: reason } };
      this.onAnswered?.(record, response);
      record.sink.final(response);
      this.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
    }
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('id' in message && ('result' in message || 'error' in message)) {
      const id = message.id as number;
      const record = this.pending.get(id);
      if (!record) return; // cancelled or the session closed meanwhile
      this.forget(id, record);
      const response = { ...message, id: record.originalId } as JSONRPCMessage;
      this.onAnswered?.(record, response);
      record.sink.final(response);
      return;
    }
    const related = options?.relatedRequestId;
    if (related !== undefined) {
      const record = this.pending.get(related as number);
      if (record) record.sink.event(message);
      return;
    }
    this.standalone?.(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.backstop?.unwatch(this);
    const unanswered = [...this.pending.values()];
    this.counter?.add(-this.pending.size);
    this.pending.clear();
    this.byClientId?.clear();
    for (const abort of this.directCalls.values()) abort.abort(new Error('the session was closed'));
    this.directCalls.clear();
    this.onclose?.();
    // The SDK sends nothing for the requests it aborts; without this their HTTP responses stay open.
    for (const record of unanswered) {
      this.onAnswered?.(record, undefined);
      record.sink.final({
        jsonrpc: '2.0',
        id: record.originalId,
        error: { code: MCP_SERVER_ERROR, message: 'the session was closed before this request was answered' },
      });
    }
  }

  private forget(id: number, record: RequestRecord): void {
    if (this.pending.delete(id)) this.counter?.add(-1);
    if (this.byClientId?.get(record.originalId) === id) this.byClientId.delete(record.originalId);
  }
}

/**
 * An AbortController made only when someone reads its signal: most quick calls never do, and a
 * controller (an EventTarget) costs more than the rest of a call's bookkeeping.
 */
class LazyAbort {
  private controller: AbortController | undefined;
  private reason: unknown;
  aborted = false;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/** The JSON-RPC error for a handler that threw, as the SDK's Protocol words it. */
function internalError(error: unknown): { code: number; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : undefined;
  return { code: Number.isSafeInteger(code) ? (code as number) : JSONRPC_INTERNAL_ERROR, message: message || 'Internal error' };
}

/** Counts work in flight across transports; `idle()` resolves when it reaches zero. */
export class InFlightCounter {
  private count = 0;
  private waiters: (() => void)[] = [];

  get value(): number {
    return this.count;
  }

  add(delta: number): void {
    this.count += delta;
    if (this.count === 0 && this.waiters.length > 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`; true when it drained. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
