import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { ordinalCases, ordinalSets, segmentsOf } from '../../../../src/llm/offline/fanout.ts';
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

  test('clauses that each restate values make one call each, keeping what they do not restate', () => {
    const force = tool(
      'em_force',
      {
        b_field: { type: 'integer', description: 'The magnetic field in Tesla.' },
        area: { type: 'integer', description: 'The change in area in square meters.' },
        d_time: { type: 'integer', description: 'The change in time in seconds.' },
      },
      ['b_field', 'area', 'd_time'],
    );
    assert.deepEqual(
      fillArguments(
        'a magnetic field of 5 Tesla, area of 2 square meters and time of 4 seconds, then repeat with a time of 10 seconds',
        force,
        NOW,
      ).sets,
      [
        { b_field: 5, area: 2, d_time: 4 },
        { b_field: 5, area: 2, d_time: 10 },
      ],
    );
    const court = tool(
      'case_status',
      {
        case_number: { type: 'string', description: 'The case number.' },
        court: { type: 'string', description: 'The court where the case is filed.' },
      },
      ['case_number', 'court'],
    );
    const filled = fillArguments(
      'status of case number XY1234 in Los Angeles County Court, and case number GH5678 in Orange County Court',
      court,
      NOW,
    );
    assert.deepEqual(filled.sets, [
      { case_number: 'XY1234', court: 'Los Angeles County Court' },
      { case_number: 'GH5678', court: 'Orange County Court' },
    ]);
    assert.equal(filled.fanOut, undefined);
  });

  test('no clause sets for one call written in clauses: a region after a comma, a number that counts the values, a lone list item', () => {
    const gcd = tool(
      'gcd',
      { number1: { type: 'integer', description: 'First number.' }, number2: { type: 'integer', description: 'Second number.' } },
      ['number1', 'number2'],
    );
    assert.equal(fillArguments('the GCD of two numbers, say 36 and 48', gcd, NOW).sets, undefined);
    const route = tool(
      'route',
      {
        start_location: { type: 'string', description: 'Where the trip starts.' },
        end_location: { type: 'string', description: 'Where the trip ends.' },
      },
      ['start_location', 'end_location'],
    );
    assert.equal(
      fillArguments('travel time from San Francisco to Los Angeles with stops at Santa Barbara and Monterey', route, NOW).sets,
      undefined,
    );
    const time = tool('local_time', { location: { type: 'string', description: 'The city.' }, country: { type: 'string' } }, ['location']);
    assert.equal(fillArguments("What's the current time in Sydney, Australia?", time, NOW).sets, undefined);
  });
});

test('bracketed groups of numbers for the numbers one call takes make one call per group, position by position', () => {
  const gcd = tool('math_gcd', { num1: { type: 'integer' }, num2: { type: 'integer' } }, ['num1', 'num2']);
  assert.deepEqual(fillArguments('the GCD of the two pairs of numbers (45, 60) and (81, 27)', gcd, NOW).sets, [
    { num1: 45, num2: 60 },
    { num1: 81, num2: 27 },
  ]);
  assert.equal(fillArguments('the GCD of 45 and 60', gcd, NOW).sets, undefined);
});

test('clauses that each name a place and share out the features asked for make one call per place, items in the order said', () => {
  const parks = tool(
    'parks_find_nearby',
    {
      location: { type: 'string', description: 'The city and state, e.g. London, UK' },
      amenities: {
        type: 'array',
        items: { type: 'string', enum: ['Tennis Court', 'Picnic Area', 'Playground', 'Running Track'] },
        description: 'Preferred amenities in park.',
      },
    },
    ['location'],
  );
  const filled = fillArguments(
    'Find parks in Boston, USA that have a Tennis Court and a Picnic Area, then find parks in Denver, USA that have a Playground and Running Track',
    parks,
    NOW,
  );
  assert.deepEqual(filled.sets, [
    { location: 'Boston, USA', amenities: ['Tennis Court', 'Picnic Area'] },
    { location: 'Denver, USA', amenities: ['Playground', 'Running Track'] },
  ]);
});

