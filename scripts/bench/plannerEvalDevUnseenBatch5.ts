/**
 * The dev-unseen part's fifth batch (issue 8): two more tool sets shaped like public MCP servers
 * of other kinds — a Notion-like workspace (pages, databases queried by filter, blocks appended to
 * a page, UUID-like ids) and a Home-Assistant-like home (entities such as light.kitchen, services
 * with domain and brightness, climate modes, scenes) — with 21 requests in every style and
 * category, written before the planner was run on them. As written the planner passed
 * 8/21 (3 December 2026; the whole part 77/109).
 */
import type { EvalCase, Json, ToolSet } from './plannerEvalCases.ts';
import { tool, str, int, calls, numberedCases } from './plannerEvalToolSpecs.ts';

const num = (description: string, extra: Record<string, Json> = {}) => ({ type: 'number', description, ...extra });

const workspace: ToolSet = {
  server: 'workspace',
  about: 'a notes and wiki workspace: pages, databases, blocks, comments',
  tools: [
    tool(
      'search',
      'Search pages and databases by title across the workspace.',
      {
        query: str('Text to search for in titles'),
        filter: str('Only return objects of this type', { enum: ['page', 'database'] }),
        page_size: int('Maximum number of results', { minimum: 1, maximum: 100, default: 10 }),
      },
      [],
      true,
    ),
    tool('retrieve_page', 'Retrieve a page and its properties by ID.', { page_id: str('ID of the page') }, ['page_id'], true),
    tool(
      'create_page',
      'Create a new page as a child of an existing page or in a database.',
      {
        parent_id: str('ID of the parent page or database'),
        title: str('Title of the new page'),
        content: str('Initial page content as Markdown'),
      },
      ['parent_id', 'title'],
    ),
    tool(
      'append_block_children',
      'Append content blocks to the end of a page.',
      {
        block_id: str('ID of the page or block to append to'),
        text: str('Text of the new paragraph'),
        type: str('Block type', { enum: ['paragraph', 'to_do', 'bulleted_list_item', 'heading_2'], default: 'paragraph' }),
      },
      ['block_id', 'text'],
    ),
    tool(
      'query_database',
      'Query a database for pages whose status property matches, sorted by last edit.',
      {
        database_id: str('ID of the database'),
        status: str('Value of the Status property to filter on', { enum: ['Not started', 'In progress', 'Done'] }),
        page_size: int('Maximum number of results', { minimum: 1, maximum: 100, default: 10 }),
      },
      ['database_id'],
      true,
    ),
    tool('create_comment', 'Add a comment to a page.', { page_id: str('ID of the page to comment on'), text: str('Comment text') }, [
      'page_id',
      'text',
    ]),
  ],
  data: {
    objects: [
      { id: 'a1f3c2d4', object: 'page', title: 'Q3 Roadmap' },
      { id: 'b7e9d0aa', object: 'database', title: 'Product Tasks' },
      { id: 'c4d2e8f1', object: 'page', title: 'Onboarding Guide' },
    ],
    tasks: [
      { id: 'd9a1b2c3', database_id: 'b7e9d0aa', title: 'Write launch blog post', status: 'In progress' },
      { id: 'e2f4a6b8', database_id: 'b7e9d0aa', title: 'Fix pricing page copy', status: 'Not started' },
    ],
  },
  fakes: {
    search: {
      op: 'list',
      collection: 'objects',
      text: { arg: 'query', fields: ['title'] },
      filters: { filter: { field: 'object' } },
      limit: { arg: 'page_size', default: 10 },
      wrap: 'results',
    },
    retrieve_page: { op: 'get', collection: 'objects', match: { id: 'page_id' } },
    create_page: { op: 'create', collection: 'objects', id: { field: 'id', format: 'f0{n}', start: 101 }, defaults: { object: 'page' } },
    append_block_children: { op: 'static', result: { block_id: '{block_id}', appended: 1 } },
    query_database: {
      op: 'list',
      collection: 'tasks',
      filters: { database_id: { field: 'database_id' }, status: { field: 'status' } },
      limit: { arg: 'page_size', default: 10 },
      wrap: 'results',
    },
    create_comment: { op: 'static', result: { id: 'cm_{n}', page_id: '{page_id}', text: '{text}' } },
  },
};

