/**
 * The dev-unseen part of the planner bench (issue 8): tool sets in domains the unseen-tools
 * evaluation does not cover (git, spreadsheets, music, maps, a shop, team chat), shaped like
 * real MCP servers, with requests written before the planner was run on them. Unlike the frozen
 * unseen-tools cases these may be tuned on, so their failures are printed with reasons.
 */
import type { CaseFile, EvalCase, ToolSet } from './plannerEvalCases.ts';
import { tool, str, int, bool, calls, numberedCases } from './plannerEvalToolSpecs.ts';
import { BATCH4_CASES, BATCH4_SETS } from './plannerEvalDevUnseenBatch4.ts';
import { BATCH5_CASES, BATCH5_SETS } from './plannerEvalDevUnseenBatch5.ts';
import { BATCH6_CASES, BATCH6_SETS } from './plannerEvalDevUnseenBatch6.ts';
import type { CaseResult } from './plannerEvalRun.ts';

const git: ToolSet = {
  server: 'git',
  about: 'a git hosting service: repositories, branches, commits, pull requests',
  tools: [
    tool('list_branches', 'List the branches of a repository.', { repo: str('Repository as owner/name') }, ['repo'], true),
    tool(
      'create_branch',
      'Create a new branch from an existing branch or commit.',
      {
        repo: str('Repository as owner/name'),
        branch: str('Name of the new branch'),
        from_ref: str('Branch or commit to start from; default main'),
      },
      ['repo', 'branch'],
    ),
    tool(
      'list_commits',
      'List recent commits on a branch, newest first.',
      {
        repo: str('Repository as owner/name'),
        branch: str('Branch name; default main'),
        author: str('Only commits by this author'),
        limit: int('How many commits', { minimum: 1, maximum: 100 }),
      },
      ['repo'],
      true,
    ),
    tool(
      'create_pull_request',
      'Open a pull request to merge one branch into another.',
      {
        repo: str('Repository as owner/name'),
        title: str('Title of the pull request'),
        head: str('Branch with the changes'),
        base: str('Branch to merge into; default main'),
        draft: bool('Open as a draft'),
      },
      ['repo', 'title', 'head'],
    ),
    tool(
      'merge_pull_request',
      'Merge an open pull request.',
      {
        repo: str('Repository as owner/name'),
        number: int('Pull request number'),
        method: str('Merge method', { enum: ['merge', 'squash', 'rebase'] }),
      },
      ['repo', 'number'],
    ),
  ],
  data: {
    branches: [
      { repo: 'acme/web', name: 'main' },
      { repo: 'acme/web', name: 'feature/login' },
    ],
    commits: [
      { repo: 'acme/web', branch: 'main', sha: 'a1b2c3d', author: 'dana', message: 'Fix header layout' },
      { repo: 'acme/web', branch: 'main', sha: 'e4f5a6b', author: 'lee', message: 'Add footer links' },
    ],
    pulls: [{ repo: 'acme/web', number: 42, title: 'Login page', state: 'open' }],
  },
  fakes: {
    list_branches: { op: 'list', collection: 'branches', filters: { repo: { field: 'repo' } }, wrap: 'branches' },
    create_branch: { op: 'create', collection: 'branches', fields: { branch: 'name' } },
    list_commits: {
      op: 'list',
      collection: 'commits',
      filters: { repo: { field: 'repo' }, author: { field: 'author' } },
      limit: { arg: 'limit', default: 30 },
      wrap: 'commits',
    },
    create_pull_request: {
      op: 'create',
      collection: 'pulls',
      id: { field: 'number', format: '{n}', start: 43 },
      defaults: { state: 'open' },
    },
    merge_pull_request: {
      op: 'update',
      collection: 'pulls',
      match: { repo: 'repo', number: 'number' },
      result: { merged: true, number: '{number}' },
    },
  },
};