describe('two lists without "respectively"', () => {
  const ranking = tool(
    'winning_percentage',
    {
      team: { type: 'string', description: 'The name of the team.' },
      season: { type: 'integer', description: 'The season (year).' },
    },
    ['team', 'season'],
  );

  test('make a call for every pair of their items', () => {
    assert.deepEqual(fillArguments('the winning percentage of the Lakers and Bulls in the seasons 2018 and 2020', ranking, NOW).sets, [
      { team: 'Lakers', season: 2018 },
      { team: 'Lakers', season: 2020 },
      { team: 'Bulls', season: 2018 },
      { team: 'Bulls', season: 2020 },
    ]);
  });

  test('"respectively" pairs them in order', () => {
    assert.deepEqual(
      fillArguments('the winning percentage of the Lakers and Bulls in the seasons 2018 and 2020 respectively', ranking, NOW).sets,
      [
        { team: 'Lakers', season: 2018 },
        { team: 'Bulls', season: 2020 },
      ],
    );
  });

  test('dates written as digits and words before the item taken are lists too; a counted noun is not', () => {
    const price = tool(
      'stock_price',
      { company: { type: 'string', description: 'The company.' }, date: { type: 'string', format: 'date', description: 'The date.' } },
      ['company', 'date'],
    );
    assert.deepEqual(
      fillArguments('closing prices for Microsoft on 2022-01-01 and 2022-02-01', price, NOW).sets?.map((set) => set.date),
      ['2022-01-01', '2022-02-01'],
    );
    const concerts = tool('concerts', { genre: { type: 'string', description: 'The music genre.' } }, ['genre']);
    assert.deepEqual(
      fillArguments('find rock and jazz concerts', concerts, NOW).sets?.map((set) => set.genre),
      ['rock', 'jazz'],
    );
    const games = tool(
      'games',
      { players: { type: 'integer', description: 'Number of players.' }, category: { type: 'string', description: 'The game category.' } },
      ['players', 'category'],
    );
    assert.equal(fillArguments('board games for 2 players and strategy based', games, NOW).sets, undefined);
  });
});

test('a number word that counts the cases is no value of one of them', () => {
  const area = tool('area_circle', { radius: { type: 'integer', description: 'The radius of the circle.' } }, ['radius']);
  const filled = fillArguments(
    'What is the total area of three circles, where the first circle has a radius of 5 meters, the second circle has a radius of 10 meters, and the third circle has a radius of 15 meters?',
    area,
    NOW,
  );
  assert.deepEqual(
    filled.sets?.map((set) => set.radius),
    [5, 10, 15],
  );
});

test('identifiers written as digits make a call each', () => {
  const details = tool('case_details', { case_number: { type: 'string', description: 'The unique number identifying the case.' } }, [
    'case_number',
  ]);
  assert.deepEqual(
    fillArguments('find the details of case number 28473 and 64725', details, NOW).sets?.map((set) => set.case_number),
    ['28473', '64725'],
  );
});

describe('groups of numbers written without brackets', () => {
  const gcd = tool(
    'gcd',
    { num1: { type: 'integer', description: 'First number.' }, num2: { type: 'integer', description: 'Second number.' } },
    ['num1', 'num2'],
  );

  test('"3 and 4, 5 and 12" is two pairs, one call each', () => {
    assert.deepEqual(fillArguments('the gcd of two numbers: 3 and 4, 5 and 12', gcd, NOW).sets, [
      { num1: 3, num2: 4 },
      { num1: 5, num2: 12 },
    ]);
  });

  test('two lists of two in separate clauses are two pairs', () => {
    assert.deepEqual(fillArguments('John chose the numbers 36 and 48, while Mary chose the numbers 60 and 96', gcd, NOW).sets, [
      { num1: 36, num2: 48 },
      { num1: 60, num2: 96 },
    ]);
  });

  test('a list that does not cut into pairs is no set of groups', () => {
    assert.equal(fillArguments('the gcd of 3 and 4', gcd, NOW).sets, undefined);
  });
});

test('"the number 4567 and the number 7890" lists both numbers', () => {
  const factorize = tool('prime_factorize', { number: { type: 'integer', description: 'The number.' } }, ['number']);
  assert.deepEqual(fillArguments('the prime factorization of the number 4567 and the number 7890', factorize, NOW).sets, [
    { number: 4567 },
    { number: 7890 },
  ]);
  // "the width 5 and the height 7": another noun before the next number is no restated item.
  assert.equal(fillArguments('a box with the width 5 and the height 7', factorize, NOW).sets, undefined);
});

