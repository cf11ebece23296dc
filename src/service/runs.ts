import { randomUUID } from 'node:crypto';
import { describeError } from '../errors.ts';
import { inSpan } from '../telemetry/index.ts';
import { textProblem } from '../text.ts';
import { followRun, type RunEventBus } from './events.ts';
import { executeSegment, type Resumption, type SegmentContext, type SegmentOutcome, type StopReason } from './execute.ts';
import { decisionsFor, type ApprovalInput } from './approvals.ts';
import { KeyedLimiter, type Ticket } from './limiter.ts';
import type { ClaimedStretch, RunQueue } from './runQueue.ts';
import { RunConflictError, RunInputError, RunLimitedError, RunNotFoundError, RunUnavailableError } from './runErrors.ts';
import type { OrchestratorCache } from './orchestrators.ts';
import { FINAL_STATUSES, type ApprovalMode, type RunRecord, type RunStore } from './runStore.ts';
import { settleThread } from './threads.ts';

/** Default per-run time limit (time spent running; pauses for approval do not count): 5 minutes. */
export const DEFAULT_RUN_TIMEOUT_MS = 5 * 60_000;
/** A run whose replica has not marked it alive for this long is taken over. Default 10 s. */
export const DEFAULT_STALE_AFTER_MS = 10_000;
/**
 * How often a replica marks its runs alive, looks for cancel requests and for runs to take over:
 * by default a quarter of the stale threshold (2.5 s), so a live replica misses three beats
 * before its runs look abandoned, and a crashed one's runs are taken within 1.25 thresholds.
 */
export const DEFAULT_HEARTBEAT_MS = DEFAULT_STALE_AFTER_MS / 4;
/** Finished runs and their events are deleted this long after they finished. Default 7 days. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600_000;
/** How often a replica deletes expired runs, at most. */
const SWEEP_EVERY_MS = 3600_000;
/** How long a stretch whose key had no free slot (two replicas fetched at once) waits before it is tried again. */
const DEFER_SECONDS = 1;
/** How long a local cancel waits for the run to stop before answering "accepted". Default 5 s. */
const CANCEL_WAIT_MS = 5000;

export interface RunManagerOptions {
  readonly store: RunStore;
  readonly bus: RunEventBus;
  readonly orchestrators: OrchestratorCache;
  /** This process's name in the store; default a random UUID. */
  readonly replicaId?: string;
  readonly concurrencyPerKey?: number;
  readonly queuePerKey?: number;
  readonly runTimeoutMs?: number;
  /** Run calls that need approval without asking. Default false. */
  readonly autoApprove?: boolean;
  readonly heartbeatMs?: number;
  readonly staleAfterMs?: number;
  /** How long finished runs and their events are kept; default {@link DEFAULT_RETENTION_MS}. */
  readonly retentionMs?: number;
  readonly followPollMs?: number;
  readonly tokenFlushMs?: number;
  /**
   * Where stretches of runs are dispatched (PostgreSQL): pg-boss jobs any replica may take, with per-key limits
   * over every replica, takeover of a crashed replica's runs and bounded retries. Absent: in-process (SQLite).
   * The manager starts it and closes it at shutdown.
   */
  readonly queue?: RunQueue;
  /** Told how each stretch of a run ended, with its duration. */
  readonly onSegmentEnd?: (outcome: SegmentOutcome, seconds: number) => void;
  readonly onWarning?: (message: string) => void;
}

export interface StartRequest {
  readonly owner: string;
  readonly input: string;
  readonly threadId?: string;
  readonly model?: string;
  readonly servers?: readonly string[];
  /** Default `pause`. */
  readonly approvals?: ApprovalMode;
}

interface LocalRun {
  readonly controller: AbortController;
  /** The in-process limiter's place (no queue); absent for a stretch the queue handed over. */
  readonly ticket?: Ticket;
  /** Settles when the run stops here (it ended, or left the queue). */
  readonly done: Promise<void>;
  readonly finished: () => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Runs on this replica: accepts them under per-key limits, executes them in-process, pauses them
 * for approval and resumes them (whichever replica gets the decision), cancels them (here, or by
 * asking the replica that runs them), keeps them alive with heartbeats, takes over runs whose
 * replica stopped, and on shutdown lets them finish or marks them `interrupted`.
 */
export class RunManager {
  readonly replicaId: string;
  readonly limiter: KeyedLimiter;
  private readonly options: RunManagerOptions;
  private readonly local = new Map<string, LocalRun>();
  private readonly segment: SegmentContext;
  private draining = false;
  private timer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  private averageRunMs = 5000;
  private lastSweep = 0;
  private ticking = false;

