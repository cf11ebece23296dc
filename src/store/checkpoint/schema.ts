import type { Migration } from '../migration.ts';

/** The component name under which the checkpoint tables are recorded in `schema_migrations`. */
export const CHECKPOINT_COMPONENT = 'checkpoint';

/**
 * Tables of the SQLite checkpointer.
 *
 * Channel values live apart from the checkpoint, one row per channel version (as in the official
 * Postgres saver): a checkpoint stores only the channels in its `newVersions`, and a reader joins
 * its `channel_versions` (kept as JSON beside the serialized checkpoint, version keys as text)
 * against `checkpoint_blobs`. Unchanged channels, such as a long message list, are not copied into
 * every checkpoint. `metadata` is JSON text so that `list()` can filter it in SQL.
 */
export const CHECKPOINT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'checkpoints, channel blobs and pending writes',
    sql: `
      CREATE TABLE checkpoints (
        thread_id TEXT NOT NULL,
        checkpoint_ns TEXT NOT NULL DEFAULT '',
        checkpoint_id TEXT NOT NULL,
        parent_checkpoint_id TEXT,
        type TEXT NOT NULL,
        checkpoint BLOB NOT NULL,
        metadata TEXT NOT NULL,
        channel_versions TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
      );
      CREATE TABLE checkpoint_blobs (
        thread_id TEXT NOT NULL,
        checkpoint_ns TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        version TEXT NOT NULL,
        type TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
      );
      CREATE TABLE writes (
        thread_id TEXT NOT NULL,
        checkpoint_ns TEXT NOT NULL DEFAULT '',
        checkpoint_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        channel TEXT NOT NULL,
        type TEXT NOT NULL,
        value BLOB NOT NULL,
        task_path TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
      );
    `,
  },
];