const sheets: ToolSet = {
  server: 'sheets',
  about: 'a spreadsheet service',
  tools: [
    tool(
      'create_spreadsheet',
      'Create a new, empty spreadsheet.',
      { title: str('Title of the spreadsheet'), folder: str('Folder to put it in') },
      ['title'],
    ),
    tool(
      'read_range',
      'Read the cell values of a range, such as Sheet1!A1:C10.',
      { spreadsheet_id: str('Spreadsheet id'), range: str('Range in A1 notation') },
      ['spreadsheet_id', 'range'],
      true,
    ),
    tool(
      'write_range',
      'Write values into a range of cells.',
      {
        spreadsheet_id: str('Spreadsheet id'),
        range: str('Range in A1 notation'),
        values: { type: 'array', items: { type: 'array', items: { type: 'string' } }, description: 'Rows of cell values' },
      },
      ['spreadsheet_id', 'range', 'values'],
    ),
    tool(
      'add_sheet',
      'Add a new tab (sheet) to a spreadsheet.',
      { spreadsheet_id: str('Spreadsheet id'), name: str('Name of the new tab') },
      ['spreadsheet_id', 'name'],
    ),
    tool(
      'find_spreadsheets',
      'Search spreadsheets by words in their title.',
      { query: str('Words to look for in titles') },
      ['query'],
      true,
    ),
  ],
  data: {
    spreadsheets: [
      { id: 'sh_100', title: 'Q3 budget' },
      { id: 'sh_101', title: 'Team roster' },
    ],
  },
  fakes: {
    create_spreadsheet: { op: 'create', collection: 'spreadsheets', id: { field: 'id', format: 'sh_{n}', start: 200 } },
    read_range: {
      op: 'static',
      result: {
        range: '{range}',
        values: [
          ['Item', 'Cost'],
          ['Laptops', '12000'],
        ],
      },
    },
    write_range: { op: 'static', result: { updated_range: '{range}', updated_cells: 2 } },
    add_sheet: { op: 'static', result: { spreadsheet_id: '{spreadsheet_id}', sheet: '{name}' } },
    find_spreadsheets: { op: 'list', collection: 'spreadsheets', text: { arg: 'query', fields: ['title'] }, wrap: 'spreadsheets' },
  },
};

const music: ToolSet = {
  server: 'music',
  about: 'a music streaming service',
  tools: [
    tool(
      'search_tracks',
      'Search the catalogue for songs by title, artist or album.',
      { query: str('What to search for'), limit: int('Maximum number of tracks', { minimum: 1, maximum: 50 }) },
      ['query'],
      true,
    ),
    tool(
      'play',
      'Start playing a track or playlist on a device.',
      { track_id: str('Track to play'), playlist_id: str('Playlist to play'), device: str('Device name, e.g. Kitchen speaker') },
      [],
    ),
    tool('pause', 'Pause playback.', { device: str('Device name') }, []),
    tool(
      'set_volume',
      'Set the playback volume of a device.',
      { volume_percent: int('Volume from 0 to 100', { minimum: 0, maximum: 100 }), device: str('Device name') },
      ['volume_percent'],
    ),
    tool(
      'create_playlist',
      'Create a new playlist for the user.',
      { name: str('Playlist name'), public: bool('Whether others can see it'), description: str('Playlist description') },
      ['name'],
    ),
    tool(
      'add_to_playlist',
      'Add tracks to a playlist.',
      { playlist_id: str('Playlist id'), track_ids: { type: 'array', items: { type: 'string' }, description: 'Tracks to add' } },
      ['playlist_id', 'track_ids'],
    ),
  ],
  data: {
    tracks: [
      { id: 'trk_1', title: 'Clair de Lune', artist: 'Debussy' },
      { id: 'trk_2', title: 'Yellow', artist: 'Coldplay' },
      { id: 'trk_3', title: 'Fix You', artist: 'Coldplay' },
    ],
    playlists: [{ id: 'pl_1', name: 'Focus' }],
  },
  fakes: {
    search_tracks: {
      op: 'list',
      collection: 'tracks',
      text: { arg: 'query', fields: ['title', 'artist'] },
      limit: { arg: 'limit', default: 10 },
      wrap: 'tracks',
    },
    play: { op: 'static', result: { playing: true, device: '{device}' } },
    pause: { op: 'static', result: { paused: true } },
    set_volume: { op: 'static', result: { volume_percent: '{volume_percent}' } },
    create_playlist: { op: 'create', collection: 'playlists', id: { field: 'id', format: 'pl_{n}', start: 2 } },
    add_to_playlist: { op: 'static', result: { playlist_id: '{playlist_id}', added: '{track_ids}' } },
  },
};

