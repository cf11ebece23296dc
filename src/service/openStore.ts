import { openPostgresRunStore } from './postgresRunStore.ts';
import type { RunStore } from './runStore.ts';
import { openSqliteRunStore, sqliteRunStorePath } from './sqliteRunStore.ts';

export interface RunStoreOptions {
  /** A `postgres://` URL (`DATABASE_URL`); when absent or empty, SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  /** Folder of `service.sqlite` (`SWITCHBOARD_DATA_DIR`), created when missing. */
  readonly dataDir: string;
  /** PostgreSQL schema of the tables; default: the server's `search_path`. */
  readonly schema?: string;
  readonly onWarning?: (message: string) => void;
}

/** PostgreSQL when `databaseUrl` is set (replicas share it), else SQLite at `<dataDir>/service.sqlite`. */
export function openRunStore(options: RunStoreOptions): Promise<RunStore> {
  return options.databaseUrl
    ? openPostgresRunStore({ connectionString: options.databaseUrl, schema: options.schema, onWarning: options.onWarning })
    : openSqliteRunStore({ path: sqliteRunStorePath(options.dataDir) });
}
