import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import pg from 'pg';
import { ConfigError, UpstreamError } from '../../../../src/errors.ts';
import { SqliteSaver, createCheckpointer, type Checkpointer } from '../../../../src/store/checkpoint/index.ts';
import { createEchoGraph, textsOf } from './graphs.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const say = (text: string) => ({ messages: [new HumanMessage(text)] });
const thread = (id: string) => ({ configurable: { thread_id: id } });

describe('createCheckpointer', () => {
  let dir: string;
  const opened: Checkpointer[] = [];
  const create = async (options: Parameters<typeof createCheckpointer>[0]) => {
    const checkpointer = await createCheckpointer(options);
    opened.push(checkpointer);
    return checkpointer;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-checkpointer-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((checkpointer) => checkpointer.close()));
    await rm(dir, { recursive: true, force: true });
  });

  test('without a database URL keeps threads in <dataDir>/threads.sqlite, creating the folder', async () => {
    const dataDir = join(dir, 'missing', 'data');
    const first = await create({ dataDir, databaseUrl: '' });
    assert.equal(first.kind, 'sqlite');
    assert.equal(first.location, join(dataDir, 'threads.sqlite'));
    assert.ok(first.saver instanceof SqliteSaver);
    assert.ok(existsSync(join(dataDir, 'threads.sqlite')));
    await createEchoGraph(first.saver).invoke(say('hello'), thread('t'));
    await first.close();
    await first.close();

    const second = await create({ dataDir });
    const state = await createEchoGraph(second.saver).getState(thread('t'));
    assert.deepEqual(textsOf(state.values.messages as BaseMessage[]), ['hello', 'echo: hello']);
  });

  test('says which setting to change when the data folder cannot be used', async () => {
    const notAFolder = join(dir, 'file');
    await writeFile(notAFolder, 'x');
    await assert.rejects(
      create({ dataDir: notAFolder }),
      (error: unknown) => error instanceof ConfigError && error.hint?.includes('SWITCHBOARD_DATA_DIR') === true,
    );
  });

  test('rejects a schema name that is not a plain identifier before connecting', async () => {
    await assert.rejects(create({ dataDir: dir, databaseUrl: url, schema: 'x"; DROP TABLE y; --' }), ConfigError);
  });

  test('reports an unreachable server as an upstream error without the password', async () => {
    await assert.rejects(
      create({ dataDir: dir, databaseUrl: 'postgres://someone:secret@127.0.0.1:1/threads' }),
      (error: unknown) =>
        error instanceof UpstreamError &&
        error.message.includes('127.0.0.1:1/threads') &&
        !error.message.includes('secret') &&
        error.hint?.includes('DATABASE_URL') === true,
    );
  });
});

describe('createCheckpointer with PostgreSQL', () => {
  const schema = `test_threads_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 });
  const opened: Checkpointer[] = [];
  const create = async () => {
    const checkpointer = await createCheckpointer({ databaseUrl: url, dataDir: tmpdir(), schema });
    opened.push(checkpointer);
    return checkpointer;
  };
  before(async () => {
    try {
      await admin.query('SELECT 1');
    } catch (error) {
      throw new Error(`these tests need PostgreSQL at ${url} (set TEST_DATABASE_URL): ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
  after(async () => {
    await Promise.all(opened.map((checkpointer) => checkpointer.close()));
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  test('a graph thread accumulates messages and survives a new pool', async () => {
    const first = await create();
    assert.equal(first.kind, 'postgres');
    assert.match(first.location, new RegExp(`\\(schema ${schema}\\)$`));
    const graph = createEchoGraph(first.saver);
    await graph.invoke(say('one'), thread('pg'));
    const result = await graph.invoke(say('two'), thread('pg'));
    assert.deepEqual(textsOf(result.messages), ['one', 'echo: one', 'two', 'echo: two']);
    await first.close();

    const second = await create();
    const state = await createEchoGraph(second.saver).getState(thread('pg'));
    assert.deepEqual(textsOf(state.values.messages as BaseMessage[]), ['one', 'echo: one', 'two', 'echo: two']);
    const tables = await admin.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', [schema]);
    assert.ok(tables.rows[0].n >= 4);
  });

  // Regression: two service replicas starting together on a fresh database both ran the saver's
  // migrations; the second hit checkpoint_migrations_pkey and exited (found by npm run cluster).
  test('replicas preparing a fresh schema at the same time all start', async () => {
    const fresh = `test_threads_${randomBytes(6).toString('hex')}`;
    try {
      const started = await Promise.all(
        Array.from({ length: 4 }, () => createCheckpointer({ databaseUrl: url, dataDir: tmpdir(), schema: fresh })),
      );
      opened.push(...started);
      assert.equal(started.length, 4);
    } finally {
      await Promise.all(opened.splice(0).map((checkpointer) => checkpointer.close()));
      await admin.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
    }
  });

  test("without a schema, the tables go to the first schema of the URL's search_path", async () => {
    const fresh = `test_threads_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA "${fresh}"`);
    try {
      const withPath = new URL(url);
      withPath.searchParams.set('options', `-c search_path=${fresh}`);
      const checkpointer = await createCheckpointer({ databaseUrl: withPath.href, dataDir: tmpdir() });
      opened.push(checkpointer);
      assert.match(checkpointer.location, new RegExp(`\\(schema ${fresh}\\)$`));
      const tables = await admin.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', [fresh]);
      assert.ok(tables.rows[0].n >= 4);
    } finally {
      await Promise.all(opened.splice(0).map((checkpointer) => checkpointer.close()));
      await admin.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
    }
  });

  // Regression: the pool listens for errors of idle connections only, so one that broke while the
  // saver held it emitted an unhandled 'error' and crashed the process.
  test('a connection that breaks while the saver holds it does not crash the process', async () => {
    const { saver } = await create();
    const pool = (saver as unknown as { pool: pg.Pool }).pool;
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // Not events.once: it would reject on the very 'error' this test is about.
    const ended = new Promise((resolve) => client.once('end', resolve));
    await admin.query('SELECT pg_terminate_backend($1, 5000)', [rows[0]!.pid]);
    await ended;
    client.release();
    const graph = createEchoGraph(saver);
    const result = await graph.invoke(say('still here'), thread('broken'));
    assert.deepEqual(textsOf(result.messages), ['still here', 'echo: still here']);
  });

  // Regression (langchain-ai/langgraphjs#1812), as for SqliteSaver.
  test('two branches forked from one checkpoint keep their own messages', async () => {
    const { saver } = await create();
    const graph = createEchoGraph(saver);
    await graph.invoke(say('base'), thread('fork'));
    const base = await graph.getState(thread('fork'));
    await graph.invoke(say('left'), thread('fork'));
    await graph.invoke(say('right'), base.config);
    const branches = [];
    for await (const tuple of saver.list(thread('fork'), { filter: { source: 'loop', step: 4 } })) {
      branches.push(textsOf((await graph.getState(tuple.config)).values.messages as BaseMessage[]));
    }
    assert.deepEqual(branches.sort(), [
      ['base', 'echo: base', 'left', 'echo: left'],
      ['base', 'echo: base', 'right', 'echo: right'],
    ]);
  });
});
