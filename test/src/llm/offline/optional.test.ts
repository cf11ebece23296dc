import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

describe('optional values the person names', () => {
  const shows = tool(
    'show_search',
    {
      city: { type: 'string', description: 'City of the show.' },
      price_range: {
        type: 'string',
        enum: ['free', 'cheap', 'moderate', 'expensive'],
        description: 'Expected price range of the show seats.',
      },
    },
    ['city'],
  );

  test('an enum word before the noun the property describes is that value', () => {
    assert.equal(fillArguments('Find me a show in Boston with cheap seats', shows, NOW).args.price_range, 'cheap');
  });

  test('an enum word before some other noun is not', () => {
    assert.equal(fillArguments('Find me a show in Boston near cheap parking', shows, NOW).args.price_range, undefined);
  });
});

describe("the schema's default with a kind word", () => {
  const hotels = tool(
    'marriott_hotel_book',
    {
      location: { type: 'string', description: 'The city.' },
      hotel_chain: { type: 'string', description: 'The hotel chain.', default: 'Marriott' },
    },
    ['location'],
  );

  test('"Marriott Hotel" for a chain whose default is Marriott is Marriott', () => {
    assert.equal(fillArguments('Book any Marriott Hotel in Rome', hotels, NOW).args.hotel_chain, 'Marriott');
  });

  test('another chain keeps its name', () => {
    const value = fillArguments('Book any Hyatt Hotel in Rome', hotels, NOW).args.hotel_chain;
    assert.notEqual(value, 'Marriott');
  });
});

describe('units written as the description gives them', () => {
  const convert = tool(
    'kitchen_convert',
    {
      amount: { type: 'integer', description: 'The amount.' },
      from_unit: { type: 'string', description: "The unit to convert from. Supports 'ounce', 'gram', 'cup'." },
      to_unit: { type: 'string', description: "The unit to convert to. Supports 'ounce', 'gram', 'cup'." },
    },
    ['amount', 'from_unit', 'to_unit'],
  );

  test('a plural unit takes the example form the description names', () => {
    const { args } = fillArguments('How many grams are in 3 ounces?', convert, NOW);
    assert.equal(args.from_unit, 'ounce');
    assert.equal(args.to_unit, 'gram');
  });
});
