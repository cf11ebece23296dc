import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { z } from 'zod';
import { ToolError } from '../../../src/errors.ts';
import type { ToolDefinition } from '../../../src/mcp/index.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import { openSqliteIncidentRepository } from '../../../servers/incident/sqliteRepository.ts';
import {
  CreateIncidentOutputSchema,
  GetIncidentOutputSchema,
  SearchIncidentsOutputSchema,
  UpdateIncidentOutputSchema,
} from '../../../servers/incident/schemas.ts';
import { createIncidentTools } from '../../../servers/incident/tools.ts';
import { recordingContext } from '../../helpers/toolContext.ts';

type PropertySchema = { type?: string; enum?: unknown; pattern?: string };
type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; description?: string };

// Every property, at any depth, has a description.
function assertDescribed(schema: JsonSchema, path: string): void {
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    assert.ok(property.description, `${path}.${field} has a description`);
    assertDescribed(property, `${path}.${field}`);
  }
  if (schema.items !== undefined) assertDescribed(schema.items, `${path}[]`);
}

const alice = recordingContext({ identity: { subject: 'alice', authenticated: true } });

describe('incident tools', () => {
  let dir: string;
  let repository: IncidentRepository;
  let tools: Map<string, ToolDefinition>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-incident-tools-'));
    repository = await openSqliteIncidentRepository({ path: join(dir, 'incident.sqlite') });
    tools = new Map(createIncidentTools(repository).map((tool) => [tool.name, tool]));
  });
  afterEach(async () => {
    await repository.close();
    await rm(dir, { recursive: true, force: true });
  });

  const outputs = {
    create_incident: CreateIncidentOutputSchema,
    update_incident: UpdateIncidentOutputSchema,
    get_incident: GetIncidentOutputSchema,
    search_incidents: SearchIncidentsOutputSchema,
  };
  // Parses arguments as the server would, runs the handler, and checks the result against the output schema.
  const call = async <N extends keyof typeof outputs>(name: N, args: unknown, context = alice) => {
    const tool = tools.get(name);
    assert.ok(tool, `tool ${name}`);
    assert.equal(tool.output, outputs[name]);
    const output = await tool.handler(tool.input.parse(args), context);
    assert.equal(typeof output.text, 'string');
    return { structured: outputs[name].parse(output.structured) as z.infer<(typeof outputs)[N]>, text: output.text };
  };

  test('the four tools carry titles, descriptions and honest annotations', () => {
    assert.deepEqual([...tools.keys()], ['create_incident', 'update_incident', 'get_incident', 'search_incidents']);
    const annotations = Object.fromEntries([...tools.values()].map((tool) => [tool.name, tool.annotations]));
    assert.deepEqual(annotations, {
      create_incident: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      update_incident: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
      get_incident: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      search_incidents: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    });
    for (const tool of tools.values()) {
      assert.ok(tool.title.length > 0 && tool.description.length > 80, tool.name);
    }
  });

  test('schemas convert to JSON Schema as the MCP SDK does, with a description on every field', () => {
    for (const tool of tools.values()) {
      for (const [schema, io] of [
        [tool.input, 'input'],
        [tool.output, 'output'],
      ] as const) {
        assertDescribed(z.toJSONSchema(schema, { target: 'draft-7', io }) as JsonSchema, `${tool.name} ${io}`);
      }
    }
  });

  test('create_incident takes words or numbers for urgency and impact and reports the derived priority', async () => {
    const { structured, text } = await call('create_incident', {
      short_description: '  Login fails for all users  ',
      urgency: 'high',
      impact: 1,
      category: 'software',
    });
    assert.equal(structured.created, true);
    assert.deepEqual(
      [structured.incident.number, structured.incident.short_description, structured.incident.caller, structured.incident.opened_by],
      ['INC0010001', 'Login fails for all users', 'alice', 'alice'],
    );
    assert.deepEqual(
      [structured.incident.urgency, structured.incident.urgency_label, structured.incident.priority, structured.incident.priority_label],
      [1, 'High', 1, '1 - Critical'],
    );
    assert.match(text, /^INC0010001 created\nINC0010001 \[New, 1 - Critical\] Login fails for all users/);
    const medium = await call('create_incident', { short_description: 'x', urgency: '2', impact: 'Low' });
    assert.equal(medium.structured.incident.priority_label, '4 - Low');
  });

  test('create_incident with a used idempotency key returns the first incident and says so', async () => {
    const first = await call('create_incident', { short_description: 'VPN down', idempotency_key: 'chat-42' });
    const again = await call('create_incident', { short_description: 'VPN down', idempotency_key: 'chat-42' });
    assert.equal(again.structured.created, false);
    assert.deepEqual(again.structured.incident, first.structured.incident);
    assert.match(again.text, /already existed for this idempotency_key; nothing new was created/);
    await assert.rejects(
      call('create_incident', { short_description: 'VPN down!', idempotency_key: 'chat-42' }),
      (error: unknown) =>
        error instanceof ToolError && /"chat-42" was already used by create_incident with different arguments/.test(error.message),
    );
  });

  test('update_incident with a used idempotency key returns its first result without a second work note', async () => {
    await call('create_incident', { short_description: 'Disk full' });
    const args = { number: 'INC0010001', state: 'In Progress', work_note: 'Cleaning up', idempotency_key: 'run-7:call-2' };
    const first = await call('update_incident', args);
    const again = await call('update_incident', args);
    assert.deepEqual(again.structured, first.structured);
    const read = await call('get_incident', { number: 'INC0010001' });
    assert.deepEqual(
      [read.structured.incident.version, read.structured.incident.work_notes.length],
      [first.structured.incident.version, 1],
    );
    await assert.rejects(
      call('update_incident', { ...args, work_note: 'Something else' }),
      (error: unknown) => error instanceof ToolError && /already used by update_incident with different arguments/.test(error.message),
    );
  });

  test('update_incident applies changes, notes as the caller, and lists what changed', async () => {
    await call('create_incident', { short_description: 'Disk full' });
    const bob = recordingContext({ identity: { subject: 'bob', authenticated: true } });
    const { structured, text } = await call(
      'update_incident',
      { number: 'inc0010001', state: 'In Progress', urgency: 'medium', work_note: 'Cleaning /var/log' },
      bob,
    );
    assert.deepEqual(structured.changes, [
      { field: 'urgency', from: 3, to: 2 },
      { field: 'priority', from: 5, to: 4 },
      { field: 'state', from: 'New', to: 'In Progress' },
    ]);
    assert.equal(structured.work_note_added, true);
    assert.deepEqual(
      structured.incident.work_notes.map((note) => note.author),
      ['bob'],
    );
    assert.match(text, /^INC0010001 updated: changed urgency: 3 -> 2; priority: 5 -> 4; state: New -> In Progress; work note added/);
    await assert.rejects(
      call('update_incident', { number: 'INC0010001', state: 'Resolved', resolution_code: 'Duplicate' }),
      (error: unknown) => error instanceof ToolError && /resolution_note/.test(error.message),
    );
    const resolved = await call('update_incident', {
      number: 'INC0010001',
      state: 'Resolved',
      resolution_code: 'Solved (Permanently)',
      resolution_note: 'Rotated logs',
    });
    assert.equal(resolved.structured.incident.state, 'Resolved');
  });

  test('get_incident returns notes, the audit trail on request, and a ToolError for unknown numbers', async () => {
    await call('create_incident', { short_description: 'Mail bounce', work_note: 'first' });
    await call('update_incident', { number: 'INC0010001', assignment_group: 'Messaging' });
    const plain = await call('get_incident', { number: 'INC0010001' });
    assert.equal(plain.structured.incident.audit, undefined);
    assert.equal(plain.structured.incident.work_notes.length, 1);
    const audited = await call('get_incident', { number: 'INC0010001', include_audit: true });
    assert.deepEqual(
      audited.structured.incident.audit?.map((entry) => [entry.field, entry.actor]),
      [['assignment_group', 'alice']],
    );
    await assert.rejects(
      call('get_incident', { number: 'INC0012345' }),
      (error: unknown) => error instanceof ToolError && /no incident INC0012345.*search_incidents/.test(error.message),
    );
  });

  test('search_incidents filters by one or many states, active, priority, and pages', async () => {
    for (let i = 0; i < 12; i += 1) await call('create_incident', { short_description: `Laptop ${i} broken`, urgency: (i % 3) + 1 });
    await call('update_incident', { number: 'INC0010001', state: 'Canceled' });
    const page = await call('search_incidents', { query: 'laptop', sort: 'opened_at', order: 'asc' });
    assert.deepEqual([page.structured.total, page.structured.incidents.length, page.structured.next_offset], [12, 10, 10]);
    assert.deepEqual(Object.keys(page.structured.incidents[0] ?? {}).sort(), [
      'assigned_to',
      'assignment_group',
      'caller',
      'category',
      'impact',
      'number',
      'opened_at',
      'priority',
      'priority_label',
      'score',
      'short_description',
      'state',
      'updated_at',
      'urgency',
    ]);
    assert.match(page.text, /^12 incident\(s\) match; showing 1-10 \(next_offset 10\)\nINC0010001 \[Canceled/);
    const count = async (args: Record<string, unknown>) => (await call('search_incidents', args)).structured.total;
    assert.equal(await count({ state: 'Canceled' }), 1);
    assert.equal(await count({ state: ['New', 'Canceled'] }), 12);
    assert.equal(await count({ active: true }), 11);
    assert.equal(await count({ active: false }), 1);
    assert.equal(await count({ active: true, state: 'Canceled' }), 0);
    assert.equal(await count({ urgency: 'high' }), 4);
    assert.equal(await count({ priority: 3 }), 4);
    assert.equal(await count({ priority: [3, 4] }), 8);
    assert.equal(await count({ opened_since: '2000-01-01', opened_until: '2999-01-01T00:00:00+02:00' }), 12);
    const last = await call('search_incidents', { offset: 10 });
    assert.equal(last.structured.next_offset, null);
    assert.equal((await call('search_incidents', { query: 'nothing-like-this' })).text, '0 incident(s) match; showing none');
  });

  test('regression: every text field of every tool refuses control characters, names the field and says so in its description', () => {
    const valid: Record<string, Record<string, unknown>> = {
      create_incident: { short_description: 'x' },
      update_incident: { number: 'INC0010001' },
      get_incident: { number: 'INC0010001' },
      search_incidents: {},
    };
    const checked: string[] = [];
    for (const tool of tools.values()) {
      const schema = z.toJSONSchema(tool.input, { target: 'draft-7', io: 'input' }) as JsonSchema & {
        properties: Record<string, PropertySchema & { anyOf?: PropertySchema[] }>;
      };
      for (const [field, property] of Object.entries(schema.properties)) {
        const options = [property, ...(property.anyOf ?? [])];
        const isText = options.some((option) => option.type === 'string' && option.enum === undefined && option.pattern === undefined);
        if (!isText) continue;
        checked.push(`${tool.name}.${field}`);
        assert.match(
          String((property as JsonSchema).description),
          /Control characters other than tab, newline and carriage return are refused\.$/,
          `${tool.name}.${field}`,
        );
        const base = valid[tool.name]!;
        for (const bad of ['a\u0000b', 'a\u001bb', 'a\u0085b', 'a\ud800b']) {
          const parsed = tool.input.safeParse({ ...base, [field]: bad });
          assert.equal(parsed.success, false, `${tool.name}.${field} refuses ${JSON.stringify(bad)}`);
          assert.deepEqual(
            parsed.error?.issues.map((issue) => issue.path.join('.')),
            [field],
          );
          assert.match(
            parsed.error?.issues[0]?.message ?? '',
            /^text (contains the control character U\+00(00|1B|85)|is not well-formed Unicode)/,
          );
        }
        assert.equal(
          tool.input.safeParse({ ...base, [field]: 'tab\there\r\nand there' }).success,
          true,
          `${tool.name}.${field} keeps tab, CR, LF`,
        );
      }
    }
    assert.deepEqual(checked.sort(), [
      'create_incident.assigned_to',
      'create_incident.assignment_group',
      'create_incident.caller',
      'create_incident.description',
      'create_incident.idempotency_key',
      'create_incident.short_description',
      'create_incident.work_note',
      'search_incidents.assigned_to',
      'search_incidents.assignment_group',
      'search_incidents.caller',
      'search_incidents.query',
      'update_incident.assigned_to',
      'update_incident.assignment_group',
      'update_incident.caller',
      'update_incident.description',
      'update_incident.idempotency_key',
      'update_incident.resolution_note',
      'update_incident.short_description',
      'update_incident.work_note',
    ]);
  });

  test('wrongly typed arguments are rejected by every input schema', () => {
    const bad: Record<string, unknown[]> = {
      create_incident: [
        {},
        { short_description: 42 },
        { short_description: '   ' },
        { short_description: 'x'.repeat(161) },
        { short_description: 'x', urgency: 'urgent' },
        { short_description: 'x', impact: 4 },
        { short_description: 'x', category: 'printers' },
        { short_description: 'x', idempotency_key: '' },
      ],
      update_incident: [
        { state: 'In Progress' },
        { number: 'INC1' },
        { number: 10001 },
        { number: 'INC0010001', state: 'Done' },
        { number: 'INC0010001', state: 'in progress' },
        { number: 'INC0010001', hold_reason: 'Lunch' },
        { number: 'INC0010001', resolution_code: 'Fixed' },
        { number: 'INC0010001', expected_version: '1' },
        { number: 'INC0010001', urgency: 0 },
      ],
      get_incident: [{}, { number: 10001 }, { number: 'INC0010001', include_audit: 'yes' }],
      search_incidents: [
        { limit: 0 },
        { limit: 101 },
        { limit: '10' },
        { offset: -1 },
        { state: 'open' },
        { state: [] },
        { priority: 6 },
        { urgency: 'critical' },
        { opened_since: 'yesterday' },
        { sort: 'name' },
        { order: 'up' },
        { query: 7 },
      ],
    };
    for (const [name, cases] of Object.entries(bad)) {
      const tool = tools.get(name);
      assert.ok(tool);
      for (const args of cases) assert.equal(tool.input.safeParse(args).success, false, `${name} ${JSON.stringify(args)}`);
    }
  });
});
