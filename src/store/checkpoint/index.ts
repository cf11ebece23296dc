import { join } from 'node:path';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';
import { ConfigError, UpstreamError, describeError } from '../../errors.ts';
import { SqliteSaver } from './sqliteSaver.ts';
import { nextChannelVersion } from './versions.ts';

export { SqliteSaver, type SqliteSaverOptions } from './sqliteSaver.ts';

/** The file, inside the data folder, that holds conversation threads when no database URL is set. */
export const THREADS_FILE_NAME = 'threads.sqlite';
/** The Postgres schema of the checkpoint tables unless `schema` says otherwise. */
export const DEFAULT_CHECKPOINT_SCHEMA = 'public';
/** How long opening a Postgres connection may take before failing. */
export const DEFAULT_CHECKPOINT_CONNECT_TIMEOUT_MS = 10_000;

const SCHEMA_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface CheckpointerOptions {
  /** A `postgres://` URL (`DATABASE_URL`); when absent or empty, threads go to SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  /** Folder of the SQLite file `threads.sqlite` (`SWITCHBOARD_DATA_DIR`), created when missing. */
  readonly dataDir: string;
  /** Postgres schema for the checkpoint tables, created when missing; default {@link DEFAULT_CHECKPOINT_SCHEMA}. */
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

/**
 * Opens the thread store: PostgreSQL when `databaseUrl` is given (tables created or migrated in
 * `schema`), otherwise SQLite at `<dataDir>/threads.sqlite`. Fails fast, with the setting to fix,
 * when the database cannot be reached or prepared.
 */
export async function createCheckpointer(options: CheckpointerOptions): Promise<Checkpointer> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema ?? DEFAULT_CHECKPOINT_SCHEMA);
  const path = join(options.dataDir, THREADS_FILE_NAME);
  let saver: SqliteSaver;
  try {
    saver = SqliteSaver.open(path);
  } catch (error) {
    throw new ConfigError(`cannot open the thread store ${path}: ${describeError(error)}`, {
      cause: error,
      hint: 'set SWITCHBOARD_DATA_DIR to a writable folder',
    });
  }
  return { saver, kind: 'sqlite', location: path, close: async () => saver.close() };
}

async function openPostgres(databaseUrl: string, schema: string): Promise<Checkpointer> {
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new ConfigError(`checkpoint schema "${schema}" must be letters, digits and underscores, not starting with a digit`);
  }
  const location = `${describeTarget(databaseUrl)} (schema ${schema})`;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: DEFAULT_CHECKPOINT_CONNECT_TIMEOUT_MS,
    application_name: 'switchboard-threads',
  });
  // An idle connection that breaks is dropped by the pool; without a listener it would crash the process.
  pool.on('error', () => {});
  let ended = false;
  const close = async () => {
    if (ended) return;
    ended = true;
    await pool.end();
  };
  const saver = new UniqueVersionPostgresSaver(pool, undefined, { schema });
  try {
    await saver.setup();
  } catch (error) {
    await close();
    throw new UpstreamError('postgres', `cannot prepare the thread store at ${location}: ${describeError(error)}`, {
      cause: error,
      hint: 'check DATABASE_URL, that the server is running, and that the user may create tables in the schema',
    });
  }
  return { saver, kind: 'postgres', location, close };
}

/** The official saver with unique channel versions, as SqliteSaver uses: forked branches keep their own values. */
class UniqueVersionPostgresSaver extends PostgresSaver {
  override getNextVersion(current: number | undefined): number {
    return nextChannelVersion(current);
  }
}

function describeTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
}
