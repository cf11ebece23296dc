import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { stateCodeOf } from '../../../../src/llm/offline/phrases.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

describe('places written as the schema asks', () => {
  const finder = tool(
    'find_bakery',
    { city: { type: 'string', description: 'The city and state, e.g. Austin, TX.' }, open_late: { type: 'boolean' } },
    ['city'],
  );

  test('WordNet places a US city in its state, whose synonyms hold the postal code', () => {
    assert.equal(stateCodeOf('Chicago'), 'IL');
    assert.equal(stateCodeOf('Central Park'), 'NY');
    assert.equal(stateCodeOf('Paris'), undefined);
    assert.equal(stateCodeOf('California'), undefined);
  });

  test('a city for "city and state" takes its state; a region written with it is kept', () => {
    assert.equal(fillArguments('Find a bakery in Denver', finder, NOW).args.city, 'Denver, CO');
    assert.equal(fillArguments('Find a bakery in Boston, Massachusetts', finder, NOW).args.city, 'Boston, Massachusetts');
    // A city outside the US stays as written.
    assert.equal(fillArguments('Find a bakery in Lyon', finder, NOW).args.city, 'Lyon');
  });

  test('a place property without "city and state" takes no state', () => {
    const weather = tool('forecast', { location: { type: 'string', description: 'Where to forecast.' } }, ['location']);
    assert.equal(fillArguments('Forecast for Chicago', weather, NOW).args.location, 'Chicago');
  });

  test('an adjective of nationality for a country is the country', () => {
    const history = tool('timeline', { country: { type: 'string', description: 'The country.' }, from_year: { type: 'integer' } }, [
      'country',
    ]);
    assert.equal(fillArguments('Show the timeline of French history', history, NOW).args.country, 'France');
  });
});

describe('names of people and things', () => {
  test('a first and last name goes to the person, without its possessive', () => {
    const films = tool('films_by_actor', { actor_name: { type: 'string', description: 'Name of the actor.' }, year: { type: 'integer' } }, [
      'actor_name',
    ]);
    assert.equal(
      fillArguments('List films starring Meryl Streep in 2010 from the Archive database', films, NOW).args.actor_name,
      'Meryl Streep',
    );
    const works = tool('works_of', { scientist: { type: 'string', description: 'Name of the scientist.' } }, ['scientist']);
    assert.equal(fillArguments("What was Marie Curie's work on radium?", works, NOW).args.scientist, 'Marie Curie');
  });

  test('a second required name takes the name left once the first is filled', () => {
    const goals = tool(
      'goals_for_club',
      { player_name: { type: 'string', description: 'The player.' }, club_name: { type: 'string', description: 'The club played for.' } },
      ['player_name', 'club_name'],
    );
    assert.deepEqual(fillArguments('How many goals has Thierry Henry scored for Arsenal?', goals, NOW).args, {
      player_name: 'Thierry Henry',
      club_name: 'Arsenal',
    });
    // Not a code, nor the end of a route.
    const events = tool('find_events', { city: { type: 'string' }, genre: { type: 'string', description: 'Genre.' } }, ['city', 'genre']);
    assert.equal(fillArguments('Find the fastest route from Denver to Boston', events, NOW).args.genre, undefined);
  });

  test('the words after a name that only say its kind are left out, a capitalised one stays', () => {
    const cases = tool('court_cases', { crime_type: { type: 'string', description: 'Kind of crime.' }, year: { type: 'integer' } }, [
      'crime_type',
    ]);
    assert.equal(fillArguments('Retrieve cases from 2020 about fraud crimes', cases, NOW).args.crime_type, 'fraud');
    const table = tool('league_table', { league: { type: 'string', description: 'The league.' } }, ['league']);
    assert.equal(fillArguments('Show the table of the Premier League', table, NOW).args.league, 'Premier League');
  });

  test('a name that says what it is stays whole ("Museum of Modern Art" is a museum)', () => {
    const hours = tool('gallery_hours', { gallery_name: { type: 'string', description: 'The name of the gallery.' } }, ['gallery_name']);
    assert.equal(
      fillArguments('What are the opening hours of the National Gallery of Art?', hours, NOW).args.gallery_name,
      'National Gallery of Art',
    );
  });

  test('a name keeps the full stops of its abbreviations', () => {
    const last = tool('club_last_match', { team_name: { type: 'string', description: 'The club.' } }, ['team_name']);
    assert.equal(fillArguments('Get the last match of Arsenal F.C. this season', last, NOW).args.team_name, 'Arsenal F.C');
  });

  test('a code written after "numbered" is the value of the property named before', () => {
    const lookup = tool('get_ruling', { docket: { type: 'string', description: 'Docket of the case.' } }, ['docket']);
    assert.equal(fillArguments('Who won the case docket numbered 2021/BX114?', lookup, NOW).args.docket, '2021/BX114');
  });

  test('a state property left empty takes the state of the city, not a year', () => {
    const rates = tool(
      'get_rent_index',
      {
        city: { type: 'string', description: 'The city.' },
        state: { type: 'string', description: 'The state.' },
        year: { type: 'integer' },
      },
      ['city', 'state'],
    );
    assert.equal(fillArguments('Rent index for Chicago in 2020', rates, NOW).args.state, 'IL');
    const tickets = tool(
      'list_tickets',
      { location: { type: 'string', description: 'The office.' }, state: { type: 'string', description: 'The ticket status.' } },
      ['location'],
    );
    assert.equal(fillArguments('List tickets of the Chicago office', tickets, NOW).args.state, undefined);
  });

  test('a quoted name is the identifier a schema without a pattern takes', () => {
    const fetch = tool('fetch_case', { case_id: { type: 'string', description: 'The ID of the case.' } }, ['case_id']);
    assert.equal(fillArguments("Get the case 'Smith v Jones'", fetch, NOW).args.case_id, 'Smith v Jones');
  });
});