const maps: ToolSet = {
  server: 'maps',
  about: 'maps: directions, places, geocoding',
  tools: [
    tool(
      'get_directions',
      'Get a route between two places.',
      {
        origin: str('Starting point: address or place name'),
        destination: str('Where to go: address or place name'),
        mode: str('How to travel', { enum: ['driving', 'walking', 'bicycling', 'transit'] }),
        avoid_tolls: bool('Avoid toll roads'),
      },
      ['origin', 'destination'],
      true,
    ),
    tool(
      'search_places',
      'Find places such as restaurants, shops or museums near a location.',
      {
        query: str('What kind of place, e.g. sushi'),
        near: str('Location to search around'),
        open_now: bool('Only places open now'),
        min_rating: { type: 'number', description: 'Minimum rating from 1 to 5' },
      },
      ['query'],
      true,
    ),
    tool('geocode', 'Turn an address into latitude and longitude.', { address: str('Street address') }, ['address'], true),
    tool(
      'distance_matrix',
      'Travel time and distance from one origin to several destinations.',
      { origin: str('Starting point'), destinations: { type: 'array', items: { type: 'string' }, description: 'Places to measure to' } },
      ['origin', 'destinations'],
      true,
    ),
  ],
  data: {},
  fakes: {
    get_directions: { op: 'static', result: { summary: 'via A1', duration_minutes: 42, distance_km: 31 } },
    search_places: { op: 'static', result: { places: [{ name: 'Sakura House', rating: 4.6, address: '12 Rue Cler' }] } },
    geocode: { op: 'static', result: { lat: 48.8584, lng: 2.2945 } },
    distance_matrix: { op: 'static', result: { rows: [{ minutes: 12 }, { minutes: 25 }] } },
  },
};

const shop: ToolSet = {
  server: 'shop',
  about: 'an online shop back office: products, orders, refunds',
  tools: [
    tool(
      'search_products',
      'Search the product catalogue.',
      {
        query: str('Words to search for'),
        category: str('Product category', { enum: ['books', 'electronics', 'garden', 'toys'] }),
        max_price: { type: 'number', description: 'Highest price in EUR' },
      },
      ['query'],
      true,
    ),
    tool(
      'get_order',
      'Get an order by its id, with items and shipping status.',
      { order_id: str('Order id, e.g. ORD-1001') },
      ['order_id'],
      true,
    ),
    tool(
      'list_orders',
      'List orders, newest first, optionally for one customer or status.',
      {
        customer_email: str('Email address of the customer'),
        status: str('Order status', { enum: ['pending', 'shipped', 'delivered', 'cancelled'] }),
      },
      [],
      true,
    ),
    tool(
      'refund_order',
      'Refund an order, fully or in part.',
      {
        order_id: str('Order id'),
        amount: { type: 'number', description: 'Amount to refund in EUR; default the full total' },
        reason: str('Why the order is refunded'),
      },
      ['order_id'],
    ),
    tool('cancel_order', 'Cancel an order that has not shipped yet.', { order_id: str('Order id') }, ['order_id']),
    tool(
      'update_stock',
      'Set how many units of a product are in stock.',
      { sku: str('Product SKU'), quantity: int('Units in stock', { minimum: 0 }) },
      ['sku', 'quantity'],
    ),
  ],
  data: {
    orders: [
      { order_id: 'ORD-1001', customer_email: 'mia@example.com', status: 'shipped', total: 59.9 },
      { order_id: 'ORD-1002', customer_email: 'raj@example.com', status: 'pending', total: 120 },
    ],
    products: [
      { sku: 'BK-001', name: 'Dune paperback', category: 'books', price: 9.99 },
      { sku: 'EL-310', name: 'USB-C charger', category: 'electronics', price: 24.5 },
    ],
  },
  fakes: {
    search_products: {
      op: 'list',
      collection: 'products',
      text: { arg: 'query', fields: ['name'] },
      filters: { category: { field: 'category' }, max_price: { field: 'price', how: 'lte' } },
      wrap: 'products',
    },
    get_order: { op: 'get', collection: 'orders', match: { order_id: 'order_id' } },
    list_orders: {
      op: 'list',
      collection: 'orders',
      filters: { customer_email: { field: 'customer_email' }, status: { field: 'status' } },
      wrap: 'orders',
    },
    refund_order: {
      op: 'update',
      collection: 'orders',
      match: { order_id: 'order_id' },
      result: { refunded: true, order_id: '{order_id}' },
    },
    cancel_order: {
      op: 'update',
      collection: 'orders',
      match: { order_id: 'order_id' },
      result: { cancelled: true, order_id: '{order_id}' },
    },
    update_stock: { op: 'static', result: { sku: '{sku}', quantity: '{quantity}' } },
  },
};

