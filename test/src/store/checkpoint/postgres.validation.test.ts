// The same conformance suite against the Postgres path of createCheckpointer: every checkpointer
// gets a fresh random schema, dropped when the checkpointer is destroyed. Needs PostgreSQL.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { deltaChannelHistoryTests, validate, type CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import pg from 'pg';
import { createCheckpointer, type Checkpointer } from '../../../../src/store/checkpoint/index.ts';
import { installJestGlobals } from './jestGlobals.ts';

installJestGlobals();

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000 });
const open = new Map<BaseCheckpointSaver, { checkpointer: Checkpointer; schema: string }>();

const initializer: CheckpointSaverTestInitializer<BaseCheckpointSaver> = {
  checkpointerName: 'PostgresSaver (createCheckpointer)',
  async beforeAll() {
    try {
      await admin.query('SELECT 1');
    } catch (error) {
      throw new Error(`these tests need PostgreSQL at ${url} (set TEST_DATABASE_URL): ${(error as Error).message}`, {
        cause: error,
      });
    }
  },
  async afterAll() {
    await admin.end();
  },
  async createCheckpointer() {
    const schema = `test_checkpoint_${randomBytes(6).toString('hex')}`;
    const checkpointer = await createCheckpointer({ databaseUrl: url, dataDir: tmpdir(), schema });
    open.set(checkpointer.saver, { checkpointer, schema });
    return checkpointer.saver;
  },
  async destroyCheckpointer(saver) {
    const entry = open.get(saver);
    if (entry === undefined) return;
    open.delete(saver);
    await entry.checkpointer.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${entry.schema}" CASCADE`);
  },
};

validate(initializer);
deltaChannelHistoryTests(initializer);
