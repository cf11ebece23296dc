import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

describe('text properties from the phrases that say them', () => {
  test('"from X to Y" fills the start and the end by what the properties describe', () => {
    const route = tool(
      'get_directions',
      {
        start_location: { type: 'string', description: 'The starting point of the journey.' },
        end_location: { type: 'string', description: 'The destination point of the journey.' },
      },
      ['start_location', 'end_location'],
    );
    assert.deepEqual(fillArguments('Get directions from San Francisco to Los Angeles please', route, NOW).args, {
      start_location: 'San Francisco',
      end_location: 'Los Angeles',
    });
  });

  test('what WordNet says a phrase is picks the property: a city for a location, a country for a country', () => {
    const weather = tool(
      'forecast',
      { location: { type: 'string', description: 'Where.' }, country: { type: 'string', description: 'The country.' } },
      ['location', 'country'],
    );
    assert.deepEqual(fillArguments('Forecast for Brazil, at Boston', weather, NOW).args, { country: 'Brazil', location: 'Boston' });
    const mix = tool('heat', { substance: { type: 'string', description: 'What is heated.' } }, ['substance']);
    assert.deepEqual(fillArguments('Heat energy of water', mix, NOW).args, { substance: 'water' });
  });

  test('the property named right before a proper name takes it', () => {
    const movies = tool('find_movies', { actor_name: { type: 'string', description: 'Name of the actor.' } }, ['actor_name']);
    assert.deepEqual(fillArguments('Find movies of actor Leonardo DiCaprio', movies, NOW).args, { actor_name: 'Leonardo DiCaprio' });
  });

  test('an optional property needs more than a loose fit, and a free-text query keeps the leftover words', () => {
    const search = tool(
      'search_notes',
      { query: { type: 'string', description: 'What to look for.' }, city: { type: 'string', description: 'Filter by city.' } },
      ['query'],
    );
    const filled = fillArguments('search notes about printers in Paris', search, NOW).args;
    assert.equal(filled.city, 'Paris');
    assert.equal(filled.query, 'printers');
    const loose = tool('log', { query: { type: 'string' }, author: { type: 'string', description: 'Who wrote it.' } }, ['query']);
    assert.equal(fillArguments('search for Paris hotels', loose, NOW).args.author, undefined);
  });

  test('a first and last name after "for" fills an optional property that names a person; one capitalised word does not', () => {
    const ticket = tool(
      'open_ticket',
      { title: { type: 'string', description: 'One-line summary' }, requester: { type: 'string', description: 'Who asked' } },
      ['title'],
    );
    assert.equal(fillArguments('open a ticket for Tom Becker: his dock is dead', ticket, NOW).args.requester, 'Tom Becker');
    assert.equal(fillArguments('open a ticket for Finance: the dock is dead', ticket, NOW).args.requester, undefined);
  });

  test("a name followed by the property's own word for a group fills it without that word; a capitalised one stays", () => {
    const assign = tool(
      'assign_ticket',
      {
        ticket_id: { type: 'string', pattern: '^T-\\d+$' },
        assignee: { type: 'string', description: 'Person to work on it' },
        support_group: { type: 'string', description: 'Team to work on it' },
      },
      ['ticket_id'],
    );
    assert.deepEqual(fillArguments('assign T-12 to the Hardware Support group', assign, NOW).args, {
      ticket_id: 'T-12',
      support_group: 'Hardware Support',
    });
    // Without the group's word, what the name is decides: "Hardware Support" names no person, "Lena Fischer" does;
    // a value already read ("T-12") may stand between the verb and its object.
    const task = tool(
      'update_task',
      {
        task_id: { type: 'string', pattern: '^T-\\d+$' },
        assignment_group: { type: 'string', description: 'Team to work on it' },
        assigned_to: { type: 'string', description: 'Person to work on it' },
      },
      ['task_id'],
    );
    assert.deepEqual(fillArguments('assign T-12 to Hardware Support', task, NOW).args, {
      task_id: 'T-12',
      assignment_group: 'Hardware Support',
    });
    assert.deepEqual(fillArguments('assign T-12 to Lena Fischer', task, NOW).args, { task_id: 'T-12', assigned_to: 'Lena Fischer' });
    const league = tool('standings', { league: { type: 'string', description: 'Sports league' } }, ['league']);
    assert.equal(fillArguments('standings of the Premier League', league, NOW).args.league, 'Premier League');
  });
});

test('a place keeps the state or country written with it, unless the tool takes that apart or it is the next place of a list', () => {
  const place = (properties: Record<string, unknown>) =>
    toToolSpec({
      type: 'function',
      function: { name: 'find', description: '', parameters: { type: 'object', properties, required: ['location'] } },
    });
  const one = place({ location: { type: 'string', description: 'The city and state, e.g. Boston, MA.' } });
  const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
  assert.equal(fillArguments('Find the nearest library in Boston, MA with free Wi-Fi.', one, NOW).args.location, 'Boston, MA');
  assert.equal(fillArguments('hotels in Berlin, Germany from March 10', one, NOW).args.location, 'Berlin, Germany');
  // The next place of a list is no region; the state this schema asks for is New York's own.
  assert.equal(fillArguments('the weather in New York, Los Angeles and Tokyo', one, NOW).args.location, 'New York, NY');
  const split = place({ location: { type: 'string', description: 'The city.' }, state: { type: 'string', description: 'The state.' } });
  assert.equal(fillArguments('sales tax in Chicago, Illinois', split, NOW).args.location, 'Chicago');
});

test('"to" of assigned_to is a joint: "set the caller to X" fills the caller, "turned out to be ..." fills nothing', () => {
  const update = tool(
    'desk__update_ticket',
    {
      ticket: { type: 'string' },
      caller: { type: 'string', description: 'New affected person' },
      assigned_to: { type: 'string', description: 'Person to work on it' },
    },
    ['ticket'],
  );
  assert.deepEqual(fillArguments('Set the caller to Ada Lovelace', update, NOW).args, { caller: 'Ada Lovelace' });
  assert.equal(fillArguments('cancel it, turned out to be a muted laptop', update, NOW).args.assigned_to, undefined);
  assert.equal(fillArguments('assign it to Ada Lovelace', update, NOW).args.assigned_to, 'Ada Lovelace');
});
