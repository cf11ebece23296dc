import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

describe('values WordNet puts in the class a property is named for', () => {
  test('numbered properties take the kinds of their class in text order; a compound of the description names the class', () => {
    const mix = tool(
      'mix_paint_color',
      {
        color1: { type: 'string', description: 'The first primary color to be mixed.' },
        color2: { type: 'string', description: 'The second primary color to be mixed.' },
        lightness: { type: 'integer', description: 'The lightness level in percentage.' },
      },
      ['color1', 'color2'],
    );
    assert.deepEqual(fillArguments('Mix yellow and blue colors and adjust the lightness level to 60 percent.', mix, NOW).args, {
      color1: 'yellow',
      color2: 'blue',
      lightness: 60,
    });
    const distance = tool(
      'calculate_distance',
      {
        body1: { type: 'string', description: 'The first celestial body.' },
        body2: { type: 'string', description: 'The second celestial body.' },
      },
      ['body1', 'body2'],
    );
    assert.deepEqual(fillArguments('the distance from the Earth to the Moon', distance, NOW).args, { body1: 'Earth', body2: 'Moon' });
  });

  test('a word of a longer name is not taken alone', () => {
    const ranking = tool(
      'get_current_ranking',
      {
        team: { type: 'string', description: 'The name of the team.' },
        league: { type: 'string', description: 'The league the team plays in.' },
      },
      ['team', 'league'],
    );
    assert.notEqual(fillArguments('the ranking for Liverpool Football Club in the Premier League', ranking, NOW).args.team, 'Club');
    const availability = tool(
      'check_instrument_availability',
      {
        instrument: { type: 'string', description: 'The name of the musical instrument.' },
        city: { type: 'string', description: 'City where the store is located.' },
      },
      ['instrument', 'city'],
    );
    assert.notEqual(fillArguments('availability for a Yamaha P125 piano in Berlin', availability, NOW).args.instrument, 'piano');
  });
});

describe('small readings of flags, times of day and one-letter enums (regression)', () => {
  test('"multi-player" says multiplayer; "at 12pm" fills a text property named time', () => {
    const games = tool(
      'get_games',
      {
        release_year: { type: 'integer', description: 'The year the game was released.' },
        multiplayer: { type: 'boolean', description: 'Whether the game has multiplayer functionality.' },
      },
      ['release_year', 'multiplayer'],
    );
    assert.deepEqual(fillArguments('Find all multi-player games released in 2019', games, NOW).args, {
      release_year: 2019,
      multiplayer: true,
    });
    const air = tool(
      'get_air_quality_index',
      {
        location: { type: 'string', description: 'The location to get the air quality index for.' },
        time: { type: 'string', description: 'The specific time to check the air quality.' },
      },
      ['location', 'time'],
    );
    assert.equal(fillArguments('Find the air quality index in San Diego at 12pm.', air, NOW).args.time, '12pm');
  });

  test('a one-letter enum value is written in its own case: "a" is an article', () => {
    const dna = tool(
      'generate_DNA_sequence',
      {
        length: { type: 'integer', description: 'The length of the DNA sequence.' },
        preferences: { type: 'array', items: { type: 'string', enum: ['A', 'T', 'C', 'G'] }, description: 'Preferred nucleotides.' },
      },
      ['length', 'preferences'],
    );
    assert.deepEqual(fillArguments('Generate a DNA sequence with 100 bases including more G (Guanine) and C (Cytosine).', dna, NOW).args, {
      length: 100,
      preferences: ['G', 'C'],
    });
  });

  test('a description "Breed of the dog" names the class of a property named for a kind', () => {
    const shows = tool(
      'list_dog_shows',
      {
        breed: { type: 'string', description: 'Breed of the dog.' },
        city: { type: 'string', description: 'The city of interest.' },
      },
      ['breed'],
    );
    assert.equal(fillArguments('List the shows for poodles in Lyon', shows, NOW).args.breed, 'poodles');
  });
});
