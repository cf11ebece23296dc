import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { EventStore, StoredEvent } from './eventStore.ts';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** Keep-alive comments stop proxies from closing quiet streams and reveal dead sockets. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;

function frame(message: JSONRPCMessage, id: string | undefined): string {
  return id === undefined
    ? `event: message\ndata: ${JSON.stringify(message)}\n\n`
    : `event: message\nid: ${id}\ndata: ${JSON.stringify(message)}\n\n`;
}

export interface SseStreamOptions {
  /** Without a store events are written once and lost if nobody is connected (stateless mode). */
  readonly store: EventStore | undefined;
  readonly keepAliveMs?: number;
  /** The `retry` hint in the priming event: how long a client waits before reconnecting. */
  readonly retryMs?: number;
  /** Work that must be done before the first event is stored (e.g. noting the stream's session in Redis). */
  readonly ready?: Promise<void>;
}

/**
 * One logical SSE stream: the answer to one POST, or a session's GET stream. It outlives the
 * HTTP response that carries it: events are stored, and a reconnect with `Last-Event-ID`
 * replays what was missed and carries on. Writes are chained so events keep their order
 * even when the store is asynchronous.
 */
export class SseStream {
  readonly id: string;
  private readonly options: SseStreamOptions;
  private res: ServerResponse | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private chain: Promise<void>;
  private finished = false;
  /** Called when the final message has been written (POST streams). */
  onFinish: (() => void) | undefined;

  constructor(id: string, options: SseStreamOptions) {
    this.id = id;
    this.options = options;
    this.chain = options.ready?.catch(() => undefined) ?? Promise.resolve();
  }

  get attached(): boolean {
    return this.res !== undefined;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Starts the HTTP response for this stream. */
  open(res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    res.flushHeaders();
    this.attach(res);
  }

  /** The priming event (id, empty data, retry) lets a client resume even before any message. */
  prime(): void {
    const store = this.options.store;
    if (!store) return;
    this.enqueue(async () => {
      const id = await store.append(this.id, null).catch(() => undefined);
      if (id === undefined) return; // the store failed: no resume point to offer
      const retry = this.options.retryMs === undefined ? '' : `retry: ${this.options.retryMs}\n`;
      this.res?.write(`id: ${id}\n${retry}data: \n\n`);
    });
  }

  /** Stores and writes a message; `final` ends the stream after it. */
  send(message: JSONRPCMessage, final = false): Promise<void> {
    const store = this.options.store;
    return this.enqueue(async () => {
      if (this.finished) return;
      // A store that fails (Redis down) costs the event its resumability, never its delivery.
      const id = store ? await store.append(this.id, message).catch(() => undefined) : undefined;
      this.res?.write(frame(message, id));
      if (final) this.finish();
    });
  }

  /** Replays the stored events after `events` were read, then carries on live on `res`. */
  resume(res: ServerResponse, headers: Record<string, string>, read: () => Promise<StoredEvent[] | undefined>): Promise<boolean> {
    return this.enqueue(async () => {
      const events = await read();
      if (!events) return false;
      // A reconnecting client may beat the server to noticing that its old connection died.
      const previous = this.res;
      this.detach();
      previous?.end();
      res.writeHead(200, { ...SSE_HEADERS, ...headers });
      res.flushHeaders(); // with nothing to replay the client would otherwise wait for the next event
      for (const event of events) {
        res.write(event.message ? frame(event.message, event.id) : `id: ${event.id}\ndata: \n\n`);
      }
      if (this.finished) {
        res.end();
      } else {
        this.attach(res);
      }
      return true;
    });
  }

  /** Ends the HTTP response (the logical stream stays resumable unless finished). */
  close(): void {
    const res = this.res;
    this.detach();
    res?.end();
  }

  /** Ends the stream for good (its session closed): nothing more is stored, sent or resumed. */
  terminate(): void {
    this.finished = true;
    this.close();
  }

  private finish(): void {
    this.finished = true;
    this.close();
    this.onFinish?.();
  }

  private attach(res: ServerResponse): void {
    this.res = res;
    const interval = this.options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    this.keepAlive = setInterval(() => this.res?.write(': keepalive\n\n'), interval);
    this.keepAlive.unref();
    res.once('close', () => {
      if (this.res === res) this.detach();
    });
  }

  private detach(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.res = undefined;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }
}
