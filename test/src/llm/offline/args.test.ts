import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillArguments, type FillContext } from '../../../../src/llm/offline/args.ts';
import { describeProps } from '../../../../src/llm/offline/schema.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';
import { measuredBy } from '../../../../src/llm/offline/quantities.ts';

// A tool of no Switchboard agent: filling reads only the JSON schema.
const ticket = toToolSpec({
  type: 'function',
  function: {
    name: 'helpdesk__open_ticket',
    description: 'Open a support ticket.',
    parameters: {
      type: 'object',
      properties: {
        title: { type: 'string', description: 'One-line summary of the ticket' },
        urgency: { type: 'string', enum: ['high', 'medium', 'low'] },
        status: { type: 'string', enum: ['Open', 'In Progress', 'Waiting on Customer', 'Done'] },
        resolution: { type: 'string', description: 'Required with status "Done": what fixed it' },
        ticket_id: { type: 'string', pattern: '^HD-\\d{4,}$', description: 'Ticket key, e.g. HD-1234' },
        due: { type: 'string', format: 'date', description: 'Due date' },
        updated_since: { type: 'string', format: 'date-time' },
        max_items: { type: 'integer', minimum: 1, maximum: 10, default: 5, description: 'How many items to return' },
        notify_owner: { type: 'boolean', description: 'Tell the owner' },
        reporter_email: { type: 'string', format: 'email' },
        link: { type: 'string', format: 'uri' },
        work_note: { type: 'string', description: 'Internal note' },
      },
      required: ['title'],
    },
  },
});

const NOW = new Date('2026-11-20T10:00:00Z');
const fill = (text: string, context: Partial<FillContext> = {}) => fillArguments(text, ticket, { now: NOW, refers: false, ...context });

test('enum values: hyphenated, multi-word, case-insensitive, with articles in between', () => {
  assert.equal(fill('open a high-urgency ticket for the VPN').args.urgency, 'high');
  assert.equal(fill('set HD-1234 to in progress').args.status, 'In Progress');
  assert.equal(fill('HD-1234 is waiting on the customer').args.status, 'Waiting on Customer');
  assert.equal(fill('open a ticket for low disk space').args.urgency, undefined, 'a level word in the free text is no urgency');
});

test('settings at the end of a payload after a colon leave the text; a lone level word stays in it', () => {
  assert.deepEqual(fill('create a ticket: VPN drops hourly, urgency high').args, { urgency: 'high', title: 'VPN drops hourly' });
  assert.deepEqual(fill('create a ticket: disk space is low, medium urgency').args, { urgency: 'medium', title: 'disk space is low' });
  assert.deepEqual(fill('create a ticket: disk space is low').args, { title: 'disk space is low' });
});

test("the adjective of an enum property's name stands for the top of its scale and leaves the text", () => {
  assert.deepEqual(fill('create a ticket for the VPN outage, urgent').args, { urgency: 'high', title: 'VPN outage' });
  assert.equal(fill('create a ticket for the VPN outage').args.urgency, undefined);
});

test('the remaining words become the main text, without the command words', () => {
  assert.deepEqual(fill('Create a ticket for the login outage').args, { title: 'Login outage' });
  assert.equal(fill('please open a medium urgency ticket about printers jamming on floor 2').args.title, 'Printers jamming on floor 2');
});

test('quotes of every kind fill text, the nearest named property first', () => {
  assert.equal(fill('open a ticket “VPN drops hourly”').args.title, 'VPN drops hourly');
  const filled = fill(`open a ticket 'Badge reader dead' with work note "called facilities"`);
  assert.equal(filled.args.title, 'Badge reader dead');
  assert.equal(filled.args.work_note, 'called facilities');
});

test('numbers go to the property named next to them, within its bounds; defaults stay unset', () => {
  assert.equal(fill('open a ticket for X, max 3 items').args.max_items, 3);
  assert.equal(fill('open a ticket for X, max 50 items').args.max_items, 10);
  assert.equal(fill('open a ticket for X').args.max_items, undefined);
});

test('identifiers by the schema pattern, several of them fan out', () => {
  assert.equal(fill('open a ticket like hd-20931 for the printer').args.ticket_id, 'hd-20931');
  assert.deepEqual(fill('open a ticket for HD-1000 and HD-1001').fanOut, { prop: 'ticket_id', values: ['HD-1000', 'HD-1001'] });
  assert.equal(fill("open a ticket 'see HD-1000'").args.ticket_id, undefined, 'an identifier inside quoted text is text');
});

test('dates: relative to the clock, by the property named before them, formatted as the schema wants', () => {
  assert.equal(fill('open a ticket for X due tomorrow').args.due, '2026-11-21');
  assert.equal(fill('open a ticket for X updated since yesterday').args.updated_since, '2026-11-19T00:00:00Z');
  assert.equal(fill('open a ticket for X due 2026-12-01').args.due, '2026-12-01');
  assert.equal(fill('open a ticket for X updated in the last 3 days').args.updated_since, '2026-11-17T00:00:00Z');
});

