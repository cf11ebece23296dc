import pg from 'pg';
import { UpstreamError } from '../errors.ts';
import { checkMigrations, type Migration } from './migration.ts';

/** Connections per pool unless `max` says otherwise. */
export const DEFAULT_POOL_SIZE = 10;
/** How long acquiring a new connection may take before failing. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const SERVER_FAULT_CODES = new Set(['28000', '28P01', '3D000', '57P01', '57P03', '53300']);

export interface PostgresOptions {
  /** A `postgres://` URL, e.g. `DATABASE_URL`. */
  readonly connectionString: string;
  /** Schema to work in (created by {@link migratePostgres}); default: the server's `search_path`. */
  readonly schema?: string;
  /** Pool size; default {@link DEFAULT_POOL_SIZE}. */
  readonly max?: number;
  /** Default {@link DEFAULT_CONNECT_TIMEOUT_MS}. */
  readonly connectTimeoutMs?: number;
  readonly applicationName?: string;
  /** Told about errors of idle connections (the pool drops them); default: ignored. */
  readonly onIdleError?: (error: Error) => void;
}

export interface SqlResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** The part of a connection repositories need; tests may fake it. */
export interface SqlClient {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export interface TransactionOptions {
  /** Default `read committed`. */
  readonly isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readonly readOnly?: boolean;
}

/** A connection pool, optionally bound to one schema. */
export interface PostgresStore extends SqlClient {
  readonly schema: string | undefined;
  /** `host:port/database`, for messages; never the password. */
  readonly target: string;
  /** Runs `work` on one connection between BEGIN and COMMIT; rolls back when it throws. */
  transaction<T>(work: (client: SqlClient) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Ends the pool; idempotent. */
  close(): Promise<void>;
}

/** A pooled connection, and the error it emitted if it broke while checked out. */
interface Lease {
  readonly client: pg.PoolClient;
  lost: Error | undefined;
  /** Back to the pool; a broken connection is destroyed instead. */
  release(broken?: Error): void;
}

/** Builds a pool; connects lazily, so the first query is where a bad URL or a down server shows. */
export function createPostgresStore(options: PostgresOptions): PostgresStore {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_PATTERN.test(schema)) {
    throw new TypeError(`schema "${schema}" must be lower-case letters, digits and underscores`);
  }
  const target = describeTarget(options.connectionString);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    application_name: options.applicationName ?? 'switchboard',
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', (error) => options.onIdleError?.(error));

  const connect = async (): Promise<Lease> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new UpstreamError('postgres', `cannot connect to PostgreSQL at ${target}: ${messageOf(error)}`, {
        cause: error,
        hint: 'check DATABASE_URL and that the server is running and accepts the credentials',
      });
    }
    // The pool listens for errors of idle connections only: a checked-out one that breaks (server
    // restart, network drop) would emit an 'error' nobody handles and crash the process.
    const onError = (error: Error) => {
      lease.lost ??= error;
    };
    const lease: Lease = {
      client,
      lost: undefined,
      release(broken) {
        client.off('error', onError);
        client.release(lease.lost ?? broken);
      },
    };
    client.on('error', onError);
    return lease;
  };
  const run = async <R extends object>(lease: Lease, text: string, params?: readonly unknown[]) => {
    try {
      const result = await lease.client.query(text, params as unknown[] | undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      // A broken connection fails later queries with a vaguer error than the one it emitted.
      throw lease.lost ? connectionLost(lease.lost, target) : wrapServerFault(error, target);
    }
  };

  return {
    schema,
    target,
    async query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]) {
      const lease = await connect();
      try {
        return await run<R>(lease, text, params);
      } finally {
        lease.release();
      }
    },
    async transaction<T>(work: (client: SqlClient) => Promise<T>, txOptions: TransactionOptions = {}) {
      const lease = await connect();
      let broken: unknown;
      try {
        const mode = `ISOLATION LEVEL ${(txOptions.isolation ?? 'read committed').toUpperCase()}`;
        await run(lease, `BEGIN ${mode}${txOptions.readOnly ? ' READ ONLY' : ''}`);
        try {
          const result = await work({ query: (text, params) => run(lease, text, params) });
          await run(lease, 'COMMIT');
          return result;
        } catch (error) {
          await run(lease, 'ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError;
          });
          throw error;
        }
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
        lease.release(broken instanceof Error ? broken : undefined);
      }
    },
    async close() {
      if (pool.ended || pool.ending) return;
      await pool.end();
    },
  };
}

/**
 * Applies the migrations of `component` not yet recorded in `schema_migrations` of the store's
 * schema (creating the schema first), all in one transaction under an advisory lock, so servers
 * starting at once apply each exactly once. Returns the versions applied by this call.
 */
export async function migratePostgres(store: PostgresStore, component: string, migrations: readonly Migration[]): Promise<number[]> {
  checkMigrations(migrations);
  return store.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`switchboard-migrate:${store.schema ?? ''}`]);
    if (store.schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${store.schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component text NOT NULL, version integer NOT NULL, name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))`);
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations WHERE component = $1', [component]);
    const seen = new Set(done.rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (seen.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', [
        component,
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** The SQLSTATE of a database error (`23505` unique violation, ...), if it has one. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function wrapServerFault(error: unknown, target: string): unknown {
  const code = sqlStateOf(error);
  if (code === undefined || !SERVER_FAULT_CODES.has(code)) return error;
  return new UpstreamError('postgres', `PostgreSQL at ${target} refused: ${messageOf(error)}`, {
    cause: error,
    hint: 'check DATABASE_URL (user, password, database name) and the server state',
  });
}

function connectionLost(error: Error, target: string): UpstreamError {
  return new UpstreamError('postgres', `lost the connection to PostgreSQL at ${target}: ${messageOf(error)}`, {
    cause: error,
    hint: 'check that the server is up and reachable; the next request opens a new connection',
  });
}

function describeTarget(connectionString: string): string {
  if (!URL.canParse(connectionString)) return 'the configured DATABASE_URL';
  const url = new URL(connectionString);
  return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname || ''}`;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = error.message || code || error.name;
    return code && !text.includes(code) ? `${text} [${code}]` : text;
  }
  return String(error);
}
