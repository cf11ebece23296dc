import { randomBytes } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Identity } from './agent.ts';
import type { SessionState } from './buildServer.ts';
import type { EventStore } from './eventStore.ts';
import type { RequestId } from './jsonrpc.ts';
import type { MuxTransport } from './muxTransport.ts';
import { SseStream } from './sseStream.ts';
import type { TimerTable } from './timerTable.ts';

/** 128 bits from the CSPRNG, as hex: unguessable and visible ASCII as the spec requires. */
export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}

/** Stream ids share the event-id namespace (`<streamId>_<seq>`), so they are random too. */
export function newStreamId(): string {
  return randomBytes(12).toString('hex');
}

export interface SessionOptions {
  readonly id: string;
  readonly identity: Identity;
  /** What the per-client cap counts it against. */
  readonly client: string;
  readonly server: McpServer;
  readonly transport: MuxTransport;
  readonly state: SessionState;
  readonly store: EventStore | undefined;
  readonly retryMs: number | undefined;
  readonly keepAliveMs: number | undefined;
  /** How long a finished POST stream stays resumable. */
  readonly resumeWindowMs: number;
  /** Where the session's timers live, so they are cancelled when it closes. */
  readonly timers: TimerTable<McpSession>;
  /** Sessions shared between replicas (Redis): how this one's streams and GET-stream messages reach the others. */
  readonly shared?: SessionSharing;
}

/** What a session shared between replicas needs from the cluster. */
export interface SessionSharing {
  /** Notes a new stream of this session, written here (done before its first event is stored). */
  registerStream(streamId: string, requestId: RequestId | null): Promise<void>;
  /** A message for the GET stream, which this replica does not hold. */
  publish(message: JSONRPCMessage): void;
}

/**
 * One Streamable HTTP session: its own SDK server (client capabilities and log level are
 * per session), its identity, and its SSE streams (each POST that streams, and the GET stream).
 */
export class McpSession {
  readonly id: string;
  readonly identity: Identity;
  readonly server: McpServer;
  readonly transport: MuxTransport;
  readonly state: SessionState;
  readonly client: string;
  readonly createdAt = Date.now();
  lastActivity = this.createdAt;
  private readonly options: SessionOptions;
  private readonly streams = new Map<string, SseStream>();
  private getStream: SseStream | undefined;
  private closed = false;

  constructor(options: SessionOptions) {
    this.options = options;
    this.id = options.id;
    this.identity = options.identity;
    this.client = options.client;
    this.server = options.server;
    this.transport = options.transport;
    this.state = options.state;
    this.transport.standalone = (message) => this.sendStandalone(message);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Busy sessions are never expired: a request in flight, or a client listening on GET. */
  get busy(): boolean {
    return this.transport.inFlight > 0 || this.getStream?.attached === true;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** A new stream for a POST (of request `requestId`) that turned out to need SSE. */
  openPostStream(requestId: RequestId): SseStream {
    const stream = this.newStream(newStreamId(), requestId);
    this.streams.set(stream.id, stream);
    stream.onFinish = () => {
      if (this.closed) return;
      this.options.timers.schedule(this, this.options.resumeWindowMs, () => this.dropStream(stream));
    };
    return stream;
  }

  /** The session's GET stream, created on first use; undefined when one is already attached (409). */
  claimGetStream(): SseStream | undefined {
    if (this.getStream?.attached) return undefined;
    if (!this.getStream) {
      this.getStream = this.newStream(newStreamId(), null);
      this.streams.set(this.getStream.id, this.getStream);
    }
    return this.getStream;
  }

  /**
   * Takes over the GET stream `streamId` that another replica wrote (its client reconnected here with
   * `Last-Event-ID`): its messages are written here from now on. Undefined when this replica's own GET stream is attached (409).
   */
  adoptGetStream(streamId: string): SseStream | undefined {
    if (this.getStream?.attached) return undefined;
    this.getStream = this.newStream(streamId, null);
    this.streams.set(streamId, this.getStream);
    return this.getStream;
  }

  /** A message another replica had for this session's GET stream: written if this replica holds it. */
  deliverStandalone(message: JSONRPCMessage): void {
    if (this.getStream?.attached) void this.getStream.send(message);
  }

  /** The stream an event id names, if it belongs to this session. */
  stream(streamId: string): SseStream | undefined {
    return this.streams.get(streamId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A pending resume window would hold this session, and all it references, until it ran out.
    this.options.timers.cancelAll(this);
    // Terminated first, so the error answers the transport gives calls still in flight store nothing.
    for (const stream of this.streams.values()) stream.terminate();
    await Promise.all([...this.streams.keys()].map((id) => this.forgetStream(id)));
    this.streams.clear();
    await this.server.close(); // closes the transport, which aborts in-flight handlers and answers their requests
  }

  private sendStandalone(message: JSONRPCMessage): void {
    if (this.getStream?.attached || !this.options.shared) {
      // Without a GET stream there is nowhere to deliver it; the spec lets the server drop it.
      void this.getStream?.send(message);
      return;
    }
    this.options.shared.publish(message); // the GET stream may be held by another replica
  }

  private dropStream(stream: SseStream): void {
    if (this.streams.get(stream.id) !== stream) return;
    this.streams.delete(stream.id);
    void this.forgetStream(stream.id);
  }

  /** Best effort: a store that cannot delete now (Redis down) must not fail a close or crash a timer; Redis expires keys itself. */
  private async forgetStream(id: string): Promise<void> {
    // Streams of a shared session may be resumed on another replica; Redis expires them.
    if (this.options.shared) return;
    await this.options.store?.deleteStream(id).catch(() => undefined);
  }

  private newStream(id: string, requestId: RequestId | null): SseStream {
    const { store, retryMs, keepAliveMs, shared } = this.options;
    return new SseStream(id, { store, retryMs, keepAliveMs, ready: shared?.registerStream(id, requestId) });
  }
}
