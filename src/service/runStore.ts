import type { ApprovalRequest, ApprovalResume } from '../agent/index.ts';

/**
 * Where a run is: `queued` (accepted, waiting for a slot), `running`, `waiting_approval` (paused
 * until someone decides on its pending calls), `interrupted` (stopped by a shutdown; a replica
 * resumes it from its checkpoint), or final: `completed`, `failed`, `cancelled`.
 */
export type RunStatus = 'queued' | 'running' | 'waiting_approval' | 'interrupted' | 'completed' | 'failed' | 'cancelled';

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'waiting_approval',
  'interrupted',
  'completed',
  'failed',
  'cancelled',
];
/** A run in one of these still owns its thread: no other run may start on it. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting_approval', 'interrupted'];
export const FINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

/** Event types after which a run's event stream ends (`approval_needed` only while the run still waits). */
export const FINAL_EVENT_TYPES: readonly string[] = ['answer', 'error', 'cancelled'];

/** What a stretch of a run feeds the graph: the request, or the decisions that resume a paused run. */
export type SegmentInput =
  { readonly kind: 'request'; readonly text: string } | { readonly kind: 'resume'; readonly decisions: ApprovalResume };

/** How a run treats calls that need approval: pause for a decision, or refuse them (callers that cannot decide). */
export type ApprovalMode = 'pause' | 'refuse';

export interface RunError {
  /** `timeout`, `run_failed`, ... */
  readonly code: string;
  readonly message: string;
}

/** One tool call of a run, as `tool_end` events report it. */
export interface ToolCallSummary {
  readonly id: string;
  readonly name: string;
  readonly server: string | null;
  readonly args: Record<string, unknown>;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly result: unknown;
}

