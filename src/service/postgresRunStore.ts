import { createPostgresStore, migratePostgres, type Migration, type SqlClient } from '../store/index.ts';
import { createPgListener, type PgListener } from './pgListener.ts';
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
  type StoreNotice,
  type UpdateOptions,
} from './runStore.ts';
import { withStorableText } from './storableText.ts';

/** The channel replicas `LISTEN` on; payloads name the schema, so schemas sharing a database stay apart. */
export const NOTIFY_CHANNEL = 'switchboard_runs';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, events, threads',
    sql: `
      CREATE TABLE ${THREADS_TABLE} (id text PRIMARY KEY, owner text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE ${RUNS_TABLE} (
        id text PRIMARY KEY, thread_id text NOT NULL REFERENCES ${THREADS_TABLE}(id), owner text NOT NULL, status text NOT NULL,
        request text NOT NULL, model text NOT NULL, servers jsonb NOT NULL, approvals text NOT NULL, segment jsonb NOT NULL,
        base_checkpoint text, answer text, tool_calls jsonb NOT NULL DEFAULT '[]', warnings jsonb NOT NULL DEFAULT '[]',
        pending jsonb NOT NULL DEFAULT '[]', error jsonb, replica_id text, heartbeat_at timestamptz,
        cancel_requested boolean NOT NULL DEFAULT false, run_ms bigint NOT NULL DEFAULT 0, last_seq integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz);
      CREATE INDEX ${RUNS_TABLE}_thread ON ${RUNS_TABLE} (thread_id, created_at);
      CREATE INDEX ${RUNS_TABLE}_owner ON ${RUNS_TABLE} (owner, created_at);
      CREATE INDEX ${RUNS_TABLE}_status ON ${RUNS_TABLE} (status, heartbeat_at);
      CREATE TABLE ${EVENTS_TABLE} (
        run_id text NOT NULL REFERENCES ${RUNS_TABLE}(id) ON DELETE CASCADE, seq integer NOT NULL, type text NOT NULL,
        data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run_id, seq));`,
  },
];

export interface PostgresRunStoreOptions {
  /** A `postgres://` URL (`DATABASE_URL`). */
  readonly connectionString: string;
  /** Schema of the tables, created when missing; default: the server's `search_path`. */
  readonly schema?: string;
  /** Pool size; default: `DEFAULT_POOL_SIZE` of src/store. */
  readonly max?: number;
  /** Told when the notification connection breaks (it reconnects); default: ignored. */
  readonly onWarning?: (message: string) => void;
}

type Row = Record<string, unknown>;

/**
 * The run store on PostgreSQL, shared by every replica: writes lock the run row (`FOR UPDATE`),
 * so event seqs are gapless and status changes are compare-and-set; appends and cancel
 * requests are announced with `NOTIFY`, so other replicas tail events live. Applies its
 * migrations (fails fast with an `UpstreamError` when the server cannot be reached).
 */