describe('clauses that restate the shape before them', () => {
  test('"USD to AUD and USD to CAD" is two clauses, "Seattle, WA" and "Santa Barbara and Monterey" stay one', () => {
    assert.deepEqual(segmentsOf('the exchange rates of USD to AUD and USD to CAD'), ['the exchange rates of USD to AUD', 'USD to CAD']);
    assert.deepEqual(segmentsOf('hotels in Seattle, WA for two nights'), ['hotels in Seattle, WA for two nights']);
    assert.deepEqual(segmentsOf('a trip to Santa Barbara and Monterey'), ['a trip to Santa Barbara and Monterey']);
    // The words after the joint link to a lowercase word, which the clause before does not end with.
    assert.deepEqual(segmentsOf('Fly to Seattle, WA to see friends'), ['Fly to Seattle, WA to see friends']);
  });

  test('each clause makes its own call', () => {
    const rate = tool(
      'get_exchange_rate',
      {
        base_currency: { type: 'string', description: 'The base currency.' },
        target_currency: { type: 'string', description: 'The target currency.' },
      },
      ['base_currency', 'target_currency'],
    );
    assert.deepEqual(fillArguments('Get me the exchange rates of the following pairs: USD to AUD and USD to CAD?', rate, NOW).sets, [
      { base_currency: 'USD', target_currency: 'AUD' },
      { base_currency: 'USD', target_currency: 'CAD' },
    ]);
  });
});

test('"for the same duration" is no text value: the property stays open for an earlier call to fill', () => {
  const coverage = toToolSpec({
    type: 'function',
    function: {
      name: 'financial_ratios.interest_coverage',
      description: "Calculate a company's interest coverage ratio given the company name and duration",
      parameters: {
        type: 'object',
        properties: {
          company_name: { type: 'string', description: 'The name of the company.' },
          years: { type: 'integer', description: 'Number of past years to calculate the ratio.' },
        },
        required: ['company_name', 'years'],
      },
    },
  });
  assert.equal(fillArguments('the interest coverage ratio for the same duration', coverage, NOW).args.company_name, undefined);
  assert.equal(fillArguments('the interest coverage ratio for Acme Corp', coverage, NOW).args.company_name, 'Acme Corp');
});

describe('cases a text sets out one by one', () => {
  const area = tool(
    'area',
    {
      base: { type: 'integer', description: 'The length of the base of the triangle.' },
      height: { type: 'integer', description: 'The height of the triangle.' },
    },
    ['base', 'height'],
  );

  test('"The first ... The second ..." over sentences makes one call per case', () => {
    const filled = fillArguments(
      'I need the area of two triangles. The first triangle has a base of 12 meters and a height of 15 meters. The second triangle has a base of 18 meters and a height of 24 meters. Can you help?',
      area,
      NOW,
    );
    assert.deepEqual(filled.sets, [
      { base: 12, height: 15 },
      { base: 18, height: 24 },
    ]);
  });

  test('"one with ... and the other with ..." are two cases; "the first one" is one mark', () => {
    assert.equal(ordinalCases('two circles, one with a radius of 5 and the other with a radius of 10')?.cases.size, 2);
    assert.equal(ordinalCases('The first one has a base of 3. The second one has a base of 4.')?.cases.size, 2);
  });

  test('an ordinal before a number, a lone "the other" or one ordinal set out no cases', () => {
    assert.equal(ordinalCases('the interest for the first 2 years and the first 3 years'), undefined);
    assert.equal(ordinalCases('predict the score from the other variables'), undefined);
    assert.equal(ordinalCases('The first result is enough.'), undefined);
  });

  test('"A car ... a second car ... a third car" starts with the first; "Fund A ... Fund B" name cases by letter', () => {
    assert.equal(
      ordinalCases('A car starts at 15 m/s. Now, consider a second car at 20 m/s. Finally, a third car at 25 m/s.')?.cases.size,
      3,
    );
    const funds = 'He put $5000 in Fund A for 5 years. He put $8000 in Fund B for 7 years. What is the profit?';
    const found = ordinalCases(funds);
    const [[from, to] = [0, 0]] = found?.cases.get(1) ?? [];
    assert.equal(funds.slice(from, to), 'He put $5000 in Fund A for 5 years.');
    assert.equal(ordinalCases('wait a second car'), undefined);
  });

  test('"a bond ... another bond" is two cases, the first all the words before; "from the first one" starts none', () => {
    const text = 'I have a bond paying $50 for 5 years. Then compare it with another bond paying $60 for 7 years.';
    const found = ordinalCases(text);
    const [[from, to] = [0, 0]] = found?.cases.get(1) ?? [];
    assert.equal(text.slice(from, to), 'I have a bond paying $50 for 5 years. Then compare it with ');
    assert.equal(ordinalCases('It is 6 light years from the first one and 5 from the second one.'), undefined);
  });

  test('the last case takes the sentences after it that speak of it alone, not a question about them all', () => {
    const text = 'The first case is A. The second case is B. I do not need the details for this case. How would you do this?';
    const found = ordinalCases(text);
    const [[from, to] = [0, 0]] = found?.cases.get(2) ?? [];
    assert.equal(text.slice(from, to).trim(), 'case is B. I do not need the details for this case.');
  });
});