test('booleans by their name words, negation turns them off', () => {
  assert.equal(fill('open a ticket for X and notify the owner').args.notify_owner, true);
  assert.equal(fill('open a ticket for X without notifying the owner').args.notify_owner, false);
});

test('emails and urls by format', () => {
  const filled = fill('open a ticket for dana@example.com about https://status.example.com/incidents/42.');
  assert.equal(filled.args.reporter_email, 'dana@example.com');
  assert.equal(filled.args.link, 'https://status.example.com/incidents/42');
});

test('required values that cannot be filled are reported, also those the description requires', () => {
  assert.deepEqual(
    fill('open a ticket').missing.map((prop) => prop.name),
    ['title'],
  );
  const done = fill('mark HD-1234 as done');
  assert.equal(done.args.status, 'Done');
  assert.deepEqual(
    done.missing.map((prop) => prop.name),
    ['title', 'resolution'],
  );
});

test('a part that points back takes the value from earlier results, and only then', () => {
  const resolve = () => 'HD-7777';
  assert.equal(
    fill('add a work note to it', { refers: true, resolve }).args.ticket_id,
    undefined,
    'ticket_id is not required: nothing to look up',
  );
  const required = toToolSpec({
    type: 'function',
    function: {
      name: 'close_ticket',
      parameters: { type: 'object', properties: { ticket_id: { type: 'string', pattern: '^HD-\\d+$' } }, required: ['ticket_id'] },
    },
  });
  assert.deepEqual(fillArguments('close it', required, { now: NOW, refers: true, resolve }).args, { ticket_id: 'HD-7777' });
  assert.deepEqual(
    fillArguments('close it', required, { now: NOW, refers: false, resolve }).missing.map((prop) => prop.name),
    ['ticket_id'],
  );
});

const schemaTool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

test('formulas and file paths go whole to the property that takes one, before numbers read their digits', () => {
  const derivative = schemaTool(
    'derivative',
    {
      function: { type: 'string', description: 'The polynomial function.' },
      x_value: { type: 'number', description: 'The x-value at which the derivative is calculated.' },
    },
    ['function'],
  );
  assert.deepEqual(fillArguments('Calculate the derivative of the function 3x^2 + 2x - 1.', derivative, { now: NOW, refers: false }).args, {
    function: '3x^2 + 2x - 1',
  });
  assert.equal(fillArguments('the area under y = x**3 at x = 2', derivative, { now: NOW, refers: false }).args.function, 'x**3');
  const scan = schemaTool('scan', { data_source: { type: 'string', description: 'The path where the data is stored.' } }, ['data_source']);
  assert.equal(
    fillArguments('Analyze my fMRI data in ~/data/myfMRI.nii from a multi-band sequence', scan, { now: NOW, refers: false }).args
      .data_source,
    '~/data/myfMRI.nii',
  );
});

test('a name-like property takes the proper name, not the leftover words of a question (regression)', () => {
  const lawsuits = schemaTool(
    'lawsuits',
    { company_name: { type: 'string', description: 'The name of the company.' }, year: { type: 'integer', description: 'The year.' } },
    ['company_name', 'year'],
  );
  assert.deepEqual(fillArguments('Find all Patent lawsuit cases of Facebook in 2018', lawsuits, { now: NOW, refers: false }).args, {
    company_name: 'Facebook',
    year: 2018,
  });
  const history = schemaTool('event_info', { event: { type: 'string', description: 'The historical event.' } }, ['event']);
  assert.equal(
    fillArguments('What was the importance of the Treaty of Paris?', history, { now: NOW, refers: false }).args.event,
    'Treaty of Paris',
  );
});

test('string lists: quoted items after the property name, names nothing else takes, plain words of the one list', () => {
  const regression = schemaTool(
    'linear_regression',
    {
      predictors: { type: 'array', items: { type: 'string' }, description: 'Predictor variables.' },
      target: { type: 'string', description: 'Target variable.' },
    },
    ['predictors', 'target'],
  );
  assert.deepEqual(
    fillArguments("Run a regression with predictor variables 'Age', 'Income' and 'Education'", regression, { now: NOW, refers: false }).args
      .predictors,
    ['Age', 'Income', 'Education'],
  );
  const market = schemaTool(
    'market_performance',
    {
      indexes: { type: 'array', items: { type: 'string' }, description: 'Stock market indexes.' },
      days: { type: 'integer', description: 'Number of days.' },
    },
    ['indexes', 'days'],
  );
  assert.deepEqual(
    fillArguments('the market performance of the S&P 500 and the Dow Jones over the past 5 days', market, { now: NOW, refers: false }).args,
    {
      indexes: ['S&P 500', 'Dow Jones'],
      days: 5,
    },
  );
  const prices = schemaTool('prices', { items: { type: 'array', items: { type: 'string' } }, location: { type: 'string' } }, ['items']);
  assert.deepEqual(
    fillArguments('Check the price of tomatoes and lettuce at the Whole Foods', prices, { now: NOW, refers: false }).args.items,
    ['tomatoes', 'lettuce'],
  );
});

