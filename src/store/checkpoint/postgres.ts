import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';
import { ConfigError, UpstreamError, describeError } from '../../errors.ts';
import { DEFAULT_CHECKPOINT_CONNECT_TIMEOUT_MS, SCHEMA_PATTERN, type Checkpointer } from './options.ts';
import { MessageCachingSerializer } from './serde.ts';
import { nextChannelVersion } from './versions.ts';

/** The Postgres thread store; `location` names the server for error messages, never the password. */
export async function openPostgresCheckpointer(databaseUrl: string, schema: string, target: string): Promise<Checkpointer> {
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new ConfigError(`checkpoint schema "${schema}" must be letters, digits and underscores, not starting with a digit`);
  }
  const location = `${target} (schema ${schema})`;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: DEFAULT_CHECKPOINT_CONNECT_TIMEOUT_MS,
    application_name: 'switchboard-threads',
  });
  // An idle connection that breaks is dropped by the pool; without a listener it would crash the process.
  pool.on('error', () => {});
  // So would one that breaks while the saver holds it (the pool listens on idle ones only): its
  // query fails instead, and the pool drops the connection when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  let ended = false;
  const close = async () => {
    if (ended) return;
    ended = true;
    await pool.end();
  };
  const saver = new UniqueVersionPostgresSaver(pool, new MessageCachingSerializer(), { schema });
  try {
    await setupAlone(pool, schema, () => saver.setup());
  } catch (error) {
    await close();
    throw new UpstreamError('postgres', `cannot prepare the thread store at ${location}: ${describeError(error)}`, {
      cause: error,
      hint: 'check DATABASE_URL, that the server is running, and that the user may create tables in the schema',
    });
  }
  return { saver, kind: 'postgres', location, close };
}

/**
 * Runs the saver's migrations under an advisory lock: replicas starting together against a fresh
 * database would otherwise insert the same migration rows and all but one fail to start.
 */
async function setupAlone(pool: pg.Pool, schema: string, setup: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  const key = `switchboard-checkpoint-setup:${schema}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await setup();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    client.release();
  }
}

/** The official saver with unique channel versions, as SqliteSaver uses: forked branches keep their own values. */
class UniqueVersionPostgresSaver extends PostgresSaver {
  override getNextVersion(current: number | undefined): number {
    return nextChannelVersion(current);
  }
}
