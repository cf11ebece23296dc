import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPostgresIncidentRepository } from '../../../servers/incident/postgresRepository.ts';
import type { IncidentQuery, IncidentRepository } from '../../../servers/incident/repository.ts';
import { openSqliteIncidentRepository } from '../../../servers/incident/sqliteRepository.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../../helpers/postgres.ts';
import { steppingClock } from './repositorySuite.ts';
import { HELP_DESK } from './searchSuite.ts';

const QUERIES: readonly IncidentQuery[] = [
  'vpn',
  'VPN related incidents',
  'wifi',
  'wi fi',
  'e mail',
  'log in',
  'users cannot log in',
  'printer jam paper tray',
  '"paper tray" printer',
  'drops -vpn',
  '-vpn -wifi',
  'floor OR drops',
  'mail server expired',
  'cafe',
  'tunnel lyon vpn users',
  'add-in calls home',
  'certificate',
  'every few minutes',
  'network',
  '?!',
].map((text) => ({ text, limit: 100 }));

test('regression: SQLite and PostgreSQL return the same hits in the same order with the same scores', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-parity-'));
  const schema = freshSchema('test_incident_parity');
  t.after(() => rm(dir, { recursive: true, force: true }));
  t.after(() => dropSchema(schema));
  const stores: IncidentRepository[] = [
    await openSqliteIncidentRepository({ path: join(dir, 'incident.sqlite'), now: steppingClock() }),
    await openPostgresIncidentRepository({ connectionString: TEST_DATABASE_URL, schema, now: steppingClock() }),
  ];
  t.after(() => Promise.all(stores.map((store) => store.close())));
  for (const store of stores) {
    for (const incident of HELP_DESK) await store.create({ short_description: 'x', ...incident }, 'alice');
    await store.update('INC0010003', { work_note: 'Access point in the canteen replaced; wifi back to normal' }, 'bob');
    await store.update('INC0010013', { description: 'Users in Lyon and Nantes lose the VPN tunnel' }, 'bob');
  }
  const queries = [
    ...QUERIES,
    { text: 'wifi', limit: 2, offset: 1 },
    { text: 'vpn', states: ['New' as const], sort: 'priority' as const },
    { text: 'drops', sort: 'relevance' as const, order: 'asc' as const },
  ];
  for (const query of queries) {
    const [sqlite, postgres] = await Promise.all(stores.map((store) => store.search(query)));
    const view = (page: typeof sqlite) => ({ ...page, incidents: page?.incidents.map((hit) => [hit.number, hit.score]) });
    assert.deepEqual(view(postgres), view(sqlite), JSON.stringify(query));
  }
});
