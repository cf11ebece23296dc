import type { Request, Response } from 'express';
import { badRequest } from './httpError.ts';
import type { StoredEvent } from './runStore.ts';

/** A comment line this often keeps proxies from closing a quiet stream. Default 15 s. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;
/** The reconnect delay the stream suggests to clients (`retry:`). Default 1 s. */
export const DEFAULT_RETRY_MS = 1000;

/** An event as clients receive it: the envelope (seq, run, type, time) and the event's own fields. */
export function wireEvent(event: StoredEvent): Record<string, unknown> {
  return { ...event.data, seq: event.seq, runId: event.runId, type: event.type, at: event.createdAt };
}

export interface SseStream {
  /** Writes one event (`id:` its seq, `event:` its type); resolves when the socket takes more. */
  send(event: StoredEvent): Promise<void>;
  end(): void;
  /** Aborted when the client goes away or the stream ends. */
  readonly signal: AbortSignal;
}

/** Starts a server-sent event stream: headers, a `retry:` hint, keep-alive comments. */
export function openSse(
  res: Response,
  options: { keepAliveMs?: number; retryMs?: number; headers?: Record<string, string> } = {},
): SseStream {
  const controller = new AbortController();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...options.headers,
  });
  res.write(`: switchboard run events\nretry: ${options.retryMs ?? DEFAULT_RETRY_MS}\n\n`);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS);
  keepAlive.unref();
  const stop = () => {
    clearInterval(keepAlive);
    controller.abort();
  };
  res.on('close', stop);
  return {
    signal: controller.signal,
    async send(event) {
      if (controller.signal.aborted) return;
      const ok = res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(wireEvent(event))}\n\n`);
      if (!ok && !controller.signal.aborted) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            controller.signal.removeEventListener('abort', done);
            resolve();
          };
          res.on('drain', done);
          controller.signal.addEventListener('abort', done);
        });
      }
    },
    end() {
      stop();
      if (!res.writableEnded) res.end();
    },
  };
}

/** Whether the client asked for a stream (`Accept: text/event-stream` preferred over JSON). */
export function wantsStream(req: Request): boolean {
  return req.accepts(['application/json', 'text/event-stream']) === 'text/event-stream';
}

/** Where a resumed stream starts: `Last-Event-ID` (what EventSource sends), else `?after=`, else 0. 400 for anything but a whole number. */
export function resumePoint(req: Request): number {
  const header = req.get('last-event-id');
  const query = typeof req.query['after'] === 'string' ? req.query['after'] : undefined;
  const raw = header ?? query;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,15}$/.test(raw.trim()))
    throw badRequest(`${header !== undefined ? 'Last-Event-ID' : 'after'} must be an event id (a whole number), not "${raw}"`);
  return Number(raw.trim());
}