test('words left after the filters took their values are no query when they say nothing ("Were", "3pm", "Open incidents")', () => {
  const search = schemaTool(
    'search_incidents',
    {
      query: { type: 'string', description: 'Words to search for.' },
      caller: { type: 'string', description: 'The person who reported it.' },
      opened_since: { type: 'string', format: 'date-time', description: 'Opened at or after.' },
    },
    [],
  );
  const read = (text: string) => fillArguments(text, search, { now: NOW, refers: false }).args;
  assert.equal(read('Were any incidents opened since yesterday 3pm?').query, undefined);
  assert.equal(read('Open incidents for caller Lena Fischer').query, undefined);
  assert.equal(read('incidents about VPN drops opened since yesterday').query, 'VPN drops');
});

const incident = toToolSpec({
  type: 'function',
  function: {
    name: 'desk__update_record',
    description: 'Change a record.',
    parameters: {
      type: 'object',
      properties: {
        record: { type: 'string', pattern: '^REC\\d{5}$' },
        state: { type: 'string', enum: ['New', 'Working', 'On Hold', 'Done'] },
        hold_reason: {
          type: 'string',
          enum: ['Awaiting Caller', 'Awaiting Change', 'Awaiting Vendor'],
          description: 'Required with state "On Hold": what it waits for',
        },
        channel: {
          oneOf: [
            { const: 'tel', description: 'Reported over the telephone' },
            { const: 'web', description: 'Reported through the web portal' },
          ],
        },
      },
      required: ['record'],
    },
  },
});

test('enum values by meaning: WordNet synonyms of the value words, and the description of each value', () => {
  const fillIncident = (text: string) => fillArguments(text, incident, { now: NOW, refers: false }).args;
  const held = fillIncident('put REC00042 on hold, we are waiting on the vendor');
  assert.equal(held.state, 'On Hold');
  assert.equal(held.hold_reason, 'Awaiting Vendor', '"waiting" says "Awaiting", "vendor" says which one');
  assert.equal(fillIncident('set the channel of REC00042 to the telephone').channel, 'tel', 'the value described as telephone');
  assert.equal(fillIncident('REC00042 came in by phone, set it to working').channel, undefined, 'the channel is not named: left alone');
});

test('numbers after a colon are values, not quoted text', () => {
  const adder = toToolSpec({
    type: 'function',
    function: {
      name: 'add',
      description: 'Add two numbers.',
      parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a', 'b'] },
    },
  });
  const filled = fillArguments('Add these two numbers: 40 and 50', adder, { now: NOW, refers: false });
  assert.deepEqual(filled.args, { a: 40, b: 50 });
});

test('nested objects: sub-properties filled from the same text by their names, the object left out when nothing says it', () => {
  const paint = toToolSpec({
    type: 'function',
    function: {
      name: 'paint_needed',
      description: 'Paint needed for a wall.',
      parameters: {
        type: 'object',
        properties: {
          area: {
            type: 'object',
            description: 'The wall',
            properties: {
              width: { type: 'integer', description: 'Width in feet' },
              height: { type: 'integer', description: 'Height in feet' },
            },
            required: ['width', 'height'],
          },
          owner: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
        },
        required: ['area'],
      },
    },
  });
  const filled = fillArguments('paint for a wall with width of 20ft and height of 12ft', paint, { now: NOW, refers: false });
  assert.deepEqual(filled.args, { area: { width: 20, height: 12 } });
  assert.deepEqual(filled.missing, []);
  const mailed = fillArguments('paint for a wall with width of 20 and height of 12, owner ann@example.com', paint, {
    now: NOW,
    refers: false,
  });
  assert.deepEqual(mailed.args.owner, { email: 'ann@example.com' });
});

test("a range fills an object's lower and upper bounds; a description's examples fill a text property when one is said", () => {
  const homes = toToolSpec({
    type: 'function',
    function: {
      name: 'find_homes',
      description: 'Find homes for sale.',
      parameters: {
        type: 'object',
        properties: {
          kind: { type: 'string', description: 'Type of home such as villa, condo, apartment, etc.' },
          rooms: { type: 'integer', description: 'Number of bedrooms' },
          budget: { type: 'object', properties: { min: { type: 'number' }, max: { type: 'number' } } },
        },
        required: ['kind', 'rooms'],
      },
    },
  });
  const found = fillArguments('find a 3 bedroom villa within a budget of $300,000 to $400,000', homes, { now: NOW, refers: false });
  assert.deepEqual(found.args, { rooms: 3, kind: 'villa', budget: { min: 300000, max: 400000 } });
  const both = fillArguments('find a 3 bedroom villa or condo', homes, { now: NOW, refers: false });
  assert.notEqual(both.args.kind, 'villa', 'two examples said: the rule picks neither');
});

