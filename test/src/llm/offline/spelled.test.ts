import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

const NOW = new Date('2026-12-03T12:00:00Z');
const lock = toToolSpec({
  type: 'function',
  function: {
    name: 'home__lock',
    description: 'Lock a lock.',
    parameters: {
      type: 'object',
      properties: { entity_id: { type: 'string', description: 'Lock entity ID, e.g. lock.front_door' } },
      required: ['entity_id'],
    },
  },
});
const fill = (text: string) => fillArguments(text, lock, { now: NOW, refers: false }).args;

test('an identifier example spelled from words the request says is the value', () => {
  assert.equal(fill('Lock the front door')['entity_id'], 'lock.front_door');
  assert.equal(fill('please lock the door at the front')['entity_id'], 'lock.front_door');
});

test('an example whose words are not all said is not the value', () => {
  assert.notEqual(fill('Lock the back door')['entity_id'], 'lock.front_door');
  assert.equal(fill('Lock lock.garage')['entity_id'], 'lock.garage');
});
