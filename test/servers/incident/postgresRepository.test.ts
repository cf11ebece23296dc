import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { openPostgresIncidentRepository } from '../../../servers/incident/postgresRepository.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import { describeError } from '../../../src/errors.ts';
import { POSTGRES_MIGRATIONS } from '../../../servers/incident/migrations.ts';
import { createPostgresStore, migratePostgres } from '../../../src/store/index.ts';
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
      ['counters', 'idempotency_keys', 'incident_audit', 'incident_work_notes', 'incidents', 'schema_migrations'],
    );
    const migrations = await admin.query(`SELECT component, version FROM ${harness.schema}.schema_migrations`);
    assert.deepEqual(migrations.rows, [
      { component: 'incident', version: 1 },
      { component: 'incident', version: 2 },
      { component: 'incident', version: 3 },
    ]);
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

test('regression: an incident database of version 1 is migrated in place and its incidents are found by the new search', async () => {
  const harness = await postgresHarness();
  const old = createPostgresStore({ connectionString: url, schema: harness.schema, max: 1 });
  try {
    await migratePostgres(old, 'incident', POSTGRES_MIGRATIONS.slice(0, 1));
    const insert = `INSERT INTO incidents (number, short_description, description, caller, opened_by, category, urgency, impact,
      priority, state, version, opened_at, updated_at, notes_text) VALUES ($1, $2, $3, 'amelie', 'amelie', 'network', 2, 2, 3, 'New', 1,
      '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', $4)`;
    // More than one backfill batch.
    for (let i = 3; i <= 1201; i += 1) await old.query(insert, [`INC${String(10000 + i).padStart(7, '0')}`, `Disk ${i} full`, null, '']);
    await old.query(insert, ['INC0010001', 'Wi-Fi drops in building B', 'Laptops lose the network', 'Replaced the access point']);
    await old.query(insert, ['INC0010002', 'Printer jam', null, '']);
    await old.query("UPDATE counters SET value = 11201 WHERE name = 'incident'");
    await old.close();

    const repository = await harness.open();
    const numbers = async (text: string) => (await repository.search({ text })).incidents.map((hit) => hit.number);
    assert.deepEqual(await numbers('wifi'), ['INC0010001']);
    assert.deepEqual(await numbers('access point'), ['INC0010001']);
    assert.deepEqual(await numbers('wifi related incidents'), ['INC0010001']);
    assert.equal((await repository.search({ text: 'disk' })).total, 1199);
    assert.equal((await repository.create({ short_description: 'WiFi slow' }, 'bob')).incident.number, 'INC0011202');
    await repository.update('INC0010002', { work_note: 'wifi printer now' }, 'bob');
    assert.deepEqual(await numbers('wi-fi'), ['INC0011202', 'INC0010001', 'INC0010002']);
    const admin = createPostgresStore({ connectionString: url, max: 1 });
    try {
      const versions = await admin.query(`SELECT version FROM ${harness.schema}.schema_migrations ORDER BY version`);
      assert.deepEqual(
        versions.rows.map((row) => row.version),
        [1, 2, 3],
      );
      const unindexed = await admin.query(`SELECT count(*)::int AS n FROM ${harness.schema}.incidents WHERE search_vector IS NULL`);
      assert.equal(unindexed.rows[0]?.n, 0);
    } finally {
      await admin.close();
    }
  } finally {
    await old.close();
    await harness.dispose();
  }
});
