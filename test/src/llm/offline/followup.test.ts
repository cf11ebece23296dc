import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AIMessage, HumanMessage, ToolMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ToolDefinition } from '@langchain/core/language_models/base';
import { OfflinePlanner } from '../../../../src/llm/offline/index.ts';

// A made-up ticket system and a knowledge base: the planner knows nothing of them but their schemas.
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]): ToolDefinition => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required } },
});
const TICKET_ID = { type: 'string', pattern: '^HD-\\d{3,}$', description: 'Ticket key, e.g. HD-1234' };
const TOOLS = [
  fn('desk__open_ticket', 'Open a new support ticket; returns its key.', { title: { type: 'string', description: 'One-line summary' } }, [
    'title',
  ]),
  fn(
    'desk__update_ticket',
    'Change a ticket or add a note to it.',
    { ticket_id: TICKET_ID, note: { type: 'string', description: 'A note added to the ticket' } },
    ['ticket_id'],
  ),
  fn(
    'kb__search_articles',
    'Searches the knowledge base for known fixes and how-to articles; returns title and url of each.',
    { query: { type: 'string', description: 'What to look for' } },
    ['query'],
  ),
];

const model = () => new OfflinePlanner({ now: () => new Date('2026-11-20T10:00:00Z') }).bindTools(TOOLS);
const calls = (message: AIMessage | AIMessageChunk) => (message.tool_calls ?? []).map((call) => [call.name, call.args]);
const result = (id: string, content: unknown) => new ToolMessage({ tool_call_id: id, content: JSON.stringify(content) });

test('in a later turn, a search for only what the tool finds ("a fix") is about what the turn before was about', async () => {
  const planner = model();
  const messages: BaseMessage[] = [new HumanMessage('Open a ticket for the VPN client crashing on macOS')];
  const first = await planner.invoke(messages);
  assert.deepEqual(calls(first), [['desk__open_ticket', { title: 'VPN client crashing on macOS' }]]);
  messages.push(first, result(first.tool_calls?.[0]?.id ?? '', { ticket_id: 'HD-501', title: 'VPN client crashing on macOS' }));
  messages.push(await planner.invoke(messages), new HumanMessage('and search the knowledge base for a fix'));
  const second = await planner.invoke(messages);
  assert.deepEqual(calls(second), [['kb__search_articles', { query: 'VPN client crashing on macOS fix' }]]);
});

test('"add its link as a note" writes the address the search before it found', async () => {
  const planner = model();
  const messages: BaseMessage[] = [new HumanMessage('Search the knowledge base for echo in meetings and add its link as a note on HD-777')];
  const first = await planner.invoke(messages);
  assert.deepEqual(calls(first), [['kb__search_articles', { query: 'echo in meetings' }]]);
  const found = { results: [{ title: 'Echo in meetings', url: 'https://kb.local/echo' }] };
  messages.push(first, result(first.tool_calls?.[0]?.id ?? '', found));
  const second = await planner.invoke(messages);
  assert.deepEqual(calls(second), [['desk__update_ticket', { ticket_id: 'HD-777', note: 'https://kb.local/echo' }]]);
});

test('"add a note saying ..." fills the work note: the last word of a field\'s name names it', async () => {
  const notes = [
    fn(
      'desk__update_ticket',
      'Change a ticket or add a note to it.',
      {
        ticket_id: TICKET_ID,
        status: { type: 'string', enum: ['Open', 'In Progress', 'Done'] },
        work_note: { type: 'string', description: 'Internal note appended to the journal' },
      },
      ['ticket_id'],
    ),
  ];
  const planner = new OfflinePlanner({ now: () => new Date('2026-11-20T10:00:00Z') }).bindTools(notes);
  const reply = await planner.invoke([new HumanMessage('put HD-777 in progress and add a note saying battery swap scheduled')]);
  assert.deepEqual(calls(reply), [
    ['desk__update_ticket', { ticket_id: 'HD-777', status: 'In Progress', work_note: 'battery swap scheduled' }],
  ]);
});

test('a bare reply to a question for a missing value completes the request that lacked it', async () => {
  const planner = model();
  const messages: BaseMessage[] = [new HumanMessage('add a note saying the vendor called back')];
  const question = await planner.invoke(messages);
  assert.deepEqual(calls(question), [], 'no ticket was named: nothing is written');
  assert.match(String(question.content), /ticket id/i);
  messages.push(question, new HumanMessage('HD-777'));
  const second = await planner.invoke(messages);
  assert.deepEqual(calls(second), [['desk__update_ticket', { ticket_id: 'HD-777', note: 'the vendor called back' }]]);
});

test('"..., any fix?": the closing ask picks the reader whose texts name it, and leaves its query', async () => {
  const planner = model();
  const first = await planner.invoke([new HumanMessage('bitlocker keeps asking for a recovery key after the bios update, any fix?')]);
  assert.deepEqual(calls(first), [['kb__search_articles', { query: 'bitlocker keeps asking for a recovery key after the bios update' }]]);
});
