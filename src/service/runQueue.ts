import pg from 'pg';
import { PgBoss, type JobWithMetadata } from 'pg-boss';
import { describeError } from '../errors.ts';
import type { Resumption } from './execute.ts';
import { RUNS_TABLE } from './runRows.ts';

/** The pg-boss queue of run stretches. */
export const RUN_QUEUE = 'switchboard-runs';
/** Where a stretch goes once its attempts are used up; its worker fails the run with a clear error. */
export const GAVE_UP_QUEUE = 'switchboard-runs-gave-up';
/** Attempts a stretch gets (the first and its retries after a crash or a store failure). Default 3. */
export const DEFAULT_RUN_ATTEMPTS = 3;
/** pg-boss refuses job heartbeats under 10 s; a shorter takeover setting is raised to this. */
export const MIN_JOB_HEARTBEAT_SECONDS = 10;
/** How often a replica looks for runs whose replica's database session is gone (a crash): 1 s. */
export const DEFAULT_LIVENESS_POLL_MS = 1000;
/** Stretches one replica runs at once, all keys together. Default 16. */
export const DEFAULT_STRETCHES_PER_REPLICA = 16;
/** How often an idle worker asks for a stretch; a send on this replica also wakes its own worker. */
export const DEFAULT_POLL_SECONDS = 0.5;
/** The advisory-lock namespace of replica liveness locks (`hashtext` of it is the first key). */
const LIVENESS_NAMESPACE = 'switchboard-replica';

/** A stretch of a run, as a job carries it. */
export interface StretchJob {
  readonly runId: string;
  readonly resumed: Resumption;
}

/** A stretch handed to this replica: run it, then return (or throw for a retry). */
export interface ClaimedStretch extends StretchJob {
  /** 0 for the first attempt; more after a crash or failure elsewhere. */
  readonly attempt: number;
  /** No retry follows this attempt. */
  readonly lastAttempt: boolean;
  /** Fires when pg-boss no longer counts this replica as the stretch's holder (taken over, or shut down). */
  readonly signal: AbortSignal;
}

export interface RunQueueHandlers {
  /** This replica's id (as the run store records it on the runs it executes). */
  readonly replicaId: string;
  /** Runs one owner (API key) may execute at once, counted over every replica. */
  readonly concurrencyPerKey: number;
  /** Runs one stretch; a throw fails the attempt (retried while attempts remain). */
  readonly run: (stretch: ClaimedStretch) => Promise<void>;
  /** A stretch used up its attempts: record the run's final error. */
  readonly gaveUp: (runId: string, reason: string, attempts: number) => Promise<void>;
}

export interface RunQueueOptions {
  /** The `postgres://` URL of the run store. */
  readonly connectionString: string;
  /** Schema of the run store's tables; default: the server's `search_path`. */
  readonly runsSchema?: string;
  /** pg-boss's own schema; default `<runsSchema>_boss`, or `pgboss`. */
  readonly schema?: string;
  /** Stretches this replica runs at once, all owners together. Default {@link DEFAULT_STRETCHES_PER_REPLICA}. */
  readonly localConcurrency?: number;
  /** Seconds a replica may go silent before its stretches are failed and retried elsewhere (at least 10). */
  readonly takeoverSeconds: number;
  /** Default {@link DEFAULT_RUN_ATTEMPTS}. */
  readonly attempts?: number;
  /** How long finished jobs are kept (matching the runs' retention). */
  readonly retentionSeconds: number;
  /** A stretch's longest running time; its job expires a minute after. */
  readonly runTimeoutMs: number;
  /** Default {@link DEFAULT_LIVENESS_POLL_MS}. */
  readonly livenessPollMs?: number;
  /** Default {@link DEFAULT_POLL_SECONDS}. */
  readonly pollSeconds?: number;
  readonly onWarning?: (message: string) => void;
}

/**
 * Run stretches on pg-boss in the run store's database. A stretch is a job on {@link RUN_QUEUE}
 * keyed by its run (`stately`: at most one queued and one active per run, so one replica runs a run
 * at a time), grouped by owner (`groupConcurrency`: a key's limit holds across replicas). A job's
 * heartbeat is the slow takeover (a replica that hangs or is cut off); the fast one is the
 * replica's liveness lock: every replica holds a session advisory lock, and a run marked running by
 * a replica whose lock is free (its process died and Postgres closed its session) has its job failed
 * at once, so a retry starts on a live replica within about a second.
 */
export class RunQueue {
  private readonly options: RunQueueOptions;
  private readonly boss: PgBoss;
  readonly bossSchema: string;
  private readonly runsTable: string;
  private readonly tag: string;
  private lock: pg.Client | undefined;
  private lockTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private workerId: string | undefined;
  private replicaId = '';
  private closed = false;

