import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

/** Told that the request `id` lost its answer for good, and why; the caller fails the request. */
export type OnStreamLost = (id: RequestId, why: string, cause?: unknown) => void;

/** The id at the end of a request as the SDK serializes it (`{"method":…,"jsonrpc":"2.0","id":7}`). */
const TRAILING_ID = /,"id":(\d+)\}$/;

function requestIdOf(body: unknown): RequestId | undefined {
  if (typeof body !== 'string' || !body.includes('"method"')) return undefined;
  // The SDK's requests start with their method and end with their numeric id: no need to parse the arguments in between.
  const trailing = body.startsWith('{"method":') ? TRAILING_ID.exec(body) : null;
  if (trailing) return Number(trailing[1]);
  try {
    const message = JSON.parse(body) as { id?: unknown; method?: unknown };
    return typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number')
      ? message.id
      : undefined;
  } catch {
    return undefined;
  }
}

const NL = 0x0a;
const CR = 0x0d;
const I = 0x69;
const D = 0x64;
const COLON = 0x3a;
const SPACE = 0x20;
const decoder = new TextDecoder();

/**
 * The value of the last `id:` field among the complete lines of `bytes` (its first `end` bytes; a
 * line starts at 0 when `startsLine`), or undefined. Only bytes are compared, so a stream without ids costs a scan.
 */
function lastIdIn(bytes: Uint8Array, end: number, startsLine: boolean): string | undefined {
  let found: string | undefined;
  for (let at = bytes.indexOf(I); at !== -1 && at < end; at = bytes.indexOf(I, at + 1)) {
    if (at === 0 ? !startsLine : bytes[at - 1] !== NL && bytes[at - 1] !== CR) continue;
    if (bytes[at + 1] !== D || bytes[at + 2] !== COLON) continue;
    let from = at + 3;
    if (bytes[from] === SPACE) from++;
    let to = from;
    while (to < end && bytes[to] !== NL && bytes[to] !== CR) to++;
    found = decoder.decode(bytes.subarray(from, to));
  }
  return found;
}

/**
 * A fetch for the SDK's Streamable HTTP client transport that notices when a request's answer
 * can no longer come. The SDK waits on a POST stream that broke (the server died mid-call) until
 * the call times out, and resumes it with `Last-Event-ID` only when the stream carried an event
 * id. This fetch passes each request's stream through a watcher that notes its event ids and its
 * end; the transport hands every message it delivers to `delivered`. When a stream ends or breaks
 * before its answer was delivered and cannot be resumed, or its resumption fails, `onLost` is told.
 * The stream is not parsed twice: the SDK's own parse says which answers arrived.
 */
export function createWatchedFetch(
  onLost: OnStreamLost,
  base: FetchLike = fetch,
): { fetch: FetchLike; delivered: (message: JSONRPCMessage) => void } {
  /** Requests whose stream broke after an event id: the SDK resumes them with that id. */
  const resumable = new Map<string, RequestId>();
  /** Requests whose answer has not been delivered yet, with the number of their streams being watched. */
  const waiting = new Map<RequestId, number>();

  const delivered = (message: JSONRPCMessage) => {
    if ('id' in message && !('method' in message) && message.id !== undefined) waiting.delete(message.id);
  };

  function watched(body: ReadableStream<Uint8Array>, id: RequestId): ReadableStream<Uint8Array> {
    waiting.set(id, (waiting.get(id) ?? 0) + 1);
    let lastEventId: string | undefined;
    /** The bytes of an unfinished line that may be an `id:` field, kept for the next chunk. */
    let carry: Uint8Array | undefined;
    let atLineStart = true;
    const ended = (failure: unknown, failed: boolean) => {
      // The SDK parses what this stream passed on in the microtasks that follow: judge after them.
      setImmediate(() => {
        const streams = waiting.get(id);
        if (streams === undefined) return; // answered
        if (streams > 1) waiting.set(id, streams - 1);
        else waiting.delete(id);
        if (lastEventId !== undefined) resumable.set(lastEventId, id);
        else if (failed) onLost(id, 'the connection broke before the server answered', failure);
        else onLost(id, 'the server ended its response stream without answering');
      });
    };
    const watcher = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        if (!carry && chunk.indexOf(I) === -1) {
          atLineStart = chunk.length === 0 ? atLineStart : chunk[chunk.length - 1] === NL || chunk[chunk.length - 1] === CR;
          return;
        }
        let bytes = chunk;
        if (carry) {
          bytes = new Uint8Array(carry.length + chunk.length);
          bytes.set(carry);
          bytes.set(chunk, carry.length);
          carry = undefined;
          atLineStart = true; // the carry began a line
        }
        let lineEnd = bytes.length;
        while (lineEnd > 0 && bytes[lineEnd - 1] !== NL && bytes[lineEnd - 1] !== CR) lineEnd--;
        const id = lastIdIn(bytes, lineEnd, atLineStart);
        if (id !== undefined) lastEventId = id;
        // The unfinished last line is kept for the next chunk only when it may be an `id:` field.
        const tail = bytes.subarray(lineEnd);
        if (tail.length > 0 && tail.length < 1024 && (lineEnd > 0 || atLineStart) && tail[0] === I) carry = tail.slice();
        atLineStart = tail.length === 0;
      },
      flush() {
        ended(undefined, false);
      },
      cancel(reason) {
        ended(reason, true);
      },
    });
    return body.pipeThrough(watcher);
  }

  const watchedFetch: FetchLike = async (url, init) => {
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
    return new Response(watched(response.body, id), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { fetch: watchedFetch, delivered };
}
