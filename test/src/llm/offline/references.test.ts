import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import {
  collectObservations,
  ordinalIn,
  pointedField,
  pointedLink,
  pointsAtIt,
  pointsAtText,
  readToolResult,
  refersBack,
  resolveFrom,
  type Observation,
} from '../../../../src/llm/offline/references.ts';
import { describeProps } from '../../../../src/llm/offline/schema.ts';

const [number, url, text] = describeProps({
  type: 'object',
  properties: {
    number: { type: 'string', pattern: '^INC\\d{7}$' },
    url: { type: 'string' },
    text: { type: 'string' },
  },
});
if (!number || !url || !text) throw new Error('schema');

function thread() {
  return [
    new HumanMessage('search incidents about email'),
    new AIMessage({ content: '', tool_calls: [{ id: 'a', name: 'search_incidents', args: { query: 'email' }, type: 'tool_call' }] }),
    new ToolMessage({
      tool_call_id: 'a',
      content: JSON.stringify({ total: 2, incidents: [{ number: 'INC0010017' }, { number: 'INC0010023' }] }),
    }),
    new AIMessage('Found INC0010017 and INC0010023.'),
    new HumanMessage('search the web for outlook prompts'),
    new AIMessage({ content: '', tool_calls: [{ id: 'b', name: 'web_search', args: { query: 'outlook' }, type: 'tool_call' }] }),
    new ToolMessage({
      tool_call_id: 'b',
      content: JSON.stringify({
        results: [
          { title: 'One', url: 'https://kb.local/one', content: 'Remove the cached credentials and sign in again.' },
          { title: 'Two', url: 'https://kb.local/two', content: 'Suspend BitLocker before a firmware update.' },
        ],
      }),
    }),
  ];
}

const newestFirst = (observations: Observation[]) => [...observations].reverse();

test('observations carry their turn, tool and arguments', () => {
  const observations = collectObservations(thread());
  const tools = observations.filter((observation) => observation.source === 'tool');
  assert.deepEqual(
    tools.map((observation) => [observation.turn, observation.toolName, observation.args]),
    [
      [1, 'search_incidents', { query: 'email' }],
      [2, 'web_search', { query: 'outlook' }],
    ],
  );
});

test('a reference takes the newest matching value, by ordinal, searching back through the thread', () => {
  const observations = newestFirst(collectObservations(thread()));
  assert.equal(resolveFrom(number, observations, 0), 'INC0010017', 'no incident in the newest result: the one before');
  assert.equal(resolveFrom(number, observations, 1), 'INC0010023');
  assert.equal(resolveFrom(url, observations, -1), 'https://kb.local/two');
  assert.equal(resolveFrom(text, observations, 1), 'Suspend BitLocker before a firmware update.', 'text of the item, not its url');
  assert.equal(resolveFrom(number, observations, 5), undefined, 'no fifth incident');
});

test('failed results are never pointed at', () => {
  const observations = collectObservations([
    new HumanMessage('create one'),
    new AIMessage({ content: '', tool_calls: [{ id: 'x', name: 'create_incident', args: {}, type: 'tool_call' }] }),
    new ToolMessage({ tool_call_id: 'x', status: 'error', content: 'Error: INC0099999 is locked' }),
  ]);
  assert.equal(resolveFrom(number, observations, 0), undefined);
});

test('tool results in the shapes MCP adapters produce', () => {
  const structured = { incident: { number: 'INC0010042' } };
  const asBlock = new ToolMessage({
    tool_call_id: 'a',
    content: [{ type: 'text', text: 'INC0010042 created', structuredContent: structured }] as never,
  });
  assert.deepEqual(readToolResult(asBlock).data, structured);
  const asArtifact = new ToolMessage({
    tool_call_id: 'a',
    content: 'INC0010042 created',
    artifact: [{ type: 'mcp_structured_content', data: structured }],
  });
  assert.deepEqual(readToolResult(asArtifact).data, structured);
  assert.equal(readToolResult(new ToolMessage({ tool_call_id: 'a', content: 'Error: no such incident' })).isError, true);
  assert.equal(readToolResult(new ToolMessage({ tool_call_id: 'a', content: 'Echo: hi' })).data, undefined);
});

