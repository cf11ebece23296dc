import type { ApprovalMode, RunPatch, RunRecord, RunStatus, SegmentInput, StoredEvent, ThreadRecord } from './runStore.ts';

/** Table names, shared by the SQLite and PostgreSQL stores. */
export const RUNS_TABLE = 'service_runs';
export const EVENTS_TABLE = 'service_run_events';
export const THREADS_TABLE = 'service_threads';

/** Default cap of `eventsAfter`. */
export const DEFAULT_EVENT_PAGE = 1000;

type Row = Record<string, unknown>;

const JSON_FIELDS = new Set<keyof RunPatch>(['segment', 'toolCalls', 'warnings', 'pending', 'error']);

const COLUMN_OF: Record<keyof RunPatch, string> = {
  status: 'status',
  segment: 'segment',
  baseCheckpoint: 'base_checkpoint',
  answer: 'answer',
  toolCalls: 'tool_calls',
  warnings: 'warnings',
  pending: 'pending',
  error: 'error',
  replicaId: 'replica_id',
  cancelRequested: 'cancel_requested',
  runMs: 'run_ms',
  finishedAt: 'finished_at',
};

/** `[column, value]` pairs of a patch; JSON fields as text, booleans as the dialect wants them. */
export function patchColumns(patch: RunPatch, booleans: 'integer' | 'boolean'): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [field, value] of Object.entries(patch) as [keyof RunPatch, unknown][]) {
    if (value === undefined) continue;
    const column = COLUMN_OF[field];
    if (JSON_FIELDS.has(field)) out.push([column, value === null ? null : JSON.stringify(value)]);
    else if (typeof value === 'boolean') out.push([column, booleans === 'integer' ? (value ? 1 : 0) : value]);
    else out.push([column, value]);
  }
  return out;
}

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** SQLite hands JSON back as text, PostgreSQL as parsed values. */
function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function runFromRow(row: Row): RunRecord {
  return {
    id: String(row['id']),
    threadId: String(row['thread_id']),
    owner: String(row['owner']),
    status: row['status'] as RunStatus,
    request: String(row['request']),
    model: String(row['model']),
    servers: json<string[]>(row['servers'], []),
    approvals: row['approvals'] as ApprovalMode,
    segment: json<SegmentInput>(row['segment'], { kind: 'request', text: String(row['request']) }),
    baseCheckpoint: (row['base_checkpoint'] as string | null) ?? null,
    answer: (row['answer'] as string | null) ?? null,
    toolCalls: json(row['tool_calls'], []),
    warnings: json(row['warnings'], []),
    pending: json(row['pending'], []),
    error: json(row['error'], null),
    replicaId: (row['replica_id'] as string | null) ?? null,
    heartbeatAt: isoOrNull(row['heartbeat_at']),
    cancelRequested: row['cancel_requested'] === true || row['cancel_requested'] === 1,
    runMs: Number(row['run_ms'] ?? 0),
    lastSeq: Number(row['last_seq'] ?? 0),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
    finishedAt: isoOrNull(row['finished_at']),
  };
}

export function eventFromRow(row: Row): StoredEvent {
  return {
    runId: String(row['run_id']),
    seq: Number(row['seq']),
    type: String(row['type']),
    data: json<Record<string, unknown>>(row['data'], {}),
    createdAt: iso(row['created_at']),
  };
}

export function threadFromRow(row: Row): ThreadRecord {
  return { id: String(row['id']), owner: String(row['owner']), createdAt: iso(row['created_at']), updatedAt: iso(row['updated_at']) };
}
