import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import type { ToolDefinition } from '@langchain/core/language_models/base';
import { partVerb } from '../../../../src/llm/offline/choose.ts';
import { decide } from '../../../../src/llm/offline/planner.ts';
import { ToolIndex, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';
import { plannerCatalogue } from './catalogue.ts';

// A made-up help desk the planner knows only by its schemas: which tool a request goes to.
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]): ToolDefinition => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required } },
});
const KEY = { type: 'string', pattern: '^HD-\\d{3,}$', description: 'Ticket key, e.g. HD-1234' };
const TOOLS = [
  fn(
    'desk__open_ticket',
    'Open a new support ticket for a problem that is down, broken or not working; returns its key.',
    { title: { type: 'string', description: 'One-line summary' } },
    ['title'],
  ),
  fn('desk__get_ticket', 'Read one ticket by its key: status, assignee, notes.', { key: KEY }, ['key']),
  fn(
    'desk__update_ticket',
    'Change the status or assignee of a ticket.',
    {
      key: KEY,
      status: { type: 'string', enum: ['Open', 'In Progress', 'Done'] },
      assignee: { type: 'string', description: 'Person it is assigned to' },
    },
    ['key'],
  ),
  fn('desk__search_tickets', 'Find tickets by text.', { query: { type: 'string', description: 'Words to look for' } }, []),
];
const NOW = new Date('2026-11-20T10:00:00Z');

function step(request: string, tools: readonly FunctionTool[] = TOOLS as FunctionTool[]) {
  return decide([new HumanMessage(request)], new ToolIndex(tools), { now: NOW });
}
const calledTools = (request: string, tools?: readonly FunctionTool[]) => {
  const decision = step(request, tools);
  return decision.kind === 'calls' ? decision.calls.map((call) => [call.name, call.args]) : decision.text;
};

test('checking, looking up and asking about a record read it; nothing is written', () => {
  for (const request of [
    'check HD-123',
    'Look up HD-123 for me.',
    'What is the status of HD-123?',
    'Who is HD-123 assigned to?',
    'HD-123 status',
  ]) {
    assert.deepEqual(calledTools(request), [['desk__get_ticket', { key: 'HD-123' }]], request);
  }
});

test('"the ticket about X" is searched for, not taken for something said earlier', () => {
  assert.deepEqual(calledTools('Find the ticket about the payroll backup.'), [['desk__search_tickets', { query: 'payroll backup' }]]);
});

test('a lone statement of a problem is reported to the tool that creates records', () => {
  const [call] = calledTools('email down for the whole sales team!!!') as [string, Record<string, unknown>][];
  assert.equal(call?.[0], 'desk__open_ticket');
  assert.match(String(call?.[1].title), /email down/i);
  const unrelated = step('pizza for the team lunch');
  assert.equal(unrelated.kind, 'answer', 'a statement that shares nothing with a create tool is no report');
});

test('a write no tool can do is declined, not turned into a read', () => {
  const decision = step('Delete all the tickets from last year.');
  assert.equal(decision.kind, 'answer');
  assert.match(decision.kind === 'answer' ? decision.text : '', /no tool/i);
});

test("README's set-up example creates one incident about the VPN and searches for fixes", async () => {
  const catalogue = (await plannerCatalogue()).filter((tool) => !tool.function.name.startsWith('everything__')) as FunctionTool[];
  const decision = step('Create a high urgency incident: the VPN is down for the Paris office, and search for known VPN fixes', catalogue);
  assert.equal(decision.kind, 'calls');
  const calls = decision.kind === 'calls' ? decision.calls : [];
  assert.deepEqual(
    calls.map((call) => call.name),
    ['incident__create_incident', 'search__web_search'],
  );
  assert.equal(calls[0]?.args.urgency, 'high');
  assert.equal(calls[0]?.args.short_description, 'the VPN is down for the Paris office');
  assert.match(String(calls[1]?.args.query), /vpn fixes/i);
});

