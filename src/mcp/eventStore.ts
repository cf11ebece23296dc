import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** One event of an SSE stream; `message` is null for the priming event (id, empty data). */
export interface StoredEvent {
  readonly id: string;
  readonly message: JSONRPCMessage | null;
}

/**
 * Keeps what was sent on each SSE stream so a client that reconnects with `Last-Event-ID`
 * gets everything after it. Event ids encode their stream (`<streamId>_<seq>`), so a resume
 * never replays another stream's events.
 */
export interface EventStore {
  append(streamId: string, message: JSONRPCMessage | null): Promise<string>;
  /** The stream an event id belongs to and its events after that id, or undefined when unknown. */
  eventsAfter(eventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined>;
  /** Forgets a stream: it ended and its resume window passed, or its session closed. */
  deleteStream(streamId: string): Promise<void>;
  close(): Promise<void>;
}

/** Splits `<streamId>_<seq>`; undefined for anything else. */
export function parseEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const at = eventId.lastIndexOf('_');
  if (at <= 0) return undefined;
  const seq = Number(eventId.slice(at + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { streamId: eventId.slice(0, at), seq };
}

export interface InMemoryEventStoreOptions {
  /** Streams kept at most; the least recently written go first. Default 10,000. */
  readonly maxStreams?: number;
  /** Events kept per stream at most; a resume from before the oldest kept gets undefined. Default 10,000. */
  readonly maxEventsPerStream?: number;
}

interface StreamLog {
  events: StoredEvent[];
  /** seq of events[0] */
  first: number;
  next: number;
}

/** The default event store: bounded, per process. A Redis one shares streams between replicas. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, StreamLog>();
  private readonly maxStreams: number;
  private readonly maxEvents: number;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.maxStreams = options.maxStreams ?? 10_000;
    this.maxEvents = options.maxEventsPerStream ?? 10_000;
  }

  async append(streamId: string, message: JSONRPCMessage | null): Promise<string> {
    let log = this.streams.get(streamId);
    if (log) {
      this.streams.delete(streamId); // re-insert: Map order doubles as least-recently-written order
    } else {
      log = { events: [], first: 0, next: 0 };
      if (this.streams.size >= this.maxStreams) {
        const oldest = this.streams.keys().next().value;
        if (oldest !== undefined) this.streams.delete(oldest);
      }
    }
    this.streams.set(streamId, log);
    const id = `${streamId}_${log.next++}`;
    log.events.push({ id, message });
    if (log.events.length > this.maxEvents) {
      log.events.shift();
      log.first++;
    }
    return id;
  }

  async eventsAfter(eventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(eventId);
    if (!parsed) return undefined;
    const log = this.streams.get(parsed.streamId);
    if (!log || parsed.seq >= log.next || parsed.seq < log.first - 1) return undefined;
    return { streamId: parsed.streamId, events: log.events.slice(parsed.seq + 1 - log.first) };
  }

  async deleteStream(streamId: string): Promise<void> {
    this.streams.delete(streamId);
  }

  async close(): Promise<void> {
    this.streams.clear();
  }

  /** Streams held now (for tests and metrics). */
  get size(): number {
    return this.streams.size;
  }
}