const home: ToolSet = {
  server: 'home',
  about: 'a smart home hub: lights, switches, thermostats, locks, scenes',
  tools: [
    tool(
      'list_entities',
      'List entities and their current state, optionally in one domain or area.',
      {
        domain: str('Entity domain', { enum: ['light', 'switch', 'climate', 'lock', 'sensor', 'scene'] }),
        area: str('Area name, e.g. kitchen'),
      },
      [],
      true,
    ),
    tool(
      'get_state',
      'Get the current state and attributes of one entity.',
      { entity_id: str('Entity ID, e.g. sensor.living_room_temperature') },
      ['entity_id'],
      true,
    ),
    tool(
      'turn_on',
      'Turn on a light or switch, optionally setting brightness.',
      {
        entity_id: str('Entity ID, e.g. light.kitchen'),
        brightness_pct: int('Brightness in percent, 0 to 100', { minimum: 0, maximum: 100 }),
      },
      ['entity_id'],
    ),
    tool('turn_off', 'Turn off a light or switch.', { entity_id: str('Entity ID, e.g. switch.coffee_maker') }, ['entity_id']),
    tool(
      'set_temperature',
      'Set the target temperature of a thermostat, optionally its HVAC mode.',
      {
        entity_id: str('Climate entity ID, e.g. climate.hallway'),
        temperature: num('Target temperature in degrees Celsius'),
        hvac_mode: str('HVAC mode', { enum: ['off', 'heat', 'cool', 'auto'] }),
      },
      ['entity_id', 'temperature'],
    ),
    tool('lock', 'Lock a lock.', { entity_id: str('Lock entity ID, e.g. lock.front_door') }, ['entity_id']),
    tool('activate_scene', 'Activate a scene.', { entity_id: str('Scene entity ID, e.g. scene.movie_night') }, ['entity_id']),
  ],
  data: {
    entities: [
      { entity_id: 'light.kitchen', domain: 'light', area: 'kitchen', state: 'off' },
      { entity_id: 'light.living_room', domain: 'light', area: 'living room', state: 'on' },
      { entity_id: 'switch.coffee_maker', domain: 'switch', area: 'kitchen', state: 'on' },
      { entity_id: 'climate.hallway', domain: 'climate', area: 'hallway', state: 'heat' },
      { entity_id: 'lock.front_door', domain: 'lock', area: 'hallway', state: 'unlocked' },
      { entity_id: 'sensor.living_room_temperature', domain: 'sensor', area: 'living room', state: '21.5' },
    ],
  },
  fakes: {
    list_entities: {
      op: 'list',
      collection: 'entities',
      filters: { domain: { field: 'domain' }, area: { field: 'area' } },
      wrap: 'entities',
    },
    get_state: { op: 'get', collection: 'entities', match: { entity_id: 'entity_id' } },
    turn_on: { op: 'static', result: { entity_id: '{entity_id}', state: 'on' } },
    turn_off: { op: 'static', result: { entity_id: '{entity_id}', state: 'off' } },
    set_temperature: { op: 'static', result: { entity_id: '{entity_id}', temperature: '{temperature}' } },
    lock: { op: 'static', result: { entity_id: '{entity_id}', state: 'locked' } },
    activate_scene: { op: 'static', result: { entity_id: '{entity_id}', activated: true } },
  },
};

/** The fifth batch's tool sets. */
export const BATCH5_SETS: readonly ToolSet[] = [workspace, home];

const { one, thread } = numberedCases(88);

const W = ['workspace', 'tracker', 'chat'];
const H = ['home', 'music', 'chat'];