test('two sides of a pair: numbered properties and origin/destination take "between X and Y", "from X to Y"', () => {
  const pair = (properties: Record<string, object>) =>
    toToolSpec({ type: 'function', function: { name: 'compare', description: 'Compare.', parameters: { type: 'object', properties } } });
  const courts = pair({ company1: { type: 'string' }, company2: { type: 'string' } });
  assert.deepEqual(
    fillArguments('Find the latest court case between Apple and Samsung occured in USA', courts, { now: NOW, refers: false }).args,
    {
      company1: 'Apple',
      company2: 'Samsung',
    },
  );
  const species = pair({ species1: { type: 'string' }, species2: { type: 'string' } });
  assert.deepEqual(fillArguments('how similar a human and a chimp are', species, { now: NOW, refers: false }).args, {
    species1: 'human',
    species2: 'chimp',
  });
  const trip = pair({ origin: { type: 'string' }, destination: { type: 'string' } });
  assert.deepEqual(fillArguments('the driving distance from New York City to Washington D.C.', trip, { now: NOW, refers: false }).args, {
    origin: 'New York City',
    destination: 'Washington D.C.',
  });
});

test('a quoted enum value fills the one enum that has it', () => {
  assert.equal(fill("update HD-1234 with the status 'done'").args.status, 'Done');
  assert.equal(fill('move HD-1234 to "In Progress"').args.status, 'In Progress');
});

const toolOf = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

test('bracketed groups of numbers go to the array properties in text order; south and west are negative', () => {
  const numbers = { type: 'array', items: { type: 'number' } };
  const test2 = toolOf('t_test', { array_1: numbers, array_2: numbers, alpha: { type: 'number' } }, ['array_1', 'array_2']);
  assert.deepEqual(fillArguments('a t-test on Control [10, 15, 12] and Treated [18, 16, 17]', test2, { now: NOW, refers: false }).args, {
    array_1: [10, 15, 12],
    array_2: [18, 16, 17],
  });
  const distance = toolOf('distance', { coord1: numbers, coord2: numbers }, ['coord1', 'coord2']);
  assert.deepEqual(
    fillArguments('distance between (33.4484 N, 112.0740 W) and (34.0522 S, 118.2437 E)', distance, { now: NOW, refers: false }).args,
    { coord1: [33.4484, -112.074], coord2: [-34.0522, 118.2437] },
  );
  const table = toolOf('chi_squared', { table: { type: 'array', items: numbers } }, ['table']);
  assert.deepEqual(fillArguments('a 2x2 table [ [10, 20], [30, 40] ]', table, { now: NOW, refers: false }).args.table, [
    [10, 20],
    [30, 40],
  ]);
  assert.equal(
    fillArguments('compare [1, 2] please', test2, { now: NOW, refers: false }).args.array_2,
    undefined,
    'one group for two arrays',
  );
});

test('a required property whose description states its default takes it; a phrase is no default', () => {
  const factors = toolOf(
    'prime_factors',
    {
      number: { type: 'integer' },
      formatted: { type: 'boolean', description: 'Return a string if true. Default is true.' },
      deck: { type: 'integer', description: 'The size of the deck. Default is 52.' },
      when: { type: 'string', description: 'The time. Default is the current time.' },
    },
    ['number', 'formatted', 'deck'],
  );
  assert.deepEqual(fillArguments('prime factors of 450', factors, { now: NOW, refers: false }).args, {
    number: 450,
    formatted: true,
    deck: 52,
  });
  const [stated, phrase, quoted] = describeProps({
    type: 'object',
    properties: {
      deck: { type: 'integer', description: 'Default: 52' },
      when: { type: 'string', description: 'The time. Default is the current time.' },
      currency: { type: 'string', description: "Default is 'USD'." },
    },
  });
  assert.deepEqual([stated?.describedDefault, phrase?.describedDefault, quoted?.describedDefault], [52, undefined, 'USD']);
});

test('an optional number is left to its default unless words tie the number to it', () => {
  const power = toolOf(
    'power',
    { base: { type: 'integer' }, exponent: { type: 'integer' }, mod: { type: 'integer', description: 'The modulus.' } },
    ['base', 'exponent'],
  );
  assert.equal(fillArguments('the power of 3 raised to 4', power, { now: NOW, refers: false }).args.mod, undefined);
  assert.equal(fillArguments('3 raised to 4 with a mod of 5', power, { now: NOW, refers: false }).args.mod, 5);
});

