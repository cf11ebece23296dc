import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';

/** The file, inside the data folder, that holds conversation threads when no database URL is set. */
export const THREADS_FILE_NAME = 'threads.sqlite';
/** The Postgres schema of the checkpoint tables unless `schema` says otherwise. */
export const DEFAULT_CHECKPOINT_SCHEMA = 'public';
/** How long opening a Postgres connection may take before failing. */
export const DEFAULT_CHECKPOINT_CONNECT_TIMEOUT_MS = 10_000;

/** Schema names the Postgres saver may use (they are interpolated into SQL). */
export const SCHEMA_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface CheckpointerOptions {
  /** A `postgres://` URL (`DATABASE_URL`); when absent or empty, threads go to SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  /** Folder of the SQLite file `threads.sqlite` (`SWITCHBOARD_DATA_DIR`), created when missing. */
  readonly dataDir: string;
  /**
   * Postgres schema for the checkpoint tables, created when missing; default: the first of the URL's
   * `options=-c search_path=...`, else {@link DEFAULT_CHECKPOINT_SCHEMA}.
   */
  readonly schema?: string;
}

/** Where a graph's conversation threads are persisted. */
export interface Checkpointer {
  /** Pass to `graph.compile({ checkpointer })`. */
  readonly saver: BaseCheckpointSaver;
  readonly kind: 'sqlite' | 'postgres';
  /** The SQLite file, or `host:port/database (schema)`; never a password. */
  readonly location: string;
  /** Closes the file or ends the connection pool; idempotent. */
  close(): Promise<void>;
}
