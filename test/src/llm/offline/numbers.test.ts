import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { findNumbers } from '../../../../src/llm/offline/numbers.ts';
import { Sentence } from '../../../../src/llm/offline/sentence.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });
const values = (text: string) => findNumbers(new Sentence(text)).map((mention) => [mention.value, mention.unit]);

describe('numbers in a request', () => {
  test('digits with decimals, separators, scale words, signs and glued units', () => {
    assert.deepEqual(values('8.5 million km, 1,200 users, -3 degrees, 6cm and 5J/K'), [
      [8_500_000, 'km'],
      [1200, 'users'],
      [-3, 'degrees'],
      [6, 'cm'],
      [5, 'j/k'],
    ]);
  });

  test('numbers written as words, but not "one" used as a pronoun, nor digits inside identifiers or ranges', () => {
    assert.deepEqual(values('twenty-five apples and three pears'), [
      [25, 'apples'],
      [3, 'pears'],
    ]);
    assert.deepEqual(values('open the second one, ticket rs6034464'), []);
    assert.deepEqual(
      values('pages 3-5').map(([value]) => value),
      [3, 5],
    );
  });

  test('a number goes to the property its neighbouring words or unit name', () => {
    const area = tool(
      'area',
      {
        base: { type: 'integer', description: 'The base of the triangle.' },
        height: { type: 'integer', description: 'The height of the triangle.' },
      },
      ['base', 'height'],
    );
    assert.deepEqual(fillArguments('a height of 5 and a base of 10 units', area, NOW).args, { height: 5, base: 10 });
    const charge = tool(
      'force',
      {
        distance: { type: 'integer', description: 'The distance between the charges in meters.' },
        weight: { type: 'number', description: 'Weight (kg).' },
      },
      ['distance', 'weight'],
    );
    assert.deepEqual(fillArguments('a 70kg weight placed 3 meters apart', charge, NOW).args, { weight: 70, distance: 3 });
  });

  test('properties numbered alike take their numbers in text order; required ones take what is left, in order', () => {
    const mix = tool(
      'mix',
      {
        mass1: { type: 'integer', description: 'Mass of the first body (kg).' },
        mass2: { type: 'integer', description: 'Mass of the second body (kg).' },
      },
      ['mass1', 'mass2'],
    );
    assert.deepEqual(fillArguments('mix 20 kg of water with 15 kg of water', mix, NOW).args, { mass1: 20, mass2: 15 });
    const hypot = tool('hypot', { x: { type: 'integer' }, y: { type: 'integer' } }, ['x', 'y']);
    assert.deepEqual(fillArguments('the other two sides are 4 and 5', hypot, NOW).args, { x: 4, y: 5 });
  });

  test('an array of numbers takes the numbers no other property took; a value is kept as written', () => {
    const stats = tool(
      'stats',
      { numbers: { type: 'array', items: { type: 'number' } }, bins: { type: 'integer', description: 'Number of bins.' } },
      ['numbers'],
    );
    assert.deepEqual(fillArguments('histogram of 85, 90, 88.5 with 5 bins', stats, NOW).args, { numbers: [85, 90, 88.5], bins: 5 });
  });

  test('words after a comma belong to the next value; words every property shares tell none apart (regression)', () => {
    const area = tool(
      'area',
      {
        base: { type: 'integer', description: 'The base of the triangle.' },
        height: { type: 'integer', description: 'The height of the triangle.' },
      },
      ['base', 'height'],
    );
    assert.deepEqual(fillArguments('the area of a triangle with base 6 and height 10', area, NOW).args, { base: 6, height: 10 });
    const growth = tool(
      'cagr',
      {
        initial_value: { type: 'integer', description: 'The initial investment value.' },
        final_value: { type: 'integer', description: 'The final investment value.' },
        initial_temp: { type: 'integer', description: 'Temperature at the start, in kelvin.' },
      },
      ['initial_value', 'final_value'],
    );
    assert.deepEqual(fillArguments('an initial investment of $2000, final value of $3000, starting temperature 300K', growth, NOW).args, {
      initial_value: 2000,
      final_value: 3000,
      initial_temp: 300,
    });
  });

  test('"5%" is 0.05 to a rate, and 5 to a property that says it takes a percentage', () => {
    const loan = tool(
      'loan',
      {
        rate: { type: 'number', description: 'The annual interest rate.' },
        tax: { type: 'number', description: 'The tax rate as a percentage.' },
      },
      ['rate', 'tax'],
    );
    assert.deepEqual(fillArguments('an annual interest rate of 4% and a tax of 20%', loan, NOW).args, { rate: 0.04, tax: 20 });
  });
  test('numbered properties read their name without the digit; two-word units, "per" units, "%" and currency signs (regression)', () => {
    const mix = tool(
      'final_temperature',
      {
        mass1: { type: 'integer', description: 'The mass of the first body (kg).' },
        temperature1: { type: 'integer', description: 'The initial temperature of the first body (Celsius).' },
        mass2: { type: 'integer', description: 'The mass of the second body (kg).' },
        temperature2: { type: 'integer', description: 'The initial temperature of the second body (Celsius).' },
        specific_heat_capacity: { type: 'number', description: 'The specific heat capacity in kJ/kg/K, default that of water.' },
      },
      ['mass1', 'temperature1', 'mass2', 'temperature2'],
    );
    assert.deepEqual(
      fillArguments('20 kg of water at 30 degree Celsius is mixed with 15 kg of water at 60 degree Celsius', mix, NOW).args,
      { mass1: 20, temperature1: 30, mass2: 15, temperature2: 60 },
    );
    const interest = tool(
      'compound_interest',
      {
        principle: { type: 'integer', description: 'The initial amount of money.' },
        interest_rate: { type: 'number', description: 'The yearly interest rate.' },
        time: { type: 'integer', description: 'The time, in years, the money is invested for.' },
        compounds_per_year: { type: 'integer', description: 'The number of times interest is compounded per year.' },
      },
      ['principle', 'interest_rate', 'time'],
    );
    assert.deepEqual(fillArguments('an investment of $10,000 at a rate of 5% compounded yearly for 10 years', interest, NOW).args, {
      principle: 10000,
      interest_rate: 0.05,
      time: 10,
    });
  });
  test('a series of properties takes a list of numbers written by its words, in order; "$1.2M" is 1.2 million (regression)', () => {
    const potential = tool(
      'electrostatic_potential',
      {
        charge1: { type: 'number', description: 'The quantity of charge on the first body.' },
        charge2: { type: 'number', description: 'The quantity of charge on the second body.' },
        distance: { type: 'number', description: 'The distance between the two bodies.' },
      },
      ['charge1', 'charge2', 'distance'],
    );
    assert.deepEqual(fillArguments('the potential between two charged bodies of 1e-9 and 2e-9 of distance 0.05', potential, NOW).args, {
      charge1: 1e-9,
      charge2: 2e-9,
      distance: 0.05,
    });
    const notes = tool(
      'note_duration',
      {
        first_note_frequency: { type: 'integer', description: 'The frequency of the first note in Hz.' },
        second_note_frequency: { type: 'integer', description: 'The frequency of the second note in Hz.' },
      },
      ['first_note_frequency', 'second_note_frequency'],
    );
    assert.deepEqual(fillArguments('the duration between two notes of 440Hz and 880Hz frequency', notes, NOW).args, {
      first_note_frequency: 440,
      second_note_frequency: 880,
    });
    const growth = tool(
      'yoy_growth',
      {
        year1: { type: 'integer', description: 'The initial year.' },
        year1_revenue: { type: 'integer', description: 'The revenue for the initial year.' },
        year2: { type: 'integer', description: 'The subsequent year.' },
        year2_revenue: { type: 'integer', description: 'The revenue for the subsequent year.' },
      },
      ['year1', 'year1_revenue', 'year2', 'year2_revenue'],
    );
    assert.deepEqual(fillArguments('revenues of $1M in 2019 and $1.2M in 2020', growth, NOW).args, {
      year1: 2019,
      year1_revenue: 1_000_000,
      year2: 2020,
      year2_revenue: 1_200_000,
    });
  });
  test('an ordinal before a number picks its member of a series; "two gears" counts the series (regression)', () => {
    const ratio = tool(
      'gear_ratio',
      {
        first_gear_teeth: { type: 'integer', description: 'The teeth of the first gear.' },
        second_gear_teeth: { type: 'integer', description: 'The teeth of the second gear.' },
      },
      ['first_gear_teeth', 'second_gear_teeth'],
    );
    const explicit = { ...NOW, explicitOnly: true };
    assert.deepEqual(fillArguments('the second gear has 40 teeth', ratio, explicit).args, { second_gear_teeth: 40 });
    assert.deepEqual(fillArguments('the ratio of two gears', ratio, explicit).args, {});
    assert.deepEqual(
      fillArguments('The ratio of two gears. The first gear has 20 teeth and the second gear has 40 teeth.', ratio, NOW).args,
      {
        first_gear_teeth: 20,
        second_gear_teeth: 40,
      },
    );
  });
  test('a number whose unit measures another quantity does not go to a property named for one (regression)', () => {
    const bmi = tool(
      'body_mass_index',
      {
        weight: { type: 'integer', description: 'Weight of the person in kilograms.' },
        height: { type: 'integer', description: 'Height of the person in centimeters.' },
      },
      ['weight', 'height'],
    );
    const filled = fillArguments('the base is 10 meters and height is 5 meters', bmi, NOW);
    assert.equal(filled.args.height, 500, '5 meters in centimeters');
    assert.equal(filled.args.weight, undefined);
    assert.equal(fillArguments('weight 70 kg and height 180 centimeters', bmi, NOW).args.weight, 70);
  });
  test("a number goes in the unit its property's description asks for; a list enum takes the items joined to one it took (regression)", () => {
    const mix = tool(
      'create_mix',
      {
        scale: { type: 'string', description: 'The musical scale to be used.' },
        track_length: { type: 'integer', description: 'Length of the mix track in seconds.' },
      },
      ['scale', 'track_length'],
    );
    assert.equal(fillArguments('Create a mix track in C major with a duration of 3 minutes.', mix, NOW).args.track_length, 180);
    const directions = tool(
      'get_directions',
      {
        start: { type: 'string', description: 'Starting location.' },
        end: { type: 'string', description: 'Ending location.' },
        avoid: {
          type: 'array',
          items: { type: 'string', enum: ['tolls', 'highways', 'ferries'] },
          description: 'Route features to avoid.',
        },
      },
      ['start', 'end'],
    );
    assert.deepEqual(
      fillArguments('directions from New York to Los Angeles avoiding highways and toll roads', directions, NOW).args.avoid,
      ['highways', 'tolls'],
    );
  });
  test('"5ft 10in" is one amount, 70 inches (regression)', () => {
    const person = tool(
      'diabetes_prediction',
      {
        weight: { type: 'integer', description: 'Weight of the person in lbs.' },
        height: { type: 'integer', description: 'Height of the person in inches.' },
      },
      ['weight', 'height'],
    );
    assert.deepEqual(fillArguments('a person with weight 150lbs and height 5ft 10in', person, NOW).args, { weight: 150, height: 70 });
  });
});
