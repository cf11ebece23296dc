import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { TASKS } from '@langchain/langgraph-checkpoint';

/** A `checkpoints` row as stored: the checkpoint without its channel values, serialized by the serde. */
export interface CheckpointRow {
  readonly thread_id: string;
  readonly checkpoint_ns: string;
  readonly checkpoint_id: string;
  readonly parent_checkpoint_id: string | null;
  readonly type: string;
  readonly checkpoint: Uint8Array;
  readonly metadata: string;
  /** JSON object: channel name -> version key (text). */
  readonly channel_versions: string;
}

export interface BlobRow {
  readonly channel: string;
  readonly type: string;
  readonly value: Uint8Array;
}

export interface WriteRow {
  readonly task_id: string;
  readonly task_path: string;
  readonly idx: number;
  readonly channel: string;
  readonly type: string;
  readonly value: Uint8Array;
}

/** A checkpoint row with everything needed to rebuild its tuple, read in one snapshot. */
export interface StoredCheckpoint {
  readonly row: CheckpointRow;
  readonly blobs: readonly BlobRow[];
  readonly writes: readonly WriteRow[];
  /** `TASKS` writes of the parent, used only to migrate checkpoints older than format v4. */
  readonly parentSends: readonly WriteRow[];
}

export interface BlobInsert {
  readonly channel: string;
  readonly version: string;
  readonly type: string;
  readonly value: Uint8Array;
}

export interface CheckpointInsert {
  readonly threadId: string;
  readonly checkpointNs: string;
  readonly checkpointId: string;
  readonly parentCheckpointId: string | undefined;
  readonly type: string;
  readonly checkpoint: Uint8Array;
  readonly metadata: string;
  readonly channelVersions: string;
  readonly blobs: readonly BlobInsert[];
}

export interface WriteInsert {
  readonly taskId: string;
  readonly taskPath: string;
  readonly idx: number;
  readonly channel: string;
  readonly type: string;
  readonly value: Uint8Array;
}

/** The columns `list()` and `getTuple()` select; `c` is the `checkpoints` alias. */
export const CHECKPOINT_COLUMNS =
  'c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.type, c.checkpoint, c.metadata, c.channel_versions';

/**
 * The prepared statements of one connection. Every function is synchronous; callers group them in
 * a transaction (`withTransaction`) so multi-row writes are atomic and reads see one snapshot.
 */
export function prepareCheckpointStatements(db: DatabaseSync) {
  const selectOne = db.prepare(
    `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints AS c
     WHERE c.thread_id = ? AND c.checkpoint_ns = ? AND c.checkpoint_id = ?`,
  );
  const selectLatest = db.prepare(
    `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints AS c
     WHERE c.thread_id = ? AND c.checkpoint_ns = ? ORDER BY c.checkpoint_id DESC LIMIT 1`,
  );
  const selectAny = db.prepare('SELECT 1 AS found FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? LIMIT 1');
  const selectBlobs = db.prepare(
    `SELECT b.channel, b.type, b.value FROM json_each(?) AS v
     JOIN checkpoint_blobs AS b
       ON b.thread_id = ? AND b.checkpoint_ns = ? AND b.channel = v.key AND b.version = v.value`,
  );
  const selectWrites = db.prepare(
    `SELECT task_id, task_path, idx, channel, type, value FROM writes
     WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?`,
  );
  const selectSends = db.prepare(
    `SELECT task_id, task_path, idx, channel, type, value FROM writes
     WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? AND channel = ?`,
  );
  const upsertCheckpoint = db.prepare(
    `INSERT INTO checkpoints
       (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata, channel_versions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
       type = excluded.type, checkpoint = excluded.checkpoint, metadata = excluded.metadata,
       channel_versions = excluded.channel_versions`,
  );
  // A (channel, version) pair names one value, so an existing blob is never rewritten.
  const insertBlob = db.prepare(
    `INSERT OR IGNORE INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const writeColumns = '(thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)';
  const insertWrite = db.prepare(`INSERT OR IGNORE INTO writes ${writeColumns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const replaceWrite = db.prepare(`INSERT OR REPLACE INTO writes ${writeColumns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const deletes = ['checkpoints', 'checkpoint_blobs', 'writes'].map((table) => db.prepare(`DELETE FROM ${table} WHERE thread_id = ?`));

  const hydrate = (row: CheckpointRow): StoredCheckpoint => ({
    row,
    blobs: selectBlobs.all(row.channel_versions, row.thread_id, row.checkpoint_ns) as unknown as BlobRow[],
    writes: selectWrites.all(row.thread_id, row.checkpoint_ns, row.checkpoint_id) as unknown as WriteRow[],
    parentSends:
      row.parent_checkpoint_id === null
        ? []
        : (selectSends.all(row.thread_id, row.checkpoint_ns, row.parent_checkpoint_id, TASKS) as unknown as WriteRow[]),
  });

  return {
    /** One checkpoint, or the newest of the thread and namespace when `checkpointId` is undefined. */
    get(threadId: string, checkpointNs: string, checkpointId: string | undefined): StoredCheckpoint | undefined {
      const row = (
        checkpointId === undefined ? selectLatest.get(threadId, checkpointNs) : selectOne.get(threadId, checkpointNs, checkpointId)
      ) as CheckpointRow | undefined;
      return row === undefined ? undefined : hydrate(row);
    },

    /** Whether the thread and namespace have a checkpoint. */
    hasCheckpoint(threadId: string, checkpointNs: string): boolean {
      return selectAny.get(threadId, checkpointNs) !== undefined;
    },

    /** Runs a `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints AS c ...` query and hydrates every row. */
    query(sql: string, params: readonly SQLInputValue[]): StoredCheckpoint[] {
      return (db.prepare(sql).all(...params) as unknown as CheckpointRow[]).map(hydrate);
    },

    putCheckpoint(insert: CheckpointInsert): void {
      for (const blob of insert.blobs) {
        insertBlob.run(insert.threadId, insert.checkpointNs, blob.channel, blob.version, blob.type, blob.value);
      }
      upsertCheckpoint.run(
        insert.threadId,
        insert.checkpointNs,
        insert.checkpointId,
        insert.parentCheckpointId ?? null,
        insert.type,
        insert.checkpoint,
        insert.metadata,
        insert.channelVersions,
      );
    },

    /** `replace` overwrites writes already stored under the same (task, idx); otherwise the first one wins. */
    putWrites(threadId: string, checkpointNs: string, checkpointId: string, writes: readonly WriteInsert[], replace: boolean): void {
      const statement = replace ? replaceWrite : insertWrite;
      for (const write of writes) {
        statement.run(
          threadId,
          checkpointNs,
          checkpointId,
          write.taskId,
          write.idx,
          write.channel,
          write.type,
          write.value,
          write.taskPath,
        );
      }
    },

    deleteThread(threadId: string): void {
      for (const statement of deletes) statement.run(threadId);
    },
  };
}

export type CheckpointStatements = ReturnType<typeof prepareCheckpointStatements>;
