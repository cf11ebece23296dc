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
