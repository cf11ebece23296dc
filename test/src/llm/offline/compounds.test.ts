import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const emissions = toToolSpec({
  type: 'function',
  function: {
    name: 'calculate_emissions',
    description: 'Calculates the annual carbon dioxide emissions of a vehicle.',
    parameters: {
      type: 'object',
      properties: {
        distance: { type: 'integer', description: 'The distance travelled in miles.' },
        fuel_type: { type: 'string', description: 'Type of fuel used by the vehicle.' },
        fuel_efficiency: { type: 'number', description: "The vehicle's fuel efficiency in miles per gallon." },
        efficiency_reduction: { type: 'integer', description: 'The percentage decrease in fuel efficiency per year.' },
      },
      required: ['distance', 'fuel_type', 'fuel_efficiency'],
    },
  },
});

describe('modifiers and unit initials', () => {
  test("a hyphenated modifier's first half fills the property its second half names", () => {
    const { args } = fillArguments('How much CO2 does a gas-fueled car make in 12,000 miles at 20 mpg?', emissions, NOW);
    assert.equal(args.fuel_type, 'gas');
  });

  test("a unit written as the initials of the description's unit ties the number to it", () => {
    const { args } = fillArguments('A gas-fueled car travels 12,000 miles per year with fuel efficiency 20 mpg.', emissions, NOW);
    assert.equal(args.fuel_efficiency, 20);
    assert.equal(args.efficiency_reduction, undefined);
  });
});
