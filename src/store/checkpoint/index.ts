import { join } from 'node:path';
import { ConfigError, describeError } from '../../errors.ts';
import { DEFAULT_CHECKPOINT_SCHEMA, THREADS_FILE_NAME, type Checkpointer, type CheckpointerOptions } from './options.ts';
import { SqliteSaver } from './sqliteSaver.ts';

export { SqliteSaver, type SqliteSaverOptions } from './sqliteSaver.ts';

export {
  DEFAULT_CHECKPOINT_CONNECT_TIMEOUT_MS,
  DEFAULT_CHECKPOINT_SCHEMA,
  THREADS_FILE_NAME,
  type Checkpointer,
  type CheckpointerOptions,
} from './options.ts';

/**
 * Opens the thread store: PostgreSQL when `databaseUrl` is given (tables created or migrated in
 * `schema`), otherwise SQLite at `<dataDir>/threads.sqlite`. Fails fast, with the setting to fix,
 * when the database cannot be reached or prepared.
 */
export async function createCheckpointer(options: CheckpointerOptions): Promise<Checkpointer> {
  if (options.databaseUrl) {
    // pg and the Postgres saver load only when used: SQLite users start faster.
    const { openPostgresCheckpointer } = await import('./postgres.ts');
    const schema = options.schema ?? searchPathOf(options.databaseUrl) ?? DEFAULT_CHECKPOINT_SCHEMA;
    return openPostgresCheckpointer(options.databaseUrl, schema, describeTarget(options.databaseUrl));
  }
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

/** The first schema of `?options=-c search_path=...` in the URL, where the run store's tables go too. */
function searchPathOf(databaseUrl: string): string | undefined {
  if (!URL.canParse(databaseUrl)) return undefined;
  const match = /(?:^|\s)-c\s*search_path=([^,\s]+)/.exec(new URL(databaseUrl).searchParams.get('options') ?? '');
  return match?.[1];
}

function describeTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
}
