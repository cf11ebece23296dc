import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import { z } from 'zod';
import { defineAgent, defineTool, type AgentDefinition } from '../../../src/mcp/index.ts';

interface Gate {
  /** Resolves when the first call waits at the gate. */
  readonly started: Promise<void>;
  markStarted: () => void;
  readonly opened: Promise<void>;
  open: () => void;
  calls: number;
  /** Resolves once `n` calls have reached the gate. */
  called(n: number): Promise<void>;
  waiters: { n: number; resolve: () => void }[];
}

/**
 * A test agent whose `wait_for(label)` blocks until the test opens that label's gate (or the
 * call is cancelled): runs stay in flight exactly as long as a test wants, without sleeps.
 * `remove(item)` is destructive, so runs pause for approval before it.
 */
export function createGateAgent(): {
  agent: AgentDefinition;
  gate: (label: string) => Gate;
  open: (label: string) => void;
  removed: string[];
} {
  const gates = new Map<string, Gate>();
  const removed: string[] = [];
  const gate = (label: string): Gate => {
    let g = gates.get(label);
    if (!g) {
      let markStarted!: () => void;
      let open!: () => void;
      const started = new Promise<void>((resolve) => (markStarted = resolve));
      const opened = new Promise<void>((resolve) => (open = resolve));
      const waiters: Gate['waiters'] = [];
      g = {
        started,
        markStarted,
        opened,
        open,
        calls: 0,
        waiters,
        called(n) {
          return this.calls >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
        },
      };
      gates.set(label, g);
    }
    return g;
  };
  const agent = defineAgent({
    name: 'test',
    version: '1.0.0',
    instructions: 'A test agent.',
    tools: [
      defineTool({
        name: 'wait_for',
        title: 'Wait for a gate',
        description: 'Waits until the test opens the gate named label.',
        input: z.object({ label: z.string() }),
        output: z.object({ label: z.string(), cancelled: z.boolean() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        handler: async ({ label }, context) => {
          const g = gate(label);
          g.calls++;
          g.markStarted();
          for (const waiter of g.waiters.filter((w) => w.n <= g.calls)) waiter.resolve();
          await context.progress(0, 1, `waiting for ${label}`);
          const cancelled = await Promise.race([
            g.opened.then(() => false),
            new Promise<boolean>((resolve) => context.signal.addEventListener('abort', () => resolve(true), { once: true })),
          ]);
          return { structured: { label, cancelled }, text: `${label} ${cancelled ? 'cancelled' : 'opened'}` };
        },
      }),
      defineTool({
        name: 'remove',
        title: 'Remove an item',
        description: 'Removes an item for good.',
        input: z.object({ item: z.string() }),
        output: z.object({ removed: z.string() }),
        annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
        handler: async ({ item }) => {
          removed.push(item);
          return { structured: { removed: item }, text: `removed ${item}` };
        },
      }),
    ],
  });
  return { agent, gate, open: (label) => gate(label).open(), removed };
}

type Call = { id: string; name: string; args: Record<string, unknown> };

/** What the test model does with the conversation: call tools for the last request, or answer. */
function decide(messages: BaseMessage[]): { calls: Call[] } | { text: string } {
  const lastHuman = messages.map((m) => m.getType()).lastIndexOf('human');
  const request = String(messages[lastHuman]?.content ?? '');
  const since = messages.slice(lastHuman + 1);
  if (since.some((m) => m.getType() === 'tool')) {
    return {
      text: `done: ${since
        .filter((m) => m.getType() === 'tool')
        .map((m) => String(m.content))
        .join('; ')}`,
    };
  }
  const wait = /^wait (\S+)/.exec(request);
  if (wait) return { calls: [{ id: `call_wait_${wait[1]}`, name: 'test__wait_for', args: { label: wait[1] } }] };
  const remove = /^remove (\S+)/.exec(request);
  if (remove) return { calls: [{ id: `call_remove_${remove[1]}`, name: 'test__remove', args: { item: remove[1] } }] };
  return { text: `you said: ${request}` };
}

/**
 * A chat model for service tests that streams its answers word by word (so runs emit `token`
 * events): "wait <label>" calls test__wait_for, "remove <item>" calls test__remove, anything
 * else is echoed; after tool results it answers "done: ...".
 */
export class GateModel extends BaseChatModel {
  _llmType(): string {
    return 'gate-test';
  }

  override bindTools(): GateModel {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const decision = decide(messages);
    const message =
      'calls' in decision
        ? new AIMessage({ content: '', tool_calls: decision.calls.map((c) => ({ ...c, type: 'tool_call' as const })) })
        : new AIMessage(decision.text);
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }

  override async *_streamResponseChunks(messages: BaseMessage[]): AsyncGenerator<ChatGenerationChunk> {
    const decision = decide(messages);
    if ('calls' in decision) {
      const chunks = decision.calls.map((c, index) => ({
        id: c.id,
        name: c.name,
        args: JSON.stringify(c.args),
        index,
        type: 'tool_call_chunk' as const,
      }));
      yield new ChatGenerationChunk({ message: new AIMessageChunk({ content: '', tool_call_chunks: chunks }), text: '' });
      return;
    }
    const words = decision.text.split(/(?<= )/);
    for (const word of words) yield new ChatGenerationChunk({ message: new AIMessageChunk({ content: word }), text: word });
  }
}
