import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { parseEventId, type StoredEvent } from './eventStore.ts';
import { MCP_SERVER_ERROR, type RequestId } from './jsonrpc.ts';
import type { RedisEventStore } from './redisEventStore.ts';
import { DEFAULT_KEEP_ALIVE_MS, SSE_HEADERS } from './sseStream.ts';

/** `data.reason` of the error a client gets for a call whose replica died before answering: retry it (with its idempotency key). */
export const REPLICA_LOST = 'replica-lost';

/** Why a stream another replica writes will never get its answer. */
export type Lost = 'replica' | 'session';

const LOST_MESSAGES: Record<Lost, string> = {
  replica:
    'the server replica handling this request stopped before answering; it may or may not have taken effect: ' +
    'retry it (with the same idempotency_key, if the tool takes one)',
  session: 'the session was closed before this request was answered',
};

export interface RemoteStreamOptions {
  readonly store: RedisEventStore;
  /** The client's id of the request the stream answers (for the error if its replica died). */
  readonly requestId: RequestId | null;
  /** Why the stream can no longer end with its answer (its replica died, its session ended), or undefined while it can. */
  readonly lost: () => Promise<Lost | undefined>;
  /** How often to ask. */
  readonly checkEveryMs: number;
  readonly keepAliveMs?: number;
}

function frame(event: StoredEvent): string {
  return event.message ? `event: message\nid: ${event.id}\ndata: ${JSON.stringify(event.message)}\n\n` : `id: ${event.id}\ndata: \n\n`;
}

/** The answer to a request ends its POST stream. */
function isFinal(message: JSONRPCMessage | null): boolean {
  return message !== null && 'id' in message && ('result' in message || 'error' in message);
}

/**
 * Resumes, on this replica, a POST stream another replica writes (`Last-Event-ID` came here through
 * the balancer): replays what was stored after `lastEventId`, then carries on with what the writer
 * appends (Redis pub/sub) until the answer. When the writer dies first (killed mid-call), or the
 * session ends, the client gets an error answer saying so, stored too, so the call ends everywhere instead of hanging.
 * False when the event id is unknown or too old (nothing was written to `res`).
 */
export async function resumeRemoteStream(
  res: ServerResponse,
  headers: Record<string, string>,
  lastEventId: string,
  options: RemoteStreamOptions,
): Promise<boolean> {
  const streamId = parseEventId(lastEventId)?.streamId;
  if (streamId === undefined) return false;
  let lastSeq = -1;
  let live = false;
  let done = false;
  const early: StoredEvent[] = [];
  const write = (event: StoredEvent) => {
    const seq = parseEventId(event.id)?.seq ?? -1;
    if (done || seq <= lastSeq) return; // seen in the replay already
    lastSeq = seq;
    res.write(frame(event));
    if (isFinal(event.message)) finish();
  };
  // Followed before reading, so nothing appended in between is missed (duplicates are skipped by sequence).
  const stop = await options.store.follow(streamId, (event) => (live ? write(event) : early.push(event)));
  const replay = await options.store.eventsAfter(lastEventId).catch(() => undefined);
  if (!replay) {
    await stop();
    return false;
  }
  lastSeq = parseEventId(lastEventId)!.seq;
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  res.flushHeaders();
  const timers: NodeJS.Timeout[] = [];
  function finish(): void {
    if (done) return;
    done = true;
    for (const timer of timers) clearInterval(timer);
    void stop();
    res.end();
  }
  res.once('close', finish);
  for (const event of replay.events) write(event);
  live = true;
  for (const event of early) write(event);
  if (done) return true;

  const keepAlive = setInterval(() => res.write(': keepalive\n\n'), options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS);
  keepAlive.unref();
  let checking = false;
  const watchdog = setInterval(() => {
    if (checking || done) return;
    checking = true;
    void options
      .lost()
      .then(async (why) => {
        if (!why || done) return;
        // Its last words may have been stored just before it died.
        const rest = await options.store.eventsAfter(`${streamId}_${lastSeq}`).catch(() => undefined);
        for (const event of rest?.events ?? []) write(event);
        if (done || options.requestId === null) return finish();
        const lost: JSONRPCMessage = {
          jsonrpc: '2.0',
          id: options.requestId,
          error: {
            code: MCP_SERVER_ERROR,
            message: LOST_MESSAGES[why],
            ...(why === 'replica' ? { data: { reason: REPLICA_LOST } } : {}),
          },
        };
        const id = await options.store.append(streamId, lost).catch(() => undefined);
        write({ id: id ?? `${streamId}_${lastSeq + 1}`, message: lost });
      })
      .catch(() => undefined)
      .finally(() => (checking = false));
  }, options.checkEveryMs);
  watchdog.unref();
  timers.push(keepAlive, watchdog);
  return true;
}