  constructor(options: RunManagerOptions) {
    this.options = options;
    this.replicaId = options.replicaId ?? randomUUID();
    this.limiter = new KeyedLimiter({ concurrency: options.concurrencyPerKey, queue: options.queuePerKey });
    this.segment = {
      store: options.store,
      bus: options.bus,
      orchestrators: options.orchestrators,
      replicaId: this.replicaId,
      autoApprove: options.autoApprove ?? false,
      runTimeoutMs: options.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
      // pg-boss's group limit is counted at fetch time; this makes it exact when two replicas fetch at once.
      maxRunningPerOwner: options.queue ? this.limiter.concurrency : undefined,
      tokenFlushMs: options.tokenFlushMs,
      onWarning: options.onWarning,
    };
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs executing or queued on this replica. */
  get localRuns(): number {
    return this.local.size;
  }

  /**
   * Starts taking work: with a queue, its workers (and gives runs left without a job one); without,
   * heartbeats and the takeover of interrupted and orphaned runs. Returns how many runs it resumed.
   */
  async start(): Promise<number> {
    this.unwatch = this.options.store.watch((notice) => {
      if (notice.kind === 'cancel') this.stopLocal(notice.runId, { kind: 'cancel' });
    });
    const heartbeatMs = this.options.heartbeatMs ?? (this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS) / 4;
    this.timer = setInterval(() => void this.tick(), heartbeatMs);
    this.timer.unref();
    const queue = this.options.queue;
    if (!queue) return this.recover();
    await queue.start({
      replicaId: this.replicaId,
      concurrencyPerKey: this.limiter.concurrency,
      run: (stretch) => this.runStretch(stretch),
      gaveUp: (id, reason, attempts) => this.giveUp(id, reason, attempts),
    });
    return queue.reconcile();
  }

  /** Records and queues a run; throws a `RunInputError`, or a `RunRefusal` (not found, conflict, limited, unavailable) when it cannot. */
  async begin(request: StartRequest): Promise<RunRecord> {
    this.assertOpen();
    const problem = textProblem(request.input);
    if (problem !== undefined) throw new RunInputError(`input ${problem}: remove it and send the request again`);
    const { model, servers } = this.options.orchestrators.resolve(request.model, request.servers);
    const queue = this.options.queue;
    const ticket = queue ? undefined : this.reserve(request.owner);
    try {
      const outcome = await this.options.store.createRun({
        id: randomUUID(),
        threadId: request.threadId ?? randomUUID(),
        owner: request.owner,
        request: request.input,
        model,
        servers,
        approvals: request.approvals ?? 'pause',
        replicaId: this.replicaId,
        ...(queue ? { maxActivePerOwner: this.limiter.concurrency + this.limiter.queue } : {}),
      });
      if (!outcome.ok) {
        if (outcome.reason === 'thread_foreign') throw new RunNotFoundError(`thread ${request.threadId}`);
        if (outcome.reason === 'limited') throw this.limited(this.limiter.concurrency + this.limiter.queue);
        throw new RunConflictError(
          `thread ${request.threadId} has an active run (${outcome.activeRunId}): wait for it to finish, decide on its approval, or cancel it`,
        );
      }
      if (queue) await this.dispatch(queue, outcome.run, null);
      else this.schedule(outcome.run.id, ticket!, null);
      return outcome.run;
    } catch (error) {
      ticket?.cancel();
      throw error;
    }
  }

  /** The run if `owner` may see it; a `RunNotFoundError` otherwise. */
  async get(owner: string, id: string): Promise<RunRecord> {
    const run = await this.options.store.getRun(id);
    if (!run || run.owner !== owner) throw new RunNotFoundError(`run ${id}`);
    return run;
  }

  /** Resumes a run paused for approval with the decisions; a `RunConflictError` unless it is waiting. */
  async approve(owner: string, id: string, input: ApprovalInput): Promise<RunRecord> {
    this.assertOpen();
    const run = await this.get(owner, id);
    if (run.status !== 'waiting_approval') throw new RunConflictError(`run ${id} is ${run.status}, not waiting for approval`);
    const decisions = decisionsFor(run, input);
    const queue = this.options.queue;
    if (queue) {
      const active = await this.options.store.countActive(owner);
      if (active >= this.limiter.concurrency + this.limiter.queue) throw this.limited(active);
    }
    const ticket = queue ? undefined : this.reserve(owner);
    const updated = await this.options.store
      .update(id, {
        from: ['waiting_approval'],
        set: {
          status: 'queued',
          segment: { kind: 'resume', decisions },
          baseCheckpoint: null,
          pending: [],
          replicaId: this.replicaId,
          cancelRequested: false,
        },
      })
      .catch((error: unknown) => {
        ticket?.cancel();
        throw error;
      });
    if (!updated) {
      ticket?.cancel();
      throw new RunConflictError(`run ${id} is no longer waiting for approval (someone else decided or cancelled it)`);
    }
    if (queue) await this.dispatch(queue, updated.run, 'approval');
    else this.schedule(id, ticket!, 'approval');
    return updated.run;
  }

  /**
   * Cancels a run: here when this replica runs or queues it, at once when nobody runs it (paused
   * or interrupted), else by asking its replica (`accepted`: it stops within a heartbeat). A
   * `RunConflictError` for a finished run.
   */
  async cancel(owner: string, id: string): Promise<{ run: RunRecord; accepted: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = await this.get(owner, id);
      if (FINAL_STATUSES.includes(run.status)) throw new RunConflictError(`run ${id} already ${run.status}`);
      const local = this.local.get(id);
      if (local) {
        this.stopLocal(id, { kind: 'cancel' });
        await Promise.race([local.done, sleep(CANCEL_WAIT_MS)]);
        const after = await this.get(owner, id);
        if (FINAL_STATUSES.includes(after.status)) return { run: after, accepted: false };
        if (this.local.get(id) === local) return { run: after, accepted: true }; // still stopping
        continue; // it had just paused or stopped on its own: cancel it as it is now
      }
      // With a queue, a queued run is nobody's yet: cancel it as it is (its job finds it cancelled and ends).
      if (run.status === 'waiting_approval' || run.status === 'interrupted' || (this.options.queue && run.status === 'queued')) {
        const done = await this.options.store.update(id, {
          from: [run.status],
          set: { status: 'cancelled', pending: [], replicaId: null, finishedAt: new Date().toISOString() },
          events: [{ type: 'cancelled', data: { reason: 'cancelled on request' } }],
        });
        if (!done) continue;
        this.options.bus.publish(id, done.events);
        try {
          const { orchestrator, release } = this.options.orchestrators.acquire(run.model, run.servers);
          await settleThread(orchestrator.graph, run.threadId, 'it was cancelled').finally(release);
        } catch {
          // The cancel stands: the thread's next run settles what this one left open.
        }
        return { run: done.run, accepted: false };
      }
      const asked = await this.options.store.update(id, { from: ['queued', 'running'], set: { cancelRequested: true } });
      if (asked) return { run: asked.run, accepted: true };
    }
    throw new RunConflictError(`run ${id} changed while being cancelled; try again`);
  }

