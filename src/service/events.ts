import { FINAL_EVENT_TYPES, FINAL_STATUSES, type RunStore, type StoredEvent } from './runStore.ts';

/** How often a follower re-reads the store when nothing told it about new events. Default 1 s. */
export const DEFAULT_FOLLOW_POLL_MS = 1000;

type Subscriber = (events: readonly StoredEvent[] | undefined) => void;

/**
 * Tells followers of a run that it has new events: events appended in this process are handed
 * over as they are (no read needed); the store's notices about other processes' appends (PostgreSQL
 * `NOTIFY`) are pokes that make followers read the store.
 */
export class RunEventBus {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly unwatch: () => void;

  constructor(store: RunStore) {
    this.unwatch = store.watch((notice) => {
      if (notice.kind === 'event') this.deliver(notice.runId, undefined);
    });
  }

  /** Events of `runId` this process just stored. */
  publish(runId: string, events: readonly StoredEvent[]): void {
    if (events.length > 0) this.deliver(runId, events);
  }

  subscribe(runId: string, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(runId);
    if (!set) this.subscribers.set(runId, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(runId) === set) this.subscribers.delete(runId);
    };
  }

  close(): void {
    this.unwatch();
    this.subscribers.clear();
  }

  private deliver(runId: string, events: readonly StoredEvent[] | undefined): void {
    for (const subscriber of this.subscribers.get(runId) ?? []) subscriber(events);
  }
}

export interface FollowOptions {
  readonly store: RunStore;
  readonly bus: RunEventBus;
  readonly runId: string;
  /** Deliver events with a seq above this (a `Last-Event-ID`); 0 for all. */
  readonly after: number;
  /** Awaited before the next event, so a slow reader slows delivery instead of buffering without bound. */
  readonly onEvent: (event: StoredEvent) => void | Promise<void>;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

/**
 * Delivers a run's events after `after`, in seq order, each once, then tails new ones until the
 * run settles: a final event (`answer`, `error`, `cancelled`), or an `approval_needed` the run is
 * still waiting on. Resolves `settled` then, or `aborted` when `signal` fires first. Events
 * from any replica arrive: this process's appends at once, others' on a store notice or, at the
 * latest, at the next poll.
 */
export async function followRun(options: FollowOptions): Promise<'settled' | 'aborted'> {
  const { store, runId, signal } = options;
  const pollMs = options.pollMs ?? DEFAULT_FOLLOW_POLL_MS;
  let cursor = options.after;
  let buffer: StoredEvent[] = [];
  let poked = false;
  let wake: (() => void) | undefined;
  const unsubscribe = options.bus.subscribe(runId, (events) => {
    if (events) buffer.push(...events);
    poked = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);

  // Whether the last batch came from this process's appends: until a poke or the next poll there
  // is then nothing to read back, since a run settles only with an event, which is published here
  // when appended here and poked or polled for when appended elsewhere.
  let local = false;
  const nextBatch = async (): Promise<StoredEvent[]> => {
    buffer = buffer.filter((event) => event.seq > cursor).sort((a, b) => a.seq - b.seq);
    if (buffer[0]?.seq === cursor + 1) {
      let end = 1;
      while (end < buffer.length && buffer[end]!.seq === buffer[end - 1]!.seq + 1) end++;
      local = true;
      return buffer.splice(0, end);
    }
    local = false;
    return store.eventsAfter(runId, cursor);
  };
  const pause = async () => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      if (poked || signal?.aborted) wake();
    });
    wake = undefined;
  };
  const stillWaiting = async (): Promise<boolean> => {
    if ((await store.eventsAfter(runId, cursor, 1)).length > 0) return false;
    return (await store.getRun(runId))?.status === 'waiting_approval';
  };

  try {
    for (;;) {
      if (signal?.aborted) return 'aborted';
      poked = false;
      const batch = await nextBatch();
      if (batch.length > 0) {
        for (const event of batch) {
          if (signal?.aborted) return 'aborted';
          await options.onEvent(event);
          cursor = event.seq;
          if (FINAL_EVENT_TYPES.includes(event.type)) return 'settled';
        }
        if (batch.at(-1)!.type === 'approval_needed' && (await stillWaiting())) return 'settled';
        if (local && buffer.length === 0 && !poked) {
          local = false;
          await pause();
        }
        continue;
      }
      const run = await store.getRun(runId);
      if (!run) return 'settled';
      if (FINAL_STATUSES.includes(run.status) || run.status === 'waiting_approval') {
        // The status and its final event commit together: one more read sees the event if we missed it.
        if ((await store.eventsAfter(runId, cursor, 1)).length > 0) continue;
        return 'settled';
      }
      if (poked) continue;
      await pause();
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
}
