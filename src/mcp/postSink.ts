import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ResponseSink } from './muxTransport.ts';
import type { SseStream } from './sseStream.ts';

export interface PostSinkOptions {
  readonly res: ServerResponse;
  readonly headers: Record<string, string>;
  /** Makes the SSE stream this POST upgrades to. */
  readonly openStream: () => SseStream;
  /** Events are stored and the stream can be resumed: a client going away cancels nothing. */
  readonly resumable: boolean;
  /** Send the priming event (client speaks 2025-11-25 or later). */
  readonly prime: boolean;
  /** Upgrades this POST to a resumable SSE stream if its answer is slow; undefined = only on a first event. */
  readonly slowWatch: SlowAnswerWatch | undefined;
  /** The HTTP client went away before the answer and nothing can be resumed. */
  readonly onAbandoned: () => void;
}

/**
 * Answers one POST. A quick answer with nothing before it goes out as plain JSON (the cheapest
 * response); the first progress or log message, or a slow answer on a resumable session, turns
 * the response into an SSE stream instead. Both are valid Streamable HTTP responses.
 */
export class PostSink implements ResponseSink {
  private readonly options: PostSinkOptions;
  private mode: 'pending' | 'sse' | 'done' = 'pending';
  private stream: SseStream | undefined;
  readonly startedAt = Date.now();

  constructor(options: PostSinkOptions) {
    this.options = options;
    options.slowWatch?.add(this);
    options.res.on('close', () => this.closed()); // a response closes once: no `once` wrapper needed
  }

  event(message: JSONRPCMessage): void {
    this.upgrade();
    void this.stream?.send(message);
  }

  final(message: JSONRPCMessage): void {
    this.options.slowWatch?.delete(this);
    if (this.mode === 'pending') {
      this.mode = 'done';
      const { res, headers } = this.options;
      if (res.destroyed) return;
      const body = JSON.stringify(message);
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    this.mode = 'done';
    void this.stream?.send(message, true);
  }

  /** Turns the response into an SSE stream (first event, or a slow answer). */
  upgrade(): void {
    if (this.mode !== 'pending') return;
    this.options.slowWatch?.delete(this);
    const { res, headers } = this.options;
    if (res.destroyed) return;
    this.mode = 'sse';
    this.stream = this.options.openStream();
    this.stream.open(res, headers);
    if (this.options.prime) this.stream.prime();
  }

  private closed(): void {
    this.options.slowWatch?.delete(this);
    if (this.mode === 'done') return;
    if (this.mode === 'sse' && this.options.resumable) return; // the client may come back with Last-Event-ID
    this.mode = 'done';
    this.options.onAbandoned();
  }
}

/**
 * Finds answers slower than `afterMs` and upgrades them to resumable streams, so a client that
 * loses its connection during a long call can resume. One coarse timer for all requests: a
 * timer per request would cost more than the rest of a fast call.
 */
export class SlowAnswerWatch {
  private readonly waiting = new Set<PostSink>();
  private readonly afterMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(afterMs: number) {
    this.afterMs = afterMs;
  }

  /** Answers waiting now (for tests). */
  get size(): number {
    return this.waiting.size;
  }

  /** Whether its timer runs (it stops at its first round with nothing waiting, or at `stopIfIdle`). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  add(sink: PostSink): void {
    this.waiting.add(sink);
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), Math.max(10, Math.floor(this.afterMs / 4)));
      this.timer.unref();
    }
  }

  delete(sink: PostSink): void {
    // The timer stays until its next round finds nothing waiting (or `stopIfIdle`): stopping it whenever the
    // set empties would start and clear an interval for nearly every quick answer.
    this.waiting.delete(sink);
  }

  /** Stops the timer when nothing waits (the kit's sweep calls it, so nothing stays alive after the last session). */
  stopIfIdle(): void {
    if (this.waiting.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.waiting.clear();
  }

  private check(): void {
    if (this.waiting.size === 0) {
      this.stop();
      return;
    }
    const due = Date.now() - this.afterMs;
    // Set order is insertion order, so the oldest come first
    for (const sink of this.waiting) {
      if (sink.startedAt > due) break;
      sink.upgrade();
    }
  }
}