describe('lists inside clauses and places with their region', () => {
  test('"San Francisco, California and New York, New York" is two places, each with its region', () => {
    const find = tool(
      'find_events',
      {
        location: { type: 'string', description: 'The city and state, e.g. Boston, MA' },
        genre: { type: 'string', description: 'The genre of music.' },
      },
      ['location', 'genre'],
    );
    const filled = fillArguments('Find jazz events in San Francisco, California and New York, New York', find, NOW);
    assert.deepEqual(
      filled.sets?.map((set) => set.location),
      ['San Francisco, California', 'New York, New York'],
    );
  });

  test('"between New York and Los Angeles using a bus" is one clause', () => {
    assert.deepEqual(segmentsOf('the distance between New York and Los Angeles using a bus, and then by train'), [
      'the distance between New York and Los Angeles using a bus',
      'then by train',
    ]);
  });

  test("the tool's own name written in the request is no value", () => {
    const gcd = tool(
      'number_theory_gcd',
      { label: { type: 'string', description: 'A label for the result.' }, a: { type: 'integer', description: 'The first integer.' } },
      ['a'],
    );
    const filled = fillArguments("Use the 'number_theory.gcd' function on 45", gcd, NOW);
    assert.equal(filled.args.label, undefined);
  });

  test("a name each clause says only loosely goes to its own call, not the last one's to all", () => {
    const loan = tool(
      'loan_eligibility_check',
      {
        financial_institution: { type: 'string', description: 'The name of the financial institution e.g. HSBC' },
        loan_amount: { type: 'integer', description: 'The loan amount that is requested' },
        annual_income: { type: 'integer', description: 'Annual income of the applicant' },
      },
      ['financial_institution', 'loan_amount', 'annual_income'],
    );
    const filled = fillArguments(
      'Check my eligibility for a loan of amount $500,000 from HSBC with annual income $100,000 and for Wells Fargo for a amount of $700,000 with annual income of $120,000?',
      loan,
      NOW,
    );
    assert.deepEqual(
      filled.sets?.map((set) => set.financial_institution),
      ['HSBC', 'Wells Fargo'],
    );
  });

  test('a lone number after a number is the next item of its list, no clause of its own', () => {
    assert.deepEqual(segmentsOf('the president in 1980 and 2016, and the vice president in 1975 and 2011'), [
      'the president in 1980 and 2016',
      'the vice president in 1975 and 2011',
    ]);
  });
});

