import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { openPostgresIncidentRepository } from '../../../servers/incident/postgresRepository.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import { describeError } from '../../../src/errors.ts';
import { createPostgresStore } from '../../../src/store/index.ts';
import { describeIncidentRepository, type RepositoryHarness } from './repositorySuite.ts';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

before(async () => {
  const admin = createPostgresStore({ connectionString: url, max: 1 });
  try {
    await admin.query('SELECT 1');
  } catch (error) {
    throw new Error(`these tests need PostgreSQL at ${url} (set TEST_DATABASE_URL): ${describeError(error)}`, { cause: error });
  } finally {
    await admin.close();
  }
});

async function postgresHarness(): Promise<RepositoryHarness & { schema: string }> {
  const schema = `test_incident_${randomBytes(8).toString('hex')}`;
  const opened: IncidentRepository[] = [];
  return {
    schema,
    async open(options = {}) {
      const repository = await openPostgresIncidentRepository({ connectionString: url, schema, max: 2, ...options });
      opened.push(repository);
      return repository;
    },
    async dispose() {
      await Promise.all(opened.map((repository) => repository.close()));
      const admin = createPostgresStore({ connectionString: url, max: 1 });
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.close();
      }
    },
  };
}

describeIncidentRepository('PostgreSQL', postgresHarness);

test('PostgreSQL: tables live in their own schema, migrated once, journal append-only', async () => {
  const harness = await postgresHarness();
  const admin = createPostgresStore({ connectionString: url, max: 1 });
  try {
    const clients = await Promise.all(Array.from({ length: 6 }, () => harness.open()));
    await clients[0]!.create({ short_description: 'x', work_note: 'note' }, 'alice');
    await clients[1]!.update('INC0010001', { urgency: 1 }, 'alice');
    const tables = await admin.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [harness.schema],
    );
    assert.deepEqual(
      tables.rows.map((row) => row.table_name),
      ['counters', 'incident_audit', 'incident_work_notes', 'incidents', 'schema_migrations'],
    );
    const migrations = await admin.query(`SELECT component, version FROM ${harness.schema}.schema_migrations`);
    assert.deepEqual(migrations.rows, [{ component: 'incident', version: 1 }]);
    await assert.rejects(admin.query(`UPDATE ${harness.schema}.incident_work_notes SET body = 'x'`), /append-only/);
    await assert.rejects(admin.query(`DELETE FROM ${harness.schema}.incident_audit`), /append-only/);
  } finally {
    await admin.close();
    await harness.dispose();
  }
});

test('PostgreSQL: an unreachable server fails at open with a message naming it', async () => {
  await assert.rejects(
    openPostgresIncidentRepository({ connectionString: 'postgres://postgres:secret@127.0.0.1:1/test', schema: 'never_created' }),
    (error: unknown) =>
      error instanceof Error &&
      /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/test/.test(error.message) &&
      !error.message.includes('secret'),
  );
});