test('"find the ticket about X and <act on it>" searches first, then acts on the hit it returned', async () => {
  const { AIMessage, ToolMessage } = await import('@langchain/core/messages');
  const index = new ToolIndex(TOOLS as FunctionTool[]);
  const messages = [new HumanMessage('Find the ticket about the Madrid VPN and set the status to In Progress')];
  const first = decide(messages, index, { now: NOW });
  assert.deepEqual(first.kind === 'calls' ? first.calls.map((call) => call.name) : first, ['desk__search_tickets']);
  const calls = first.kind === 'calls' ? first.calls : [];
  const hits = {
    total: 2,
    tickets: [
      { key: 'HD-404', subject: 'Madrid VPN down' },
      { key: 'HD-405', subject: 'Madrid printer' },
    ],
  };
  const next = decide(
    [
      ...messages,
      new AIMessage({ content: '', tool_calls: calls.map((call) => ({ ...call, type: 'tool_call' as const })) }),
      new ToolMessage({ tool_call_id: calls[0]?.id ?? '', content: JSON.stringify(hits) }),
    ],
    index,
    { now: NOW },
  );
  assert.deepEqual(next.kind === 'calls' ? next.calls.map((call) => [call.name, call.args]) : next, [
    ['desk__update_ticket', { key: 'HD-404', status: 'In Progress' }],
  ]);
});

test('an imperative with a verb no list knows is read as one, by its grammar', () => {
  assert.equal(partVerb('attach the log to it', new Set()).verb, 'attach');
  assert.equal(partVerb('email down for the whole sales team', new Set()).report, true);
  assert.equal(partVerb('Has HD-123 been resolved yet?', new Set()).question, true);
});

// Regression: with the domain lists gone, "add 17 and 25" and "sum 17 and 25" were declined
// although the verb (add ≈ sum) is a word of the tool's own name.
test("a verb that names the tool reaches it, whatever the tool's own verb is", () => {
  const sum = fn(
    'calc__get-sum',
    'Returns the sum of two numbers',
    { a: { type: 'number', description: 'First number' }, b: { type: 'number', description: 'Second number' } },
    ['a', 'b'],
  );
  const echo = fn('calc__echo', 'Echoes back the input', { message: { type: 'string', description: 'Message to echo' } }, ['message']);
  for (const request of ['add 17 and 25', 'sum 17 and 25', 'what is 17 plus 25']) {
    const decision = step(request, [sum, echo] as FunctionTool[]);
    assert.equal(decision.kind, 'calls', request);
    if (decision.kind !== 'calls') continue;
    assert.deepEqual(
      decision.calls.map((call) => [call.name, call.args]),
      [['calc__get-sum', { a: 17, b: 25 }]],
      request,
    );
  }
});

// A second reader, a knowledge base, beside the tickets: a question goes to the one it is about.
const WITH_KB = [
  ...TOOLS,
  fn(
    'kb__search_articles',
    'Searches the knowledge base (KB articles, how-to guides, notices) and returns matching pages.',
    { query: { type: 'string', description: 'What to look for' } },
    ['query'],
  ),
] as FunctionTool[];

test('a question no tool names looks it up in the reader it is about, without the words that name that reader', () => {
  assert.deepEqual(calledTools('How do I set up MFA on a new phone?', WITH_KB), [['kb__search_articles', { query: 'MFA on a new phone' }]]);
  assert.deepEqual(calledTools('Have there been any articles about the VPN?', WITH_KB), [['kb__search_articles', { query: 'VPN' }]]);
  assert.deepEqual(calledTools('ANY KB ARTICLES ON PRINTER PAPER JAMS??', WITH_KB), [
    ['kb__search_articles', { query: 'PRINTER PAPER JAMS' }],
  ]);
  assert.deepEqual(calledTools('Is there already a ticket for the CRM 502 error?', WITH_KB), [
    ['desk__search_tickets', { query: 'CRM 502 error' }],
  ]);
  // A line headed by what only the knowledge base holds is a look-up there; one headed by tickets is not.
  assert.deepEqual(calledTools('kb: outlook search not working', WITH_KB), [
    ['kb__search_articles', { query: 'outlook search not working' }],
  ]);
  // A question about something neither reader holds is no look-up.
  assert.equal(step('whats the score of the barca game', WITH_KB).kind, 'answer');
});

test('a statement and a bare "log it" make one new record, without the interjections', () => {
  for (const request of ['the wifi in the kitchen is down lol, log it pls', 'ugh the wifi in the kitchen is down, can u log it']) {
    const decision = step(request);
    assert.equal(decision.kind, 'calls', request);
    const made = decision.kind === 'calls' ? decision.calls.map((call) => [call.name, String(call.args.title).toLowerCase()]) : [];
    assert.deepEqual(made, [['desk__open_ticket', 'the wifi in the kitchen is down']], request);
  }
});
