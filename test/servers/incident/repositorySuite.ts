import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ToolError } from '../../../src/errors.ts';
import type { IncidentRepository } from '../../../servers/incident/repository.ts';
import type { Level, NewIncident } from '../../../servers/incident/model.ts';
import { defineSearchTests } from './searchSuite.ts';

/** One store per test: open as many instances (clients) on it as a test needs. */
export interface RepositoryHarness {
  open(options?: { now?: () => Date }): Promise<IncidentRepository>;
  /** Closes every instance opened and deletes the store. */
  dispose(): Promise<void>;
}

/** A clock that moves one minute per reading, from 2025-01-01T00:00Z. */
export function steppingClock(start = Date.parse('2025-01-01T00:00:00.000Z')): () => Date {
  let time = start;
  return () => {
    time += 60_000;
    return new Date(time);
  };
}

const toolError = (pattern: RegExp) => (error: unknown) => error instanceof ToolError && pattern.test(error.message);

/** The behaviour every IncidentRepository must have; run once per implementation. */
export function describeIncidentRepository(name: string, createHarness: () => Promise<RepositoryHarness>): void {
  describe(`IncidentRepository on ${name}`, () => {
    let harness: RepositoryHarness;
    let repo: IncidentRepository;
    beforeEach(async () => {
      harness = await createHarness();
      repo = await harness.open({ now: steppingClock() });
    });
    afterEach(() => harness.dispose());

    const create = (input: Partial<NewIncident> = {}, actor = 'alice') =>
      repo.create({ short_description: 'Something broke', ...input }, actor);

    test('create numbers incidents from INC0010001 and fills defaults', async () => {
      const first = await create({ description: 'details' });
      const second = await create({ caller: 'bob', category: 'network', urgency: 1, impact: 2 });
      assert.equal(first.created, true);
      assert.equal(first.incident.number, 'INC0010001');
      assert.equal(second.incident.number, 'INC0010002');
      assert.deepEqual(
        { ...first.incident },
        {
          number: 'INC0010001',
          short_description: 'Something broke',
          description: 'details',
          caller: 'alice',
          opened_by: 'alice',
          category: 'inquiry',
          urgency: 3,
          impact: 3,
          priority: 5,
          state: 'New',
          hold_reason: null,
          assignment_group: null,
          assigned_to: null,
          resolution_code: null,
          resolution_note: null,
          version: 1,
          opened_at: '2025-01-01T00:01:00.000Z',
          updated_at: '2025-01-01T00:01:00.000Z',
          resolved_at: null,
          closed_at: null,
          work_notes: [],
        },
      );
      assert.equal(second.incident.caller, 'bob');
      assert.equal(second.incident.priority, 2);
      assert.deepEqual(await repo.get('INC0010002'), second.incident);
      assert.equal(await repo.get('INC0099999'), undefined);
    });

    test('priority follows the ServiceNow matrix on create and on update', async () => {
      const expected: Record<string, number> = { '11': 1, '12': 2, '21': 2, '13': 3, '22': 3, '31': 3, '23': 4, '32': 4, '33': 5 };
      for (const [key, priority] of Object.entries(expected)) {
        const urgency = Number(key[0]) as Level;
        const impact = Number(key[1]) as Level;
        const { incident } = await create({ urgency, impact });
        assert.equal(incident.priority, priority, `urgency ${urgency} impact ${impact}`);
      }
      const updated = await repo.update('INC0010009', { urgency: 1 }, 'bob');
      assert.equal(updated.incident.priority, 3);
      assert.deepEqual(updated.changes, [
        { field: 'urgency', from: 3, to: 1 },
        { field: 'priority', from: 5, to: 3 },
      ]);
    });

    test('update changes fields, bumps version and audits who changed what when', async () => {
      const { incident } = await create();
      const result = await repo.update(incident.number, { assignment_group: 'Service Desk', impact: 1, description: 'more' }, 'bob');
      assert.equal(result.incident.version, 2);
      assert.equal(result.incident.updated_at, '2025-01-01T00:02:00.000Z');
      assert.equal(result.incident.opened_at, incident.opened_at);
      assert.deepEqual(result.changes, [
        { field: 'description', from: null, to: 'more' },
        { field: 'impact', from: 3, to: 1 },
        { field: 'assignment_group', from: null, to: 'Service Desk' },
        { field: 'priority', from: 5, to: 3 },
      ]);
      await repo.update(incident.number, { assignment_group: null }, 'carol');
      const read = await repo.get(incident.number, { includeAudit: true });
      assert.deepEqual(
        read?.audit?.map((entry) => [entry.actor, entry.field, entry.from, entry.to, entry.at]),
        [
          ['bob', 'description', null, 'more', '2025-01-01T00:02:00.000Z'],
          ['bob', 'impact', 3, 1, '2025-01-01T00:02:00.000Z'],
          ['bob', 'assignment_group', null, 'Service Desk', '2025-01-01T00:02:00.000Z'],
          ['bob', 'priority', 5, 3, '2025-01-01T00:02:00.000Z'],
          ['carol', 'assignment_group', 'Service Desk', null, '2025-01-01T00:03:00.000Z'],
        ],
      );
      assert.equal((await repo.get(incident.number))?.audit, undefined);
    });

    test('an update that changes nothing writes nothing; an empty one is refused', async () => {
      const { incident } = await create({ urgency: 2 });
      const result = await repo.update(incident.number, { urgency: 2, state: 'New' }, 'bob');
      assert.deepEqual(result.changes, []);
      assert.equal(result.work_note_added, false);
      assert.deepEqual(result.incident, incident);
      await assert.rejects(repo.update(incident.number, {}, 'bob'), toolError(/nothing to update on INC0010001/));
      assert.deepEqual((await repo.get(incident.number, { includeAudit: true }))?.audit, []);
    });

    test('unknown numbers are a ToolError that says how to find the right one', async () => {
      await assert.rejects(
        repo.update('INC0099999', { state: 'In Progress' }, 'bob'),
        toolError(/no incident INC0099999.*search_incidents/),
      );
    });

    test('a full lifecycle: work, hold, resolve, reopen, resolve, close', async () => {
      const { incident } = await create();
      const n = incident.number;
      await repo.update(n, { state: 'In Progress' }, 'bob');
      const held = await repo.update(n, { state: 'On Hold', hold_reason: 'Awaiting Caller' }, 'bob');
      assert.equal(held.incident.hold_reason, 'Awaiting Caller');
      const back = await repo.update(n, { state: 'In Progress' }, 'bob');
      assert.equal(back.incident.hold_reason, null);
      const resolved = await repo.update(
        n,
        { state: 'Resolved', resolution_code: 'Solved (Work Around)', resolution_note: 'Cleared cookies' },
        'bob',
      );
      assert.equal(resolved.incident.resolved_at, resolved.incident.updated_at);
      const reopened = await repo.update(n, { state: 'In Progress' }, 'alice');
      assert.deepEqual(
        [reopened.incident.resolved_at, reopened.incident.resolution_code, reopened.incident.resolution_note],
        [null, null, null],
      );
      await repo.update(n, { state: 'Resolved', resolution_code: 'Solved (Permanently)', resolution_note: 'Fixed IdP config' }, 'bob');
      const closed = await repo.update(n, { state: 'Closed' }, 'bob');
      assert.equal(closed.incident.state, 'Closed');
      assert.equal(closed.incident.closed_at, closed.incident.updated_at);
      assert.equal(closed.incident.resolution_code, 'Solved (Permanently)');
      assert.equal(closed.incident.version, 8);
      await assert.rejects(repo.update(n, { work_note: 'late' }, 'bob'), toolError(/INC0010001 is Closed, which is final/));
      const states = (await repo.get(n, { includeAudit: true }))?.audit?.filter((entry) => entry.field === 'state');
      assert.deepEqual(
        states?.map((entry) => entry.to),
        ['In Progress', 'On Hold', 'In Progress', 'Resolved', 'In Progress', 'Resolved', 'Closed'],
      );
    });

    test('invalid transitions and missing reasons are refused without writing anything', async () => {
      const { incident } = await create();
      const n = incident.number;
      await assert.rejects(
        repo.update(n, { state: 'Closed', work_note: 'not written' }, 'bob'),
        toolError(/cannot go from New to Closed; allowed next states: In Progress, On Hold, Resolved, Canceled/),
      );
      await assert.rejects(repo.update(n, { state: 'On Hold' }, 'bob'), toolError(/needs hold_reason: one of Awaiting Caller/));
      await assert.rejects(repo.update(n, { hold_reason: 'Awaiting Vendor' }, 'bob'), toolError(/hold_reason applies only/));
      await assert.rejects(
        repo.update(n, { state: 'Resolved', resolution_note: 'done' }, 'bob'),
        toolError(/resolving INC0010001 needs resolution_code \(one of Solved \(Permanently\)/),
      );
      await assert.rejects(repo.update(n, { state: 'Resolved' }, 'bob'), toolError(/needs resolution_code .* and resolution_note/));
      await assert.rejects(
        repo.update(n, { resolution_code: 'Duplicate', resolution_note: 'dup' }, 'bob'),
        toolError(/pass state "Resolved" with them/),
      );
      assert.deepEqual(await repo.get(n, { includeAudit: true }), { ...incident, audit: [] });

      await repo.update(n, { state: 'Canceled' }, 'bob');
      await assert.rejects(repo.update(n, { state: 'In Progress' }, 'bob'), toolError(/is Canceled, which is final/));
      const resolved = (await create()).incident.number;
      await repo.update(resolved, { state: 'Resolved', resolution_code: 'Duplicate', resolution_note: 'of INC0010001' }, 'bob');
      await assert.rejects(
        repo.update(resolved, { state: 'On Hold', hold_reason: 'Awaiting Caller' }, 'bob'),
        toolError(/allowed next states: In Progress, Closed/),
      );
    });

    test('work notes are an append-only journal with author and time', async () => {
      const { incident } = await create({ work_note: 'Caller reports the issue' }, 'alice');
      const noteOnly = await repo.update(incident.number, { work_note: 'Checked the logs' }, 'bob');
      assert.deepEqual(noteOnly.changes, []);
      assert.equal(noteOnly.work_note_added, true);
      assert.equal(noteOnly.incident.version, 2);
      await repo.update(incident.number, { state: 'In Progress', work_note: 'Working on it' }, 'carol');
      const read = await repo.get(incident.number);
      assert.deepEqual(read?.work_notes, [
        { at: '2025-01-01T00:01:00.000Z', author: 'alice', text: 'Caller reports the issue' },
        { at: '2025-01-01T00:02:00.000Z', author: 'bob', text: 'Checked the logs' },
        { at: '2025-01-01T00:03:00.000Z', author: 'carol', text: 'Working on it' },
      ]);
    });

    test('expected_version refuses an update based on a stale read', async () => {
      const { incident } = await create();
      await repo.update(incident.number, { urgency: 1, expected_version: 1 }, 'bob');
      await assert.rejects(
        repo.update(incident.number, { urgency: 2, expected_version: 1 }, 'carol'),
        toolError(/changed by someone else: it is at version 2, not 1/),
      );
      assert.equal((await repo.get(incident.number))?.urgency, 1);
    });

    test('regression: a NUL or another control character is refused alike on both stores, naming the field, writing nothing', async () => {
      const refused = (field: string, code: string) =>
        toolError(
          new RegExp(`^${field} contains the control character U\\+${code} at character \\d+ \\(only tab, newline and carriage return`),
        );
      await assert.rejects(create({ short_description: 'VPN\u0000down' }), refused('short_description', '0000'));
      await assert.rejects(create({ description: 'log: \u001b[31mred' }), refused('description', '001B'));
      await assert.rejects(create({ work_note: 'bell\u0007' }), refused('work_note', '0007'));
      await assert.rejects(create({ idempotency_key: 'key\u0000' }), refused('idempotency_key', '0000'));
      await assert.rejects(create({ caller: 'bob\u007f' }), refused('caller', '007F'));
      await assert.rejects(create({ assigned_to: 'next\u0085line' }), refused('assigned_to', '0085'));
      await assert.rejects(
        create({ short_description: 'half \ud83d a smiley' }),
        toolError(/^short_description is not well-formed Unicode/),
      );
      assert.equal((await repo.search({})).total, 0, 'nothing was written');

      const kept = 'Columns:\tA\tB\r\nSecond line\nThird line 😀';
      const { incident } = await create({ short_description: 'Report export', description: kept, work_note: kept });
      assert.equal(incident.number, 'INC0010001', 'refused creates used no number');
      assert.equal(incident.description, kept);
      assert.equal(incident.work_notes[0]?.text, kept);
      await assert.rejects(repo.update(incident.number, { work_note: 'a\u0000b' }, 'bob'), refused('work_note', '0000'));
      await assert.rejects(repo.update(incident.number, { assignment_group: '\u0001' }, 'bob'), refused('assignment_group', '0001'));
      await assert.rejects(repo.update(incident.number, { urgency: 1 }, 'bob\u0000'), refused('actor', '0000'));
      await assert.rejects(repo.get('INC0010001\u0000'), refused('number', '0000'));
      await assert.rejects(repo.search({ text: 'vpn\u0000' }), refused('text', '0000'));
      await assert.rejects(repo.search({ caller: 'bob\u0000' }), refused('caller', '0000'));
      assert.deepEqual(await repo.get(incident.number, { includeAudit: true }), { ...incident, audit: [] });
    });

    test('filters combine: state, urgency, impact, priority, category, people, opened range', async () => {
      await create({ urgency: 1, impact: 1, caller: 'Bob', assignment_group: 'Network', category: 'network' });
      await create({ urgency: 2, impact: 2, caller: 'carol', assigned_to: 'dave' });
      await create({ urgency: 3, impact: 3, caller: 'bob' });
      await repo.update('INC0010002', { state: 'In Progress' }, 'x');
      await repo.update('INC0010003', { state: 'Canceled' }, 'x');
      const numbers = async (query: Parameters<IncidentRepository['search']>[0]) =>
        (await repo.search({ sort: 'opened_at', order: 'asc', ...query })).incidents.map((hit) => hit.number);
      assert.deepEqual(await numbers({ states: ['New'] }), ['INC0010001']);
      assert.deepEqual(await numbers({ states: ['New', 'In Progress'] }), ['INC0010001', 'INC0010002']);
      assert.deepEqual(await numbers({ states: [] }), []);
      assert.deepEqual(await numbers({ urgency: 2 }), ['INC0010002']);
      assert.deepEqual(await numbers({ impact: 1 }), ['INC0010001']);
      assert.deepEqual(await numbers({ priorities: [1, 5] }), ['INC0010001', 'INC0010003']);
      assert.deepEqual(await numbers({ category: 'network' }), ['INC0010001']);
      assert.deepEqual(await numbers({ caller: 'BOB' }), ['INC0010001', 'INC0010003']);
      assert.deepEqual(await numbers({ assignment_group: 'network' }), ['INC0010001']);
      assert.deepEqual(await numbers({ assigned_to: 'Dave' }), ['INC0010002']);
      assert.deepEqual(await numbers({ caller: 'bob', states: ['Canceled'] }), ['INC0010003']);
      // Opened at 00:01, 00:02 and 00:03 by the stepping clock; both bounds are inclusive.
      assert.deepEqual(await numbers({ opened_since: '2025-01-01T00:02:00.000Z' }), ['INC0010002', 'INC0010003']);
      assert.deepEqual(await numbers({ opened_until: '2025-01-01T01:02:00+01:00' }), ['INC0010001', 'INC0010002']);
      assert.deepEqual(await numbers({ opened_since: '2025-01-02' }), []);
    });

    test('a date-only opened_until takes in that whole day, not just its midnight', async () => {
      await create();
      await create();
      const numbers = async (query: Parameters<IncidentRepository['search']>[0]) =>
        (await repo.search({ sort: 'opened_at', order: 'asc', ...query })).incidents.map((hit) => hit.number);
      // Opened at 00:01 and 00:02 on 2025-01-01: "opened on the 1st" must find both.
      assert.deepEqual(await numbers({ opened_since: '2025-01-01', opened_until: '2025-01-01' }), ['INC0010001', 'INC0010002']);
      assert.deepEqual(await numbers({ opened_until: '2024-12-31' }), []);
      assert.deepEqual(await numbers({ opened_until: '2025-01-01T00:01:30Z' }), ['INC0010001']);
    });

    test('sorts by opened_at, updated_at and priority in either order', async () => {
      await create({ urgency: 2, impact: 2 });
      await create({ urgency: 1, impact: 1 });
      await create({ urgency: 3, impact: 3 });
      await repo.update('INC0010001', { work_note: 'touched last' }, 'bob');
      const numbers = async (sort: 'opened_at' | 'updated_at' | 'priority', order?: 'asc' | 'desc') =>
        (await repo.search({ sort, order })).incidents.map((hit) => hit.number.slice(-1)).join('');
      assert.equal(await numbers('opened_at'), '321');
      assert.equal(await numbers('opened_at', 'asc'), '123');
      assert.equal(await numbers('updated_at'), '132');
      assert.equal(await numbers('priority'), '213');
      assert.equal(await numbers('priority', 'desc'), '312');
      assert.equal((await repo.search({ sort: 'relevance' })).incidents.map((hit) => hit.number.slice(-1)).join(''), '321');
    });

    test('pages carry the total and the next offset', async () => {
      for (let i = 0; i < 25; i += 1) await create({ short_description: `Disk full on server ${i}` });
      const seen: string[] = [];
      const offsets: (number | null)[] = [];
      let offset: number | null = 0;
      while (offset !== null) {
        const page = await repo.search({ text: 'disk', limit: 10, offset, sort: 'opened_at' });
        assert.equal(page.total, 25);
        seen.push(...page.incidents.map((hit) => hit.number));
        offsets.push(page.next_offset);
        offset = page.next_offset;
      }
      assert.deepEqual(offsets, [10, 20, null]);
      assert.equal(new Set(seen).size, 25);
      const beyond = await repo.search({ offset: 30 });
      assert.deepEqual([beyond.total, beyond.incidents.length, beyond.next_offset], [25, 0, null]);
      assert.equal((await repo.search({})).limit, 10);
      assert.equal((await repo.search({ limit: 1000 })).limit, 100);
    });

    test('an idempotency key returns the same incident without using a number', async () => {
      const first = await create({ idempotency_key: 'req-1', short_description: 'First' });
      const again = await create({ idempotency_key: 'req-1', short_description: 'First' });
      assert.equal(again.created, false);
      assert.deepEqual(again.incident, first.incident);
      const other = await create({ idempotency_key: 'req-2' });
      assert.equal(other.incident.number, 'INC0010002');
    });

    test('an idempotency key used with other arguments or by another caller is refused, writing nothing', async () => {
      await create({ idempotency_key: 'req-1', short_description: 'First' });
      await assert.rejects(create({ idempotency_key: 'req-1', short_description: 'Other' }), toolError(/different arguments/));
      await assert.rejects(create({ idempotency_key: 'req-1', short_description: 'First' }, 'mallory'), toolError(/different arguments/));
      await assert.rejects(repo.update('INC0010001', { work_note: 'x', idempotency_key: 'req-1' }, 'alice'), toolError(/create_incident/));
      assert.equal((await repo.search({})).total, 1);
      assert.equal((await repo.get('INC0010001'))?.version, 1);
    });

    test('a keyed update applies once: a retry returns the first result, other arguments are refused', async () => {
      const { incident } = await create();
      const changes = { state: 'In Progress' as const, work_note: 'on it', idempotency_key: 'upd-1' };
      const first = await repo.update(incident.number, changes, 'bob');
      await repo.update(incident.number, { assigned_to: 'carol' }, 'bob');
      const again = await repo.update(incident.number, changes, 'bob');
      assert.deepEqual(again, first);
      await assert.rejects(repo.update(incident.number, { ...changes, work_note: 'other' }, 'bob'), toolError(/different arguments/));
      const read = await repo.get(incident.number);
      assert.deepEqual([read?.version, read?.work_notes.length, read?.assigned_to], [3, 1, 'carol']);
    });

    test('5 concurrent keyed updates from 5 clients apply once', async () => {
      const { incident } = await create();
      const clients = await Promise.all(Array.from({ length: 5 }, () => harness.open()));
      const results = await Promise.all(
        clients.map((client) => client.update(incident.number, { work_note: 'once', idempotency_key: 'same-update' }, 'bob')),
      );
      assert.equal(new Set(results.map((result) => result.incident.version)).size, 1);
      assert.equal((await repo.get(incident.number))?.work_notes.length, 1);
    });

    test('200 concurrent creates from 8 clients get 200 distinct consecutive numbers', async () => {
      const clients = await Promise.all(Array.from({ length: 8 }, () => harness.open()));
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => clients[i % 8]!.create({ short_description: `Burst ${i}` }, `client${i % 8}`)),
      );
      const numbers = results.map((result) => result.incident.number).sort();
      const expected = Array.from({ length: 200 }, (_, i) => `INC${String(10001 + i).padStart(7, '0')}`);
      assert.deepEqual(numbers, expected);
      assert.equal((await repo.search({ limit: 1 })).total, 200);
    });

    test('5 concurrent creates with one idempotency key make one incident', async () => {
      const clients = await Promise.all(Array.from({ length: 5 }, () => harness.open()));
      const results = await Promise.all(
        clients.map((client) => client.create({ short_description: 'One attempt, retried', idempotency_key: 'same' }, 'bob')),
      );
      assert.equal(results.filter((result) => result.created).length, 1);
      assert.deepEqual(new Set(results.map((result) => result.incident.number)), new Set(['INC0010001']));
      assert.equal((await create()).incident.number, 'INC0010002');
    });

    test('concurrent updates from 8 clients lose nothing', async () => {
      const { incident } = await create();
      const clients = await Promise.all(Array.from({ length: 8 }, () => harness.open()));
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          clients[i % 8]!.update(incident.number, { assigned_to: `agent${i}`, work_note: `note ${i}` }, `client${i % 8}`),
        ),
      );
      const read = await repo.get(incident.number, { includeAudit: true });
      assert.equal(read?.version, 41);
      assert.deepEqual(new Set(read?.work_notes.map((note) => note.text)), new Set(Array.from({ length: 40 }, (_, i) => `note ${i}`)));
      const audit = read?.audit ?? [];
      assert.equal(audit.length, 40);
      // Each change starts from the value the previous one left: a chain, none overwritten unseen.
      audit.forEach((entry, i) => assert.equal(entry.from, i === 0 ? null : audit[i - 1]?.to));
    });

    defineSearchTests({ repo: () => repo, create });

    test('everything survives close and reopen', async () => {
      await create({ idempotency_key: 'k', work_note: 'first note' });
      await repo.update('INC0010001', { state: 'In Progress', work_note: 'second note' }, 'bob');
      const before = await repo.get('INC0010001', { includeAudit: true });
      await repo.close();
      await repo.close();
      await assert.rejects(repo.get('INC0010001'), /closed/);
      repo = await harness.open();
      assert.deepEqual(await repo.get('INC0010001', { includeAudit: true }), before);
      assert.equal((await create({ idempotency_key: 'k', work_note: 'first note' })).created, false);
      assert.equal((await repo.create({ short_description: 'next' }, 'a')).incident.number, 'INC0010002');
      assert.deepEqual(
        (await repo.search({ text: 'second' })).incidents.map((hit) => hit.number),
        ['INC0010001'],
      );
      await repo.ping();
    });
  });
}
