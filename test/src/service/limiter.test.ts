import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedLimiter } from '../../../src/service/index.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

test('runs up to `concurrency` jobs per key, queues up to `queue`, refuses the rest', async () => {
  const limiter = new KeyedLimiter({ concurrency: 2, queue: 1 });
  const gates = [deferred(), deferred(), deferred()];
  const started: number[] = [];
  const tickets = gates.map((gate, i) => {
    const ticket = limiter.reserve('a')!;
    ticket.start(async () => {
      started.push(i);
      await gate.promise;
    });
    return ticket;
  });
  assert.equal(limiter.reserve('a'), undefined, 'two running and one queued: full');
  assert.ok(limiter.reserve('b'), 'other keys have their own lane');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(limiter.load('a'), { active: 2, waiting: 1 });
  assert.equal(tickets[0]!.running, true);
  gates[0]!.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, [0, 1, 2], 'a slot freed starts the next in line');
  gates[1]!.resolve();
  gates[2]!.resolve();
});

test('a waiting ticket can be cancelled; a running one cannot; force ignores the cap', async () => {
  const limiter = new KeyedLimiter({ concurrency: 1, queue: 1 });
  const gate = deferred();
  const first = limiter.reserve('k')!;
  first.start(() => gate.promise);
  const second = limiter.reserve('k')!;
  let ran = false;
  second.start(async () => void (ran = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(first.cancel(), false);
  assert.equal(second.cancel(), true);
  assert.ok(limiter.reserve('k', { force: true }), 'work already accepted is never refused');
  gate.resolve();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(ran, false);
  const reserved = limiter.reserve('x')!;
  assert.equal(reserved.cancel(), true, 'a reservation never started can be given back');
  assert.deepEqual(limiter.load('x'), { active: 0, waiting: 0 });
});