  /** Resolves with the run once it settles (finished, or waiting for approval), or as it is when `signal` fires. */
  async waitSettled(id: string, after: number, signal?: AbortSignal): Promise<RunRecord> {
    await followRun({
      store: this.options.store,
      bus: this.options.bus,
      runId: id,
      after,
      onEvent: () => {},
      signal,
      pollMs: this.options.followPollMs,
    });
    const run = await this.options.store.getRun(id);
    if (!run) throw new RunNotFoundError(`run ${id}`);
    return run;
  }

  /**
   * Stops taking runs (`RunUnavailableError`), lets in-flight runs finish for up to `graceMs`, then stops the rest
   * and marks them `interrupted` (with queued ones), for a replica to resume from their checkpoints.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.draining = true;
    clearInterval(this.timer);
    this.unwatch?.();
    await this.options.queue?.stopTaking().catch((error: unknown) => this.options.onWarning?.(`run queue: ${describeError(error)}`));
    for (const [id, local] of this.local) {
      if (!local.ticket?.cancel()) continue;
      this.local.delete(id);
      await this.options.store.update(id, { from: ['queued'], set: { status: 'interrupted', replicaId: null } }).catch(() => undefined);
      local.finished();
    }
    const all = () => Promise.all([...this.local.values()].map((local) => local.done));
    await Promise.race([all(), sleep(graceMs)]);
    for (const id of this.local.keys()) this.stopLocal(id, { kind: 'shutdown' });
    await Promise.race([all(), sleep(CANCEL_WAIT_MS)]);
    await this.options.queue?.close(CANCEL_WAIT_MS);
  }

  /** Seconds a caller turned away should wait: the expected time for a slot to free up, 1 to 300. */
  retryAfterSeconds(owner: string): number {
    return this.retryAfter(this.limiter.load(owner).waiting);
  }

