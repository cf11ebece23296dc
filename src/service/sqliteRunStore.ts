import { join } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { createGroupCommit, migrateSqlite, openSqlite, withTransaction, type Migration } from '../store/index.ts';
import {
  DEFAULT_EVENT_PAGE,
  EVENTS_TABLE,
  RUNS_TABLE,
  THREADS_TABLE,
  eventFromRow,
  patchColumns,
  runFromRow,
  threadFromRow,
} from './runRows.ts';
import {
  ACTIVE_STATUSES,
  type CreateRunOutcome,
  type NewEvent,
  type NewRun,
  type RunStore,
  type StoredEvent,
  type UpdateOptions,
} from './runStore.ts';
import { withStorableText } from './storableText.ts';

/** The file, inside the data folder, that holds runs, events and thread owners when no database URL is set. */
export const SERVICE_SQLITE_FILE = 'service.sqlite';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, events, threads',
    sql: `
      CREATE TABLE ${THREADS_TABLE} (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE ${RUNS_TABLE} (
        id TEXT PRIMARY KEY, thread_id TEXT NOT NULL REFERENCES ${THREADS_TABLE}(id), owner TEXT NOT NULL, status TEXT NOT NULL,
        request TEXT NOT NULL, model TEXT NOT NULL, servers TEXT NOT NULL, approvals TEXT NOT NULL, segment TEXT NOT NULL,
        base_checkpoint TEXT, answer TEXT, tool_calls TEXT NOT NULL DEFAULT '[]', warnings TEXT NOT NULL DEFAULT '[]',
        pending TEXT NOT NULL DEFAULT '[]', error TEXT, replica_id TEXT, heartbeat_at TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0, run_ms INTEGER NOT NULL DEFAULT 0, last_seq INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, finished_at TEXT);
      CREATE INDEX ${RUNS_TABLE}_thread ON ${RUNS_TABLE} (thread_id, created_at);
      CREATE INDEX ${RUNS_TABLE}_owner ON ${RUNS_TABLE} (owner, created_at);
      CREATE INDEX ${RUNS_TABLE}_status ON ${RUNS_TABLE} (status, heartbeat_at);
      CREATE TABLE ${EVENTS_TABLE} (
        run_id TEXT NOT NULL REFERENCES ${RUNS_TABLE}(id) ON DELETE CASCADE, seq INTEGER NOT NULL, type TEXT NOT NULL,
        data TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;`,
  },
];

export interface SqliteRunStoreOptions {
  /** The database file, e.g. `<SWITCHBOARD_DATA_DIR>/service.sqlite`; `:memory:` for a private one. */
  readonly path: string;
}

/** `<dataDir>/service.sqlite`. */
export function sqliteRunStorePath(dataDir: string): string {
  return join(dataDir, SERVICE_SQLITE_FILE);
}

type Row = Record<string, unknown>;
/** Statements {@link createStore} keeps compiled beyond its fixed ones. */
const MAX_PREPARED = 64;
const ACTIVE_LIST = ACTIVE_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * The run store on one SQLite file (WAL; every write a `BEGIN IMMEDIATE` transaction), so
 * processes on one machine may share it. It cannot notify other processes: they notice new
 * events and cancel requests by polling.
 */
