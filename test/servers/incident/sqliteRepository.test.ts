import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { openSqliteIncidentRepository, sqliteIncidentPath } from '../../../servers/incident/sqliteRepository.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import { SQLITE_MIGRATIONS } from '../../../servers/incident/migrations.ts';
import { migrateSqlite, openSqlite } from '../../../src/store/index.ts';
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
        [
          { component: 'incident', version: 1 },
          { component: 'incident', version: 2 },
          { component: 'incident', version: 3 },
        ],
      );
    } finally {
      db.close();
    }
  } finally {
    await harness.dispose();
  }
});

test('regression: an incident database of version 1 is migrated in place and its incidents are found by the new search', async () => {
  const harness = await sqliteHarness();
  try {
    const old = openSqlite(harness.path);
    migrateSqlite(old, 'incident', SQLITE_MIGRATIONS.slice(0, 1));
    const insert = old.prepare(
      `INSERT INTO incidents (number, short_description, description, caller, opened_by, category, urgency, impact, priority,
         state, version, opened_at, updated_at, notes_text) VALUES (?, ?, ?, 'amelie', 'amelie', 'network', 2, 2, 3, 'New', 1, ?, ?, ?)`,
    );
    const at = '2025-01-01T00:00:00.000Z';
    insert.run('INC0010001', 'Wi-Fi drops in building B', 'Laptops lose the network', at, at, 'Replaced the access point');
    insert.run('INC0010002', 'Printer jam', null, at, at, '');
    old.prepare("UPDATE counters SET value = 10002 WHERE name = 'incident'").run();
    old.close();

    const repository = await harness.open();
    const numbers = async (text: string) => (await repository.search({ text })).incidents.map((hit) => hit.number);
    assert.deepEqual(await numbers('wifi'), ['INC0010001']);
    assert.deepEqual(await numbers('access point'), ['INC0010001']);
    assert.deepEqual(await numbers('wifi related incidents'), ['INC0010001']);
    assert.equal((await repository.get('INC0010002'))?.short_description, 'Printer jam');
    assert.equal((await repository.create({ short_description: 'WiFi slow' }, 'bob')).incident.number, 'INC0010003');
    await repository.update('INC0010002', { work_note: 'wifi printer now' }, 'bob');
    assert.deepEqual(await numbers('wi-fi'), ['INC0010003', 'INC0010001', 'INC0010002']);
    const db = openSqlite(harness.path);
    try {
      assert.deepEqual(
        db
          .prepare('SELECT version FROM schema_migrations ORDER BY version')
          .all()
          .map((row) => row.version),
        [1, 2, 3],
      );
    } finally {
      db.close();
    }
  } finally {
    await harness.dispose();
  }
});
