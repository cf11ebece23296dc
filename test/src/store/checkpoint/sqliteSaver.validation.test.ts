// LangGraph's checkpointer conformance suite (@langchain/langgraph-checkpoint-validation), run by
// node:test through jestGlobals.ts, against SqliteSaver on a fresh file per checkpointer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deltaChannelHistoryTests, validate, type CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { SqliteSaver } from '../../../../src/store/checkpoint/index.ts';
import { installJestGlobals } from './jestGlobals.ts';

installJestGlobals();

let dir = '';
let opened = 0;

const initializer: CheckpointSaverTestInitializer<SqliteSaver> = {
  checkpointerName: 'SqliteSaver (node:sqlite)',
  async beforeAll() {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-checkpoint-validation-'));
  },
  async afterAll() {
    await rm(dir, { recursive: true, force: true });
  },
  createCheckpointer: () => SqliteSaver.open(join(dir, `saver-${++opened}.sqlite`)),
  destroyCheckpointer: (saver) => saver.close(),
};

validate(initializer);
// Opt-in in the package (not part of validate()); the saver relies on the inherited walk.
deltaChannelHistoryTests(initializer);
