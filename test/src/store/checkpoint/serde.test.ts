import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { DeltaSnapshot, JsonPlusSerializer } from '@langchain/langgraph-checkpoint';
import { Send } from '@langchain/langgraph';
import { MessageCachingSerializer } from '../../../../src/store/checkpoint/serde.ts';

const thread = (): BaseMessage[] => [
  new SystemMessage('You are Switchboard.'),
  new HumanMessage({ content: 'Créer un incident — 🚨 "quoted" \\ back\nslash', id: 'h1' }),
  new AIMessage({
    content: '',
    tool_calls: [{ id: 'c1', name: 'incident__create_incident', args: { summary: 'VPN down', urgency: 1 }, type: 'tool_call' }],
    usage_metadata: { input_tokens: 10, output_tokens: 3, total_tokens: 13 },
  }),
  new ToolMessage({ tool_call_id: 'c1', name: 'incident__create_incident', content: '{"number":"INC0010001"}', status: 'success' }),
  new AIMessage({ content: [{ type: 'text', text: 'Created INC0010001.' }], id: 'a2', response_metadata: { model: 'offline' } }),
];

describe('MessageCachingSerializer', () => {
  const plain = new JsonPlusSerializer();

  test('writes exactly the bytes of JsonPlusSerializer, for lists, single messages and other values', async () => {
    const caching = new MessageCachingSerializer();
    const messages = thread();
    const values: unknown[] = [messages, messages[3], messages.slice(1, 3), [], { messages }, [messages[0], 'not a message'], 7];
    for (const value of values) {
      for (let round = 0; round < 2; round++) assert.deepEqual(await caching.dumpsTyped(value), await plain.dumpsTyped(value));
    }
  });

  test('writes the bytes of JsonPlusSerializer for the values its replacer rewrites, and for cycles and BigInts', async () => {
    const caching = new MessageCachingSerializer();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const values: unknown[] = [
      undefined,
      { missing: undefined, list: [undefined, null, 1] },
      new Set([1, 'two']),
      new Map([['k', { v: 1 }]]),
      /a+b/gi,
      new TypeError('bad input'),
      new Send('tools', { call: { id: 'c1' } }),
      new Uint8Array([1, 2, 255]),
      new DeltaSnapshot(thread()),
      { nested: [new Set([new Map([['deep', /x/]])])], when: new Date(0) },
      cyclic,
      { big: 10n },
      'text',
      null,
    ];
    for (const value of values) assert.deepEqual(await caching.dumpsTyped(value), await plain.dumpsTyped(value), String(value));
  });

  test('encodes a message again when a field was reassigned after it was encoded (the reducer giving it an id)', async () => {
    const caching = new MessageCachingSerializer();
    const messages = thread();
    await caching.dumpsTyped(messages);
    const tool = messages[3]!;
    tool.id = 'assigned';
    tool.lc_kwargs.id = 'assigned';
    messages[1]!.content = 'edited';
    const [, bytes] = await caching.dumpsTyped(messages);
    assert.deepEqual(bytes, (await plain.dumpsTyped(messages))[1]);
    const text = new TextDecoder().decode(bytes);
    assert.ok(text.includes('"id":"assigned"') && text.includes('"content":"edited"'), text);
  });

  test('what it writes loads back as the same messages', async () => {
    const caching = new MessageCachingSerializer();
    const messages = thread();
    const [type, bytes] = await caching.dumpsTyped(messages);
    const loaded = (await caching.loadsTyped(type, bytes)) as BaseMessage[];
    assert.deepEqual(
      loaded.map((m) => [m.getType(), m.content, m.id]),
      messages.map((m) => [m.getType(), m.content, m.id]),
    );
  });
});
