import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RunEventBus, followRun } from '../../../src/service/index.ts';
import type { RunStore, StoredEvent } from '../../../src/service/runStore.ts';

const event = (seq: number, type = 'tool_start'): StoredEvent => ({ runId: 'r1', seq, type, data: {}, createdAt: '' });

/** A store that only counts its reads and answers from `stored` (events appended by "another process"). */
function countingStore(stored: StoredEvent[] = []) {
  const reads = { eventsAfter: 0, getRun: 0 };
  const store = {
    watch: () => () => {},
    eventsAfter: async (_runId: string, after: number) => (reads.eventsAfter++, stored.filter((e) => e.seq > after)),
    getRun: async () => (reads.getRun++, { status: 'running' }),
  } as unknown as RunStore;
  return { store, reads, stored };
}

describe('followRun', () => {
  test('events published in this process are delivered without reading them back from the store', async () => {
    const { store, reads } = countingStore();
    const bus = new RunEventBus(store);
    const seen: string[] = [];
    const followed = followRun({ store, bus, runId: 'r1', after: 0, onEvent: (e) => void seen.push(`${e.seq}:${e.type}`), pollMs: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    bus.publish('r1', [event(1), event(2)]);
    await new Promise((resolve) => setImmediate(resolve));
    bus.publish('r1', [event(3)]);
    await new Promise((resolve) => setImmediate(resolve));
    bus.publish('r1', [event(4, 'answer')]);
    assert.equal(await followed, 'settled');
    assert.deepEqual(seen, ['1:tool_start', '2:tool_start', '3:tool_start', '4:answer']);
    // Only the catch-up read before anything was published.
    assert.deepEqual(reads, { eventsAfter: 1, getRun: 1 });
  });

  test('after local events it still polls the store, for events appended by another process', async () => {
    const { store, stored } = countingStore();
    const bus = new RunEventBus(store);
    const seen: number[] = [];
    const followed = followRun({ store, bus, runId: 'r1', after: 0, onEvent: (e) => void seen.push(e.seq), pollMs: 20 });
    await new Promise((resolve) => setImmediate(resolve));
    bus.publish('r1', [event(1)]);
    stored.push(event(1), event(2, 'answer')); // another replica took the run over and finished it, unannounced
    assert.equal(await followed, 'settled');
    assert.deepEqual(seen, [1, 2]);
  });
});
