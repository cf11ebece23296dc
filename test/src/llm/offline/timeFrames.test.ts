import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({
    type: 'function',
    function: { name: 'concert_search', description: 'Find concerts.', parameters: { type: 'object', properties, required } },
  });

describe('a time said in words fills a string property for when', () => {
  test('a relative period or a century is kept as written', () => {
    const search = tool(
      {
        location: { type: 'string', description: 'City.' },
        date: { type: 'string', description: 'Date of the concert, e.g. this weekend, today.' },
      },
      ['location', 'date'],
    );
    assert.equal(fillArguments('Find a concert this weekend in Los Angeles.', search, NOW).args.date, 'this weekend');
    const sculptures = tool({ time_frame: { type: 'string', description: 'The time frame during which they were made.' } }, ['time_frame']);
    assert.equal(fillArguments('Find sculptures made in the 19th century.', sculptures, NOW).args.time_frame, '19th century');
  });

  test('a word the description quotes for that period is how it is written', () => {
    const traffic = tool({ time_period: { type: 'string', description: "'now' for current, 'weekend' for the coming weekend." } }, []);
    assert.equal(fillArguments('How much traffic this weekend?', traffic, NOW).args.time_period, 'weekend');
  });

  test('a property with a date layout is left to the date reader', () => {
    const dated = tool({ date: { type: 'string', description: 'Date in YYYY-MM-DD format.' } }, ['date']);
    assert.notEqual(fillArguments('Find a concert this weekend.', dated, NOW).args.date, 'this weekend');
  });
});