describe('numbers that come in shapes', () => {
  test('a time of day fills hours and minutes; a 24-hour property takes the afternoon as 13-23', () => {
    const clock = tool('clock_angle', { hours: { type: 'integer' }, minutes: { type: 'integer' } }, ['hours', 'minutes']);
    assert.deepEqual(fillArguments('The angle of the hands at 9:45 PM', clock, NOW).args, { hours: 9, minutes: 45 });
    const closing = tool(
      'late_shops',
      { closing_hour: { type: 'integer', description: 'Closing time, in 24 hour format.' }, town: { type: 'string' } },
      ['closing_hour'],
    );
    assert.equal(fillArguments('Shops open until 10 pm', closing, NOW).args.closing_hour, 22);
  });

  test('lists of numbers go to the array property named before each', () => {
    const compare = tool(
      'compare_samples',
      { sample_x: { type: 'array', items: { type: 'number' } }, sample_y: { type: 'array', items: { type: 'number' } } },
      ['sample_x', 'sample_y'],
    );
    assert.deepEqual(fillArguments('Compare sample_x with values 1, 2.5 and 3 against sample_y with values 4, 5, 6', compare, NOW).args, {
      sample_x: [1, 2.5, 3],
      sample_y: [4, 5, 6],
    });
  });

  test('a required flag is set by any of its words; an optional one needs all', () => {
    const check = tool(
      'check_order',
      { order_id: { type: 'integer' }, shipped_status: { type: 'boolean' }, gift_wrap_status: { type: 'boolean' } },
      ['order_id', 'shipped_status'],
    );
    const args = fillArguments('Check order 5521 and whether it has shipped, and the gift status', check, NOW).args;
    assert.equal(args.shipped_status, true);
    assert.equal(args.gift_wrap_status, undefined);
  });
});

describe('what a longer text is about', () => {
  test("the words after the tool's own noun, and no clause after the name", () => {
    const genes = tool('get_enzymes', { organ: { type: 'string', description: 'The organ.' } }, ['organ']);
    assert.equal(fillArguments('Get the names of enzymes found in the small intestine', genes, NOW).args.organ, 'small intestine');
    const recipe = tool('get_recipe', { dish_name: { type: 'string', description: 'The dish.' } }, ['dish_name']);
    assert.equal(fillArguments('Get the recipe for lemon tart including the steps', recipe, NOW).args.dish_name, 'lemon tart');
  });

  test('a period said without a number counts in the unit the property names', () => {
    const forecast = tool(
      'pollen_forecast',
      { location: { type: 'string' }, days: { type: 'integer', description: 'Number of days to forecast.' } },
      ['location', 'days'],
    );
    assert.equal(fillArguments('Pollen forecast for Leeds for the next week', forecast, NOW).args.days, 7);
    const prices = tool('rent_forecast', { city: { type: 'string' }, months: { type: 'integer', description: 'Months ahead.' } }, [
      'city',
      'months',
    ]);
    assert.equal(fillArguments('Forecast rents in Leeds for the next month', prices, NOW).args.months, 1);
    assert.equal(fillArguments('Forecast rents in Leeds for the next week', prices, NOW).args.months, undefined);
  });

  test('quoted examples of a description are matched as written, digits and all', () => {
    const films = tool(
      'cinema_listings',
      { town: { type: 'string' }, format: { type: 'string', description: "Screen format - could be 'IMAX', '3D', '4DX' etc." } },
      ['town'],
    );
    assert.equal(fillArguments('Listings in 3D near Leeds', films, NOW).args.format, '3D');
  });
});