export async function openPostgresRunStore(options: PostgresRunStoreOptions): Promise<RunStore> {
  const store = createPostgresStore({
    connectionString: options.connectionString,
    schema: options.schema,
    max: options.max,
    applicationName: 'switchboard-service',
  });
  try {
    await migratePostgres(store, 'service', MIGRATIONS);
  } catch (error) {
    await store.close();
    throw error;
  }
  const schemaTag = options.schema ?? '';
  const listeners = new Set<(notice: StoreNotice) => void>();
  let listener: PgListener | undefined;
  const onPayload = (payload: string) => {
    let notice: { s?: string; r?: string; k?: string };
    try {
      notice = JSON.parse(payload) as typeof notice;
    } catch {
      return;
    }
    if (notice.s !== schemaTag || typeof notice.r !== 'string' || (notice.k !== 'event' && notice.k !== 'cancel')) return;
    for (const listen of listeners) listen({ runId: notice.r, kind: notice.k });
  };
  const notify = (client: SqlClient, runId: string, kind: StoreNotice['kind']) =>
    client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, JSON.stringify({ s: schemaTag, r: runId, k: kind })]);

  const countActiveOf = async (client: SqlClient, owner: string) => {
    const result = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${RUNS_TABLE} WHERE owner = $1 AND status IN ('queued', 'running')`,
      [owner],
    );
    return result.rows[0]?.n ?? 0;
  };

  const appendLocked = async (client: SqlClient, runId: string, events: readonly NewEvent[]) => {
    if (events.length === 0) return [];
    const bumped = await client.query<{ last_seq: number }>(
      `UPDATE ${RUNS_TABLE} SET last_seq = last_seq + $2, updated_at = now() WHERE id = $1 RETURNING last_seq`,
      [runId, events.length],
    );
    const row = bumped.rows[0];
    if (!row) throw new Error(`run ${runId} does not exist`);
    const first = row.last_seq - events.length + 1;
    const inserted = await client.query(
      `INSERT INTO ${EVENTS_TABLE} (run_id, seq, type, data)
       SELECT $1, $2::int + e.ord - 1, e.type, e.data FROM unnest($3::text[], $4::jsonb[]) WITH ORDINALITY AS e(type, data, ord)
       RETURNING *`,
      [runId, first, events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
    );
    await notify(client, runId, 'event');
    return inserted.rows.map(eventFromRow).sort((a, b) => a.seq - b.seq);
  };

  return withStorableText({
    kind: 'postgres',
    location: `${store.target}${options.schema ? ` (schema ${options.schema})` : ''}`,
    async createRun(run: NewRun): Promise<CreateRunOutcome> {
      return store.transaction(async (client) => {
        await client.query(`INSERT INTO ${THREADS_TABLE} (id, owner) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [
          run.threadId,
          run.owner,
        ]);
        // The lock serialises runs starting on one thread, on any replica.
        const thread = await client.query<{ owner: string }>(`SELECT owner FROM ${THREADS_TABLE} WHERE id = $1 FOR UPDATE`, [run.threadId]);
        if (thread.rows[0]?.owner !== run.owner) return { ok: false, reason: 'thread_foreign' } as const;
        if (run.maxActivePerOwner !== undefined) {
          // One lock per owner (and schema) serialises admissions on every replica, so the cap is never overshot.
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`switchboard-owner:${schemaTag}:${run.owner}`]);
          if ((await countActiveOf(client, run.owner)) >= run.maxActivePerOwner) return { ok: false, reason: 'limited' } as const;
        }
        const active = await client.query<{ id: string }>(
          `SELECT id FROM ${RUNS_TABLE} WHERE thread_id = $1 AND status = ANY($2) LIMIT 1`,
          [run.threadId, ACTIVE_STATUSES],
        );
        if (active.rows[0]) return { ok: false, reason: 'thread_busy', activeRunId: active.rows[0].id } as const;
        await client.query(`UPDATE ${THREADS_TABLE} SET updated_at = now() WHERE id = $1`, [run.threadId]);
        const inserted = await client.query(
          `INSERT INTO ${RUNS_TABLE} (id, thread_id, owner, status, request, model, servers, approvals, segment, replica_id, heartbeat_at)
           VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9, now()) RETURNING *`,
          [
            run.id,
            run.threadId,
            run.owner,
            run.request,
            run.model,
            JSON.stringify(run.servers),
            run.approvals,
            JSON.stringify({ kind: 'request', text: run.request }),
            run.replicaId,
          ],
        );
        return { ok: true, run: runFromRow(inserted.rows[0] as Row) } as const;
      });
    },
    async getRun(id) {
      const result = await store.query(`SELECT * FROM ${RUNS_TABLE} WHERE id = $1`, [id]);
      return result.rows[0] ? runFromRow(result.rows[0]) : undefined;
    },
    async listRuns(owner, options = {}) {
      const result = await store.query(
        `SELECT * FROM ${RUNS_TABLE} WHERE owner = $1 AND ($2::text IS NULL OR thread_id = $2) ORDER BY created_at DESC, id LIMIT $3`,
        [owner, options.threadId ?? null, options.limit ?? 50],
      );
      return result.rows.map(runFromRow);
    },
    async getThread(id) {
      const result = await store.query(`SELECT * FROM ${THREADS_TABLE} WHERE id = $1`, [id]);
      return result.rows[0] ? threadFromRow(result.rows[0]) : undefined;
    },
    async update(id: string, options: UpdateOptions) {
      return store.transaction(async (client) => {
        const locked = await client.query<{ status: string; replica_id: string | null; owner: string }>(
          `SELECT status, replica_id, owner FROM ${RUNS_TABLE} WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const status = locked.rows[0]?.status;
        if (status === undefined) return undefined;
        if (options.from && !options.from.some((s) => s === status)) return undefined;
        if (options.heldBy !== undefined && locked.rows[0]?.replica_id !== options.heldBy) return undefined;
        if (options.maxRunningPerOwner !== undefined) {
          const owner = locked.rows[0]!.owner;
          // Taken last, after the row lock, by every caller: no cycle with another run's update.
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`switchboard-running:${schemaTag}:${owner}`]);
          const others = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${RUNS_TABLE} WHERE owner = $1 AND status = 'running' AND id <> $2`,
            [owner, id],
          );
          if ((others.rows[0]?.n ?? 0) >= options.maxRunningPerOwner) return undefined;
        }
        const columns = patchColumns(options.set ?? {}, 'boolean');
        if (columns.length > 0) {
          const alive = typeof options.set?.replicaId === 'string' ? ', heartbeat_at = now()' : '';
          const assignments = columns.map(([column], i) => `${column} = $${i + 2}`).join(', ');
          await client.query(`UPDATE ${RUNS_TABLE} SET ${assignments}${alive}, updated_at = now() WHERE id = $1`, [
            id,
            ...columns.map(([, value]) => value),
          ]);
          if (options.set?.cancelRequested === true) await notify(client, id, 'cancel');
        }
        const events = await appendLocked(client, id, options.events ?? []);
        const run = await client.query(`SELECT * FROM ${RUNS_TABLE} WHERE id = $1`, [id]);
        return { run: runFromRow(run.rows[0] as Row), events };
      });
    },
    async appendEvents(runId, events) {
      return store.transaction((client) => appendLocked(client, runId, events));
    },
    async eventsAfter(runId, after, limit = DEFAULT_EVENT_PAGE) {
      const result = await store.query(`SELECT * FROM ${EVENTS_TABLE} WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [
        runId,
        after,
        limit,
      ]);
      return result.rows.map(eventFromRow);
    },
    async eventsOfTypes(runId, types) {
      const result = await store.query(`SELECT * FROM ${EVENTS_TABLE} WHERE run_id = $1 AND type = ANY($2) ORDER BY seq`, [runId, types]);
      return result.rows.map(eventFromRow);
    },
    async countActive(owner) {
      const result = await store.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${RUNS_TABLE} WHERE owner = $1 AND status IN ('queued', 'running')`,
        [owner],
      );
      return result.rows[0]?.n ?? 0;
    },
    async heartbeat(replicaId, runIds) {
      if (runIds.length === 0) return [];
      const result = await store.query<{ id: string; cancel_requested: boolean }>(
        // Rows locked in id order: beats that overlap (a slow database) cannot deadlock each other.
        `WITH mine AS (
           SELECT id FROM ${RUNS_TABLE} WHERE id = ANY($2) AND replica_id = $1 AND status IN ('queued', 'running') ORDER BY id FOR UPDATE)
         UPDATE ${RUNS_TABLE} r SET heartbeat_at = now() FROM mine WHERE r.id = mine.id RETURNING r.id, r.cancel_requested`,
        [replicaId, runIds],
      );
      return result.rows.filter((row) => row.cancel_requested).map((row) => row.id);
    },
    async claimOrphans(replicaId, staleAfterMs, limit = 100) {
      const orphan = `(status = 'interrupted' OR (status IN ('queued', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $2::double precision / 1000))))`;
      const result = await store.query(
        `UPDATE ${RUNS_TABLE} SET status = 'queued', replica_id = $1, heartbeat_at = now(), updated_at = now()
         WHERE id IN (SELECT id FROM ${RUNS_TABLE} WHERE ${orphan} ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED) AND ${orphan}
         RETURNING *`,
        [replicaId, staleAfterMs, limit],
      );
      return result.rows.map(runFromRow);
    },
    async deleteFinished(before, limit = 1000) {
      // Events go with their run (ON DELETE CASCADE); SKIP LOCKED lets replicas sweep at once.
      const result = await store.query(
        `DELETE FROM ${RUNS_TABLE} WHERE id IN (
           SELECT id FROM ${RUNS_TABLE} WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < $1
           ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [before, limit],
      );
      return result.rowCount ?? 0;
    },
    watch(listen) {
      listeners.add(listen);
      listener ??= createPgListener({
        connectionString: options.connectionString,
        channel: NOTIFY_CHANNEL,
        onPayload,
        onError: (error) => options.onWarning?.(`run store notifications: ${error.message} (reconnecting)`),
      });
      return () => listeners.delete(listen);
    },
    async ping() {
      await store.query('SELECT 1');
    },
    async close() {
      listeners.clear();
      await listener?.close();
      await store.close();
    },
  });
}
