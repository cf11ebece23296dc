import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { decide } from '../../../../src/llm/offline/planner.ts';
import { nounJoints } from '../../../../src/llm/offline/split.ts';
import { ToolIndex, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

// Two number tools the planner knows only by their schemas.
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]): FunctionTool => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required } },
});
const PAIR = {
  num1: { type: 'integer', description: 'The first number.' },
  num2: { type: 'integer', description: 'The second number.' },
};
const TOOLS = [
  fn('greatest_common_divisor', 'Calculate the greatest common divisor of two integers.', PAIR, ['num1', 'num2']),
  fn('least_common_multiple', 'Calculate the least common multiple of two integers.', PAIR, ['num1', 'num2']),
];
const NOW = new Date('2026-12-02T12:00:00Z');
const calls = (request: string) => {
  const decision = decide([new HumanMessage(request)], new ToolIndex(TOOLS), { now: NOW });
  return decision.kind === 'calls' ? decision.calls.map((call) => [call.name, call.args]) : decision.text;
};

test('a part that goes on without a verb to what another tool does makes a call of each', () => {
  assert.deepEqual(calls('Calculate the greatest common divisor of 96 and 128, and the least common multiple of 15 and 25.'), [
    ['greatest_common_divisor', { num1: 96, num2: 128 }],
    ['least_common_multiple', { num1: 15, num2: 25 }],
  ]);
});

test('a list inside one request stays one call', () => {
  assert.deepEqual(calls('Calculate the greatest common divisor of 96 and 128.'), [['greatest_common_divisor', { num1: 96, num2: 128 }]]);
});

test('joints are commas and "and" before a new article, outside quotes', () => {
  const text = 'the GCD of 96 and 128, and the LCM of "a and the b"';
  assert.deepEqual(
    nounJoints(text).map((joint) => text.slice(joint.end)),
    ['the LCM of "a and the b"'],
  );
});

const SEQUENCE_TOOLS = [
  fn(
    'find_prime_numbers',
    'Locate all prime numbers in a specific number range.',
    {
      start: { type: 'integer', description: 'The start of the number range.' },
      end: { type: 'integer', description: 'The end of the number range.' },
    },
    ['start', 'end'],
  ),
  fn(
    'get_fibonacci_sequence',
    'Generate a Fibonacci sequence up to a specific number of items.',
    { count: { type: 'integer', description: 'The number of items to generate.' } },
    ['count'],
  ),
  fn(
    'create_player_profile',
    'Create a new player profile with character name, class and starting level.',
    {
      player_name: { type: 'string', description: 'The desired name of the player.' },
      class_type: { type: 'string', description: 'The character class for the player.' },
      starting_level: { type: 'integer', description: 'The starting level for the player.', default: 1 },
    },
    ['player_name', 'class_type'],
  ),
];
const sequenceCalls = (request: string) => {
  const decision = decide([new HumanMessage(request)], new ToolIndex(SEQUENCE_TOOLS), { now: NOW });
  return decision.kind === 'calls' ? decision.calls.map((call) => [call.name, call.args]) : decision.text;
};

test('a step after "then" that points at nothing and says all it needs runs at once', () => {
  assert.deepEqual(sequenceCalls('Find all prime numbers between 50 and 150. Then get the fibonacci series upto 150.'), [
    ['find_prime_numbers', { start: 50, end: 150 }],
    ['get_fibonacci_sequence', { count: 150 }],
  ]);
});

test('sentences that each say a little of one call make that one call', () => {
  assert.deepEqual(
    sequenceCalls(
      "Create a player profile: name your character 'DragonSlayer' and choose 'Warrior' as your class. You also want to start at level 5.",
    ),
    [['create_player_profile', { player_name: 'DragonSlayer', class_type: 'Warrior', starting_level: 5 }]],
  );
});

const forecast = (kind: string) =>
  fn(
    `weather_forecast_${kind}`,
    `Retrieve a ${kind} forecast for a specific location and time frame.`,
    {
      location: { type: 'string', description: 'The city that you want to get the forecast for.' },
      days: { type: 'integer', description: 'Number of days for the forecast.' },
    },
    ['location', 'days'],
  );

test('a list of what sibling tools tell apart makes a call of each, and an ending said once holds for all', () => {
  const index = new ToolIndex(['temperature', 'humidity', 'precipitation'].map(forecast));
  const decision = decide(
    [
      new HumanMessage(
        'Get temperature and humidity forecast for Boston, USA and precipitation forecast for Rome, Italy for next 10 days.',
      ),
    ],
    index,
    { now: NOW },
  );
  assert.deepEqual(decision.kind === 'calls' ? decision.calls.map((call) => [call.name, call.args]) : decision, [
    ['weather_forecast_temperature', { location: 'Boston, USA', days: 10 }],
    ['weather_forecast_humidity', { location: 'Boston, USA', days: 10 }],
    ['weather_forecast_precipitation', { location: 'Rome, Italy', days: 10 }],
  ]);
});

const person = (name: string, description: string, key: string) =>
  fn(name, description, { [key]: { type: 'string', description: `The name of the ${key.replace(/_/g, ' ')}.` } }, [key]);
const yearTool = (name: string, description: string) =>
  fn(name, description, { year: { type: 'integer', description: 'The year.' } }, ['year']);

test('a later request that names its subject by "he" or "his" takes the name said before', () => {
  const index = new ToolIndex([
    person('scientist_info_get_birthdate', 'Retrieve the birthdate of a scientist.', 'name'),
    person('scientist_info_get_famous_discovery', 'Retrieve the most famous discovery of a scientist.', 'name'),
  ]);
  const decision = decide(
    [new HumanMessage('What is the exact birthdate of Nikola Tesla and what his most famous discovery was?')],
    index,
    {
      now: NOW,
    },
  );
  assert.deepEqual(decision.kind === 'calls' ? decision.calls.map((call) => [call.name, call.args]) : decision, [
    ['scientist_info_get_birthdate', { name: 'Nikola Tesla' }],
    ['scientist_info_get_famous_discovery', { name: 'Nikola Tesla' }],
  ]);
});

test('"in these years" after a request for two years asks for each of them', () => {
  const index = new ToolIndex([
    yearTool('us_history_life_expectancy', 'Retrieve the average life expectancy of the USA in a specific year.'),
    yearTool('us_history_gdp', 'Retrieve the GDP of the USA in a specific year.'),
  ]);
  const decision = decide(
    [
      new HumanMessage(
        'What was the average life expectancy in the USA in the year 1900 and 1950? Additionally, what was the GDP of the USA in these years?',
      ),
    ],
    index,
    { now: NOW },
  );
  assert.deepEqual(decision.kind === 'calls' ? decision.calls.map((call) => [call.name, call.args]) : decision, [
    ['us_history_life_expectancy', { year: 1900 }],
    ['us_history_life_expectancy', { year: 1950 }],
    ['us_history_gdp', { year: 1900 }],
    ['us_history_gdp', { year: 1950 }],
  ]);
});