/** Requests written before the planner was run on them. */
export const BATCH5_CASES: EvalCase[] = [
  // workspace
  one(W, 'single', 'terse', 'search pages for roadmap', calls({ tool: 'workspace__search', args: { query: { includes: ['roadmap'] } } })),
  one(
    W,
    'single',
    'plain',
    'Create a page called "Meeting notes 12/3" under page a1f3c2d4',
    calls({ tool: 'workspace__create_page', args: { parent_id: 'a1f3c2d4', title: 'Meeting notes 12/3' } }),
  ),
  one(
    W,
    'single',
    'question',
    'Which tasks in database b7e9d0aa are still in progress?',
    calls({ tool: 'workspace__query_database', args: { database_id: 'b7e9d0aa', status: 'In progress' } }),
  ),
  one(
    W,
    'single',
    'casual',
    'add a to-do "email the printer" to page c4d2e8f1',
    calls({
      tool: 'workspace__append_block_children',
      args: { block_id: 'c4d2e8f1', text: { includes: ['email the printer'] }, type: 'to_do' },
    }),
  ),
  one(
    W,
    'single',
    'email',
    'Hi, please leave a comment on page a1f3c2d4 saying "Dates moved to October". Thanks, Lena',
    calls({ tool: 'workspace__create_comment', args: { page_id: 'a1f3c2d4', text: { includes: ['dates moved to october'] } } }),
  ),
  one(
    W,
    'chain',
    'plain',
    'Find the Onboarding Guide page and append "Ask IT for a laptop on day one" to it',
    calls(
      { tool: 'workspace__search', args: { query: { includes: ['onboarding guide'] } } },
      { tool: 'workspace__append_block_children', args: { block_id: 'c4d2e8f1', text: { includes: ['ask it for a laptop on day one'] } } },
    ),
  ),
  one(
    W,
    'compound',
    'list',
    '- list databases matching "tasks"\n- comment "reviewed" on page c4d2e8f1',
    calls(
      { tool: 'workspace__search', args: { query: { includes: ['tasks'] }, filter: 'database' } },
      { tool: 'workspace__create_comment', args: { page_id: 'c4d2e8f1', text: { includes: ['reviewed'] } } },
    ),
  ),
  thread(
    W,
    'casual',
    'search for the Q3 Roadmap',
    'open the first one',
    calls({ tool: 'workspace__retrieve_page', args: { page_id: 'a1f3c2d4' } }),
  ),
  one(W, 'clarify', 'plain', 'Add a comment to the page', { kind: 'clarify' }),
  one(['workspace', 'home', 'chat'], 'refuse', 'plain', 'Export this page as a PDF and email it to the board', { kind: 'refuse' }),
  // home
  one(H, 'single', 'terse', 'kitchen light on', calls({ tool: 'home__turn_on', args: { entity_id: 'light.kitchen' } })),
  one(
    H,
    'single',
    'plain',
    'Set the living room light to 30% brightness',
    calls({ tool: 'home__turn_on', args: { entity_id: 'light.living_room', brightness_pct: 30 } }),
  ),
  one(
    H,
    'single',
    'question',
    "What's the temperature in the living room?",
    calls({ tool: 'home__get_state', args: { entity_id: 'sensor.living_room_temperature' } }),
  ),
  one(
    H,
    'single',
    'casual',
    'turn the heating in the hallway up to 22 degrees',
    calls({ tool: 'home__set_temperature', args: { entity_id: 'climate.hallway', temperature: 22 } }),
  ),
  one(H, 'single', 'plain', 'Lock the front door', calls({ tool: 'home__lock', args: { entity_id: 'lock.front_door' } })),
  one(
    H,
    'single',
    'question',
    'Which lights are on in the kitchen?',
    calls({ tool: 'home__list_entities', args: { domain: 'light', area: 'kitchen' } }),
  ),
  one(
    H,
    'compound',
    'email',
    'Hey, heading to bed: please switch off the coffee maker and lock the front door. Cheers, Sam',
    calls(
      { tool: 'home__turn_off', args: { entity_id: 'switch.coffee_maker' } },
      { tool: 'home__lock', args: { entity_id: 'lock.front_door' } },
    ),
  ),
  one(H, 'single', 'casual', 'movie night scene pls', calls({ tool: 'home__activate_scene', args: { entity_id: 'scene.movie_night' } })),
  thread(
    H,
    'terse',
    'turn on the kitchen light',
    'dim it to 20%',
    calls({ tool: 'home__turn_on', args: { entity_id: 'light.kitchen', brightness_pct: 20 } }),
  ),
  one(H, 'clarify', 'plain', 'Set the thermostat', { kind: 'clarify' }),
  one(['home', 'workspace', 'music'], 'refuse', 'plain', 'Order more coffee beans from the shop down the street', { kind: 'refuse' }),
];
