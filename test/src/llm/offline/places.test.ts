import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const scores = toToolSpec({
  type: 'function',
  function: {
    name: 'soccer_scores_get_scores',
    description: 'Retrieve scores of a team in a league.',
    parameters: {
      type: 'object',
      properties: {
        team: { type: 'string', description: 'The team.' },
        league: { type: 'string', description: 'The league in which the team competes.' },
        rounds: { type: 'integer', description: 'Number of past rounds.' },
      },
      required: ['team', 'league', 'rounds'],
    },
  },
});

describe('the one required text left takes what the request puts "in"', () => {
  test('a capitalised name after "in" fills it', () => {
    const { args } = fillArguments('Get the soccer scores for Real Madrid games in La Liga for the last 5 rounds.', scores, NOW);
    assert.equal(args.league, 'La Liga');
  });
});

describe('a website property takes the site as written', () => {
  test('the domain is kept whole', () => {
    const calories = toToolSpec({
      type: 'function',
      function: {
        name: 'recipe_info_get_calories',
        description: 'Retrieve the calories of a recipe on a food website.',
        parameters: {
          type: 'object',
          properties: {
            website: { type: 'string', description: 'The food website that has the recipe.' },
            recipe: { type: 'string', description: 'Name of the recipe.' },
          },
          required: ['website', 'recipe'],
        },
      },
    });
    const { args } = fillArguments('How many calories in the Beef Lasagna Recipe from Foodnetwork.com?', calories, NOW);
    assert.equal(args.website, 'Foodnetwork.com');
  });
});
