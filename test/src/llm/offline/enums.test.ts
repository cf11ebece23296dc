import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };

test('a lower-case enum value inside a capitalised name is part of that name, not the value', () => {
  const search = toToolSpec({
    type: 'function',
    function: {
      name: 'search_tasks',
      description: 'Find tasks',
      parameters: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['hardware', 'software', 'network'], description: 'Kind of problem' },
          team: { type: 'string', description: 'Only this team' },
        },
      },
    },
  });
  const named = fillArguments('How many tasks does the Hardware Support group have?', search, NOW).args;
  assert.equal(named.kind, undefined, JSON.stringify(named));
  assert.equal(fillArguments('Hardware tasks of this week', search, NOW).args.kind, 'hardware');
  assert.equal(fillArguments('show me the open hardware tasks', search, NOW).args.kind, 'hardware');
});

test("a value's hint in the property's description matches with a word between ('a whole team' in 'the whole sales team')", () => {
  const create = toToolSpec({
    type: 'function',
    function: {
      name: 'open_case',
      description: 'Open a case',
      parameters: {
        type: 'object',
        properties: {
          summary: { type: 'string', description: 'One-line summary' },
          reach: { type: 'string', enum: ['high', 'low'], description: 'Who is affected: high (a whole team), low (one person)' },
        },
        required: ['summary'],
      },
    },
  });
  assert.equal(fillArguments('email down for the whole sales team', create, NOW).args.reach, 'high');
  assert.equal(fillArguments('email down for the whole of the building', create, NOW).args.reach, undefined);
});

test('"assign the new ticket to ..." points at one record; "show the new tickets" filters by the value', () => {
  const states = { type: 'string', enum: ['New', 'Open', 'Done'], description: 'State' };
  const update = toToolSpec({
    type: 'function',
    function: {
      name: 'update_task',
      description: 'Change one task (also called a ticket): its state or team',
      parameters: {
        type: 'object',
        properties: {
          task_id: { type: 'string', pattern: '^T-\\d+$' },
          state: states,
          assignment_group: { type: 'string', description: 'Team to work on it' },
        },
        required: ['task_id'],
      },
    },
  });
  const search = toToolSpec({
    type: 'function',
    function: {
      name: 'search_tasks',
      description: 'Find tasks (also called tickets)',
      parameters: { type: 'object', properties: { state: states } },
    },
  });
  assert.deepEqual(fillArguments('assign the new ticket to Facilities IT', update, NOW).args, { assignment_group: 'Facilities IT' });
  assert.equal(fillArguments('set T-4 back to new', update, NOW).args.state, 'New');
  assert.equal(fillArguments('show the new tickets', search, NOW).args.state, 'New');
});

test("an item of a list enum's list that clips one of its values ('specs') is that value", () => {
  const listing = toToolSpec({
    type: 'function',
    function: {
      name: 'product_details',
      description: 'Get details of a product.',
      parameters: {
        type: 'object',
        properties: {
          product: { type: 'string', description: 'The product.' },
          details: { type: 'array', items: { type: 'string', enum: ['Price', 'Reviews', 'Specifications', 'Stock'] } },
        },
        required: ['product', 'details'],
      },
    },
  });
  assert.deepEqual(fillArguments('Show the price, reviews and specs of the Acme kettle', listing, NOW).args.details, [
    'Price',
    'Reviews',
    'Specifications',
  ]);
  assert.deepEqual(fillArguments('Show the price of the Acme kettle and specs', listing, NOW).args.details, ['Price']);
  const venue = toToolSpec({
    type: 'function',
    function: {
      name: 'venue_info',
      description: 'Get information about a venue.',
      parameters: {
        type: 'object',
        properties: {
          venue: { type: 'string', description: 'The venue.' },
          information: { type: 'array', items: { type: 'string', enum: ['seating_capacity', 'parking_fee', 'address'] } },
        },
        required: ['venue'],
      },
    },
  });
  assert.deepEqual(fillArguments('Find the total capacity and parking fee of the Rose Hall', venue, NOW).args.information, [
    'seating_capacity',
    'parking_fee',
  ]);
});
