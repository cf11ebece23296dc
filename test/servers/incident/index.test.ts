import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import createAgent, { INCIDENT_INSTRUCTIONS, createIncidentAgent, openIncidentRepository } from '../../../servers/incident/index.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import { loadEnv } from '../../../src/config/env.ts';
import { UpstreamError } from '../../../src/errors.ts';

test('the default factory uses SQLite under SWITCHBOARD_DATA_DIR and reports it ready', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-incident-agent-'));
  try {
    const agent = await createAgent(loadEnv({ SWITCHBOARD_DATA_DIR: dir }));
    assert.equal(agent.name, 'incident');
    assert.deepEqual(
      agent.tools.map((tool) => tool.name),
      ['create_incident', 'update_incident', 'get_incident', 'search_incidents'],
    );
    assert.equal(agent.instructions, INCIDENT_INSTRUCTIONS);
    assert.match(agent.instructions, /INC0010001/);
    assert.ok(existsSync(join(dir, 'incident.sqlite')));
    assert.deepEqual(await agent.readiness?.(), { ready: true, store: 'sqlite' });
    await agent.close?.();
    assert.deepEqual(await agent.readiness?.(), {
      ready: false,
      store: 'sqlite',
      error: 'the incident repository is closed',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('DATABASE_URL selects PostgreSQL, and an unreachable one fails at start with its address', async () => {
  await assert.rejects(
    openIncidentRepository(loadEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' })),
    (error: unknown) => error instanceof UpstreamError && /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/test/.test(error.message),
  );
});

test('createIncidentAgent reports the store kind and closes the repository it was given', async () => {
  let closed = 0;
  let healthy = true;
  const repository = {
    kind: 'postgres',
    async ping() {
      if (!healthy) throw new Error('connection terminated');
    },
    async close() {
      closed += 1;
    },
  } as unknown as IncidentRepository;
  const agent = createIncidentAgent({ repository });
  assert.deepEqual(await agent.readiness?.(), { ready: true, store: 'postgres' });
  healthy = false;
  assert.deepEqual(await agent.readiness?.(), { ready: false, store: 'postgres', error: 'connection terminated' });
  await agent.close?.();
  assert.equal(closed, 1);
});