  private retryAfter(waiting: number): number {
    const seconds = (this.averageRunMs / 1000) * ((waiting + 1) / this.limiter.concurrency);
    return Math.min(300, Math.max(1, Math.ceil(seconds)));
  }

  /** The 429 for a key with `active` runs queued or running over every replica. */
  private limited(active: number): RunLimitedError {
    const retry = this.retryAfter(Math.max(0, active - this.limiter.concurrency));
    return new RunLimitedError(
      `too many runs for this API key: ${this.limiter.concurrency} running and ${this.limiter.queue} queued at most over all replicas; retry in ${retry} s`,
      retry,
    );
  }

  /** Hands a queued stretch to the queue; a run that cannot be queued fails at once (nothing would start it). */
  private async dispatch(queue: RunQueue, run: RunRecord, resumed: Resumption): Promise<void> {
    try {
      await queue.enqueue(run.id, run.owner, resumed);
    } catch (error) {
      const failure = { code: 'run_failed', message: `the run could not be queued: ${describeError(error)}` };
      const failed = await this.options.store
        .update(run.id, {
          from: ['queued'],
          set: { status: 'failed', error: failure, pending: [], replicaId: null, finishedAt: new Date().toISOString() },
          events: [{ type: 'error', data: { ...failure } }],
        })
        .catch(() => undefined);
      if (failed) this.options.bus.publish(run.id, failed.events);
      throw new RunUnavailableError(`the run queue is unavailable (${describeError(error)}); try again shortly`, 5);
    }
  }

  /**
   * One stretch the queue handed this replica. The job is the run's only active one, so a run still
   * marked running or interrupted was left by a replica that stopped: it is reset and resumed from its
   * checkpoint. A stretch stopped by a shutdown is handed back (a new job another replica takes); a
   * store failure is thrown for pg-boss to retry, and on the last attempt fails the run.
   */
  private async runStretch(stretch: ClaimedStretch): Promise<void> {
    const { runId } = stretch;
    const run = await this.options.store.getRun(runId);
    if (!run || !['queued', 'running', 'interrupted'].includes(run.status)) return;
    let resumed = stretch.resumed;
    if (run.status !== 'queued') {
      const reset = await this.options.store.update(runId, {
        from: ['running', 'interrupted'],
        set: { status: 'queued', replicaId: this.replicaId },
      });
      if (!reset) return;
      resumed = 'restart';
    } else if (stretch.attempt > 0) resumed = 'restart';
    const controller = new AbortController();
    // pg-boss no longer counts this replica as the holder (it failed the job over): stop, record nothing the fence refuses.
    const lost = () => controller.abort({ kind: 'shutdown' } satisfies StopReason);
    stretch.signal.addEventListener('abort', lost, { once: true });
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const entry: LocalRun = { controller, done, finished };
    this.local.set(runId, entry);
    try {
      const outcome = await this.execute(runId, resumed, controller);
      if (outcome === 'interrupted' && !stretch.signal.aborted) await this.options.queue!.enqueue(runId, run.owner, 'restart');
      // Its key's slots were taken on other replicas meanwhile: try again shortly, as a new job.
      if (outcome === 'deferred') await this.options.queue!.enqueue(runId, run.owner, resumed, { delaySeconds: DEFER_SECONDS });
    } catch (error) {
      if (!stretch.lastAttempt) throw error;
      await this.giveUp(runId, describeError(error), stretch.attempt + 1);
    } finally {
      stretch.signal.removeEventListener('abort', lost);
      if (this.local.get(runId) === entry) this.local.delete(runId);
      finished();
    }
  }

  /** A run whose stretch used up its attempts fails with the reason, and its thread is settled. */
  private async giveUp(runId: string, reason: string, attempts: number): Promise<void> {
    const failure = {
      code: 'run_failed',
      message: `the run was stopped ${attempts} time(s) and is not retried again (last: ${reason}); send the request again`,
    };
    const failed = await this.options.store.update(runId, {
      from: ['queued', 'running', 'interrupted'],
      set: { status: 'failed', error: failure, pending: [], replicaId: null, finishedAt: new Date().toISOString() },
      events: [{ type: 'error', data: { ...failure } }],
    });
    if (!failed) return;
    this.options.bus.publish(runId, failed.events);
    try {
      const { orchestrator, release } = this.options.orchestrators.acquire(failed.run.model, failed.run.servers);
      await settleThread(orchestrator.graph, failed.run.threadId, 'it failed').finally(release);
    } catch {
      // The failure stands: the thread's next run settles what this one left open.
    }
  }

