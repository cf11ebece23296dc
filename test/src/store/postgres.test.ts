import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { UpstreamError, describeError } from '../../../src/errors.ts';
import { createPostgresStore, migratePostgres, sqlStateOf, type PostgresStore } from '../../../src/store/index.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('createPostgresStore', () => {
  const schema = `test_store_${randomBytes(8).toString('hex')}`;
  const stores: PostgresStore[] = [];
  let admin: PostgresStore;
  const open = (max = 2) => {
    const store = createPostgresStore({ connectionString: url, schema, max });
    stores.push(store);
    return store;
  };
  before(async () => {
    admin = createPostgresStore({ connectionString: url, max: 1 });
    try {
      await admin.query('SELECT 1');
    } catch (error) {
      throw new Error(`these tests need PostgreSQL at ${url} (set TEST_DATABASE_URL): ${describeError(error)}`, { cause: error });
    }
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  const migrations = [
    { version: 1, name: 'items', sql: 'CREATE TABLE items (id integer PRIMARY KEY, name text UNIQUE)' },
    { version: 2, name: 'more', sql: 'ALTER TABLE items ADD COLUMN note text' },
  ];

  test('migrations create the schema and apply once, even when started concurrently', async () => {
    const results = await Promise.all([open(), open(), open()].map((store) => migratePostgres(store, 'test', migrations)));
    assert.deepEqual(results.flat().sort(), [1, 2]);
    assert.deepEqual(await migratePostgres(open(), 'test', migrations), []);
    const found = await admin.query('SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema = $2', [
      'items',
      schema,
    ]);
    assert.equal(found.rowCount, 1);
  });

  test('transactions commit, roll back on throw, and keep the SQLSTATE of failures', async () => {
    const store = open();
    await store.transaction(async (client) => {
      await client.query("INSERT INTO items (id, name) VALUES (1, 'a')");
    });
    await assert.rejects(
      store.transaction(async (client) => {
        await client.query("INSERT INTO items (id, name) VALUES (2, 'b')");
        throw new Error('boom');
      }),
      /boom/,
    );
    const failure = await store.query("INSERT INTO items (id, name) VALUES (3, 'a')").catch((error: unknown) => error);
    assert.equal(sqlStateOf(failure), '23505');
    assert.equal(sqlStateOf(new Error('plain')), undefined);
    const rows = await store.query<{ id: number }>('SELECT id FROM items ORDER BY id');
    assert.deepEqual(rows.rows, [{ id: 1 }]);
    const readOnly = store.transaction((client) => client.query('DELETE FROM items'), { readOnly: true });
    await assert.rejects(readOnly, /read-only/);
  });

  // Regression: the pool listens for errors of idle connections only, so one that broke while
  // checked out emitted an unhandled 'error' and crashed the process.
  test('a connection that breaks mid-transaction fails the work with an UpstreamError, and the pool recovers', async () => {
    const store = open(1);
    const failure = await store
      .transaction(async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1, 5000)', [rows[0]!.pid]);
        await client.query('SELECT 1');
      })
      .catch((error: unknown) => error);
    assert.ok(failure instanceof UpstreamError, String(failure));
    assert.match(failure.message, /PostgreSQL at 127\.0\.0\.1:5432/);
    const after = await store.query<{ one: number }>('SELECT 1 AS one');
    assert.deepEqual(after.rows, [{ one: 1 }]);
  });

  test('close is idempotent', async () => {
    const store = open();
    await store.query('SELECT 1');
    await store.close();
    await store.close();
  });
});

test('an unreachable server is an UpstreamError naming host and port, never the password', async () => {
  const store = createPostgresStore({ connectionString: 'postgres://me:hunter2@127.0.0.1:1/db' });
  try {
    const error = await store.query('SELECT 1').catch((caught: unknown) => caught);
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.service, 'postgres');
    assert.match(error.message, /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/db/);
    assert.doesNotMatch(describeError(error), /hunter2/);
  } finally {
    await store.close();
  }
});

test('schema names are checked before use in SQL', () => {
  assert.throws(() => createPostgresStore({ connectionString: url, schema: 'x; DROP TABLE y' }), /lower-case letters/);
});
