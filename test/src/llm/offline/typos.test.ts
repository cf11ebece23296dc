import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ToolIndex } from '../../../../src/llm/offline/toolIndex.ts';
import { oneSlipApart, withoutTypos } from '../../../../src/llm/offline/typos.ts';

const tools = new ToolIndex([
  {
    type: 'function',
    function: {
      name: 'desk__open_ticket',
      description: 'Open a support ticket for a problem someone reports.',
      parameters: { type: 'object', properties: { title: { type: 'string', description: 'One-line summary' } }, required: ['title'] },
    },
  },
]).tools;

describe('typing slips in a request', () => {
  test('one slip is a letter left out, added, changed, or two swapped', () => {
    const slips: [string, string][] = [
      ['tiket', 'ticket'],
      ['cna', 'can'],
      ['summery', 'summary'],
      ['tickett', 'ticket'],
    ];
    for (const [a, b] of slips) assert.ok(oneSlipApart(a, b), `${a} ~ ${b}`);
    const apart: [string, string][] = [
      ['ticket', 'ticket'],
      ['tkt', 'ticket'],
      ['act', 'tac'],
    ];
    for (const [a, b] of apart) assert.ok(!oneSlipApart(a, b), `${a} !~ ${b}`);
  });

  test('are read as the word the tools or general English know', () => {
    assert.equal(withoutTypos('cna you open a tiket, my laptop is dead', tools), 'can you open a ticket, my laptop is dead');
    assert.equal(withoutTypos('Cna you open a tiket?', tools), 'Can you open a ticket?');
  });

  test('leave quoted text and irregular forms as written', () => {
    for (const text of [
      'open a ticket saying "my tiket is gone"',
      'Summarise this: the tiket went away',
      'it went live, the children ran',
      'delete /tmp/old-tiket.txt and tiket.md',
      'see ticke_2',
    ])
      assert.equal(withoutTypos(text, tools), text);
  });

  test('leave dictionary words, names, codes and short words as written', () => {
    for (const text of ['open a ticke for Tiket Smith', 'the tickets of KB42x are ok', 'ope a tik', 'my wont is to open'])
      assert.equal(withoutTypos(text, tools), text.replace('ticke ', 'ticket '));
  });

  test('a three-letter word is read as a function word only, not as a word of the tools (regression: "api" became "app")', () => {
    const apps = new ToolIndex([
      {
        type: 'function',
        function: {
          name: 'cluster__scale',
          description: 'Scale an app to a number of replicas.',
          parameters: { type: 'object', properties: { app: { type: 'string', description: 'The app' } }, required: ['app'] },
        },
      },
    ]).tools;
    assert.equal(withoutTypos('scale api to 0 replicas', apps), 'scale api to 0 replicas');
    assert.equal(withoutTypos('cna you scale the ap', apps), 'can you scale the ap');
  });
});
