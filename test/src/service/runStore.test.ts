import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openPostgresRunStore, openSqliteRunStore, type RunStore } from '../../../src/service/index.ts';
import type { NewRun, StoreNotice } from '../../../src/service/runStore.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../../helpers/postgres.ts';

let counter = 0;
const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
  id: `run-${++counter}-${Math.random().toString(36).slice(2)}`,
  threadId: `thread-${counter}-${Math.random().toString(36).slice(2)}`,
  owner: 'key-aaaa',
  request: 'hello',
  model: 'offline',
  servers: ['incident'],
  approvals: 'pause',
  replicaId: 'r1',
  ...overrides,
});

/** The contract every run store keeps, whatever the database. */
function storeContract(
  name: string,
  open: () => Promise<{ store: RunStore; reopen: () => Promise<RunStore>; cleanup: () => Promise<void> }>,
) {
  describe(`${name} run store`, () => {
    let store: RunStore;
    let reopen: () => Promise<RunStore>;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, reopen, cleanup } = await open());
    });
    after(async () => {
      await store?.close();
      await cleanup?.();
    });

    test('a run is created queued, with its thread owned by its key', async () => {
      const spec = newRun();
      const created = await store.createRun(spec);
      assert.ok(created.ok);
      assert.equal(created.run.status, 'queued');
      assert.deepEqual(created.run.segment, { kind: 'request', text: 'hello' });
      assert.equal(created.run.lastSeq, 0);
      assert.deepEqual(created.run.servers, ['incident']);
      assert.equal((await store.getThread(spec.threadId))?.owner, 'key-aaaa');
      const busy = await store.createRun(newRun({ threadId: spec.threadId }));
      assert.deepEqual(busy, { ok: false, reason: 'thread_busy', activeRunId: spec.id });
      const foreign = await store.createRun(newRun({ threadId: spec.threadId, owner: 'key-bbbb' }));
      assert.deepEqual(foreign, { ok: false, reason: 'thread_foreign' });
      await store.update(spec.id, { set: { status: 'completed' } });
      assert.ok((await store.createRun(newRun({ threadId: spec.threadId }))).ok, 'a finished run frees the thread');
    });

    test('retention deletes finished runs older than the cut-off with their events, and nothing else', async () => {
      const old = Date.parse('2026-01-01T00:00:00Z');
      const made = async (status: 'completed' | 'failed' | 'cancelled' | 'running' | 'waiting_approval', finishedAt: number | null) => {
        const created = await store.createRun(newRun());
        assert.ok(created.ok);
        await store.update(created.run.id, {
          set: { status, finishedAt: finishedAt === null ? null : new Date(finishedAt).toISOString() },
          events: [{ type: 'run_started', data: {} }],
        });
        return created.run;
      };
      const expired = await Promise.all([made('completed', old), made('failed', old), made('cancelled', old)]);
      const recent = await made('completed', old + 10 * 86_400_000);
      const active = [await made('running', null), await made('waiting_approval', null)];
      const cutoff = new Date(old + 86_400_000).toISOString();
      assert.equal(await store.deleteFinished(cutoff, 2), 2, 'at most a batch at a time');
      assert.equal(await store.deleteFinished(cutoff), 1);
      assert.equal(await store.deleteFinished(cutoff), 0);
      for (const run of expired) {
        assert.equal(await store.getRun(run.id), undefined);
        assert.deepEqual(await store.eventsAfter(run.id, 0, 10), []);
        assert.ok(await store.getThread(run.threadId), 'the thread stays');
      }
      for (const run of [recent, ...active]) {
        assert.ok(await store.getRun(run.id), run.id);
        assert.equal((await store.eventsAfter(run.id, 0, 10)).length, 1);
      }
    });

    test('event seqs are gapless and unique under concurrent appends', async () => {
      const { run } = (await store.createRun(newRun())) as { ok: true; run: { id: string } };
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendEvents(run.id, [
            { type: 'a', data: { i } },
            { type: 'b', data: { i } },
          ]),
        ),
      );
      const events = await store.eventsAfter(run.id, 0);
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      assert.equal((await store.getRun(run.id))?.lastSeq, 40);
      assert.deepEqual(
        (await store.eventsAfter(run.id, 38)).map((e) => e.seq),
        [39, 40],
      );
      assert.equal((await store.eventsAfter(run.id, 0, 5)).length, 5);
      assert.equal((await store.eventsOfTypes(run.id, ['b'])).length, 20);
    });

    test('updates are compare-and-set, with their events in the same transaction', async () => {
      const { run } = (await store.createRun(newRun())) as { ok: true; run: { id: string } };
      const done = await store.update(run.id, {
        from: ['queued'],
        set: { status: 'running', toolCalls: [], pending: [], cancelRequested: true },
        events: [{ type: 'run_started', data: { x: 1 } }],
      });
      assert.equal(done?.run.status, 'running');
      assert.equal(done?.run.cancelRequested, true);
      assert.deepEqual(
        done?.events.map((e) => [e.seq, e.type, e.data]),
        [[1, 'run_started', { x: 1 }]],
      );
      assert.equal(await store.update(run.id, { from: ['queued'], set: { status: 'cancelled' } }), undefined, 'the status moved on');
      assert.equal(await store.update('missing', { set: { status: 'failed' } }), undefined);
      assert.deepEqual(await store.heartbeat('r1', [run.id, 'other']), [run.id], 'the heartbeat reports cancel requests');
      assert.deepEqual(await store.heartbeat('r9', [run.id]), [], 'only for runs the replica holds');
    });

    test('orphans are claimed once: interrupted runs, and runs with a stale heartbeat', async () => {
      const interrupted = (await store.createRun(newRun({ replicaId: 'gone' }))) as { ok: true; run: { id: string } };
      await store.update(interrupted.run.id, { set: { status: 'interrupted', replicaId: null } });
      const stale = (await store.createRun(newRun({ replicaId: 'gone' }))) as { ok: true; run: { id: string } };
      await store.update(stale.run.id, { set: { status: 'running' } });
      // Let the heartbeat age past the threshold below; the threshold is wide enough that a claim just
      // made is not stale again by the time the other replica looks (20 ms was, on a busy machine).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const other = await reopen();
      try {
        const [first, second] = await Promise.all([store.claimOrphans('r2', 1_000), other.claimOrphans('r3', 1_000)]);
        const ids = [...first, ...second].map((r) => r.id);
        assert.equal(new Set(ids).size, ids.length, 'each orphan is taken by one replica only');
        assert.ok(ids.includes(interrupted.run.id) && ids.includes(stale.run.id));
        assert.ok([...first, ...second].every((r) => r.status === 'queued'));
        assert.deepEqual(await store.claimOrphans('r4', 60_000), []);
      } finally {
        await other.close();
      }
    });

    test('listing is per owner, newest first', async () => {
      const spec = newRun({ owner: 'key-list' });
      await store.createRun(spec);
      await store.update(spec.id, { set: { status: 'completed' } });
      await store.createRun(newRun({ owner: 'key-list', threadId: spec.threadId }));
      const runs = await store.listRuns('key-list');
      assert.equal(runs.length, 2);
      assert.ok(runs[0]!.createdAt >= runs[1]!.createdAt);
      assert.equal((await store.listRuns('key-list', { threadId: spec.threadId, limit: 1 })).length, 1);
      assert.deepEqual(await store.listRuns('key-nobody'), []);
    });

    if (name === 'PostgreSQL') {
      test('appends and cancel requests are announced to other connections', async () => {
        const other = await reopen();
        try {
          const notices: StoreNotice[] = [];
          let got!: () => void;
          const two = new Promise<void>((resolve) => (got = resolve));
          other.watch((notice) => {
            notices.push(notice);
            if (notices.length === 2) got();
          });
          const { run } = (await store.createRun(newRun())) as { ok: true; run: { id: string } };
          // the listener connects lazily: keep appending until it hears one
          const timer = setInterval(() => void store.appendEvents(run.id, [{ type: 'x', data: {} }]), 50);
          await new Promise<void>((resolve) => other.watch((n) => n.runId === run.id && resolve()));
          clearInterval(timer);
          await store.update(run.id, { set: { cancelRequested: true } });
          await two;
          assert.ok(notices.some((n) => n.runId === run.id && n.kind === 'event'));
          await new Promise<void>((resolve) => {
            const check = () => (notices.some((n) => n.kind === 'cancel' && n.runId === run.id) ? resolve() : setTimeout(check, 10));
            check();
          });
        } finally {
          await other.close();
        }
      });
    }
  });
}

storeContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-runstore-'));
  const path = join(dir, 'service.sqlite');
  return {
    store: await openSqliteRunStore({ path }),
    reopen: () => openSqliteRunStore({ path }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

storeContract('PostgreSQL', async () => {
  const schema = freshSchema('runstore');
  const open = () => openPostgresRunStore({ connectionString: TEST_DATABASE_URL, schema });
  return { store: await open(), reopen: open, cleanup: () => dropSchema(schema) };
});

describe('SQLite run store group commit', () => {
  test('writes of one turn see each other in order, and one that fails fails alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-runstore-'));
    const store = await openSqliteRunStore({ path: join(dir, 'service.sqlite') });
    try {
      const first = newRun();
      // Queued together: the second sees the first's run on the thread, as when they came one after the other.
      const [created, busy, missing, appended] = await Promise.allSettled([
        store.createRun(first),
        store.createRun(newRun({ threadId: first.threadId })),
        store.appendEvents('no-such-run', [{ type: 'a', data: {} }]),
        store.appendEvents(first.id, [{ type: 'b', data: { n: 1 } }]),
      ]);
      assert.equal(created.status === 'fulfilled' && created.value.ok, true);
      assert.deepEqual(busy.status === 'fulfilled' && busy.value, { ok: false, reason: 'thread_busy', activeRunId: first.id });
      assert.match(String(missing.status === 'rejected' && missing.reason), /does not exist/);
      assert.deepEqual(appended.status === 'fulfilled' && appended.value.map((e) => e.seq), [1]);
      assert.deepEqual(
        (await store.eventsAfter(first.id, 0)).map((e) => e.type),
        ['b'],
      );
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
