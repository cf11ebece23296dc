import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clarification, composeAnswer, describeResult } from '../../../../src/llm/offline/answer.ts';
import type { Observation } from '../../../../src/llm/offline/references.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

const result = (data: unknown, text = JSON.stringify(data), isError = false): Observation => ({
  turn: 1,
  source: 'tool',
  toolName: 'x',
  callId: 'c',
  args: {},
  data,
  text,
  isError,
});

test('a record is told by its identifier, title and telling fields', () => {
  const line = describeResult(
    result({
      created: true,
      incident: {
        number: 'INC0010043',
        short_description: 'Login outage',
        state: 'New',
        priority_label: '3 - Moderate',
        opened_at: '2026-11-20T10:00:00Z',
      },
    }),
  );
  assert.equal(line, 'INC0010043 "Login outage" (state New)');
  assert.doesNotMatch(line, /opened|priority/, 'timestamps and field names nobody asked about are left out');
});

test('who and what hold a record (people, teams, what it waits for) are told, whatever their fields are called', () => {
  const line = describeResult(
    result({
      ticket: {
        key: 'HD-9',
        subject: 'Dock dead',
        status: 'Waiting',
        wait_reason: 'Awaiting Vendor',
        support_team: 'Workplace Technology',
        owner_name: 'Kenji Watanabe',
        internal_code: 'x-17',
      },
    }),
  );
  assert.equal(
    line,
    'HD-9 "Dock dead" (status Waiting, wait reason Awaiting Vendor, support team Workplace Technology, owner name Kenji Watanabe)',
  );
});

test('a result of several analyses tells each section by its name: the label, and every kind of finding', () => {
  const line = describeResult(
    result({
      analyses: ['sentiment', 'entities'],
      characters: 120,
      sentiment: { label: 'negative', score: -0.5, tone: 'dissatisfied' },
      entities: { people: [{ text: 'Stefan Braun', start: 0, end: 12 }], dates: [{ text: 'Friday', start: 20, end: 26 }], urls: [] },
    }),
  );
  for (const told of ['sentiment: ', 'label negative', 'people: Stefan Braun', 'dates: Friday']) assert.ok(line.includes(told), line);
});

test('the fields a request asks about are told, in words', () => {
  const record = { ticket: { key: 'HD-7', subject: 'Printer jam', status: 'Open', assigned_to: 'Kenji Watanabe', hold_reason: 'vendor' } };
  const answer = composeAnswer([{ kind: 'done', part: 'Who is HD-7 assigned to?', tool: 'desk__get_ticket', results: [result(record)] }]);
  assert.equal(answer, 'Get ticket (desk): HD-7 "Printer jam" (assigned to: Kenji Watanabe, status Open)');
  assert.doesNotMatch(answer, /hold/);
});

test('findings by kind are all told, whatever the kinds are called', () => {
  const line = describeResult(
    result({
      people: [{ text: 'Jonas Weber', start: 0, end: 11 }],
      places: [{ text: 'Hamburg', start: 20, end: 27 }],
      dates: [{ text: 'December 3rd', start: 30, end: 42 }],
      emails: [{ text: 'jonas@example.com', start: 50, end: 67 }],
      urls: [],
      truncated: false,
    }),
  );
  for (const found of ['people: Jonas Weber', 'places: Hamburg', 'dates: December 3rd', 'emails: jonas@example.com'])
    assert.ok(line.includes(found), line);
  assert.doesNotMatch(line, /urls|truncated/);
});

test('a list is told by its count and first items', () => {
  const line = describeResult(
    result({ query: 'vpn', results: [1, 2, 3, 4].map((n) => ({ title: `Article ${n}`, url: `https://kb.local/${n}`, score: 0.5 })) }),
  );
  assert.match(line, /4 results/);
  assert.match(line, /"Article 1" https:\/\/kb\.local\/1/);
  assert.match(line, /… and 1 more/);
});

test('the items a long list leaves out are named by their identifiers; one item is counted in the singular', () => {
  const line = describeResult(
    result({ total: 5, incidents: [1, 2, 3, 4, 5].map((n) => ({ number: `INC000${n}`, short_description: `Problem ${n}` })) }),
  );
  assert.match(line, /… and 2 more: INC0004, INC0005/);
  const one = describeResult(result({ results: [{ title: 'Only article', url: 'https://kb.local/1' }] }));
  assert.match(one, /^1 result\b/);
});

