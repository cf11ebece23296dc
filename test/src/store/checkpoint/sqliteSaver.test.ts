import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { Command } from '@langchain/langgraph';
import { ERROR, emptyCheckpoint, uuid6, type CheckpointMetadata } from '@langchain/langgraph-checkpoint';
import { UserError } from '../../../../src/errors.ts';
import { SqliteSaver } from '../../../../src/store/checkpoint/index.ts';
import { createApprovalGraph, createEchoGraph, textsOf } from './graphs.ts';

const say = (text: string) => ({ messages: [new HumanMessage(text)] });
const thread = (id: string) => ({ configurable: { thread_id: id } });

describe('SqliteSaver', () => {
  let dir: string;
  let file: string;
  const savers: SqliteSaver[] = [];
  const open = () => {
    const saver = SqliteSaver.open(file);
    savers.push(saver);
    return saver;
  };
  /** A second, plain connection for looking at the rows themselves. */
  const count = (sql: string, ...params: string[]) => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return Number(db.prepare(sql).get(...params)?.n);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-checkpoint-'));
    file = join(dir, 'data', 'threads.sqlite');
  });
  afterEach(async () => {
    for (const saver of savers.splice(0)) saver.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a graph thread survives closing and reopening the file', async () => {
    const first = open();
    const before = createEchoGraph(first);
    await before.invoke(say('hello'), thread('t1'));
    await before.invoke(say('again'), thread('t1'));
    await before.invoke(say('other thread'), thread('t2'));
    first.close();

    const after = createEchoGraph(open());
    const restored = await after.getState(thread('t1'));
    assert.deepEqual(textsOf(restored.values.messages as BaseMessage[]), ['hello', 'echo: hello', 'again', 'echo: again']);
    const result = await after.invoke(say('third'), thread('t1'));
    assert.deepEqual(textsOf(result.messages).slice(-2), ['third', 'echo: third']);
    assert.equal(result.messages.length, 6);
    const history = [];
    for await (const snapshot of after.getStateHistory(thread('t1'))) history.push(snapshot);
    assert.equal(history.length, 9, 'three runs of input, start and echo checkpoints');
    assert.equal((await after.getState(thread('t2'))).values.messages.length, 2);
  });

  test('an interrupted run resumes after the file is reopened', async () => {
    const first = createApprovalGraph(open());
    await first.invoke(say('delete the incident'), thread('approval'));
    savers[0]?.close();

    const second = createApprovalGraph(open());
    const state = await second.getState(thread('approval'));
    assert.deepEqual(state.next, ['approve']);
    assert.deepEqual(state.tasks[0]?.interrupts[0]?.value, { question: 'run the tool?' });
    const resumed = await second.invoke(new Command({ resume: 'approved' }), thread('approval'));
    assert.deepEqual(textsOf(resumed.messages), ['delete the incident', 'decision: approved']);
  });

  // Regression (langchain-ai/langgraphjs#1812): with integer versions both branches mint the same
  // (channel, version) pair, the second blob is dropped and the fork reads its sibling's messages.
  test('two branches forked from one checkpoint keep their own messages', async () => {
    const saver = open();
    const graph = createEchoGraph(saver);
    await graph.invoke(say('base'), thread('fork'));
    const base = await graph.getState(thread('fork'));
    await graph.invoke(say('left'), thread('fork'));
    await graph.invoke(say('right'), base.config);

    const branches = [];
    for await (const tuple of saver.list(thread('fork'), { filter: { source: 'loop', step: 4 } })) {
      const restored = await graph.getState(tuple.config);
      branches.push(textsOf(restored.values.messages as BaseMessage[]));
    }
    assert.deepEqual(branches.sort(), [
      ['base', 'echo: base', 'left', 'echo: left'],
      ['base', 'echo: base', 'right', 'echo: right'],
    ]);
  });

  test('stores a channel value once per version, not in every checkpoint', async () => {
    const graph = createEchoGraph(open());
    for (const text of ['one', 'two', 'three']) await graph.invoke(say(text), thread('t'));
    const checkpoints = count('SELECT count(*) AS n FROM checkpoints');
    const messageBlobs = count("SELECT count(*) AS n FROM checkpoint_blobs WHERE channel = 'messages'");
    // Each run changes messages twice (input, echo) across three checkpoints.
    assert.equal(checkpoints, 9);
    assert.equal(messageBlobs, 6);
  });

  test('versions increase and never repeat', () => {
    const saver = open();
    const minted = new Set<number>();
    for (let i = 0; i < 1000; i += 1) minted.add(saver.getNextVersion(3));
    assert.equal(minted.size, 1000);
    for (const version of minted) assert.ok(version >= 4 && version < 5);
    assert.ok(saver.getNextVersion(undefined) >= 1);
    assert.ok(saver.getNextVersion(4.9) > 4.9);
  });

  describe('list', () => {
    const metadata = (extra: Record<string, unknown>) => ({ source: 'update', step: 1, parents: {}, ...extra }) as CheckpointMetadata;
    const seed = async (saver: SqliteSaver) => {
      const rows: Array<[string, Record<string, unknown>]> = [
        ['a', { user: 'ann', flag: true, score: 1.5, tags: ['x', 'y'], note: null }],
        ['a', { user: 'bob', flag: false, score: 2, tags: ['y'] }],
        ['b', { user: 'ann', flag: true, score: 2, nested: { deep: 1 } }],
      ];
      const ids: string[] = [];
      for (const [threadId, extra] of rows) {
        const checkpoint = { ...emptyCheckpoint(), id: uuid6(-3) };
        await saver.put(thread(threadId), checkpoint, metadata(extra), {});
        ids.push(checkpoint.id);
      }
      return ids;
    };
    const listIds = async (saver: SqliteSaver, config: object, options: object) => {
      const ids = [];
      for await (const tuple of saver.list(config, options)) ids.push(tuple.checkpoint.id);
      return ids;
    };

    test('filters metadata by JSON type and value', async () => {
      const saver = open();
      const [first, second, third] = await seed(saver);
      const cases: Array<[Record<string, unknown>, Array<string | undefined>]> = [
        [{ user: 'ann' }, [third, first]],
        [{ flag: true }, [third, first]],
        [{ flag: false }, [second]],
        [{ score: 2 }, [third, second]],
        [{ score: 1.5, user: 'ann' }, [first]],
        [{ tags: ['x', 'y'] }, [first]],
        [{ note: null }, [first]],
        [{ nested: { deep: 1 } }, [third]],
        [{ user: 'ann', flag: false }, []],
        [{ score: '2' }, []],
        [{ flag: 1 }, []],
        [{ step: 1, source: 'update', parents: {} }, [third, second, first]],
        [{ user: undefined }, [third, second, first]],
      ];
      for (const [filter, expected] of cases) {
        assert.deepEqual(await listIds(saver, {}, { filter }), expected, JSON.stringify(filter));
      }
    });

    test('narrows by thread, before and limit, newest first', async () => {
      const saver = open();
      const [first, second, third] = await seed(saver);
      assert.deepEqual(await listIds(saver, thread('a'), {}), [second, first]);
      assert.deepEqual(await listIds(saver, {}, { limit: 2 }), [third, second]);
      assert.deepEqual(await listIds(saver, {}, { limit: 0 }), []);
      assert.deepEqual(await listIds(saver, {}, { before: { configurable: { checkpoint_id: third } } }), [second, first]);
      assert.deepEqual(await listIds(saver, { configurable: { thread_id: 'a', checkpoint_ns: 'sub' } }, {}), []);
    });

    test('rejects a filter value that is not JSON', async () => {
      const saver = open();
      await assert.rejects(listIds(saver, {}, { filter: { user: () => 'ann' } }), UserError);
    });
  });

  describe('putWrites', () => {
    const setup = async () => {
      const saver = open();
      const config = await saver.put(thread('w'), { ...emptyCheckpoint(), id: uuid6(-3) }, { source: 'loop', step: 0, parents: {} }, {});
      return { saver, config };
    };

    test('returns writes ordered by task path, task id and index, with the path stored', async () => {
      const { saver, config } = await setup();
      await saver.putWrites(
        config,
        [
          ['messages', 'late'],
          ['other', 'second'],
        ],
        'task-a',
        '~__pregel_pull, z',
      );
      await saver.putWrites(config, [['messages', 'early']], 'task-b', '~__pregel_pull, a');
      await saver.putWrites(config, [['messages', 'input']], 'task-c');
      const tuple = await saver.getTuple(config);
      assert.deepEqual(tuple?.pendingWrites, [
        ['task-c', 'messages', 'input'],
        ['task-b', 'messages', 'early'],
        ['task-a', 'messages', 'late'],
        ['task-a', 'other', 'second'],
      ]);
      assert.equal(count("SELECT count(*) AS n FROM writes WHERE task_path = '~__pregel_pull, z'"), 2);
    });

    test('keeps the first regular write of a task but replaces special ones', async () => {
      const { saver, config } = await setup();
      await saver.putWrites(config, [['messages', 'first']], 'task');
      await saver.putWrites(config, [['messages', 'retry']], 'task');
      await saver.putWrites(config, [[ERROR, 'boom 1']], 'task');
      await saver.putWrites(config, [[ERROR, 'boom 2']], 'task');
      // Channels named like Object.prototype members are regular channels.
      await saver.putWrites(config, [['constructor', 'plain']], 'task-2');
      const tuple = await saver.getTuple(config);
      assert.deepEqual(tuple?.pendingWrites, [
        ['task', ERROR, 'boom 2'],
        ['task', 'messages', 'first'],
        ['task-2', 'constructor', 'plain'],
      ]);
    });

    test('needs a thread and a checkpoint id, and says which is missing', async () => {
      const { saver } = await setup();
      await assert.rejects(
        saver.putWrites({ configurable: { checkpoint_id: 'x' } }, [['c', 1]], 'task'),
        (error: unknown) => error instanceof UserError && /thread_id is missing/.test(error.message),
      );
      await assert.rejects(
        saver.putWrites(thread('w'), [['c', 1]], 'task'),
        (error: unknown) => error instanceof UserError && /checkpoint_id is missing/.test(error.message),
      );
      await assert.rejects(saver.put({}, emptyCheckpoint(), { source: 'input', step: -1, parents: {} }, {}), UserError);
    });

    test('writes of one turn commit together, and one that fails fails alone', async () => {
      const { saver, config } = await setup();
      const db = new DatabaseSync(file);
      db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON writes WHEN NEW.task_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
      db.close();
      const results = await Promise.allSettled([
        saver.putWrites(config, [['messages', 'one']], 'good-1'),
        saver.putWrites(config, [['messages', 'never']], 'bad'),
        saver.putWrites(config, [['messages', 'two']], 'good-2'),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.match(String((results[1] as PromiseRejectedResult).reason), /refused/);
      assert.deepEqual((await saver.getTuple(config))?.pendingWrites, [
        ['good-1', 'messages', 'one'],
        ['good-2', 'messages', 'two'],
      ]);
    });

    test('a read sees the writes still waiting for their commit, and close commits them', async () => {
      const { saver, config } = await setup();
      const written = saver.putWrites(config, [['messages', 'queued']], 'task');
      // Serialized and queued (microtasks), not committed yet (that waits for the turn's end).
      await new Promise((resolve) => process.nextTick(resolve));
      assert.equal(count("SELECT count(*) AS n FROM writes WHERE task_id = 'task'"), 0);
      assert.deepEqual((await saver.getTuple(config))?.pendingWrites, [['task', 'messages', 'queued']]);
      await written;
      const late = saver.putWrites(config, [['messages', 'at close']], 'task-2');
      await new Promise((resolve) => process.nextTick(resolve));
      saver.close();
      await late;
      assert.equal(count("SELECT count(*) AS n FROM writes WHERE task_id = 'task-2'"), 1);
    });
  });

  test('deleteThread removes the checkpoints, values and writes of that thread only', async () => {
    const saver = open();
    const graph = createEchoGraph(saver);
    await graph.invoke(say('keep'), thread('keep'));
    await graph.invoke(say('drop'), thread('drop'));
    const config = (await saver.getTuple(thread('drop')))?.config;
    assert.ok(config);
    await saver.putWrites(config, [['messages', 'pending']], 'task');
    await saver.deleteThread('drop');
    for (const table of ['checkpoints', 'checkpoint_blobs', 'writes']) {
      assert.equal(count(`SELECT count(*) AS n FROM ${table} WHERE thread_id = ?`, 'drop'), 0, table);
    }
    assert.equal(await saver.getTuple(thread('drop')), undefined);
    assert.equal((await graph.getState(thread('keep'))).values.messages.length, 2);
  });

  test('two connections to one file share threads while writing at once', async () => {
    const left = createEchoGraph(open());
    const right = createEchoGraph(open());
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? left : right).invoke(say(`m${i}`), thread(`t${i}`))));
    for (let i = 0; i < 10; i += 1) {
      const state = await (i % 2 === 0 ? right : left).getState(thread(`t${i}`));
      assert.deepEqual(textsOf(state.values.messages as BaseMessage[]), [`m${i}`, `echo: m${i}`]);
    }
  });

  test('migrates once, closes idempotently and also works in memory', async () => {
    open().close();
    const saver = open();
    saver.close();
    saver.close();
    assert.equal(count("SELECT count(*) AS n FROM schema_migrations WHERE component = 'checkpoint'"), 1);
    const memory = new SqliteSaver({ path: ':memory:' });
    savers.push(memory);
    const result = await createEchoGraph(memory).invoke(say('hi'), thread('m'));
    assert.deepEqual(textsOf(result.messages), ['hi', 'echo: hi']);
  });
});
