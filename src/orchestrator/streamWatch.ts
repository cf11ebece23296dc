import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { EventSourceParserStream } from 'eventsource-parser/stream';

/** Told that the request `id` lost its answer for good, and why; the caller fails the request. */
export type OnStreamLost = (id: RequestId, why: string, cause?: unknown) => void;

function requestIdOf(body: unknown): RequestId | undefined {
  if (typeof body !== 'string' || !body.includes('"method"')) return undefined;
  try {
    const message = JSON.parse(body) as { id?: unknown; method?: unknown };
    return typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number')
      ? message.id
      : undefined;
  } catch {
    return undefined;
  }
}

const isAnswer = (message: JSONRPCMessage, id: RequestId) => 'id' in message && message.id === id && !('method' in message);

/**
 * A fetch for the SDK's Streamable HTTP client transport that notices when a request's answer
 * can no longer come. The SDK waits on a POST stream that broke (the server died mid-call) until
 * the call times out, and resumes it with `Last-Event-ID` only when the stream carried an event
 * id. This fetch reads a copy of each request's stream: when it ends or breaks without the
 * answer and cannot be resumed, or its resumption fails, `onLost` is told at once.
 */
export function createWatchedFetch(onLost: OnStreamLost, base: FetchLike = fetch): FetchLike {
  /** Requests whose stream broke after an event id: the SDK resumes them with that id. */
  const resumable = new Map<string, RequestId>();

  async function watch(stream: ReadableStream<Uint8Array>, id: RequestId): Promise<void> {
    let lastEventId: string | undefined;
    let failure: unknown;
    try {
      const events = stream.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
      for await (const event of events) {
        if (event.id) lastEventId = event.id;
        if (!event.data || (event.event && event.event !== 'message')) continue;
        try {
          if (isAnswer(JSON.parse(event.data) as JSONRPCMessage, id)) return;
        } catch {
          // Not JSON: the SDK reports it; it is not the answer either.
        }
      }
    } catch (error) {
      failure = error;
    }
    if (lastEventId !== undefined) resumable.set(lastEventId, id);
    else if (failure !== undefined) onLost(id, 'the connection broke before the server answered', failure);
    else onLost(id, 'the server ended its response stream without answering');
  }

  return async (url, init) => {
    const method = init?.method ?? 'GET';
    const resumedFrom = method === 'GET' ? new Headers(init?.headers).get('last-event-id') : null;
    const id = method === 'POST' ? requestIdOf(init?.body) : resumedFrom !== null ? resumable.get(resumedFrom) : undefined;
    if (id === undefined) return base(url, init);
    if (resumedFrom !== null) resumable.delete(resumedFrom);
    let response: Response;
    try {
      response = await base(url, init);
    } catch (error) {
      // A POST that fails rejects the request itself; a resumption the SDK tries in the background does not.
      if (resumedFrom !== null) onLost(id, 'resuming the broken response stream failed', error);
      throw error;
    }
    if (resumedFrom !== null && !response.ok && (response.status < 300 || response.status >= 400)) {
      onLost(id, `resuming the broken response stream failed with HTTP ${response.status}`);
      return response;
    }
    if (!response.ok || !response.body || !response.headers.get('content-type')?.includes('text/event-stream')) return response;
    const [mine, theirs] = response.body.tee();
    void watch(mine, id);
    return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
