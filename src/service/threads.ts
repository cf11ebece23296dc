import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { Orchestrator } from '../orchestrator/index.ts';

type Graph = Orchestrator['graph'];

/** One message of a thread as the API shows it. */
export interface ThreadMessage {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly content: string;
  /** Calls an assistant message asked for. */
  readonly toolCalls?: { id: string; name: string; args: Record<string, unknown> }[];
  /** For a tool message: the call it answers, the tool, and whether it failed. */
  readonly toolCallId?: string;
  readonly name?: string;
  readonly error?: boolean;
}

const configOf = (threadId: string) => ({ configurable: { thread_id: threadId } });

function textOf(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return content.map((block) => ('text' in block && typeof block.text === 'string' ? block.text : '')).join('');
}

async function messagesOf(graph: Graph, threadId: string): Promise<BaseMessage[]> {
  const state = await graph.getState(configOf(threadId));
  return ((state.values as { messages?: BaseMessage[] } | undefined)?.messages ?? []).slice();
}

/** The thread's conversation from its checkpoint: user, assistant and tool messages, oldest first. */
export async function threadMessages(graph: Graph, threadId: string): Promise<ThreadMessage[]> {
  const out: ThreadMessage[] = [];
  for (const message of await messagesOf(graph, threadId)) {
    const type = message.getType();
    if (type === 'human') out.push({ role: 'user', content: textOf(message) });
    else if (type === 'ai') {
      const calls = (message as AIMessage).tool_calls ?? [];
      out.push({
        role: 'assistant',
        content: textOf(message),
        ...(calls.length > 0 ? { toolCalls: calls.map((c) => ({ id: c.id ?? c.name, name: c.name, args: c.args })) } : {}),
      });
    } else if (type === 'tool') {
      const tool = message as ToolMessage;
      out.push({
        role: 'tool',
        content: textOf(message),
        toolCallId: tool.tool_call_id,
        ...(tool.name ? { name: tool.name } : {}),
        ...(tool.status === 'error' ? { error: true } : {}),
      });
    }
  }
  return out;
}

/**
 * The id of the thread's newest checkpoint (null for a thread with none), and whether the thread
 * stopped with steps left to run (what {@link settleThread} closes), from one read of its state.
 */
export async function threadHead(graph: Graph, threadId: string): Promise<{ checkpointId: string | null; open: boolean }> {
  const state = await graph.getState(configOf(threadId));
  const id = (state.config?.configurable as { checkpoint_id?: unknown } | undefined)?.checkpoint_id;
  return { checkpointId: typeof id === 'string' ? id : null, open: state.next.length > 0 };
}

/** The id of the thread's newest checkpoint, or null for a thread with none. */
export async function checkpointIdOf(graph: Graph, threadId: string): Promise<string | null> {
  return (await threadHead(graph, threadId)).checkpointId;
}

/**
 * Closes what a stopped run left open (cancelled, timed out, failed mid-way, or refused while
 * paused): its unanswered tool calls get "not run" results and the turn ends with a short note, so
 * the next request starts from a consistent conversation (models refuse tool calls without
 * results). Returns whether anything needed closing.
 */
export async function settleThread(graph: Graph, threadId: string, reason: string): Promise<boolean> {
  const config = configOf(threadId);
  const state = await graph.getState(config);
  if (state.next.length === 0) return false;
  // The snapshot's values include the results of the step's calls that finished (pending writes),
  // so the turn's calls are those of its last model message, whatever results follow it.
  const messages = (state.values as { messages?: BaseMessage[] }).messages ?? [];
  const turn = messages.findLastIndex((m) => m.getType() === 'ai');
  const answered = new Set(
    messages
      .slice(turn + 1)
      .filter((m): m is ToolMessage => m.getType() === 'tool')
      .map((m) => m.tool_call_id),
  );
  const calls = turn >= 0 ? ((messages[turn] as AIMessage).tool_calls ?? []) : [];
  const open = calls.filter((call) => call.id && !answered.has(call.id));
  const results = open.map(
    (call) => new ToolMessage({ tool_call_id: call.id!, name: call.name, status: 'error', content: `Not run: ${reason}.` }),
  );
  // Written as the model's node: its answer without tool calls routes the thread to its end.
  await graph.updateState(
    config,
    { messages: [...results, new AIMessage(`(The previous request was stopped before it finished: ${reason}.)`)] },
    'agent',
  );
  return true;
}
