import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { Command, MemorySaver } from '@langchain/langgraph';
import { z } from 'zod';
import { createReactGraph, type ApprovalInterrupt, type RunEvent } from '../../../src/agent/index.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';

const annotated = (annotations: Record<string, boolean>) => ({ annotations });

function toolResults(messages: BaseMessage[]): string[] {
  return messages.filter((m): m is ToolMessage => m instanceof ToolMessage).map((m) => String(m.content));
}

describe('the ReAct graph', () => {
  test('runs independent tool calls of one turn in parallel', async () => {
    // Each tool waits until the other has started: sequential execution would never finish.
    let startA!: () => void;
    let startB!: () => void;
    const aStarted = new Promise<void>((r) => (startA = r));
    const bStarted = new Promise<void>((r) => (startB = r));
    const guard = (p: Promise<void>) =>
      Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('ran sequentially')), 5000).unref())]);
    const a = tool(async () => (startA(), await guard(bStarted), 'A done'), {
      name: 'a',
      description: 'a',
      schema: z.object({}),
      metadata: annotated({ readOnlyHint: true }),
    });
    const b = tool(async () => (startB(), await guard(aStarted), 'B done'), {
      name: 'b',
      description: 'b',
      schema: z.object({}),
      metadata: annotated({ readOnlyHint: true }),
    });
    const model = new ScriptedChatModel(
      callThenAnswer(
        [
          { name: 'a', args: {} },
          { name: 'b', args: {} },
        ],
        (m) => toolResults(m).join(' + '),
      ),
    );
    const graph = createReactGraph({ model, tools: () => [a, b], instructions: 'test' });
    const result = await graph.invoke({ messages: [new HumanMessage('do a and b')] });
    assert.equal(String(result.messages.at(-1)!.content), 'A done + B done');
    assert.deepEqual(model.seen[0]!.tools, ['a', 'b'], 'the model saw the tools');
    assert.equal(model.seen[0]!.messages[0]!.getType(), 'system');
  });

  test('a tool error reaches the model as a tool message and the run goes on', async () => {
    const broken = tool(
      async () => {
        throw new Error('database unreachable');
      },
      { name: 'broken', description: 'x', schema: z.object({}), metadata: annotated({ readOnlyHint: true }) },
    );
    const model = new ScriptedChatModel(
      callThenAnswer(
        [
          { name: 'broken', args: {} },
          { name: 'missing', args: {} },
        ],
        (m) => toolResults(m).join(' | '),
      ),
    );
    const events: RunEvent[] = [];
    const graph = createReactGraph({ model, tools: () => [broken], instructions: 'test' });
    for await (const chunk of await graph.stream({ messages: [new HumanMessage('try')] }, { streamMode: 'custom' }))
      events.push(chunk as RunEvent);
    const answer = model.seen.at(-1)!.messages;
    const results = toolResults(answer);
    assert.match(results[0]!, /Error: database unreachable/);
    assert.match(results[1]!, /no tool named "missing".*Available tools: broken/);
    const ends = events.filter((e) => e.type === 'tool_end');
    assert.deepEqual(
      ends.map((e) => (e.type === 'tool_end' ? e.ok : undefined)),
      [false, false],
    );
  });

  test('asks for approval before a destructive or unannotated tool, and runs it only if approved', async () => {
    let deleted = 0;
    const destroy = tool(async () => (deleted++, 'deleted'), {
      name: 'destroy',
      description: 'x',
      schema: z.object({ id: z.string() }),
      metadata: annotated({ readOnlyHint: false, destructiveHint: true }),
    });
    const unannotated = tool(async () => 'ran', { name: 'mystery', description: 'x', schema: z.object({}) });
    const additive = tool(async () => 'created', {
      name: 'create',
      description: 'x',
      schema: z.object({}),
      metadata: annotated({ readOnlyHint: false, destructiveHint: false }),
    });
    const model = new ScriptedChatModel(
      callThenAnswer(
        [
          { name: 'destroy', args: { id: '1' }, id: 'c1' },
          { name: 'mystery', args: {}, id: 'c2' },
          { name: 'create', args: {}, id: 'c3' },
        ],
        (m) => toolResults(m).join(' | '),
      ),
    );
    const graph = createReactGraph({
      model,
      tools: () => [destroy, unannotated, additive],
      instructions: 'test',
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: 't1' } };
    const paused = await graph.invoke({ messages: [new HumanMessage('go')] }, config);
    const interrupts = (paused as { __interrupt__?: { value: ApprovalInterrupt }[] }).__interrupt__;
    assert.ok(interrupts?.length, 'the run paused');
    assert.deepEqual(
      interrupts[0]!.value.calls.map((c) => c.name),
      ['destroy', 'mystery'],
      'create is additive: no approval',
    );
    assert.equal(deleted, 0, 'nothing ran before the decision');
    const done = await graph.invoke(new Command({ resume: { c1: { approve: true, edit: { id: '2' } }, c2: { approve: false } } }), config);
    assert.equal(deleted, 1);
    const results = toolResults(done.messages);
    assert.equal(results[0], 'deleted');
    assert.match(results[1]!, /Not run: the user declined/);
    assert.equal(results[2], 'created');
  });

  test('a destructive call without an id (some models omit it) still waits for approval, and a refusal holds', async () => {
    let deleted = 0;
    const destroy = tool(async () => (deleted++, 'deleted'), {
      name: 'destroy',
      description: 'x',
      schema: z.object({}),
      metadata: annotated({ destructiveHint: true }),
    });
    let turn = 0;
    const model = new ScriptedChatModel(() =>
      turn++ === 0 ? new AIMessage({ content: '', tool_calls: [{ name: 'destroy', args: {}, type: 'tool_call' }] }) : new AIMessage('done'),
    );
    const graph = createReactGraph({ model, tools: () => [destroy], instructions: 'test', checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: 'no-id' } };
    const paused = await graph.invoke({ messages: [new HumanMessage('go')] }, config);
    const calls = (paused as { __interrupt__?: { value: ApprovalInterrupt }[] }).__interrupt__?.[0]?.value.calls ?? [];
    assert.equal(calls.length, 1, 'the run paused for approval');
    const done = await graph.invoke(new Command({ resume: { [calls[0]!.id]: { approve: false } } }), config);
    assert.equal(deleted, 0, 'a refused call never runs');
    assert.match(toolResults(done.messages)[0]!, /Not run: the user declined/);
  });

  test('a turn whose calls need no approval runs them without an approval step, and no decision of an earlier turn applies', async () => {
    const destroy = tool(async () => 'deleted', {
      name: 'destroy',
      description: 'x',
      schema: z.object({}),
      metadata: annotated({ destructiveHint: true }),
    });
    const look = tool(async () => 'looked', {
      name: 'look',
      description: 'x',
      schema: z.object({}),
      metadata: annotated({ readOnlyHint: true }),
    });
    // Both turns call their tool "c1", as models that number calls per turn do.
    const model = new ScriptedChatModel((messages) => {
      const last = messages.at(-1)!;
      if (last.getType() !== 'human') return new AIMessage(toolResults(messages).join(' | '));
      const name = String(last.content) === 'delete' ? 'destroy' : 'look';
      return new AIMessage({ content: '', tool_calls: [{ id: 'c1', name, args: {}, type: 'tool_call' }] });
    });
    const graph = createReactGraph({ model, tools: () => [destroy, look], instructions: 'test', checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: 'turns' } };
    await graph.invoke({ messages: [new HumanMessage('delete')] }, config);
    await graph.invoke(new Command({ resume: { c1: { approve: false } } }), config);
    const done = await graph.invoke({ messages: [new HumanMessage('look')] }, config);
    assert.deepEqual(toolResults(done.messages).slice(-1), ['looked'], "the first turn's refusal of c1 does not refuse the second's c1");
    const steps: string[][] = [];
    for await (const snapshot of graph.getStateHistory(config)) steps.unshift([...snapshot.next]);
    assert.equal(steps.filter((next) => next.includes('approve')).length, 1, 'only the destructive turn had an approval step');
  });

  test('autoApprove runs destructive tools without pausing', async () => {
    const destroy = tool(async () => 'deleted', {
      name: 'destroy',
      description: 'x',
      schema: z.object({}),
      metadata: annotated({ destructiveHint: true }),
    });
    const model = new ScriptedChatModel(callThenAnswer([{ name: 'destroy', args: {} }], (m) => toolResults(m).join()));
    const graph = createReactGraph({ model, tools: () => [destroy], instructions: 'test', checkpointer: new MemorySaver() });
    const result = await graph.invoke({ messages: [new HumanMessage('go')] }, { configurable: { thread_id: 't', autoApprove: true } });
    assert.equal(String(result.messages.at(-1)!.content), 'deleted');
  });

  test('the model is bound to the tool list of each turn: a changed list reaches it, the same list is bound once', async () => {
    const make = (name: string) =>
      tool(async () => name, { name, description: 'x', schema: z.object({}), metadata: annotated({ readOnlyHint: true }) });
    const first = [make('first')];
    const second = [make('first'), make('second')];
    const model = new ScriptedChatModel(
      (_messages, tools) =>
        new AIMessage({
          content: '',
          tool_calls: [{ id: `c${tools.length}`, name: 'first', args: {}, type: 'tool_call' }],
        }),
    );
    let binds = 0;
    const bindTools = model.bindTools.bind(model);
    model.bindTools = (tools) => (binds++, bindTools(tools));
    const graph = createReactGraph({ model, tools: () => (model.seen.length < 2 ? first : second), instructions: 'test', maxSteps: 3 });
    await graph.invoke({ messages: [new HumanMessage('go')] });
    assert.deepEqual(
      model.seen.map((turn) => turn.tools),
      [['first'], ['first'], ['first', 'second']],
    );
    assert.equal(binds, 2);
  });

  test('stops at the step limit with a message saying so', async () => {
    const again = tool(async () => 'again', {
      name: 'again',
      description: 'x',
      schema: z.object({}),
      metadata: annotated({ readOnlyHint: true }),
    });
    let n = 0;
    const model = new ScriptedChatModel(
      () => new AIMessage({ content: '', tool_calls: [{ id: `c${n++}`, name: 'again', args: {}, type: 'tool_call' }] }),
    );
    const graph = createReactGraph({ model, tools: () => [again], instructions: 'test', maxSteps: 3 });
    const result = await graph.invoke({ messages: [new HumanMessage('loop forever')] });
    assert.match(String(result.messages.at(-1)!.content), /stopped after 3 steps/);
    assert.equal(model.seen.length, 3);
  });

  test('regression: a run resumed after a stop mid-step re-runs only the unfinished call, with the same idempotency key', async () => {
    // The step's calls are tasks of their own: the finished create is kept as a pending write of
    // the checkpoint; before, the whole step ran again and the create happened twice.
    const keys: string[] = [];
    let creates = 0;
    const create = tool(
      async ({ idempotency_key }: { idempotency_key?: string }) => {
        creates += 1;
        keys.push(`create ${idempotency_key}`);
        return 'INC0010001 created';
      },
      {
        name: 'create',
        description: 'x',
        schema: z.object({ idempotency_key: z.string().optional() }),
        metadata: annotated({ readOnlyHint: false, destructiveHint: false }),
      },
    );
    const controller = new AbortController();
    let createdFirst!: () => void;
    const created = new Promise<void>((resolve) => (createdFirst = resolve));
    let slowCalls = 0;
    const slow = tool(
      async (_args, runConfig) => {
        slowCalls += 1;
        if (slowCalls === 1) {
          createdFirst();
          await new Promise((_, reject) => runConfig.signal?.addEventListener('abort', () => reject(new Error('stopped'))));
        }
        return 'slow done';
      },
      { name: 'slow', description: 'x', schema: z.object({}), metadata: annotated({ readOnlyHint: true }) },
    );
    const model = new ScriptedChatModel(
      callThenAnswer(
        [
          { name: 'create', args: {}, id: 'c1' },
          { name: 'slow', args: {}, id: 'c2' },
        ],
        (m) => toolResults(m).join(' + '),
      ),
    );
    const saver = new MemorySaver();
    const graph = createReactGraph({ model, tools: () => [create, slow], instructions: 'test', checkpointer: saver });
    const config = { configurable: { thread_id: 'thread-1', autoApprove: true } };
    const stopped = graph.invoke({ messages: [new HumanMessage('create and wait')] }, { ...config, signal: controller.signal });
    await created;
    // Stop once the create's result is in the checkpoint (as a pending write), as a crash after it would.
    const saved = async () =>
      ((await saver.getTuple(config))?.pendingWrites ?? []).some(
        ([, channel, value]) => channel === 'messages' && JSON.stringify(value).includes('INC0010001'),
      );
    while (!(await saved())) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('crash'));
    await assert.rejects(stopped);
    const resumed = await graph.invoke(null, config);
    assert.equal(String(resumed.messages.at(-1)!.content), 'INC0010001 created + slow done');
    assert.deepEqual([creates, slowCalls], [1, 2]);
    assert.deepEqual(keys, ['create sb:thread-1:1:c1']);
  });
  test("a tool call's message is saved with its id, so the reducer never changes it after the saver encoded it", async () => {
    const written: { message: BaseMessage; id: string | undefined }[] = [];
    class Recording extends MemorySaver {
      override async putWrites(...args: Parameters<MemorySaver['putWrites']>) {
        const messages = args[1].filter(([channel]) => channel === 'messages').flatMap(([, value]) => value as BaseMessage | BaseMessage[]);
        written.push(...messages.map((message) => ({ message, id: message.id })));
        return super.putWrites(...args);
      }
    }
    const echo = tool(async () => 'echoed', {
      name: 'echo',
      description: 'e',
      schema: z.object({}),
      metadata: annotated({ readOnlyHint: true }),
    });
    const model = new ScriptedChatModel(callThenAnswer([{ name: 'echo', args: {} }], (m) => toolResults(m).join()));
    const graph = createReactGraph({ model, tools: () => [echo], instructions: 'test', checkpointer: new Recording() });
    const result = await graph.invoke({ messages: [new HumanMessage('echo')] }, { configurable: { thread_id: 't' } });
    const saved = written.filter(({ message }) => message instanceof ToolMessage);
    assert.equal(saved.length, 1);
    assert.ok(saved[0]!.id, 'the tool message had its id when it was written');
    assert.equal(result.messages.find((m) => m instanceof ToolMessage)!.id, saved[0]!.id, 'the state keeps the id it was saved with');
  });
});