  private assertOpen(): void {
    if (this.draining) throw new RunUnavailableError('the service is shutting down; try another replica or again shortly', 5);
  }

  private reserve(owner: string): Ticket {
    const ticket = this.limiter.reserve(owner);
    if (ticket) return ticket;
    const retry = this.retryAfterSeconds(owner);
    throw new RunLimitedError(
      `too many runs for this API key: ${this.limiter.concurrency} running and ${this.limiter.queue} queued at most; retry in ${retry} s`,
      retry,
    );
  }

  private schedule(id: string, ticket: Ticket, resumed: Resumption): void {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const entry: LocalRun = { controller, ticket, done, finished };
    this.local.set(id, entry);
    ticket.start(async () => {
      try {
        await this.execute(id, resumed, controller);
      } catch (error) {
        this.options.onWarning?.(`run ${id} could not be recorded: ${describeError(error)}`);
      } finally {
        // A decision may already have queued the run's next stretch under the same id.
        if (this.local.get(id) === entry) this.local.delete(id);
        finished();
      }
    });
  }

  /** Executes a stretch in its own trace, counting its time; throws when the store fails. */
  private async execute(id: string, resumed: Resumption, controller: AbortController): Promise<SegmentOutcome> {
    const started = performance.now();
    let outcome: SegmentOutcome = 'failed';
    try {
      // One trace per stretch of a run: its store calls, the orchestrator's run, model and tool calls.
      const attributes = { 'switchboard.run.id': id, 'switchboard.run.resumed': resumed ?? 'no' };
      outcome = await inSpan('switchboard.run', { attributes }, () => executeSegment(this.segment, id, resumed, controller));
      return outcome;
    } finally {
      const ms = performance.now() - started;
      if (outcome !== 'skipped' && outcome !== 'deferred') this.averageRunMs = this.averageRunMs * 0.8 + ms * 0.2;
      this.options.onSegmentEnd?.(outcome, ms / 1000);
    }
  }

  /** Stops a run of this replica: a queued one never starts, a running one is aborted. */
  private stopLocal(id: string, reason: StopReason): void {
    const local = this.local.get(id);
    if (!local) return;
    if (local.ticket?.cancel()) {
      if (this.local.get(id) === local) this.local.delete(id);
      const status = reason.kind === 'shutdown' ? 'interrupted' : 'cancelled';
      const events = status === 'cancelled' ? [{ type: 'cancelled', data: { reason: 'cancelled on request' } }] : [];
      void this.options.store
        .update(id, {
          from: ['queued'],
          set: { status, replicaId: null, ...(status === 'cancelled' ? { finishedAt: new Date().toISOString() } : {}) },
          events,
        })
        .then((result) => result && this.options.bus.publish(id, result.events))
        .catch((error: unknown) => this.options.onWarning?.(`run ${id} could not be cancelled: ${describeError(error)}`))
        .finally(local.finished);
      return;
    }
    local.controller.abort(reason);
  }

  private async tick(): Promise<void> {
    // A beat slower than the interval (a loaded database) must not overlap the next one.
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const id of await this.options.store.heartbeat(this.replicaId, [...this.local.keys()])) this.stopLocal(id, { kind: 'cancel' });
      // Every beat: the claim is one indexed query, and checking seldom would add up to a threshold to each takeover.
      // With a queue, pg-boss and the liveness locks do the takeover.
      if (!this.options.queue) await this.recover();
      const retentionMs = this.options.retentionMs ?? DEFAULT_RETENTION_MS;
      if (Date.now() - this.lastSweep >= Math.min(SWEEP_EVERY_MS, retentionMs / 10)) await this.sweep();
    } catch (error) {
      this.options.onWarning?.(`heartbeat failed: ${describeError(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Deletes finished runs (and their events) older than the retention period; returns how many. */
  async sweep(): Promise<number> {
    this.lastSweep = Date.now();
    const before = new Date(Date.now() - (this.options.retentionMs ?? DEFAULT_RETENTION_MS)).toISOString();
    let deleted = 0;
    for (let batch = await this.options.store.deleteFinished(before); batch > 0; batch = await this.options.store.deleteFinished(before)) {
      deleted += batch;
    }
    return deleted;
  }

  private async recover(): Promise<number> {
    if (this.draining) return 0;
    const claimed = await this.options.store.claimOrphans(this.replicaId, this.options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
    for (const run of claimed) this.schedule(run.id, this.limiter.reserve(run.owner, { force: true })!, 'restart');
    return claimed.length;
  }
}
