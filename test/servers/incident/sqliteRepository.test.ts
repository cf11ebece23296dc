import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openSqliteIncidentRepository, sqliteIncidentPath } from '../../../servers/incident/sqliteRepository.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import { openSqlite } from '../../../src/store/index.ts';
import { describeIncidentRepository, type RepositoryHarness } from './repositorySuite.ts';
import type { CreateBurst } from './sqliteWorker.ts';

async function sqliteHarness(): Promise<RepositoryHarness & { path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-incident-'));
  const path = sqliteIncidentPath(dir);
  const opened: IncidentRepository[] = [];
  return {
    path,
    async open(options = {}) {
      const repository = await openSqliteIncidentRepository({ path, ...options });
      opened.push(repository);
      return repository;
    },
    async dispose() {
      await Promise.all(opened.map((repository) => repository.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describeIncidentRepository('SQLite', sqliteHarness);

function runBurst(burst: CreateBurst): Promise<{ numbers: string[]; created: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sqliteWorker.ts', import.meta.url), { workerData: burst });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${burst.worker} exited with ${code}`));
    });
  });
}

test('SQLite: 8 worker threads creating at once on one file get 200 distinct consecutive numbers', async () => {
  const harness = await sqliteHarness();
  try {
    await (await harness.open()).close(); // create and migrate the file before the race
    const results = await Promise.all(Array.from({ length: 8 }, (_, worker) => runBurst({ path: harness.path, count: 25, worker })));
    const numbers = results.flatMap((result) => result.numbers).sort();
    assert.deepEqual(
      numbers,
      Array.from({ length: 200 }, (_, i) => `INC${String(10001 + i).padStart(7, '0')}`),
    );
    const keyed = await Promise.all(
      Array.from({ length: 5 }, (_, worker) => runBurst({ path: harness.path, count: 1, worker, idempotencyKey: 'one' })),
    );
    assert.equal(
      keyed.reduce((sum, result) => sum + result.created, 0),
      1,
    );
    assert.deepEqual(new Set(keyed.flatMap((result) => result.numbers)), new Set(['INC0010201']));
  } finally {
    await harness.dispose();
  }
});

test('SQLite: the file lives in the data dir, in WAL mode, with the journal tables append-only', async () => {
  const harness = await sqliteHarness();
  try {
    const repository = await harness.open();
    await repository.create({ short_description: 'x', work_note: 'note' }, 'alice');
    await repository.update('INC0010001', { urgency: 1 }, 'alice');
    assert.ok(existsSync(harness.path));
    const db = openSqlite(harness.path);
    try {
      assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
      assert.throws(() => db.exec("UPDATE incident_work_notes SET body = 'rewritten'"), /append-only/);
      assert.throws(() => db.exec('DELETE FROM incident_audit'), /append-only/);
      assert.deepEqual(
        db
          .prepare('SELECT component, version FROM schema_migrations')
          .all()
          .map((row) => ({ ...row })),
        [{ component: 'incident', version: 1 }],
      );
    } finally {
      db.close();
    }
  } finally {
    await harness.dispose();
  }
});
