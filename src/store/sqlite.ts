import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { checkMigrations, type Migration } from './migration.ts';
import { createBackgroundCheckpoints } from './walCheckpoints.ts';

/** How long a connection waits for another one's write lock before failing with SQLITE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface SqliteOptions {
  /** Milliseconds to wait for a lock held by another connection; default {@link DEFAULT_BUSY_TIMEOUT_MS}. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its folder if needed) a SQLite file for concurrent use by several
 * connections and processes: WAL journal, `busy_timeout`, foreign keys on, `synchronous=NORMAL`.
 * `:memory:` opens a private in-memory database.
 */
export function openSqlite(path: string, options: SqliteOptions = {}): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    // busy_timeout first, so switching to WAL waits for other openers instead of failing.
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Runs `work` in a transaction: committed when it returns, rolled back when it throws.
 * `immediate` (the default) takes the write lock up front (`BEGIN IMMEDIATE`), so a
 * read-modify-write cannot be overtaken by another connection; `deferred` suits read-only snapshots.
 * `work` must be synchronous: awaiting inside it would commit before the awaited work ran.
 */
export function withTransaction<T>(db: DatabaseSync, work: () => T, mode: 'immediate' | 'deferred' = 'immediate'): T {
  if (db.isTransaction) throw new TypeError('withTransaction cannot be nested; the connection is already in a transaction');
  db.exec(mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN DEFERRED');
  try {
    const result = work();
    if (result instanceof Promise) {
      result.catch(() => {});
      throw new TypeError('withTransaction needs a synchronous function; it returned a Promise');
    }
    // A COMMIT that fails (a deferred constraint, a full disk) may leave the transaction open.
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * Applies the migrations of `component` (e.g. `incident`) not yet recorded in `schema_migrations`,
 * each in its own `BEGIN IMMEDIATE` transaction, so processes opening the same file at once apply
 * each exactly once. Returns the versions applied by this call.
 */
export function migrateSqlite(db: DatabaseSync, component: string, migrations: readonly Migration[]): number[] {
  checkMigrations(migrations);
  withTransaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL,
      PRIMARY KEY (component, version))`);
  });
  const applied: number[] = [];
  const isApplied = db.prepare('SELECT 1 AS found FROM schema_migrations WHERE component = ? AND version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)');
  for (const migration of migrations) {
    withTransaction(db, () => {
      if (isApplied.get(component, migration.version)) return;
      db.exec(migration.sql);
      record.run(component, migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    });
  }
  return applied;
}

/** Writes on one connection, committed in groups: see {@link createGroupCommit}. */
export interface GroupCommit {
  /**
   * Queues `work` (synchronous, as for {@link withTransaction}, touching only the database: it runs again when
   * another write of its batch throws); resolves with its result once it is committed.
   */
  write<T>(work: () => T): Promise<T>;
  /** Commits what is queued now. Reads call it first, so they see every write queued before them. */
  flush(): void;
  /**
   * Commits what is queued and stops the background checkpoints (see createBackgroundCheckpoints);
   * call it before closing the connection. The returned promise settles once the background thread is gone.
   */
  close(): Promise<void>;
}

interface QueuedWork {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit on `db`: each write waits for the end of the current turn of the event loop and
 * commits in one `BEGIN IMMEDIATE` transaction with every write queued in that turn, instead of
 * a transaction (and its WAL pages) each. A write's promise settles only after the commit, so
 * what a caller awaits is on disk as before. A write that throws is rolled back alone and only its
 * caller sees the error: the batch then runs again, each write in a savepoint of its own, so a
 * write may run twice and must touch nothing but the database.
 */
export function createGroupCommit(db: DatabaseSync): GroupCommit {
  let queued: QueuedWork[] = [];
  // A busy connection's WAL checkpoints run on a thread of their own, not inside one of these commits.
  const checkpoints = createBackgroundCheckpoints(db);
  const flush = () => {
    const batch = queued;
    if (batch.length === 0) return;
    queued = [];
    // The usual batch has no failing write: one transaction, no savepoint per write (two statements each).
    let threw = false;
    let values: unknown[];
    try {
      values = withTransaction(db, () =>
        batch.map(({ work }) => {
          try {
            return work();
          } catch (error) {
            threw = true;
            throw error;
          }
        }),
      );
    } catch (error) {
      // A write of several threw, so none is stored: the batch runs again, each write in a savepoint of its own.
      if (threw && batch.length > 1) isolated(batch);
      else for (const item of batch) item.reject(error); // its only write threw, or the transaction failed (the lock, the commit)
      return;
    }
    checkpoints.committed();
    batch.forEach((item, i) => item.resolve(values[i]));
  };
  const isolated = (batch: readonly QueuedWork[]) => {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      withTransaction(db, () => {
        for (const { work } of batch) {
          db.exec('SAVEPOINT group_write');
          try {
            outcomes.push({ ok: true, value: work() });
          } catch (error) {
            db.exec('ROLLBACK TO group_write');
            outcomes.push({ ok: false, value: error });
          }
          db.exec('RELEASE group_write');
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    checkpoints.committed();
    batch.forEach((item, i) => (outcomes[i]!.ok ? item.resolve(outcomes[i]!.value) : item.reject(outcomes[i]!.value)));
  };
  return {
    write<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (queued.push({ work, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(flush);
      });
    },
    flush,
    close() {
      flush();
      return checkpoints.stop();
    },
  };
}