test('a kind property takes the word that modifies the noun it is a kind of, not a ranking word or a name word', () => {
  const room = toolOf('hotel_book', { location: { type: 'string' }, room_type: { type: 'string', description: 'Type of the room.' } }, [
    'location',
    'room_type',
  ]);
  assert.equal(fillArguments('Book a single room in Chicago', room, { now: NOW, refers: false }).args.room_type, 'single');
  const find = toolOf('restaurant_find', { location: { type: 'string' }, cuisine: { type: 'string', description: 'Type of cuisine.' } }, [
    'location',
    'cuisine',
  ]);
  assert.equal(fillArguments('Find the closest sushi restaurant in Boston', find, { now: NOW, refers: false }).args.cuisine, 'sushi');
  assert.equal(fillArguments('Find gluten-free restaurants in Boston', find, { now: NOW, refers: false }).args.cuisine, 'gluten-free');
  assert.equal(fillArguments('Find the best rated restaurants in Boston', find, { now: NOW, refers: false }).args.cuisine, undefined);
  const games = toolOf('games_recommend', { category: { type: 'string', description: 'The category of games.' } }, ['category']);
  assert.notEqual(fillArguments('recommended board games', games, { now: NOW, refers: false }).args.category, 'recommended');
});

test('a conversion takes ISO codes for currencies by name, sign or code, and unit words; the amount written with one is the source', () => {
  const convert = toolOf(
    'currency_convert',
    { base_currency: { type: 'string' }, target_currency: { type: 'string' }, amount: { type: 'number' } },
    ['base_currency', 'target_currency', 'amount'],
  );
  const read = (text: string) => fillArguments(text, convert, { now: NOW, refers: false }).args;
  assert.deepEqual(read('How many Canadian dollars can I get for 500 US dollars?'), {
    base_currency: 'USD',
    target_currency: 'CAD',
    amount: 500,
  });
  assert.deepEqual(read('How much will 20000 Japanese Yen be in United States Dollar?'), {
    base_currency: 'JPY',
    target_currency: 'USD',
    amount: 20000,
  });
  assert.deepEqual(read('convert £200 to EUR'), { base_currency: 'GBP', target_currency: 'EUR', amount: 200 });
  const cooking = toolOf('cooking_convert', { from_unit: { type: 'string' }, to_unit: { type: 'string' }, quantity: { type: 'number' } }, [
    'from_unit',
    'to_unit',
    'quantity',
  ]);
  assert.deepEqual(fillArguments('How many ounces in 2 pounds of butter?', cooking, { now: NOW, refers: false }).args, {
    from_unit: 'pounds',
    to_unit: 'ounces',
    quantity: 2,
  });
});

test('a lone unit property takes the unit asked for, or the one written with the number its description names', () => {
  const speed = toolOf(
    'calculate_speed',
    {
      distance: { type: 'integer', description: 'The distance travelled in meters.' },
      time: { type: 'integer', description: 'The time taken in seconds.' },
      to_unit: { type: 'string', description: 'The unit in which the speed should be calculated, default is m/s.' },
    },
    ['distance', 'time'],
  );
  const read = (tool: typeof speed, text: string) => fillArguments(text, tool, { now: NOW, refers: false }).args;
  assert.deepEqual(read(speed, 'Calculate the speed of an object in km/h if it traveled 450 meters in 20 seconds.'), {
    to_unit: 'km/h',
    distance: 450,
    time: 20,
  });
  const circle = toolOf(
    'calculate_circumference',
    {
      radius: { type: 'integer', description: 'The radius of the circle.' },
      unit: { type: 'string', description: "The unit of measurement for the radius. Default is 'cm'." },
    },
    ['radius'],
  );
  assert.deepEqual(read(circle, 'What is the circumference of a circle with a radius of 4 inches?'), { unit: 'inches', radius: 4 });
  const density = toolOf(
    'calculate_density',
    {
      mass: { type: 'integer', description: 'The mass in kilograms.' },
      volume: { type: 'integer', description: 'The volume in cubic meters.' },
      unit: { type: 'string', description: 'The unit of density.' },
    },
    ['mass', 'volume'],
  );
  assert.equal(read(density, 'the density of a mass of 45 kg and a volume of 15 m³').unit, undefined, 'density is no given number');
});

