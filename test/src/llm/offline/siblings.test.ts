import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { decide } from '../../../../src/llm/offline/planner.ts';
import { ownValue, twoCalls } from '../../../../src/llm/offline/siblings.ts';
import { ToolIndex, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

// A look-up tool the planner knows only by its schema.
const TOOLS: FunctionTool[] = [
  {
    type: 'function',
    function: {
      name: 'history_fact_fetch',
      description: 'Retrieve facts about historical events or documents',
      parameters: {
        type: 'object',
        properties: {
          event: { type: 'string', description: 'The historical event or document you want to know about.' },
          depth: { type: 'string', enum: ['brief', 'detailed'], description: 'The depth of information required.' },
        },
        required: ['event'],
      },
    },
  },
];
const NOW = new Date('2026-12-02T12:00:00Z');
const calls = (request: string) => {
  const decision = decide([new HumanMessage(request)], new ToolIndex(TOOLS), { now: NOW });
  return decision.kind === 'calls' ? decision.calls.map((call) => [call.name, call.args]) : decision.text;
};

test('a question beside another of the same tool, naming its own subject, is a call of its own', () => {
  assert.deepEqual(calls('What was the Treaty of Paris about? Also, what was the importance of Magna Carta in history?'), [
    ['history_fact_fetch', { event: 'Treaty of Paris' }],
    ['history_fact_fetch', { event: 'Magna Carta' }],
  ]);
});

test('a value of its own is a number, a choice or a name, not leftover words', () => {
  assert.equal(ownValue(5), true);
  assert.equal(ownValue('Magna Carta'), true);
  assert.equal(ownValue('information'), false);
  assert.equal(ownValue('U.S'), false);
});

test('two parts are two calls only when each is complete and a required value differs', () => {
  const paris = { missing: [], args: { event: 'Treaty of Paris' } };
  const carta = { missing: [], args: { event: 'Magna Carta' } };
  assert.equal(twoCalls(paris, carta, ['event']), true);
  assert.equal(twoCalls(paris, paris, ['event']), false);
  assert.equal(twoCalls(paris, { missing: ['event'], args: {} }, ['event']), false);
  assert.equal(twoCalls(paris, { missing: [], args: { event: 'more details' } }, ['event']), false);
});

// A sorting tool that takes one list of numbers.
const SORT: FunctionTool[] = [
  {
    type: 'function',
    function: {
      name: 'array_sort',
      description: 'Sorts a given list in ascending or descending order.',
      parameters: {
        type: 'object',
        properties: {
          list: { type: 'array', items: { type: 'number' }, description: 'The list of numbers to be sorted.' },
          order: { type: 'string', enum: ['ascending', 'descending'], description: 'Order of sorting.' },
        },
        required: ['list', 'order'],
      },
    },
  },
];

test('a tool of one list, given several bracketed lists, is asked once for each, crossed with a list of choices', () => {
  const decision = decide(
    [new HumanMessage('Sort the lists [3, 1, 2] and [9, 7, 8] in both ascending and descending order.')],
    new ToolIndex(SORT),
    { now: NOW },
  );
  assert.equal(decision.kind, 'calls');
  const made = decision.kind === 'calls' ? decision.calls.map((call) => call.args) : [];
  assert.deepEqual(
    new Set(made.map((args) => JSON.stringify([args['list'], args['order']]))),
    new Set([
      JSON.stringify([[3, 1, 2], 'ascending']),
      JSON.stringify([[3, 1, 2], 'descending']),
      JSON.stringify([[9, 7, 8], 'ascending']),
      JSON.stringify([[9, 7, 8], 'descending']),
    ]),
  );
  assert.equal(made.length, 4);
});
