import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { checkMigrations, createGroupCommit, migrateSqlite, openSqlite, withTransaction } from '../../../src/store/index.ts';
import { BACKGROUND_CHECKPOINT_AFTER_COMMITS } from '../../../src/store/walCheckpoints.ts';

describe('openSqlite', () => {
  let dir: string;
  const opened: DatabaseSync[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-store-'));
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) if (db.isOpen) db.close();
    await rm(dir, { recursive: true, force: true });
  });
  const open = (options?: { busyTimeoutMs?: number }) => {
    const db = openSqlite(join(dir, 'nested', 'folder', 'x.sqlite'), options);
    opened.push(db);
    return db;
  };

  test('creates the folder and sets WAL, busy_timeout and foreign keys', () => {
    const db = open({ busyTimeoutMs: 1234 });
    assert.ok(existsSync(join(dir, 'nested', 'folder', 'x.sqlite')));
    assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
    assert.equal(db.prepare('PRAGMA busy_timeout').get()?.timeout, 1234);
    assert.equal(db.prepare('PRAGMA foreign_keys').get()?.foreign_keys, 1);
    assert.equal(open().prepare('PRAGMA busy_timeout').get()?.timeout, 5000);
  });

  test('withTransaction commits, rolls back on throw and refuses async work', () => {
    const db = open();
    db.exec('CREATE TABLE t (v INTEGER)');
    const count = () => Number(db.prepare('SELECT count(*) AS n FROM t').get()?.n);
    assert.equal(
      withTransaction(db, () => db.prepare('INSERT INTO t VALUES (1)').run().changes),
      1,
    );
    assert.throws(
      () =>
        withTransaction(db, () => {
          db.exec('INSERT INTO t VALUES (2)');
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.throws(() => withTransaction(db, async () => db.exec('INSERT INTO t VALUES (3)')), /synchronous/);
    assert.throws(() => withTransaction(db, () => withTransaction(db, () => 1)), /cannot be nested/);
    assert.equal(db.isTransaction, false);
    assert.equal(count(), 1);
  });

  // Regression: a COMMIT that failed left the transaction open, and every later withTransaction
  // on the connection threw "cannot be nested".
  test('withTransaction rolls back when COMMIT itself fails, so the connection stays usable', () => {
    const db = open();
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    db.exec('CREATE TABLE child (parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    // A deferred foreign key is checked at COMMIT, which fails and leaves the transaction open.
    assert.throws(() => withTransaction(db, () => db.exec('INSERT INTO child VALUES (1)')), /FOREIGN KEY/);
    assert.equal(db.isTransaction, false);
    assert.equal(
      withTransaction(db, () => db.prepare('SELECT count(*) AS n FROM child').get()?.n),
      0,
    );
  });

  test('an immediate transaction holds the write lock against another connection', () => {
    const first = open();
    const second = open({ busyTimeoutMs: 0 });
    first.exec('CREATE TABLE t (v INTEGER)');
    withTransaction(first, () => {
      assert.throws(() => withTransaction(second, () => second.exec('INSERT INTO t VALUES (1)')), /locked|busy/i);
      // A deferred (read) transaction still sees the last committed state.
      assert.equal(
        withTransaction(second, () => second.prepare('SELECT count(*) AS n FROM t').get()?.n, 'deferred'),
        0,
      );
      first.exec('INSERT INTO t VALUES (1)');
    });
    assert.equal(second.prepare('SELECT count(*) AS n FROM t').get()?.n, 1);
  });

  test('a busy group commit hands its WAL checkpoints to a background thread, and takes them back on close', async () => {
    const db = open();
    db.exec('CREATE TABLE t (v INTEGER)');
    const group = createGroupCommit(db);
    const autocheckpoint = () => db.prepare('PRAGMA wal_autocheckpoint').get()?.wal_autocheckpoint;
    assert.equal(autocheckpoint(), 1000);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    // One commit per write: each awaited before the next is queued.
    for (let i = 0; i < BACKGROUND_CHECKPOINT_AFTER_COMMITS + 5; i++) await group.write(() => insert.run(i));
    assert.equal(autocheckpoint(), 0, 'the connection no longer checkpoints inside its commits');
    await group.close();
    assert.equal(autocheckpoint(), 1000);
    assert.equal(open().prepare('SELECT count(*) AS n FROM t').get()?.n, BACKGROUND_CHECKPOINT_AFTER_COMMITS + 5);
  });

  test('a group commit on an in-memory database never starts a background thread', async () => {
    const db = openSqlite(':memory:');
    opened.push(db);
    db.exec('CREATE TABLE t (v INTEGER)');
    const group = createGroupCommit(db);
    for (let i = 0; i < BACKGROUND_CHECKPOINT_AFTER_COMMITS + 5; i++) await group.write(() => db.exec(`INSERT INTO t VALUES (${i})`));
    assert.notEqual(db.prepare('PRAGMA wal_autocheckpoint').get()?.wal_autocheckpoint, 0);
    await group.close();
  });

  test('a group commit stores a batch in one transaction, and a write that throws fails alone, the others stored once', async () => {
    const db = open();
    db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY)');
    const group = createGroupCommit(db);
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    let begins = 0;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql.startsWith('BEGIN')) begins++;
      return exec(sql);
    };
    const clean = await Promise.all([1, 2, 3].map((v) => group.write(() => insert.run(v).changes)));
    assert.deepEqual(clean, [1, 1, 1]);
    assert.equal(begins, 1, 'one transaction for the batch');
    // 2 is taken: that write throws, the batch runs again with a savepoint per write.
    const settled = await Promise.allSettled([4, 2, 5].map((v) => group.write(() => insert.run(v).changes)));
    assert.deepEqual(
      settled.map((s) => s.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((settled[1] as PromiseRejectedResult).reason), /UNIQUE constraint failed/);
    assert.deepEqual(
      db
        .prepare('SELECT v FROM t ORDER BY v')
        .all()
        .map((row) => row.v),
      [1, 2, 3, 4, 5],
    );
    await group.close();
  });
  test('migrateSqlite applies each migration once per component, atomically', () => {
    const db = open();
    const migrations = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (v INTEGER)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (v INTEGER)' },
    ];
    assert.deepEqual(migrateSqlite(db, 'x', migrations), [1, 2]);
    assert.deepEqual(migrateSqlite(db, 'x', migrations), []);
    assert.deepEqual(migrateSqlite(db, 'y', [{ version: 1, name: 'other', sql: 'CREATE TABLE c (v INTEGER)' }]), [1]);
    const broken = [...migrations, { version: 3, name: 'broken', sql: 'CREATE TABLE d (v INTEGER); CREATE TABLE a (v INTEGER)' }];
    assert.throws(() => migrateSqlite(db, 'x', broken), /already exists/);
    assert.equal(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'd'").get()?.n, 0);
    assert.deepEqual(
      db
        .prepare('SELECT component, version FROM schema_migrations ORDER BY component, version')
        .all()
        .map((row) => ({ ...row })),
      [
        { component: 'x', version: 1 },
        { component: 'x', version: 2 },
        { component: 'y', version: 1 },
      ],
    );
  });
});

test('checkMigrations refuses versions that are not ascending integers', () => {
  assert.throws(
    () =>
      checkMigrations([
        { version: 2, name: 'b', sql: '' },
        { version: 1, name: 'a', sql: '' },
      ]),
    /"a" has version 1/,
  );
  assert.throws(() => checkMigrations([{ version: 1.5, name: 'x', sql: '' }]), /integers/);
  checkMigrations([
    { version: 1, name: 'a', sql: '' },
    { version: 3, name: 'b', sql: '' },
  ]);
});
