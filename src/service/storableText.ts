import { storable } from '../text.ts';
import type { RunStore } from './runStore.ts';

/**
 * The store, with what it is given to write made storable first (see `storable` of src/text.ts):
 * a NUL or a lone surrogate in a tool's result or a model's answer would otherwise fail the
 * write on PostgreSQL (raw "invalid byte sequence" errors, events lost, a run recorded without
 * its tool calls). Both stores get the same, so they keep the same text.
 */
export function withStorableText(store: RunStore): RunStore {
  return {
    ...store,
    createRun: (run) => store.createRun(storable(run)),
    update: (id, options) => store.update(id, storable(options)),
    appendEvents: (runId, events) => store.appendEvents(runId, storable(events)),
  };
}