  constructor(options: RunQueueOptions) {
    this.options = options;
    this.bossSchema = options.schema ?? (options.runsSchema ? `${options.runsSchema}_boss` : 'pgboss');
    this.runsTable = options.runsSchema ? `"${options.runsSchema}".${RUNS_TABLE}` : RUNS_TABLE;
    this.tag = `${options.runsSchema ?? ''}:`;
    const heartbeat = this.heartbeatSeconds;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: this.bossSchema,
      application_name: 'switchboard-service-queue',
      // Fetches, heartbeats and settles are short statements: a few connections serve many stretches.
      max: 4,
      // The supervisor fails jobs whose heartbeat stopped; check often enough that the takeover threshold holds.
      superviseIntervalSeconds: Math.max(1, Math.floor(heartbeat / 4)),
      maintenanceIntervalSeconds: Math.max(1, Math.min(3600, Math.floor(options.retentionSeconds / 10))),
      monitorIntervalSeconds: 60,
      schedule: false,
      openTelemetry: { enabled: false },
    });
    this.boss.on('error', (error) => options.onWarning?.(`run queue: ${describeError(error)}`));
    this.boss.on('warning', (warning) => options.onWarning?.(`run queue: ${warning.message}`));
  }

  /** The job heartbeat: the takeover setting, raised to pg-boss's minimum. */
  get heartbeatSeconds(): number {
    return Math.max(MIN_JOB_HEARTBEAT_SECONDS, Math.ceil(this.options.takeoverSeconds));
  }

  private get attempts(): number {
    return Math.max(1, this.options.attempts ?? DEFAULT_RUN_ATTEMPTS);
  }

  /** Installs or migrates pg-boss's schema and creates the queues (idempotent across replicas). */
  async open(): Promise<void> {
    await this.boss.start();
    const retention = Math.max(1, Math.round(this.options.retentionSeconds));
    const expire = Math.min(24 * 3600, Math.ceil(this.options.runTimeoutMs / 1000) + 60);
    const common = { deleteAfterSeconds: retention, retentionSeconds: Math.max(retention, expire) };
    await this.ensureQueue(GAVE_UP_QUEUE, { ...common, policy: 'standard', retryLimit: 5, retryDelay: 1, retryBackoff: true });
    await this.ensureQueue(RUN_QUEUE, {
      ...common,
      policy: 'stately',
      retryLimit: this.attempts - 1,
      retryDelay: 1,
      expireInSeconds: expire,
      heartbeatSeconds: this.heartbeatSeconds,
      deadLetter: GAVE_UP_QUEUE,
    });
  }

  private async ensureQueue(name: string, options: Parameters<PgBoss['createQueue']>[1] & object): Promise<void> {
    const existing = await this.boss.getQueue(name);
    if (!existing) {
      try {
        await this.boss.createQueue(name, options);
        return;
      } catch (error) {
        // Another replica created it between the two calls: settle for updating it.
        if (!(await this.boss.getQueue(name))) throw error;
      }
    }
    const { policy: _policy, ...rest } = options as Record<string, unknown>;
    await this.boss.updateQueue(name, rest);
  }

  /** Starts this replica's workers and its liveness lock and watch. */
  async start(handlers: RunQueueHandlers): Promise<void> {
    this.replicaId = handlers.replicaId;
    await this.holdLivenessLock();
    this.workerId = await this.boss.work(
      RUN_QUEUE,
      {
        includeMetadata: true,
        localConcurrency: Math.max(1, this.options.localConcurrency ?? DEFAULT_STRETCHES_PER_REPLICA),
        groupConcurrency: Math.max(1, handlers.concurrencyPerKey),
        pollingIntervalSeconds: this.options.pollSeconds ?? DEFAULT_POLL_SECONDS,
      },
      async ([job]: JobWithMetadata<StretchJob>[]) => {
        if (!job) return;
        await handlers.run({
          runId: job.data.runId,
          resumed: job.data.resumed ?? null,
          attempt: job.retryCount,
          lastAttempt: job.retryCount >= job.retryLimit,
          signal: job.signal,
        });
      },
    );
    await this.boss.work(
      GAVE_UP_QUEUE,
      { includeMetadata: true, pollingIntervalSeconds: 1 },
      async ([job]: JobWithMetadata<StretchJob>[]) => {
        if (!job) return;
        await handlers.gaveUp(job.data.runId, reasonOf(job.sourceOutput), (job.sourceRetryCount ?? 0) + 1);
      },
    );
    const poll = this.options.livenessPollMs ?? DEFAULT_LIVENESS_POLL_MS;
    this.livenessTimer = setInterval(() => void this.failOrphans().catch((e: unknown) => this.warn('liveness check', e)), poll);
    this.livenessTimer.unref();
  }

  /** Queues a stretch of a run; false when one is already queued for it (it will run that one). */
  async enqueue(runId: string, owner: string, resumed: Resumption, options: { delaySeconds?: number } = {}): Promise<boolean> {
    const id = await this.boss.send(RUN_QUEUE, { runId, resumed } satisfies StretchJob, {
      singletonKey: runId,
      group: { id: owner },
      ...(options.delaySeconds ? { startAfter: options.delaySeconds } : {}),
    });
    if (id !== null && this.workerId) this.boss.notifyWorker(this.workerId);
    return id !== null;
  }

  /**
   * Gives every run that is queued, running or interrupted and has no job waiting or active a
   * stretch again (runs of a release before the queue, or a hand-back that could not be sent); returns how many.
   */
  async reconcile(): Promise<number> {
    const db = this.boss.getDb();
    const orphans = await db.executeSql(
      `SELECT r.id, r.owner FROM ${this.runsTable} r
       WHERE r.status IN ('queued', 'running', 'interrupted')
         AND NOT EXISTS (SELECT 1 FROM ${this.bossSchema}.job j WHERE j.name = $1 AND j.singleton_key = r.id AND j.state < 'completed')
       ORDER BY r.created_at LIMIT 1000`,
      [RUN_QUEUE],
    );
    let queued = 0;
    for (const row of orphans.rows as { id: string; owner: string }[]) if (await this.enqueue(row.id, row.owner, 'restart')) queued++;
    return queued;
  }

  /**
   * Fails the active jobs of runs whose replica has no live session (its liveness lock is free),
   * so their retries start elsewhere now rather than when their heartbeat runs out; returns how many.
   */
  async failOrphans(): Promise<number> {
    if (this.closed) return 0;
    const db = this.boss.getDb();
    const dead = await db.executeSql(
      `SELECT j.id, j.retry_count AS "retryCount", r.replica_id AS replica FROM ${this.bossSchema}.job j
       JOIN ${this.runsTable} r ON r.id = j.singleton_key
       WHERE j.name = $1 AND j.state = 'active' AND r.status = 'running' AND r.replica_id IS NOT NULL AND r.replica_id <> $4
         AND NOT EXISTS (
           SELECT 1 FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND l.classid = hashtext($2)::oid AND l.objid = hashtext($3 || r.replica_id)::oid)`,
      [RUN_QUEUE, LIVENESS_NAMESPACE, this.tag, this.replicaId],
    );
    const rows = dead.rows as { id: string; retryCount: number; replica: string }[];
    if (rows.length === 0) return 0;
    const replicas = [...new Set(rows.map((row) => row.replica))].join(', ');
    // Fenced to the attempt seen: a job another replica already failed and retried is left alone.
    await this.boss.fail(
      RUN_QUEUE,
      rows.map(({ id, retryCount }) => ({ id, retryCount })),
      { message: `replica ${replicas} stopped (its database session ended)` },
    );
    return rows.length;
  }

  /** The stretches of a run pg-boss holds, oldest first (for operators and tests). */
  async jobsOf(runId: string): Promise<{ state: string; retryCount: number; resumed: Resumption }[]> {
    const jobs = await this.boss.findJobs<StretchJob>(RUN_QUEUE, { key: runId });
    return (jobs as unknown as JobWithMetadata<StretchJob>[]).map((job) => ({
      state: job.state,
      retryCount: job.retryCount,
      resumed: job.data.resumed,
    }));
  }

  /** Runs pg-boss's maintenance now (expired jobs failed, old ones deleted), instead of on its timer. */
  async maintain(): Promise<void> {
    await this.boss.supervise(RUN_QUEUE);
  }

  /** Stops fetching stretches; stretches in hand run on. */
  async stopTaking(): Promise<void> {
    if (this.workerId) await this.boss.offWork(RUN_QUEUE, { wait: false });
  }

  /** Stops pg-boss (waiting up to `graceMs` for handlers) and releases the liveness lock. */
  async close(graceMs = 1000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.livenessTimer);
    clearTimeout(this.lockTimer);
    await this.boss.stop({ graceful: true, timeout: Math.max(1000, graceMs) }).catch((e: unknown) => this.warn('stop', e));
    const lock = this.lock;
    this.lock = undefined;
    if (lock) {
      lock.removeAllListeners();
      lock.on('error', () => {});
      await lock.end().catch(() => {});
    }
  }

  /** Holds this replica's liveness lock on a session of its own, re-taking it when the session breaks. */
  private async holdLivenessLock(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'switchboard-service-liveness' });
    const retry = (error: Error) => {
      this.warn('liveness lock (re-taking it)', error);
      client.removeAllListeners();
      client.on('error', () => {});
      void client.end().catch(() => {});
      if (this.lock === client) this.lock = undefined;
      if (!this.closed) this.lockTimer = setTimeout(() => void this.holdLivenessLock().catch(() => {}), 1000);
    };
    try {
      await client.connect();
      client.on('error', retry);
      await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [LIVENESS_NAMESPACE, this.tag + this.replicaId]);
      this.lock = client;
    } catch (error) {
      retry(error as Error);
      throw error;
    }
  }

  private warn(what: string, error: unknown): void {
    if (!this.closed) this.options.onWarning?.(`run queue ${what}: ${describeError(error)}`);
  }
}

/** The message of a failed job's output (pg-boss stores `{ message }` or a serialised error). */
function reasonOf(output: unknown): string {
  const value = (output as { value?: unknown } | null)?.value ?? output;
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : 'its attempts ran out';
}

/** A queue with its schema installed and its queues created; closed again when that fails. */
export async function openRunQueue(options: RunQueueOptions): Promise<RunQueue> {
  const queue = new RunQueue(options);
  try {
    await queue.open();
  } catch (error) {
    await queue.close(0);
    throw error;
  }
  return queue;
}