test('a coded field is told by its label in words, once', () => {
  const line = describeResult(
    result({ ticket: { key: 'T-1', title: 'Broken fan', level: 1, level_label: 'Critical', state: 'Open' } }),
    (key) => key.startsWith('level'),
  );
  assert.match(line, /level: Critical/);
  assert.doesNotMatch(line, /level label|level: 1/);
});

test('plain text is kept short; errors are said plainly', () => {
  assert.equal(describeResult(result(undefined, 'The sum of 17 and 25 is 42.')), 'The sum of 17 and 25 is 42.');
  assert.equal(
    describeResult(
      result(undefined, 'Error: no incident INC0000001; find the right number with search_incidents\n Please fix your mistakes.', true),
    ),
    'failed: no incident INC0000001; find the right number with search_incidents',
  );
});

test('the answer lists every result, admits failures, then asks what it could not do', () => {
  const tool = toToolSpec({
    type: 'function',
    function: {
      name: 'incident__update_incident',
      description: 'Change an incident.',
      parameters: {
        type: 'object',
        properties: { number: { type: 'string', description: 'Incident number, e.g. INC0010001' } },
        required: ['number'],
      },
    },
  });
  const answer = composeAnswer([
    { kind: 'done', part: 'create one', tool: 'incident__create_incident', results: [result({ incident: { number: 'INC0010043' } })] },
    { kind: 'done', part: 'search', tool: 'search__web_search', results: [result(undefined, 'Error: backend down', true)] },
    { kind: 'missing', part: 'update the incident', tool, missing: tool.props },
    { kind: 'unmatched', part: 'book a flight', closest: [tool] },
  ]);
  assert.match(
    answer,
    /^Here is what I did \(not everything worked\):\n1\. Create incident: INC0010043\n2\. Web search: failed: backend down/,
  );
  assert.match(
    answer,
    /To update incident for "update the incident" I need number \(Incident number, e\.g\. INC0010001\)\. What should it be\?/,
  );
  assert.match(answer, /I have no tool for "book a flight"\. The closest I have: incident__update_incident \(Change an incident\)\./);
  assert.match(answer, /need a model key \(OPENAI_API_KEY/, 'a request no tool fits points at the model key');
});

test('a clarification names the enum choices', () => {
  const tool = toToolSpec({
    type: 'function',
    function: {
      name: 'hold',
      parameters: {
        type: 'object',
        properties: { reason: { type: 'string', enum: ['Awaiting Caller', 'Awaiting Vendor'] } },
        required: ['reason'],
      },
    },
  });
  assert.match(
    clarification({ kind: 'missing', part: 'put it on hold', tool, missing: tool.props }),
    /reason \(one of Awaiting Caller, Awaiting Vendor\)/,
  );
});

test('a clarification asks for a snake_case field in words, by its description, never by its key', () => {
  const tool = toToolSpec({
    type: 'function',
    function: {
      name: 'update_incident',
      parameters: {
        type: 'object',
        properties: {
          hold_reason: {
            type: 'string',
            description: 'Why the incident waits. Needed for On Hold.',
            enum: ['Awaiting Caller', 'Awaiting Vendor'],
          },
          dueDate: { type: 'string', description: 'When it is due' },
        },
        required: ['hold_reason', 'dueDate'],
      },
    },
  });
  const question = clarification({ kind: 'missing', part: 'put it on hold', tool, missing: tool.props });
  assert.match(question, /the hold reason \(Why the incident waits: one of Awaiting Caller, Awaiting Vendor\)/);
  assert.match(question, /the due date \(When it is due\)/);
  assert.doesNotMatch(question, /hold_reason|dueDate/);
});

test('a change history is told field by field, before and after', () => {
  const line = describeResult(
    result({
      record: {
        id: 'HD-9',
        title: 'Dock dead',
        status: 'Waiting',
        history: [
          { field: 'status', from: 'Open', to: 'Working', at: '2026-11-12T11:00:00Z' },
          { field: 'status', from: 'Working', to: 'Waiting', at: '2026-11-13T16:45:00Z' },
        ],
      },
    }),
  );
  assert.match(line, /history: status Open → Working \(2026-11-12\), status Working → Waiting \(2026-11-13\)/);
});
