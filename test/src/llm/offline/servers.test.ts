import assert from 'node:assert/strict';
import { HumanMessage } from '@langchain/core/messages';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { decide } from '../../../../src/llm/offline/planner.ts';
import { describeProps, examplePattern } from '../../../../src/llm/offline/schema.ts';
import { ToolIndex, toToolSpec, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

// Tool sets shaped like real MCP servers (issue 8): snake_case verbs, ids, examples in descriptions.
const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[] = []): FunctionTool => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required } },
});
const str = (description: string) => ({ type: 'string', description });

const shop = [
  fn('shop__get_order', 'Get an order by its id.', { order_id: str('Order id, e.g. ORD-1001') }, ['order_id']),
  fn('shop__list_orders', 'List orders, newest first.', { customer_email: str('Email address of the customer') }),
  fn('shop__refund_order', 'Refund an order.', { order_id: str('Order id'), reason: str('Why the order is refunded') }, ['order_id']),
  fn('shop__cancel_order', 'Cancel an order that has not shipped yet.', { order_id: str('Order id') }, ['order_id']),
  fn('shop__update_stock', 'Set how many units of a product are in stock.', { sku: str('Product SKU'), quantity: { type: 'integer' } }, [
    'sku',
    'quantity',
  ]),
];
const chat = [
  fn('chat__post_message', 'Post a message to a channel.', { channel: str('Channel name, e.g. #general'), text: str('Message text') }, [
    'channel',
    'text',
  ]),
  fn('chat__set_status', 'Set your own status.', { status_text: str('Status text'), emoji: str('Emoji code, e.g. :palm_tree:') }, [
    'status_text',
  ]),
];
const music = [
  fn('music__play', 'Start playing a track on a device.', {
    track_id: str('Track to play'),
    device: str('Device name, e.g. Kitchen speaker'),
  }),
  fn('music__set_volume', 'Set the playback volume of a device.', { volume_percent: { type: 'integer' }, device: str('Device name') }, [
    'volume_percent',
  ]),
  fn(
    'music__add_to_playlist',
    'Add tracks to a playlist.',
    { playlist_id: str('Playlist id'), track_ids: { type: 'array', items: { type: 'string' }, description: 'Tracks to add' } },
    ['playlist_id', 'track_ids'],
  ),
  fn('music__search_tracks', 'Search the catalogue for songs by title or artist.', { query: str('What to search for') }, ['query']),
];

const callsFor = (request: string, tools: readonly FunctionTool[]) => {
  const decision = decide([new HumanMessage(request)], new ToolIndex(tools), NOW);
  return decision.kind === 'calls' ? decision.calls.map((call) => ({ name: call.name, args: call.args })) : decision.text;
};

describe('values shaped like a description example', () => {
  test('a code-like example gives a pattern; plain words, numbers and dates give none', () => {
    assert.ok(new RegExp(examplePattern('Order id, e.g. ORD-1001')!, 'iu').test('ORD-2002'));
    assert.ok(new RegExp(examplePattern('Channel name, e.g. #general')!, 'iu').test('#design-review'));
    assert.equal(examplePattern('Device name, e.g. Kitchen speaker'), undefined);
    assert.equal(examplePattern('The date, e.g. 2023-01-01'), undefined);
    assert.equal(examplePattern('Ticker symbol, e.g. AAPL'), undefined);
  });

  test('a guessed pattern fills the property but does not vouch for the tool as a stated one does', () => {
    const [guessed] = describeProps({ type: 'object', properties: { channel: str('Channel name, e.g. #general') } });
    const [stated] = describeProps({ type: 'object', properties: { channel: { type: 'string', pattern: '^#[a-z-]+$' } } });
    assert.equal(guessed?.patternGuessed, true);
    assert.equal(stated?.patternGuessed, false);
  });

  test('a channel and an emoji come out of a message by their shapes', () => {
    assert.deepEqual(callsFor('Post "Deploy starts at 5pm" in #deploys', chat), [
      { name: 'chat__post_message', args: { channel: '#deploys', text: 'Deploy starts at 5pm' } },
    ]);
    assert.deepEqual(callsFor("set my status to 'on vacation' with :palm_tree:", chat), [
      { name: 'chat__set_status', args: { status_text: 'on vacation', emoji: ':palm_tree:' } },
    ]);
  });

  test("a server's example holds for its other tools' same-named properties", () => {
    const index = new ToolIndex(shop);
    const refund = index.tools.find((tool) => tool.name === 'shop__refund_order')!;
    assert.ok(refund.props.find((prop) => prop.name === 'order_id')?.pattern?.test('ORD-1002'));
    const volume = new ToolIndex(music).tools.find((tool) => tool.name === 'music__set_volume')!;
    assert.equal(fillArguments('Turn the volume on the Kitchen speaker down to 15', volume, NOW).args.device, 'Kitchen speaker');
  });
});

describe('tools of one server told apart', () => {
  test('the verb a name leads with picks its tool from the others its synonym group folds together', () => {
    assert.deepEqual(callsFor('cancel ORD-1002', shop), [{ name: 'shop__cancel_order', args: { order_id: 'ORD-1002' } }]);
  });

  test('"all orders" asks the tool that lists them, not the one that gets one by id', () => {
    assert.deepEqual(callsFor('Show all orders from mia@example.com', shop), [
      { name: 'shop__list_orders', args: { customer_email: 'mia@example.com' } },
    ]);
  });

  test('a reason comes from the clause that gives a cause', () => {
    assert.deepEqual(callsFor('Refund order ORD-1002 because the parcel arrived damaged', shop), [
      { name: 'shop__refund_order', args: { order_id: 'ORD-1002', reason: 'the parcel arrived damaged' } },
    ]);
  });

  test('lower-case prefixed ids go to the property whose noun their prefix abbreviates', () => {
    assert.deepEqual(callsFor('Add track trk_2 and trk_3 to playlist pl_1', music), [
      { name: 'music__add_to_playlist', args: { playlist_id: 'pl_1', track_ids: ['trk_2', 'trk_3'] } },
    ]);
  });

  test('a search query drops the noun the tool searches for', () => {
    const search = toToolSpec(music[3]!);
    assert.equal(fillArguments('search songs by Coldplay', search, NOW).args.query, 'Coldplay');
  });
});