describe('array properties paired with their own lists', () => {
  test('"Tenet at 5 pm and No Time To Die at 7:30 pm" is a call per movie with its time', () => {
    const showing = tool(
      'find_showing',
      {
        location: { type: 'string', description: 'The city and state, e.g. San Diego, CA' },
        movie: { type: 'array', items: { type: 'string', enum: ['Tenet', 'No Time To Die'] }, description: 'Preferred movie to watch.' },
        time: { type: 'array', items: { type: 'string', description: 'Show time for each movie' } },
      },
      ['location', 'movie', 'time'],
    );
    const filled = fillArguments('Find theatres near San Diego for Tenet at 5 pm and No Time To Die at 7:30 pm.', showing, NOW);
    assert.deepEqual(
      filled.sets?.map((set) => [set.movie, set.time]),
      [
        [['Tenet'], ['5 pm']],
        [['No Time To Die'], ['7:30 pm']],
      ],
    );
  });

  test('"gold, silver, platinum, and palladium" in the leftover words is a call per item; a free-text query keeps its list', () => {
    const price = tool(
      'get_metal_price',
      {
        metal: { type: 'string', description: 'The metal whose price needs to be fetched.' },
        measure: { type: 'string', description: "The measure unit for price, like 'ounce' or 'kg'." },
      },
      ['metal', 'measure'],
    );
    const filled = fillArguments('What is the current price per ounce of gold, silver, platinum, and palladium?', price, NOW);
    assert.deepEqual(
      filled.sets?.map((set) => set.metal),
      ['gold', 'silver', 'platinum', 'palladium'],
    );
    const search = tool('search', { query: { type: 'string', description: 'The search query.' } }, ['query']);
    assert.equal(fillArguments('search for printers, scanners, and monitors', search, NOW).sets, undefined);
  });

  test('a listed name drops its possessive ("Berlin and Madrid\'s stores")', () => {
    const stock = tool(
      'availability',
      {
        instrument: { type: 'string', description: 'The name of the musical instrument.' },
        city: { type: 'string', description: 'City where the store is located.' },
      },
      ['instrument', 'city'],
    );
    const filled = fillArguments("Check the stock for a Yamaha P125 piano in Berlin and Madrid's music stores.", stock, NOW);
    assert.deepEqual(
      filled.sets?.map((set) => set.city),
      ['Berlin', 'Madrid'],
    );
  });

  test('a clause with another group of numbers starts a call; a group the part already holds does not', () => {
    const area = tool(
      'area_under_curve',
      {
        polynomial: { type: 'array', items: { type: 'number' }, description: 'The coefficients of the polynomial.' },
        limits: { type: 'array', items: { type: 'number' }, description: 'The lower and upper limit of the interval.' },
      },
      ['polynomial', 'limits'],
    );
    const filled = fillArguments(
      'Calculate the area under the curve for the polynomial with coefficients [3, -2, 1] within the interval [-1, 2], and then do the same for the polynomial with coefficients [1, 0, -1] within the interval [0, 3]',
      area,
      NOW,
    );
    assert.deepEqual(filled.sets, [
      { polynomial: [3, -2, 1], limits: [-1, 2] },
      { polynomial: [1, 0, -1], limits: [0, 3] },
    ]);
    const ttest = tool(
      'ttest',
      {
        group1: { type: 'array', items: { type: 'number' }, description: 'First group of values.' },
        group2: { type: 'array', items: { type: 'number' }, description: 'Second group of values.' },
        equal_variance: { type: 'boolean', description: 'Assume equal variance.' },
      },
      ['group1', 'group2'],
    );
    const one = fillArguments('Compare Group A [3, 4, 5, 6, 4] and Group B [7, 8, 9, 8, 7] assuming equal variance.', ttest, NOW);
    assert.equal(one.sets, undefined);
    assert.deepEqual(one.args.group2, [7, 8, 9, 8, 7]);
  });

  test('a listed name may take "the" and "of" ("the Amazon Rainforest and the Boreal Forests of Canada")', () => {
    const forecast = tool(
      'forest_growth_forecast',
      {
        location: { type: 'string', description: 'The location where you want to predict forest growth.' },
        years: { type: 'integer', description: 'The number of years for the forecast.' },
      },
      ['location', 'years'],
    );
    const filled = fillArguments(
      'What would be the predicted forest growth in the Amazon Rainforest and the Boreal Forests of Canada over the next 10 years and 20 years, respectively?',
      forecast,
      NOW,
    );
    assert.deepEqual(filled.sets, [
      { location: 'Amazon Rainforest', years: 10 },
      { location: 'Boreal Forests of Canada', years: 20 },
    ]);
  });
});

test('ordinals that name properties ("the first gear ... the second gear" for first_/second_gear_teeth) set out no cases', () => {
  const ratio = tool(
    'gear_ratio',
    {
      first_gear_teeth: { type: 'integer', description: 'The teeth of the first gear.' },
      second_gear_teeth: { type: 'integer', description: 'The teeth of the second gear.' },
    },
    ['first_gear_teeth', 'second_gear_teeth'],
  );
  const explicit = (clause: string) => fillArguments(clause, ratio, { ...NOW, explicitOnly: true }).args;
  const text = 'The first gear has 20 teeth and the second gear has 40 teeth.';
  assert.equal(ordinalSets(text, { first_gear_teeth: 20, second_gear_teeth: 40 }, explicit), undefined);
  const triangle = tool(
    'triangle_area',
    { base: { type: 'integer', description: 'The base.' }, height: { type: 'integer', description: 'The height.' } },
    ['base', 'height'],
  );
  const cases = 'The first triangle has a base of 10 and a height of 5. The second triangle has a base of 8 and a height of 6.';
  const read = (clause: string) => fillArguments(clause, triangle, { ...NOW, explicitOnly: true }).args;
  assert.equal(ordinalSets(cases, {}, read)?.length, 2);
});