export interface RunRecord {
  readonly id: string;
  readonly threadId: string;
  /** The API key's name (`key-<hash>`) or `anonymous`; only it sees the run. */
  readonly owner: string;
  readonly status: RunStatus;
  readonly request: string;
  /** The model spec the run uses (`offline`, `openai:gpt-4o-mini`, ...). */
  readonly model: string;
  /** Names of the MCP servers the run may use. */
  readonly servers: readonly string[];
  readonly approvals: ApprovalMode;
  /** What the current (or last) stretch of the run was given. */
  readonly segment: SegmentInput;
  /** The thread's checkpoint when that stretch started: unchanged means it never got going. */
  readonly baseCheckpoint: string | null;
  readonly answer: string | null;
  readonly toolCalls: readonly ToolCallSummary[];
  readonly warnings: readonly string[];
  readonly pending: readonly ApprovalRequest[];
  readonly error: RunError | null;
  /** The replica executing (or queueing) the run; null when nobody is. */
  readonly replicaId: string | null;
  readonly heartbeatAt: string | null;
  readonly cancelRequested: boolean;
  /** Time spent running so far (pauses excluded), against the per-run time limit. */
  readonly runMs: number;
  /** The seq of the run's newest event (0: none yet). */
  readonly lastSeq: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

export interface NewRun {
  readonly id: string;
  readonly threadId: string;
  readonly owner: string;
  readonly request: string;
  readonly model: string;
  readonly servers: readonly string[];
  readonly approvals: ApprovalMode;
  readonly replicaId: string;
  /**
   * Refuse the run (`limited`) when its owner already has this many runs queued or running, counted
   * across every replica under a lock per owner (PostgreSQL; SQLite limits in-process instead).
   */
  readonly maxActivePerOwner?: number;
}

/** Fields an update may set. */
export type RunPatch = Partial<
  Pick<
    RunRecord,
    | 'status'
    | 'segment'
    | 'baseCheckpoint'
    | 'answer'
    | 'toolCalls'
    | 'warnings'
    | 'pending'
    | 'error'
    | 'replicaId'
    | 'cancelRequested'
    | 'runMs'
    | 'finishedAt'
  >
>;

export interface NewEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** An event as stored: `seq` counts from 1 per run, without gaps, in the order appended. */
export interface StoredEvent {
  readonly runId: string;
  readonly seq: number;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

export interface ThreadRecord {
  readonly id: string;
  readonly owner: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type CreateRunOutcome =
  | { readonly ok: true; readonly run: RunRecord }
  | { readonly ok: false; readonly reason: 'thread_foreign' | 'thread_busy' | 'limited'; readonly activeRunId?: string };

export interface UpdateOptions {
  readonly set?: RunPatch;
  /** Apply only while the run is in one of these statuses (a compare-and-set). */
  readonly from?: readonly RunStatus[];
  /** Apply only while this replica holds the run (`replicaId`): a stretch taken over elsewhere records nothing. */
  readonly heldBy?: string;
  /**
   * Apply only while the run's owner has fewer than this many other runs `running`, counted under a lock per
   * owner: with runs dispatched by a queue, a key's concurrency then holds exactly over every replica.
   */
  readonly maxRunningPerOwner?: number;
  /** Appended in the same transaction, after the patch. */
  readonly events?: readonly NewEvent[];
}

/** Something another process did that this one may care about (PostgreSQL only). */
export interface StoreNotice {
  readonly runId: string;
  readonly kind: 'event' | 'cancel';
}

/**
 * Runs, their events and threads, shared by every replica that uses the same database.
 * Writes that belong together (a status change and its event) are one transaction; event
 * sequence numbers are assigned atomically and never reused.
 */
export interface RunStore {
  readonly kind: 'sqlite' | 'postgres';
  /** A file path or `host:port/db (schema)`; never a password. */
  readonly location: string;
  /**
   * Records a new `queued` run, creating its thread for `owner` when new. Refuses a thread
   * another owner started (`thread_foreign`) or one with an active run (`thread_busy`).
   */
  createRun(run: NewRun): Promise<CreateRunOutcome>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** The owner's runs, newest first, optionally of one thread. */
  listRuns(owner: string, options?: { threadId?: string; limit?: number }): Promise<RunRecord[]>;
  getThread(id: string): Promise<ThreadRecord | undefined>;
  /**
   * Applies a patch and appends events atomically; undefined when the run is missing or `from`
   * did not match. Setting `replicaId` to a replica also marks the run alive (its heartbeat).
   */
  update(id: string, options: UpdateOptions): Promise<{ run: RunRecord; events: StoredEvent[] } | undefined>;
  appendEvents(runId: string, events: readonly NewEvent[]): Promise<StoredEvent[]>;
  /** Events with seq > `after`, oldest first, at most `limit` (default 1,000). */
  eventsAfter(runId: string, after: number, limit?: number): Promise<StoredEvent[]>;
  eventsOfTypes(runId: string, types: readonly string[]): Promise<StoredEvent[]>;
  /** How many of the owner's runs are queued or running, on any replica. */
  countActive(owner: string): Promise<number>;
  /**
   * Marks `runIds` (the queued and running runs this replica holds) alive; returns those someone
   * asked to cancel. Runs it no longer holds (a stretch that could not record its end) go stale
   * and are taken over.
   */
  heartbeat(replicaId: string, runIds: readonly string[]): Promise<string[]>;
  /**
   * Takes over runs nobody is executing: `interrupted` ones, and `queued`/`running` ones whose
   * heartbeat is older than `staleAfterMs` (by the database's clock where it has one). They come
   * back `queued` and owned by `replicaId`; each is taken by one replica only.
   */
  claimOrphans(replicaId: string, staleAfterMs: number, limit?: number): Promise<RunRecord[]>;
  /**
   * Retention: deletes up to `limit` (default 1000) finished runs (completed, failed, cancelled)
   * that finished before `before` (ISO time), with their events; returns how many. Threads and
   * their checkpoints stay, so a conversation can go on.
   */
  deleteFinished(before: string, limit?: number): Promise<number>;
  /** Tells other processes about writes they may be tailing; a no-op where none can listen. */
  watch(listener: (notice: StoreNotice) => void): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}
