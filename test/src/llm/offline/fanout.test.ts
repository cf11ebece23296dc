import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

describe('several argument sets from one part', () => {
  test('"A and B ... 20 and 15 minutes respectively" pairs the lists item by item', () => {
    const play = tool(
      'play',
      {
        artist: { type: 'string', description: 'The artist whose songs you want to play.' },
        duration: { type: 'integer', description: 'The duration for which the songs should be played, in minutes.' },
      },
      ['artist', 'duration'],
    );
    const filled = fillArguments(
      'Play songs from the artists Taylor Swift and Maroon 5, for 20 minutes and 15 minutes respectively',
      play,
      NOW,
    );
    assert.deepEqual(filled.sets, [
      { artist: 'Taylor Swift', duration: 20 },
      { artist: 'Maroon 5', duration: 15 },
    ]);
    assert.deepEqual(filled.args, filled.sets?.[0]);
  });

  test('one listed value repeats the call for each item, the other arguments the same', () => {
    const loan = tool(
      'mortgage',
      { loan_amount: { type: 'integer', description: 'The loan amount.' }, years: { type: 'integer', description: 'Loan term in years.' } },
      ['loan_amount', 'years'],
    );
    assert.deepEqual(
      fillArguments('a loan amount of $400,000 over 15, 20 and 30 years', loan, NOW).sets?.map((set) => set.years),
      [15, 20, 30],
    );
  });

  test('no sets when the items went to other properties, a comma joins one place, or the list is free text', () => {
    const hypot = tool('hypot', { x: { type: 'integer' }, y: { type: 'integer' } }, ['x', 'y']);
    assert.equal(fillArguments('sides of 4 and 5', hypot, NOW).sets, undefined);
    const weather = tool('weather', { location: { type: 'string', description: 'The city.' } }, ['location']);
    assert.equal(fillArguments('weather in Seattle, Washington', weather, NOW).sets, undefined);
    assert.equal(fillArguments('weather in Seattle and Boston', weather, NOW).sets?.length, 2);
    const search = tool('search', { query: { type: 'string' } }, ['query']);
    assert.equal(fillArguments('search for printers and scanners', search, NOW).sets, undefined);
  });
});
