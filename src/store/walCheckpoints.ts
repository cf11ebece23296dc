import { Worker } from 'node:worker_threads';
import type { DatabaseSync } from 'node:sqlite';

/** Commits on a connection before its WAL checkpoints move to a thread of their own. */
export const BACKGROUND_CHECKPOINT_AFTER_COMMITS = 200;

/** How often the background thread copies the WAL into the database file (a passive checkpoint). */
export const BACKGROUND_CHECKPOINT_INTERVAL_MS = 100;

/** SQLite's default `wal_autocheckpoint`, restored when the background thread stops. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/** The WAL file is cut back to this size after it wraps around, so a burst of writes leaves no large file behind. */
const JOURNAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * WAL frames past which the background thread stops waiting for a gap between writes: a passive
 * checkpoint never lets the WAL start over while writes follow each other without a pause, so it
 * then runs a RESTART checkpoint, which holds writers back for the few frames the passive ones left.
 */
const RESTART_AFTER_FRAMES = 1000;

/** How long the background RESTART checkpoint waits for the writer's lock. */
const RESTART_BUSY_TIMEOUT_MS = 1000;

// Plain JavaScript (a worker evaluates it as is): its own connection, a passive checkpoint on a
// timer. PASSIVE takes no lock that writers wait on, so the writing connection never blocks on it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = ${RESTART_BUSY_TIMEOUT_MS}');
db.exec('PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const checkpoint = () => {
  try {
    const { log } = passive.get();
    if (log > ${RESTART_AFTER_FRAMES}) restart.get();
  } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** Moves a connection's WAL checkpoints off its thread; see {@link createBackgroundCheckpoints}. */
export interface BackgroundCheckpoints {
  /** Counts a commit; the background thread starts after {@link BACKGROUND_CHECKPOINT_AFTER_COMMITS}. */
  committed(): void;
  /** Stops the background thread (its last checkpoint done) and gives the connection its own checkpoints back. */
  stop(): Promise<void>;
}

/**
 * WAL checkpoints for a busy connection, on a thread of their own. SQLite's automatic checkpoint
 * runs inside the COMMIT that crosses `wal_autocheckpoint` pages: it copies the WAL into the
 * database file and syncs it, blocking the event loop for milliseconds every few hundred
 * commits. Once a connection has committed {@link BACKGROUND_CHECKPOINT_AFTER_COMMITS} times
 * (short-lived users, a CLI run or a test, never get here), it stops checkpointing itself and a
 * worker thread with its own connection runs a passive checkpoint every
 * {@link BACKGROUND_CHECKPOINT_INTERVAL_MS} ms. When the worker cannot start or fails, the
 * connection checkpoints itself again. In-memory databases are left alone.
 */
export function createBackgroundCheckpoints(db: DatabaseSync): BackgroundCheckpoints {
  // `location()` is Node 24's; without it (Node 22) the connection keeps its own checkpoints.
  const location = (db as { location?: () => string | null }).location;
  const path = typeof location === 'function' ? location.call(db) : null;
  let commits = 0;
  let worker: Worker | undefined;
  let stopped = false;

  const restore = () => {
    worker = undefined;
    if (db.isOpen) db.exec(`PRAGMA wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };

  const start = (file: string) => {
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: file, intervalMs: BACKGROUND_CHECKPOINT_INTERVAL_MS } });
    } catch {
      return;
    }
    // The worker never keeps the process alive; a failed one hands the checkpoints back.
    worker.unref();
    worker.on('error', restore);
    worker.on('exit', () => {
      if (!stopped) restore();
    });
    db.exec('PRAGMA wal_autocheckpoint = 0');
    // The WAL starts over (a write after a complete checkpoint) on this connection: cut back there.
    db.exec(`PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
  };

  return {
    committed() {
      if (stopped || path === null || path === '' || worker !== undefined) return;
      if (++commits === BACKGROUND_CHECKPOINT_AFTER_COMMITS) start(path);
    },
    async stop() {
      stopped = true;
      const running = worker;
      if (!running) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      // Kept alive until it has closed, so a caller awaiting this sees it finish.
      running.ref();
      running.postMessage('stop');
      await exited;
      restore();
    },
  };
}
