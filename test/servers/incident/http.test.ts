import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createIncidentAgent } from '../../../servers/incident/index.ts';
import { openPostgresIncidentRepository } from '../../../servers/incident/postgresRepository.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import { openSqliteIncidentRepository } from '../../../servers/incident/sqliteRepository.ts';
import { describeAgentContract } from '../../helpers/agentContract.ts';
import { connectStreamable, serve } from '../../helpers/mcpClient.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../../helpers/postgres.ts';

type Created = { structuredContent?: { incident?: { number: string }; created?: boolean } };

async function clients(url: string, n: number): Promise<Client[]> {
  return Promise.all(Array.from({ length: n }, async () => (await connectStreamable(url)).client));
}

/** 200 creates from 8 clients, 5 with one key, a restart: on any store. */
async function concurrencyAndRestart(open: () => Promise<IncidentRepository>): Promise<void> {
  let server = await serve(createIncidentAgent({ repository: await open() }));
  try {
    const pool = await clients(server.url, 8);
    const creates = Array.from({ length: 200 }, (_, i) =>
      pool[i % 8]!.callTool({
        name: 'create_incident',
        arguments: { short_description: `Printer ${i} jams`, caller: `user${i % 8}`, urgency: 'low', impact: 'low' },
      }),
    );
    const numbers = (await Promise.all(creates)).map((r) => (r as Created).structuredContent!.incident!.number);
    assert.equal(new Set(numbers).size, 200, '200 distinct numbers');
    assert.ok(numbers.every((n) => /^INC\d{7}$/.test(n)));

    const keyed = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        pool[i]!.callTool({
          name: 'create_incident',
          arguments: {
            short_description: 'VPN down for the Lyon office',
            caller: 'amelie',
            urgency: 'high',
            impact: 'medium',
            idempotency_key: 'lyon-vpn-2026-11-22',
          },
        }),
      ),
    );
    const keyedNumbers = new Set(keyed.map((r) => (r as Created).structuredContent!.incident!.number));
    assert.equal(keyedNumbers.size, 1, 'one idempotency key, one incident');
    assert.equal(keyed.filter((r) => (r as Created).structuredContent!.created).length, 1, 'exactly one call created it');
    await Promise.all(pool.map((c) => c.close()));
  } finally {
    await server.close();
  }

  server = await serve(createIncidentAgent({ repository: await open() }));
  try {
    const { client } = await connectStreamable(server.url);
    const found = (await client.callTool({ name: 'search_incidents', arguments: { query: 'printer jams', limit: 5 } })) as unknown as {
      structuredContent: { total: number };
    };
    assert.equal(found.structuredContent.total, 200, 'all 200 are still there after a restart');
    const vpn = (await client.callTool({ name: 'search_incidents', arguments: { query: 'VPN Lyon' } })) as unknown as {
      structuredContent: { total: number };
    };
    assert.equal(vpn.structuredContent.total, 1);
    await client.close();
  } finally {
    await server.close();
  }
}

describe('incident agent over Streamable HTTP', () => {
  test('SQLite: 200 concurrent creates from 8 clients, one key one incident, survives a restart', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-incident-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await concurrencyAndRestart(() => openSqliteIncidentRepository({ path: join(dir, 'incident.sqlite') }));
  });

  test('PostgreSQL: the same', async (t) => {
    const schema = freshSchema('test_incident_http');
    t.after(() => dropSchema(schema));
    await concurrencyAndRestart(() => openPostgresIncidentRepository({ connectionString: TEST_DATABASE_URL, schema }));
  });
});

test('regression: over HTTP on PostgreSQL a NUL gets a tool error naming the field, not a database error', async (t) => {
  const schema = freshSchema('test_incident_nul');
  t.after(() => dropSchema(schema));
  const server = await serve(
    createIncidentAgent({ repository: await openPostgresIncidentRepository({ connectionString: TEST_DATABASE_URL, schema }) }),
  );
  t.after(() => server.close());
  const { client } = await connectStreamable(server.url);
  t.after(() => client.close());
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { type: string; text: string }[] };
  const refusals = [
    ['create_incident', { short_description: 'VPN\u0000down' }, 'short_description'],
    ['create_incident', { short_description: 'VPN down', work_note: '\u0000' }, 'work_note'],
    ['update_incident', { number: 'INC0010001', work_note: 'a\u0000b' }, 'work_note'],
    ['search_incidents', { query: 'vpn\u0000' }, 'query'],
  ] as const;
  for (const [name, args, field] of refusals) {
    const result = await call(name, args);
    assert.equal(result.isError, true, `${name} ${field}`);
    const text = result.content[0]?.text ?? '';
    assert.match(
      text,
      new RegExp(`control character U\\+0000 at character \\d+ \\(only tab, newline and carriage return are allowed\\) at ${field}$`),
    );
    assert.doesNotMatch(text, /invalid byte sequence|UTF8|0x00/);
  }
  const created = await call('create_incident', { short_description: 'VPN down', description: 'Windows text\r\n\twith a tab' });
  assert.equal(created.isError, undefined);
  assert.match(created.content[0]?.text ?? '', /^INC0010001 created/);
});

describeAgentContract({
  name: 'incident',
  create: async (dir) => createIncidentAgent({ repository: await openSqliteIncidentRepository({ path: join(dir, 'incident.sqlite') }) }),
  sample: {
    tool: 'search_incidents',
    args: { query: 'printer' },
    check: (s) => assert.equal(s['total'], 0),
  },
  badArgs: {
    create_incident: { short_description: 42, urgency: 'extreme' },
    update_incident: { number: 'not-a-number', state: 'Exploded' },
    get_incident: { number: ['INC0010001'] },
    search_incidents: { limit: 'ten', state: 7 },
  },
});
