import { describeError } from '../errors.ts';
import type { RunEventBus } from './events.ts';
import type { NewEvent, RunRecord, RunStore, UpdateOptions } from './runStore.ts';

/** Token deltas are gathered this long into one `token` event. Default 50 ms. */
export const DEFAULT_TOKEN_FLUSH_MS = 50;

export interface RunRecorderOptions {
  readonly store: RunStore;
  readonly bus: RunEventBus;
  readonly runId: string;
  readonly tokenFlushMs?: number;
  readonly onWarning?: (message: string) => void;
}

/**
 * Writes one run's events in order, in batches: events that arrive together become one
 * transaction, and token deltas are gathered for `tokenFlushMs` into one `token` event (not a
 * row per token). Stored events are published to followers in this process.
 */
export class RunRecorder {
  private readonly options: RunRecorderOptions;
  private pending: NewEvent[] = [];
  private tokens = '';
  private tokenTimer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(options: RunRecorderOptions) {
    this.options = options;
  }

  emit(type: string, data: Readonly<Record<string, unknown>>): void {
    this.moveTokens();
    this.pending.push({ type, data });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    }
  }

  token(text: string): void {
    this.tokens += text;
    this.tokenTimer ??= setTimeout(() => {
      this.tokenTimer = undefined;
      this.moveTokens();
      void this.flush();
    }, this.options.tokenFlushMs ?? DEFAULT_TOKEN_FLUSH_MS);
  }

  /** Writes everything emitted so far; resolves when it is stored. */
  flush(): Promise<void> {
    this.moveTokens();
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.chain = this.chain.then(async () => {
        try {
          const stored = await this.options.store.appendEvents(this.options.runId, batch);
          this.options.bus.publish(this.options.runId, stored);
        } catch (error) {
          this.options.onWarning?.(`run ${this.options.runId}: ${batch.length} event(s) could not be stored: ${describeError(error)}`);
        }
      });
    }
    return this.chain;
  }

  /** Flushes, then applies `update` (a status change with its final event) after every earlier event. */
  async finish(update: UpdateOptions): Promise<RunRecord | undefined> {
    await this.flush();
    const result = await this.options.store.update(this.options.runId, update);
    if (result) this.options.bus.publish(this.options.runId, result.events);
    return result?.run;
  }

  private moveTokens(): void {
    if (this.tokenTimer) {
      clearTimeout(this.tokenTimer);
      this.tokenTimer = undefined;
    }
    if (this.tokens) {
      this.pending.push({ type: 'token', data: { text: this.tokens } });
      this.tokens = '';
    }
  }
}