export async function openSqliteRunStore(options: SqliteRunStoreOptions): Promise<RunStore> {
  const db = openSqlite(options.path);
  try {
    migrateSqlite(db, 'service', MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return createStore(db, options.path);
}

function createStore(db: DatabaseSync, location: string): RunStore {
  const now = () => new Date().toISOString();
  // The writes of a run's hot path (its creation, events, status changes) commit in groups, with
  // concurrent runs' writes of the same turn; reads commit what is queued first, so they see it.
  const group = createGroupCommit(db);
  const { flush } = group;
  // Statements whose text depends on the call (the columns an update sets, the types asked for):
  // compiled once per text, not per call. The texts are few; the cap only guards against surprises.
  const compiled = new Map<string, StatementSync>();
  const prepared = (sql: string): StatementSync => {
    let statement = compiled.get(sql);
    if (!statement) {
      if (compiled.size >= MAX_PREPARED) compiled.clear();
      compiled.set(sql, (statement = db.prepare(sql)));
    }
    return statement;
  };
  const s = {
    run: db.prepare(`SELECT * FROM ${RUNS_TABLE} WHERE id = ?`),
    lastSeq: db.prepare(`SELECT last_seq FROM ${RUNS_TABLE} WHERE id = ?`),
    thread: db.prepare(`SELECT * FROM ${THREADS_TABLE} WHERE id = ?`),
    insertThread: db.prepare(`INSERT INTO ${THREADS_TABLE} (id, owner, created_at, updated_at) VALUES (?, ?, ?, ?)`),
    touchThread: db.prepare(`UPDATE ${THREADS_TABLE} SET updated_at = ? WHERE id = ?`),
    activeOnThread: db.prepare(`SELECT id FROM ${RUNS_TABLE} WHERE thread_id = ? AND status IN (${ACTIVE_LIST}) LIMIT 1`),
    insertRun: db.prepare(
      `INSERT INTO ${RUNS_TABLE} (id, thread_id, owner, status, request, model, servers, approvals, segment, replica_id, heartbeat_at, created_at, updated_at)
       VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEvent: db.prepare(`INSERT INTO ${EVENTS_TABLE} (run_id, seq, type, data, created_at) VALUES (?, ?, ?, ?, ?)`),
    setLastSeq: db.prepare(`UPDATE ${RUNS_TABLE} SET last_seq = ?, updated_at = ? WHERE id = ?`),
    eventsAfter: db.prepare(`SELECT * FROM ${EVENTS_TABLE} WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
    heartbeat: db.prepare(
      `UPDATE ${RUNS_TABLE} SET heartbeat_at = ? WHERE id = ? AND replica_id = ? AND status IN ('queued', 'running') RETURNING cancel_requested`,
    ),
    expired: db.prepare(
      `SELECT id FROM ${RUNS_TABLE} WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ? ORDER BY finished_at LIMIT ?`,
    ),
    deleteEvents: db.prepare(`DELETE FROM ${EVENTS_TABLE} WHERE run_id = ?`),
    deleteRun: db.prepare(`DELETE FROM ${RUNS_TABLE} WHERE id = ?`),
    claim: db.prepare(
      `UPDATE ${RUNS_TABLE} SET status = 'queued', replica_id = ?, heartbeat_at = ?, updated_at = ?
       WHERE id IN (SELECT id FROM ${RUNS_TABLE} WHERE status = 'interrupted' OR (status IN ('queued', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < ?))
                    ORDER BY created_at LIMIT ?)
       RETURNING *`,
    ),
  };

  const appendLocked = (runId: string, lastSeq: number, events: readonly NewEvent[]): StoredEvent[] => {
    const at = now();
    const stored = events.map((event, i) => {
      const seq = lastSeq + i + 1;
      s.insertEvent.run(runId, seq, event.type, JSON.stringify(event.data), at);
      return { runId, seq, type: event.type, data: event.data, createdAt: at };
    });
    if (stored.length > 0) s.setLastSeq.run(lastSeq + stored.length, at, runId);
    return stored;
  };

  return withStorableText({
    kind: 'sqlite',
    location,
    async createRun(run: NewRun): Promise<CreateRunOutcome> {
      return group.write(() => {
        const at = now();
        const thread = s.thread.get(run.threadId) as Row | undefined;
        if (thread && thread['owner'] !== run.owner) return { ok: false, reason: 'thread_foreign' } as const;
        if (!thread) s.insertThread.run(run.threadId, run.owner, at, at);
        const active = s.activeOnThread.get(run.threadId) as Row | undefined;
        if (active) return { ok: false, reason: 'thread_busy', activeRunId: String(active['id']) } as const;
        s.touchThread.run(at, run.threadId);
        const segment = JSON.stringify({ kind: 'request', text: run.request });
        s.insertRun.run(
          run.id,
          run.threadId,
          run.owner,
          run.request,
          run.model,
          JSON.stringify(run.servers),
          run.approvals,
          segment,
          run.replicaId,
          at,
          at,
          at,
        );
        return { ok: true, run: runFromRow(s.run.get(run.id) as Row) } as const;
      });
    },
    async getRun(id) {
      flush();
      const row = s.run.get(id) as Row | undefined;
      return row ? runFromRow(row) : undefined;
    },
    async listRuns(owner, options = {}) {
      flush();
      const where = options.threadId === undefined ? 'owner = ?' : 'owner = ? AND thread_id = ?';
      const params: SQLInputValue[] = options.threadId === undefined ? [owner] : [owner, options.threadId];
      const rows = prepared(`SELECT * FROM ${RUNS_TABLE} WHERE ${where} ORDER BY created_at DESC, id LIMIT ?`).all(
        ...params,
        options.limit ?? 50,
      ) as Row[];
      return rows.map(runFromRow);
    },
    async getThread(id) {
      flush();
      const row = s.thread.get(id) as Row | undefined;
      return row ? threadFromRow(row) : undefined;
    },
    async update(id: string, options: UpdateOptions) {
      return group.write(() => {
        const row = s.run.get(id) as Row | undefined;
        if (!row) return undefined;
        const current = runFromRow(row);
        if (options.from && !options.from.includes(current.status)) return undefined;
        if (options.heldBy !== undefined && current.replicaId !== options.heldBy) return undefined;
        if (options.maxRunningPerOwner !== undefined) {
          const others = prepared(`SELECT count(*) AS n FROM ${RUNS_TABLE} WHERE owner = ? AND status = 'running' AND id <> ?`).get(
            current.owner,
            id,
          ) as Row;
          if (Number(others['n']) >= options.maxRunningPerOwner) return undefined;
        }
        const columns = patchColumns(options.set ?? {}, 'integer');
        if (typeof options.set?.replicaId === 'string') columns.push(['heartbeat_at', now()]);
        if (columns.length > 0) {
          const assignments = columns.map(([column]) => `${column} = ?`).join(', ');
          prepared(`UPDATE ${RUNS_TABLE} SET ${assignments}, updated_at = ? WHERE id = ?`).run(
            ...(columns.map(([, value]) => value) as SQLInputValue[]),
            now(),
            id,
          );
        }
        const events = appendLocked(id, Number(row['last_seq']), options.events ?? []);
        return { run: runFromRow(s.run.get(id) as Row), events };
      });
    },
    async appendEvents(runId, events) {
      return group.write(() => {
        const row = s.lastSeq.get(runId) as Row | undefined;
        if (!row) throw new Error(`run ${runId} does not exist`);
        return appendLocked(runId, Number(row['last_seq']), events);
      });
    },
    async eventsAfter(runId, after, limit = DEFAULT_EVENT_PAGE) {
      flush();
      return (s.eventsAfter.all(runId, after, limit) as Row[]).map(eventFromRow);
    },
    async eventsOfTypes(runId, types) {
      if (types.length === 0) return [];
      flush();
      const rows = prepared(
        `SELECT * FROM ${EVENTS_TABLE} WHERE run_id = ? AND type IN (${types.map(() => '?').join(', ')}) ORDER BY seq`,
      ).all(runId, ...types) as Row[];
      return rows.map(eventFromRow);
    },
    async countActive(owner) {
      flush();
      const row = prepared(`SELECT count(*) AS n FROM ${RUNS_TABLE} WHERE owner = ? AND status IN ('queued', 'running')`).get(owner) as Row;
      return Number(row['n']);
    },
    async heartbeat(replicaId, runIds) {
      const at = now();
      flush();
      return withTransaction(db, () =>
        runIds.filter((id) => (s.heartbeat.get(at, id, replicaId) as Row | undefined)?.['cancel_requested'] === 1),
      );
    },
    async claimOrphans(replicaId, staleAfterMs, limit = 100) {
      const at = now();
      const staleBefore = new Date(Date.now() - staleAfterMs).toISOString();
      flush();
      return withTransaction(db, () => (s.claim.all(replicaId, at, at, staleBefore, limit) as Row[]).map(runFromRow));
    },
    async deleteFinished(before, limit = 1000) {
      flush();
      return withTransaction(db, () => {
        const ids = (s.expired.all(before, limit) as Row[]).map((row) => String(row.id));
        for (const id of ids) {
          s.deleteEvents.run(id);
          s.deleteRun.run(id);
        }
        return ids.length;
      });
    },
    watch: () => () => {},
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (!db.isOpen) return;
      const stopped = group.close();
      db.close();
      await stopped;
    },
  });
}