const chat: ToolSet = {
  server: 'chat',
  about: 'a team chat workspace: channels, messages, users',
  tools: [
    tool('post_message', 'Post a message to a channel.', { channel: str('Channel name, e.g. #general'), text: str('Message text') }, [
      'channel',
      'text',
    ]),
    tool(
      'send_direct_message',
      'Send a private message to one person.',
      { user: str('Username or email of the recipient'), text: str('Message text') },
      ['user', 'text'],
    ),
    tool(
      'search_messages',
      'Search messages across channels.',
      { query: str('Words to look for'), channel: str('Only in this channel'), from_user: str('Only messages from this person') },
      ['query'],
      true,
    ),
    tool(
      'create_channel',
      'Create a new channel.',
      { name: str('Channel name, lowercase, no spaces'), is_private: bool('Make the channel private'), topic: str('Channel topic') },
      ['name'],
    ),
    tool(
      'set_status',
      'Set your own status text and emoji.',
      {
        status_text: str('Status text'),
        emoji: str('Emoji code, e.g. :palm_tree:'),
        expires_in_minutes: int('Clear after this many minutes'),
      },
      ['status_text'],
    ),
  ],
  data: {
    messages: [
      { channel: '#deploys', from_user: 'sam', text: 'Release 2.4 is out' },
      { channel: '#general', from_user: 'ana', text: 'Lunch at noon?' },
    ],
  },
  fakes: {
    post_message: { op: 'static', result: { ok: true, channel: '{channel}', ts: '1700000000.{n}' } },
    send_direct_message: { op: 'static', result: { ok: true, user: '{user}' } },
    search_messages: {
      op: 'list',
      collection: 'messages',
      text: { arg: 'query', fields: ['text'] },
      filters: { channel: { field: 'channel' }, from_user: { field: 'from_user' } },
      wrap: 'messages',
    },
    create_channel: { op: 'static', result: { ok: true, channel: '#{name}' } },
    set_status: { op: 'static', result: { ok: true, status_text: '{status_text}' } },
  },
};

const drive: ToolSet = {
  server: 'drive',
  about: 'a cloud file drive: folders, files, sharing',
  tools: [
    tool(
      'list_files',
      'List the files in a folder.',
      {
        folder: str('Folder path, e.g. /reports'),
        modified_after: str('Only files changed after this date (YYYY-MM-DD)', { format: 'date' }),
      },
      ['folder'],
      true,
    ),
    tool('read_file', 'Read the text content of a file.', { path: str('Full path of the file') }, ['path'], true),
    tool(
      'move_file',
      'Move a file into another folder.',
      { path: str('Full path of the file'), destination_folder: str('Folder to move it into') },
      ['path', 'destination_folder'],
    ),
    tool(
      'delete_file',
      'Delete a file; by default it goes to the trash.',
      { path: str('Full path of the file'), permanent: bool('Delete for good instead of moving to the trash') },
      ['path'],
    ),
    tool(
      'share_file',
      'Share a file with someone by email.',
      {
        path: str('Full path of the file'),
        email: str('Email address to share with'),
        role: str('Access level', { enum: ['viewer', 'commenter', 'editor'] }),
      },
      ['path', 'email'],
    ),
    tool(
      'search_files',
      'Search all files by name and content.',
      { query: str('Words to search for'), file_type: str('Kind of file', { enum: ['document', 'spreadsheet', 'pdf', 'image'] }) },
      ['query'],
      true,
    ),
  ],
  data: {},
  fakes: {
    list_files: { op: 'static', result: { files: [{ path: '/reports/q3.pdf' }] } },
    read_file: { op: 'static', result: { path: '{path}', text: 'Hello' } },
    move_file: { op: 'static', result: { moved: true, path: '{path}' } },
    delete_file: { op: 'static', result: { deleted: true, path: '{path}' } },
    share_file: { op: 'static', result: { shared: true, email: '{email}' } },
    search_files: { op: 'static', result: { files: [{ path: '/docs/merger.pdf' }] } },
  },
};