test('an identifier takes the code written right after its name, or the quote there', () => {
  const read = (tool: ReturnType<typeof toolOf>, text: string) => fillArguments(text, tool, { now: NOW, refers: false }).args;
  const snp = toolOf('mutation_find', { snp_id: { type: 'string', description: 'The ID of the SNP.' } }, ['snp_id']);
  assert.deepEqual(read(snp, 'Find the type of gene mutation based on SNP ID rs6034464.'), { snp_id: 'rs6034464' });
  const court = toolOf(
    'case_search',
    { docket_number: { type: 'string', description: 'The docket number.' }, location: { type: 'string', description: 'The state.' } },
    ['docket_number', 'location'],
  );
  assert.equal(read(court, 'the court case identified by docket number 123456 in Texas').docket_number, '123456');
  const lawsuit = toolOf(
    'lawsuit_details',
    { case_number: { type: 'string', description: 'The case number.' }, court_location: { type: 'string', description: 'The court.' } },
    ['case_number', 'court_location'],
  );
  assert.equal(read(lawsuit, "details of a lawsuit with case number '123456-ABC' filed in Los Angeles court").case_number, '123456-ABC');
  assert.equal(read(snp, 'Find the SNP ID of the mutation.').snp_id, undefined, 'no code after the name');
});

test("leftover words that name nothing are no query: indefinites, past-tense actions, adverbs, a filled property's name", () => {
  const search = toToolSpec({
    type: 'function',
    function: {
      name: 'desk__find_tickets',
      description: 'Find tickets by text and filters.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'Words to look for' },
          reporter: { type: 'string', description: 'Person who reported it' },
          team: { type: 'string', description: 'Team the ticket is with' },
        },
        required: [],
      },
    },
  });
  const now = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
  assert.equal(fillArguments('anything logged by Ada Lovelace lately?', search, now).args.query, undefined);
  assert.match(String(fillArguments('anything about vpn logged by Ada Lovelace?', search, now).args.query), /vpn/);
});

test('a date property reads its layout from the description', () => {
  const layouts = describeProps({
    type: 'object',
    properties: {
      a: { type: 'string', description: 'Start date in the format of MM-DD-YYY.' },
      b: { type: 'string', description: 'Date of the concert in mm-yyyy format.' },
      c: { type: 'string', description: 'The date (month-day-year) you want.' },
      d: { type: 'string', description: 'The date.' },
    },
  }).map((prop) => prop.dateLayout);
  assert.deepEqual(layouts, ['MM-DD-YYYY', 'MM-YYYY', 'MM-DD-YYYY', undefined]);
});

test('a number goes to the property whose quantity its unit measures, or whose word it derives from', () => {
  const velocity = toolOf(
    'final_velocity',
    {
      initial_velocity: { type: 'integer', description: 'The initial velocity.' },
      acceleration: { type: 'number', description: 'The acceleration.' },
      time: { type: 'integer', description: 'The time of acceleration.' },
    },
    ['initial_velocity', 'acceleration', 'time'],
  );
  const text =
    'the final velocity of a car after accelerating at 2 meters/second^2 for a duration of 5 seconds, starting from a speed of 10';
  assert.deepEqual(fillArguments(text, velocity, { now: NOW, refers: false }).args, { acceleration: 2, time: 5, initial_velocity: 10 });
  assert.deepEqual([...measuredBy('seconds')], ['time']);
  assert.deepEqual([...measuredBy('kg')].sort(), ['mass', 'weight']);
  assert.deepEqual([...measuredBy('trees')], []);
});

test('a property described as an email address takes the address; a quote keeps the apostrophes between letters', () => {
  const email = (description: string) => ({ type: 'string', description });
  const send = toolOf(
    'send_email',
    {
      to: email('The email address to send to.'),
      subject: email('The subject of the email.'),
      body: email('The body content of the email.'),
      cc: email('The email address to carbon copy.'),
    },
    ['to', 'subject', 'body'],
  );
  const text = "Send an email to John Doe at john.doe@example.com with the subject 'Meeting' and body 'Let's meet at 10 AM tomorrow'.";
  assert.deepEqual(fillArguments(text, send, { now: NOW, refers: false }).args, {
    to: 'john.doe@example.com',
    subject: 'Meeting',
    body: "Let's meet at 10 AM tomorrow",
  });
});

test('a string property whose description offers quoted choices takes the one the text says; examples are no choices', () => {
  const props = describeProps({
    type: 'object',
    properties: {
      method: { type: 'string', description: "The method to use. Choices are 'trapezoid' or 'simpson'. Default is 'trapezoid'." },
      diet: { type: 'string', description: "Dietary preferences. e.g. 'Vegetarian', 'Gluten-free', etc." },
    },
  });
  assert.deepEqual(
    props.map((prop) => [prop.kind, prop.enumValues]),
    [
      ['enum', ['trapezoid', 'simpson']],
      ['text', []],
    ],
  );
  const integrate = toolOf(
    'integrate',
    { function: { type: 'string' }, method: props[0] && { type: 'string', description: props[0].description } },
    ['function'],
  );
  assert.equal(
    fillArguments('integrate x^3 from -2 to 3 using simpson method', integrate, { now: NOW, refers: false }).args.method,
    'simpson',
  );
});

