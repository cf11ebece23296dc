import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { decide } from '../../../../src/llm/offline/planner.ts';
import { ToolIndex, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

// A kinematics tool the planner knows only by its schema.
const TOOLS: FunctionTool[] = [
  {
    type: 'function',
    function: {
      name: 'final_velocity',
      description: 'Calculate the final velocity of an object given its initial velocity, acceleration and time.',
      parameters: {
        type: 'object',
        properties: {
          initial_velocity: { type: 'integer', description: 'The initial velocity of the object in m/s.' },
          acceleration: { type: 'integer', description: 'The acceleration of the object in m/s^2.' },
          time: { type: 'integer', description: 'The time in seconds.' },
        },
        required: ['initial_velocity', 'acceleration', 'time'],
      },
    },
  },
];
const NOW = new Date('2026-12-02T12:00:00Z');
const calls = (request: string) => {
  const decision = decide([new HumanMessage(request)], new ToolIndex(TOOLS), { now: NOW });
  return decision.kind === 'calls' ? decision.calls.map((call) => call.args) : decision.text;
};

test('an object that starts from rest has an initial velocity of 0', () => {
  assert.deepEqual(calls('Calculate the final velocity of a car that starts from rest and accelerates at 5 m/s^2 for 10 seconds.'), [
    { initial_velocity: 0, acceleration: 5, time: 10 },
  ]);
});

test('a case that starts from rest gives 0 only to itself', () => {
  const made = calls(
    'In the first round, the car starts from rest and accelerates at a rate of 5 meters/second^2 for 10 seconds. ' +
      'In the second round, the car starts with an initial velocity of 10 meters/second and accelerates at a rate of 7 meters/second^2 for 8 seconds. ' +
      'What are the final velocities of the car in each round?',
  );
  assert.deepEqual(made, [
    { initial_velocity: 0, acceleration: 5, time: 10 },
    { initial_velocity: 10, acceleration: 7, time: 8 },
  ]);
});