/** The dev-unseen tool sets. */
export const DEV_UNSEEN_SETS: readonly ToolSet[] = [
  git,
  sheets,
  music,
  maps,
  shop,
  chat,
  drive,
  ...BATCH4_SETS,
  ...BATCH5_SETS,
  ...BATCH6_SETS,
];

const { one } = numberedCases(0);

const ALL = ['git', 'sheets', 'music', 'maps', 'shop', 'chat'];
const G = ['git', 'chat', 'sheets'];
const S = ['sheets', 'git', 'shop'];
const M = ['music', 'maps', 'chat'];
const P = ['maps', 'shop', 'music'];
const O = ['shop', 'sheets', 'chat'];
const C = ['chat', 'git', 'music'];
const D = ['drive', 'sheets', 'chat'];

/** Requests written before the planner was run on them. */
const CASES: EvalCase[] = [
  // git
  one(G, 'single', 'terse', 'list branches of acme/web', calls({ tool: 'git__list_branches', args: { repo: 'acme/web' } })),
  one(
    G,
    'single',
    'plain',
    'Create a branch called hotfix/header in acme/web',
    calls({ tool: 'git__create_branch', args: { repo: 'acme/web', branch: 'hotfix/header' } }),
  ),
  one(
    G,
    'single',
    'question',
    'What are the last 5 commits on acme/web?',
    calls({ tool: 'git__list_commits', args: { repo: 'acme/web', limit: 5 } }),
  ),
  one(
    G,
    'single',
    'plain',
    "Show me dana's commits in acme/web",
    calls({ tool: 'git__list_commits', args: { repo: 'acme/web', author: 'dana' } }),
  ),
  one(
    G,
    'single',
    'plain',
    'Open a draft pull request in acme/web titled "Add dark mode" from branch feature/dark-mode',
    calls({ tool: 'git__create_pull_request', args: { repo: 'acme/web', title: 'Add dark mode', head: 'feature/dark-mode', draft: true } }),
  ),
  one(
    G,
    'single',
    'terse',
    'squash merge PR 42 in acme/web',
    calls({ tool: 'git__merge_pull_request', args: { repo: 'acme/web', number: 42, method: 'squash' } }),
  ),
  one(ALL, 'clarify', 'plain', 'Merge the pull request please', { kind: 'clarify' }),
  // sheets
  one(
    S,
    'single',
    'plain',
    'Create a spreadsheet named "2027 hiring plan"',
    calls({ tool: 'sheets__create_spreadsheet', args: { title: '2027 hiring plan' } }),
  ),
  one(
    S,
    'single',
    'plain',
    'Read cells A1:B10 of spreadsheet sh_100',
    calls({ tool: 'sheets__read_range', args: { spreadsheet_id: 'sh_100', range: { includes: ['A1:B10'] } } }),
  ),
  one(
    S,
    'single',
    'terse',
    'add a tab called Forecast to sh_101',
    calls({ tool: 'sheets__add_sheet', args: { spreadsheet_id: 'sh_101', name: 'Forecast' } }),
  ),
  one(
    S,
    'single',
    'question',
    'Do we have a spreadsheet about the budget?',
    calls({ tool: 'sheets__find_spreadsheets', args: { query: { includes: ['budget'], excludes: ['we', 'have', 'spreadsheet'] } } }),
  ),
  one(
    S,
    'chain',
    'plain',
    'Find the roster spreadsheet and read A1:D20 from it',
    calls(
      { tool: 'sheets__find_spreadsheets', args: { query: { includes: ['roster'] } } },
      { tool: 'sheets__read_range', args: { spreadsheet_id: 'sh_101', range: { includes: ['A1:D20'] } } },
    ),
  ),
  // music
  one(
    M,
    'single',
    'terse',
    'search songs by Coldplay',
    calls({ tool: 'music__search_tracks', args: { query: { includes: ['coldplay'], excludes: ['songs'] } } }),
  ),
  one(M, 'single', 'casual', 'pause the music', calls({ tool: 'music__pause' })),
  one(M, 'single', 'plain', 'Set the volume to 30%', calls({ tool: 'music__set_volume', args: { volume_percent: 30 } })),
  one(
    M,
    'single',
    'plain',
    'Turn the volume on the Kitchen speaker down to 15',
    calls({ tool: 'music__set_volume', args: { volume_percent: 15, device: { includes: ['kitchen'] } } }),
  ),
  one(
    M,
    'single',
    'plain',
    'Make a private playlist called Road Trip',
    calls({ tool: 'music__create_playlist', args: { name: 'Road Trip', public: { optional: true, equals: false } } }),
  ),
  one(
    M,
    'chain',
    'plain',
    'Find Clair de Lune and play it on the Living room speaker',
    calls(
      { tool: 'music__search_tracks', args: { query: { includes: ['clair de lune'] } } },
      { tool: 'music__play', args: { track_id: 'trk_1', device: { includes: ['living room'] } } },
    ),
  ),
  one(
    M,
    'single',
    'plain',
    'Add track trk_2 and trk_3 to playlist pl_1',
    calls({ tool: 'music__add_to_playlist', args: { playlist_id: 'pl_1', track_ids: ['trk_2', 'trk_3'] } }),
  ),
  // maps
  one(
    P,
    'single',
    'question',
    'How do I get from the Louvre to the Eiffel Tower by bike?',
    calls({
      tool: 'maps__get_directions',
      args: { origin: { includes: ['louvre'] }, destination: { includes: ['eiffel tower'] }, mode: 'bicycling' },
    }),
  ),
  one(
    P,
    'single',
    'plain',
    'Driving directions from Lyon to Geneva avoiding tolls',
    calls({
      tool: 'maps__get_directions',
      args: { origin: 'Lyon', destination: 'Geneva', mode: { optional: true, equals: 'driving' }, avoid_tolls: true },
    }),
  ),
  one(
    P,
    'single',
    'plain',
    'Find sushi restaurants near Rue Cler that are open now',
    calls({ tool: 'maps__search_places', args: { query: { includes: ['sushi'] }, near: { includes: ['rue cler'] }, open_now: true } }),
  ),
  one(
    P,
    'single',
    'terse',
    'geocode 221B Baker Street, London',
    calls({ tool: 'maps__geocode', args: { address: { includes: ['221B Baker Street'] } } }),
  ),
  one(
    P,
    'single',
    'question',
    'What are the coordinates of 10 Downing Street?',
    calls({ tool: 'maps__geocode', args: { address: { includes: ['10 Downing Street'] } } }),
  ),
  // shop
  one(O, 'single', 'question', "What's the status of order ORD-1001?", calls({ tool: 'shop__get_order', args: { order_id: 'ORD-1001' } })),
  one(
    O,
    'single',
    'plain',
    'Refund order ORD-1002 because the parcel arrived damaged',
    calls({ tool: 'shop__refund_order', args: { order_id: 'ORD-1002', reason: { includes: ['damaged'] } } }),
  ),
  one(O, 'single', 'plain', 'Refund 20 EUR on ORD-1001', calls({ tool: 'shop__refund_order', args: { order_id: 'ORD-1001', amount: 20 } })),
  one(O, 'single', 'terse', 'cancel ORD-1002', calls({ tool: 'shop__cancel_order', args: { order_id: 'ORD-1002' } })),
  one(
    O,
    'single',
    'plain',
    'Show all orders from mia@example.com',
    calls({ tool: 'shop__list_orders', args: { customer_email: 'mia@example.com' } }),
  ),
  one(O, 'single', 'question', 'Which orders are still pending?', calls({ tool: 'shop__list_orders', args: { status: 'pending' } })),
  one(
    O,
    'single',
    'plain',
    'Search electronics under 30 euros for a charger',
    calls({ tool: 'shop__search_products', args: { query: { includes: ['charger'] }, category: 'electronics', max_price: 30 } }),
  ),
  one(
    O,
    'single',
    'plain',
    'Set stock for SKU BK-001 to 40 units',
    calls({ tool: 'shop__update_stock', args: { sku: 'BK-001', quantity: 40 } }),
  ),
  // chat
  one(
    C,
    'single',
    'plain',
    'Post "Deploy starts at 5pm" in #deploys',
    calls({ tool: 'chat__post_message', args: { channel: { includes: ['deploys'] }, text: 'Deploy starts at 5pm' } }),
  ),
  one(
    C,
    'single',
    'plain',
    'Send a DM to ana saying the review is done',
    calls({ tool: 'chat__send_direct_message', args: { user: 'ana', text: { includes: ['review is done'] } } }),
  ),
  one(
    C,
    'single',
    'question',
    'Has anyone mentioned the release in #deploys?',
    calls({
      tool: 'chat__search_messages',
      args: { query: { includes: ['release'], excludes: ['anyone', 'mentioned'] }, channel: { optional: true, includes: ['deploys'] } },
    }),
  ),
  one(
    C,
    'single',
    'plain',
    'Create a private channel called design-review',
    calls({ tool: 'chat__create_channel', args: { name: 'design-review', is_private: true } }),
  ),
  one(
    C,
    'single',
    'casual',
    "set my status to 'on vacation' with :palm_tree:",
    calls({ tool: 'chat__set_status', args: { status_text: { includes: ['vacation'] }, emoji: ':palm_tree:' } }),
  ),
  // compound, refusals
  one(
    ['chat', 'git', 'shop'],
    'compound',
    'plain',
    'Create branch release/2.5 in acme/web and post "release branch is ready" in #deploys',
    calls(
      { tool: 'git__create_branch', args: { repo: 'acme/web', branch: 'release/2.5' } },
      { tool: 'chat__post_message', args: { channel: { includes: ['deploys'] }, text: { includes: ['release branch is ready'] } } },
    ),
  ),
  one(
    ['music', 'chat', 'maps'],
    'compound',
    'casual',
    'pause the music and set my status to "in a meeting"',
    calls({ tool: 'music__pause' }, { tool: 'chat__set_status', args: { status_text: { includes: ['in a meeting'] } } }),
  ),
  one(['shop', 'maps', 'music'], 'refuse', 'plain', 'Book me a flight to Tokyo next Tuesday', { kind: 'refuse' }),
  one(['git', 'sheets', 'chat'], 'refuse', 'question', "What's the weather in Oslo tomorrow?", { kind: 'refuse' }),
  // Second batch, written after the first round of tuning and before running them.
  one(
    S,
    'single',
    'casual',
    'can u check whats in B2:B9 on sh_100',
    calls({ tool: 'sheets__read_range', args: { spreadsheet_id: 'sh_100', range: { includes: ['B2:B9'] } } }),
  ),
  one(
    O,
    'single',
    'email',
    'Hi team, could you please refund ORD-1001? The customer changed their mind. Thanks, Mia',
    calls({ tool: 'shop__refund_order', args: { order_id: 'ORD-1001' } }),
  ),
  one(
    O,
    'compound',
    'list',
    '- cancel ORD-1002\n- set stock of EL-310 to 0',
    calls(
      { tool: 'shop__cancel_order', args: { order_id: 'ORD-1002' } },
      { tool: 'shop__update_stock', args: { sku: 'EL-310', quantity: 0 } },
    ),
  ),
  one(
    G,
    'single',
    'question',
    'Who committed most recently to acme/web?',
    calls({ tool: 'git__list_commits', args: { repo: 'acme/web' } }),
  ),
  one(
    P,
    'single',
    'terse',
    'walking directions from Gare du Nord to the Louvre',
    calls({
      tool: 'maps__get_directions',
      args: { origin: { includes: ['gare du nord'] }, destination: { includes: ['louvre'] }, mode: 'walking' },
    }),
  ),
  one(
    C,
    'single',
    'plain',
    'Create a channel named release-train with the topic "Weekly release coordination"',
    calls({ tool: 'chat__create_channel', args: { name: 'release-train', topic: { includes: ['weekly release coordination'] } } }),
  ),
  // Third batch (a new drive set and new wording over the others), written before running them.
  one(
    D,
    'single',
    'plain',
    'Share /reports/q3.pdf with raj@example.com as an editor',
    calls({ tool: 'drive__share_file', args: { path: '/reports/q3.pdf', email: 'raj@example.com', role: 'editor' } }),
  ),
  one(
    D,
    'single',
    'terse',
    'move /inbox/invoice.pdf to /archive',
    calls({ tool: 'drive__move_file', args: { path: '/inbox/invoice.pdf', destination_folder: '/archive' } }),
  ),
  one(D, 'single', 'question', 'What files are in /reports?', calls({ tool: 'drive__list_files', args: { folder: '/reports' } })),
  one(
    D,
    'single',
    'plain',
    'Permanently delete /tmp/old-notes.txt',
    calls({ tool: 'drive__delete_file', args: { path: '/tmp/old-notes.txt', permanent: true } }),
  ),
  one(
    D,
    'single',
    'plain',
    'Look for PDFs about the merger',
    calls({ tool: 'drive__search_files', args: { query: { includes: ['merger'], excludes: ['pdfs'] }, file_type: 'pdf' } }),
  ),
  one(
    D,
    'single',
    'question',
    'Which files in /reports changed after 2026-11-01?',
    calls({ tool: 'drive__list_files', args: { folder: '/reports', modified_after: '2026-11-01' } }),
  ),
  one(
    G,
    'single',
    'casual',
    'pls open a PR in acme/api from fix/typo called "Fix typo in README"',
    calls({ tool: 'git__create_pull_request', args: { repo: 'acme/api', head: 'fix/typo', title: 'Fix typo in README' } }),
  ),
  one(
    M,
    'single',
    'plain',
    'Play playlist pl_1 on the Bedroom speaker',
    calls({ tool: 'music__play', args: { playlist_id: 'pl_1', device: { includes: ['bedroom'] } } }),
  ),
  one(
    P,
    'single',
    'question',
    'How long does it take to drive from Lyon to Paris?',
    calls({ tool: 'maps__get_directions', args: { origin: 'Lyon', destination: 'Paris', mode: { optional: true, equals: 'driving' } } }),
  ),
  one(
    O,
    'single',
    'plain',
    'List the delivered orders for raj@example.com',
    calls({ tool: 'shop__list_orders', args: { customer_email: 'raj@example.com', status: 'delivered' } }),
  ),
  one(
    C,
    'single',
    'plain',
    'Search #general for messages from ana about lunch',
    calls({
      tool: 'chat__search_messages',
      args: { query: { includes: ['lunch'], excludes: ['messages'] }, channel: { includes: ['general'] }, from_user: 'ana' },
    }),
  ),
  one(
    S,
    'single',
    'plain',
    'Create a spreadsheet called Vendors in the Finance folder',
    calls({ tool: 'sheets__create_spreadsheet', args: { title: 'Vendors', folder: { includes: ['finance'] } } }),
  ),
  one(['drive', 'chat', 'music'], 'refuse', 'plain', 'Translate this paragraph into German for me', { kind: 'refuse' }),
  // Fourth batch: tracker, payments and cluster sets (plannerEvalDevUnseenBatch4.ts).
  ...BATCH4_CASES,
  // Fifth batch: workspace and home sets (plannerEvalDevUnseenBatch5.ts).
  ...BATCH5_CASES,
  // Sixth batch: travel, people and monitor sets (plannerEvalDevUnseenBatch6.ts).
  ...BATCH6_CASES,
];

/** The dev-unseen cases as a case file (tunable, not frozen). */
export const DEV_UNSEEN_CASES: CaseFile = { part: 'dev', frozen: false, cases: CASES };

/** The part's table: passed / total, and each failure with its reasons. */
export function formatDevUnseen(results: readonly CaseResult[], fails = Infinity): string {
  const passed = results.filter((r) => r.passed).length;
  const pct = results.length ? Math.round((1000 * passed) / results.length) / 10 : 0;
  const lines = [`dev-unseen (tunable, ${DEV_UNSEEN_SETS.length} sets): ${passed}/${results.length} = ${pct}%`];
  for (const r of results.filter((x) => !x.passed).slice(0, fails)) {
    const request = CASES.find((c) => c.id === r.id)?.turns.at(-1)?.user ?? '';
    lines.push(`  ${r.id} ${JSON.stringify(request)}: ${r.reasons.join('; ')}`);
  }
  return lines.join('\n');
}