test('a boolean takes its word even where it reads as the verb, and a leading verb-only word of its name may go unsaid', () => {
  const record = toolOf(
    'get_record',
    { case_number: { type: 'string' }, details: { type: 'boolean' }, consider_terrain: { type: 'boolean' } },
    ['case_number'],
  );
  const read = (text: string) => fillArguments(text, record, { now: NOW, refers: false }).args;
  assert.equal(read('Look up details of the record for case number CA123456').details, true);
  assert.equal(read('the record for case number CA123456, accounting for terrain').consider_terrain, true);
  assert.equal(read('the record for case number CA123456').consider_terrain, undefined);
});

test('a name-like main property keeps the one proper name of the leftover words, without its possessive', () => {
  const stats = toolOf('player_statistic', { player_name: { type: 'string' }, year: { type: 'integer' } }, ['player_name', 'year']);
  const read = (text: string) => fillArguments(text, stats, { now: NOW, refers: false }).args;
  assert.equal(read("What are the statistics of Ronaldo's matches in 2021?").player_name, 'Ronaldo');
  assert.equal(read('Get the statistics of footballer Lionel Messi in 2021').player_name, 'Lionel Messi');
  assert.equal(read('statistics of Messi and Ronaldo in 2021').player_name, 'Messi and Ronaldo', 'two names stay as said');
});

test('a text property named for a year takes the one year written, as text', () => {
  const density = toolOf('calculate_density', { country: { type: 'string' }, year: { type: 'string' }, population: { type: 'integer' } }, [
    'country',
    'year',
    'population',
  ]);
  const read = (text: string) => fillArguments(text, density, { now: NOW, refers: false }).args;
  assert.equal(read('the Population Density for Brazil in 2022 if the population is 213 million').year, '2022');
  assert.equal(read('the density for Brazil in 2021 and 2022 with population 5').year, undefined, 'two years: no guess');
});

test('a lone currency property takes the one currency named, as its code', () => {
  const worth = toolOf('net_worth', { name: { type: 'string' }, currency: { type: 'string' } }, ['name', 'currency']);
  const read = (text: string) => fillArguments(text, worth, { now: NOW, refers: false }).args;
  assert.equal(read("What's the total worth in euro of Messi?").currency, 'EUR');
  assert.notEqual(read("What's the total worth of Messi in euro or in dollars?").currency, 'EUR', 'two currencies: no code guessed');
});

test('after "name:" a capitalised value that runs on in lower-case words is a sentence, up to the next comma', () => {
  const create = toToolSpec({
    type: 'function',
    function: {
      name: 'open_case',
      description: 'Open a case',
      parameters: {
        type: 'object',
        properties: {
          short_description: { type: 'string', description: 'One-line summary' },
          caller: { type: 'string', description: 'Who reports it' },
        },
        required: ['short_description'],
      },
    },
  });
  const args = fillArguments('caller = Mei Chen, short description: Teams camera not working on her laptop, thanks', create, {
    now: new Date('2026-12-02T12:00:00Z'),
    refers: false,
  }).args;
  assert.equal(args.short_description, 'Teams camera not working on her laptop');
  assert.equal(args.caller, 'Mei Chen');
});

test('"Analyse this text for sentiment" with no text given leaves the text missing, so it is asked for', () => {
  const sentiment = toToolSpec({
    type: 'function',
    function: {
      name: 'analyze_sentiment',
      description: 'Sentiment of a text',
      parameters: { type: 'object', properties: { text: { type: 'string', description: 'The text to analyse' } }, required: ['text'] },
    },
  });
  const now = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
  assert.deepEqual(fillArguments('Analyse this text for sentiment.', sentiment, now).args, {});
  assert.equal(fillArguments('Analyse this text for sentiment: I love it', sentiment, now).args.text, 'I love it');
});

test('a unit property takes "in square meters" whole and never a leftover name; a unit its description names stays', () => {
  const area = schemaTool(
    'area',
    {
      base: { type: 'integer', description: 'The base of the triangle.' },
      height: { type: 'integer', description: 'The height of the triangle.' },
      unit: { type: 'string', description: 'The unit of measure used. Defaults to cm.' },
    },
    ['base', 'height'],
  );
  const fillArea = (text: string) => fillArguments(text, area, { now: NOW, refers: false }).args;
  assert.equal(fillArea('Find the area of a triangle with base 12 and height 15 in square meters.').unit, 'square meters');
  assert.equal(fillArea('John needs the area of a triangle with base 12 and height 15.').unit, undefined);
  const temperature = schemaTool(
    'average_temperature',
    {
      location: { type: 'string', description: 'The city.' },
      days: { type: 'integer', description: 'The number of days.' },
      temp_unit: { type: 'string', description: "The temperature unit ('Celsius' or 'Fahrenheit')." },
    },
    ['location', 'days'],
  );
  const args = fillArguments('Get the average temperature in Austin for the next 3 days in Celsius.', temperature, {
    now: NOW,
    refers: false,
  }).args;
  assert.equal(args.temp_unit, 'Celsius');
});