test('pointing words and ordinals', () => {
  const nouns = new Set(['incident', 'articl']);
  assert.equal(refersBack('change its urgency to high', nouns), true);
  assert.equal(refersBack('set that incident to In Progress', nouns), true);
  assert.equal(refersBack('show me the second one', nouns), true);
  assert.equal(refersBack('tell me how angry this customer is', nouns), false);
  assert.equal(refersBack('search the web for VPN fixes', nouns), false);
  assert.equal(ordinalIn('show me the second one'), 1);
  assert.equal(ordinalIn('fetch the last result'), -1);
  assert.equal(ordinalIn('fetch it'), 0);
});

test('"this message from a customer" points at a text, "the email about the outage" says which to find', () => {
  assert.equal(pointsAtText('how will this message from a customer land with our team?'), true);
  assert.equal(pointsAtText('the sentiment of that text'), true);
  assert.equal(pointsAtText('find the email about the outage'), false);
});

test('a part ending "in it" or "of this" points at what it reads words in', () => {
  assert.equal(pointsAtIt('Can you pull out the names and dates in it?'), true);
  assert.equal(pointsAtIt('what is the sentiment of this'), true);
  assert.equal(pointsAtIt('put it on hold'), false);
});

test('"its link", "the link" point at the first address the newest result holds', () => {
  const found: Observation = {
    turn: 1,
    source: 'tool',
    toolName: 'web_search',
    callId: 's',
    args: { query: 'echo' },
    data: {
      query: 'echo',
      results: [
        { title: 'Echo in meetings', url: 'https://kb.local/echo' },
        { title: 'B', url: 'https://kb.local/b' },
      ],
    },
    text: '',
    isError: false,
  };
  assert.equal(pointedLink('add its link as a work note on INC0010013', [found]), 'https://kb.local/echo');
  assert.equal(pointedLink('If so, add the link to INC0010006 as a work note', [found]), 'https://kb.local/echo');
  assert.equal(pointedLink('add a note saying the vendor called', [found]), undefined);
  assert.equal(pointedLink('add its link as a note', [{ ...found, isError: true }]), undefined);
});

test('the field a step names of the record just read is its text, a list at its newest entry', () => {
  const read: Observation = {
    turn: 1,
    source: 'tool',
    toolName: 'tickets__get_ticket',
    callId: 'a',
    args: { key: 'HD-7' },
    data: {
      key: 'HD-7',
      title: 'Badge reader rejects badges',
      work_notes: [
        { at: '2026-11-01', text: 'Called the vendor about a new reader.' },
        { at: '2026-11-02', text: 'Asked Mei when she can bring the laptop in.' },
      ],
    },
    text: '',
    isError: false,
  };
  assert.equal(pointedField('tell me whether its latest note sounds positive', [read]), 'Asked Mei when she can bring the laptop in.');
  assert.equal(pointedField('tell me what the KB suggests for it', [read]), undefined);
  const wrapped = { ...read, data: { ticket: read.data } };
  assert.equal(pointedField('is its last note upbeat?', [wrapped]), 'Asked Mei when she can bring the laptop in.');
});

test('a whole-number id ("monitor_id") points at the number a record holds under its name or under "id"', () => {
  const [monitorId] = describeProps({ type: 'object', properties: { monitor_id: { type: 'integer', description: 'Monitor ID' } } });
  if (!monitorId) throw new Error('schema');
  const observations = newestFirst(
    collectObservations([
      new HumanMessage('which monitors are alerting'),
      new AIMessage({ content: '', tool_calls: [{ id: 'm', name: 'list_monitors', args: { status: 'Alert' }, type: 'tool_call' }] }),
      new ToolMessage({
        tool_call_id: 'm',
        content: JSON.stringify({
          monitors: [
            { id: 4101, name: 'Checkout latency', threshold: 5 },
            { id: 4104, name: 'Queue depth' },
          ],
        }),
      }),
    ]),
  );
  assert.equal(resolveFrom(monitorId, observations, 0), 4101);
  assert.equal(resolveFrom(monitorId, observations, 1), 4104, 'the second one, never the threshold');
});