test('coefficient properties take the signed coefficients of a written polynomial', () => {
  const roots = schemaTool(
    'quadratic_roots',
    {
      a: { type: 'integer', description: 'Coefficient of x^2.' },
      b: { type: 'integer', description: 'Coefficient of x.' },
      c: { type: 'integer', description: 'Constant term.' },
    },
    ['a', 'b', 'c'],
  );
  const fillRoots = (text: string) => fillArguments(text, roots, { now: NOW, refers: false }).args;
  assert.deepEqual(fillRoots('Find the roots of 5x^2 - 7x + 3 = 0.'), { a: 5, b: -7, c: 3 });
  assert.deepEqual(fillRoots('Find the roots of -x^2 + 4 = 0.'), { a: -1, b: 0, c: 4 });
  // Two numbers with a minus between them are no polynomial.
  assert.equal(fillRoots('Find the roots for a=2, b=6, and c=5').b, 6);
});

test('quoted values joined by "or" offer a choice, and "each" or "both" is no value', () => {
  const distance = toToolSpec({
    type: 'function',
    function: {
      name: 'geo_distance',
      description: 'Calculate the distance between two cities.',
      parameters: {
        type: 'object',
        properties: {
          start_city: { type: 'string', description: 'The city to start from.' },
          units: { type: 'string', description: "Optional. The units of the distance ('miles' or 'kilometers'). Defaults to 'miles'." },
        },
        required: ['start_city'],
      },
    },
  });
  assert.deepEqual(distance.props.find((prop) => prop.name === 'units')?.enumValues, ['miles', 'kilometers']);
  assert.equal(
    fillArguments('the distance from Boston in kilometer', distance, { now: new Date(), refers: false }).args.units,
    'kilometers',
  );
  assert.equal(fillArguments('the distance from each city', distance, { now: new Date(), refers: false }).args.start_city, undefined);
});

test('a number before the thing an optional count counts fills the count', () => {
  const schisms = toToolSpec({
    type: 'function',
    function: {
      name: 'religion_history_get_schisms',
      description: 'Retrieve a list of major schisms in a specific religion.',
      parameters: {
        type: 'object',
        properties: {
          religion: { type: 'string', description: 'Name of the religion.' },
          count: { type: 'integer', description: 'Number of top schisms to retrieve.' },
        },
        required: ['religion'],
      },
    },
  });
  assert.equal(
    fillArguments('What are the three great Schism in Christianity history?', schisms, { now: new Date(), refers: false }).args.count,
    3,
  );
});

test('a quoted value goes to the property whose description the words before it say', () => {
  const derivative = schemaTool(
    'derivative',
    {
      function: { type: 'string', description: 'The function to calculate the derivative of.' },
      value: { type: 'integer', description: 'The value where the derivative needs to be calculated at.' },
      function_variable: { type: 'string', description: 'The variable present in the function, for instance x or y, etc.' },
    },
    ['function', 'value'],
  );
  const args = fillArguments(
    "Compute the derivative of the function 3x^2 + 2x - 1 at the value 5, where the variable present in the function is 'x'.",
    derivative,
    { now: NOW, refers: false },
  ).args;
  assert.equal(args.function_variable, 'x');
  assert.equal(args.function, '3x^2 + 2x - 1');
});

test("the leftover text loses words that join or describe the tool's noun, a used preposition and a relative clause's verb", () => {
  const tool = (name: string, description: string, properties: Record<string, unknown>, required: string[]) =>
    toToolSpec({ type: 'function', function: { name, description, parameters: { type: 'object', properties, required } } });
  const points = tool(
    'get_freezing_flash_points',
    'Get the freezing point and flash point of a liquid.',
    { liquid: { type: 'string', description: 'The name of the liquid.' } },
    ['liquid'],
  );
  assert.equal(
    fillArguments('Find the freezing point and flash point of ethanol', points, { now: NOW, refers: false }).args.liquid,
    'ethanol',
  );
  const lease = tool(
    'draft_lease_document',
    'Draft a lease document.',
    {
      signers: { type: 'array', items: { type: 'string' }, description: 'People signing the document.' },
      purpose: { type: 'string', description: 'What the document is for.' },
    },
    ['signers', 'purpose'],
  );
  assert.equal(
    fillArguments('Draft a customized lease document between Maria and Tom for office storage', lease, { now: NOW, refers: false }).args
      .purpose,
    'office storage',
  );
  const habits = tool(
    'list_common_habits',
    'List the common habits of people with a pastime.',
    { pastime: { type: 'string', description: 'The pastime of interest.' } },
    ['pastime'],
  );
  assert.equal(
    fillArguments('List common habits of people who enjoy gardening', habits, { now: NOW, refers: false }).args.pastime,
    'gardening',
  );
});
