import { ToolMessage, type AIMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { ApprovalDecision, RunEvent } from './events.ts';
import { withToolProgress, type ToolProgress } from './progress.ts';
import { serverOf } from './toolMeta.ts';

type ToolCall = NonNullable<AIMessage['tool_calls']>[number];

export interface ToolRunContext {
  readonly emit: (event: RunEvent) => void;
  readonly signal: AbortSignal | undefined;
}

/** A tool's answer as the run reports it: JSON when it is JSON, text otherwise. */
function parseResult(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((block) => (typeof block === 'string' ? block : ((block as { text?: string }).text ?? JSON.stringify(block))))
      .join('\n');
  }
  return JSON.stringify(content);
}

/**
 * Runs one call and always answers with a ToolMessage: an unknown tool, a thrown error or a
 * tool error result become an error message the model can read, and the run goes on.
 */
export async function runToolCall(
  call: ToolCall,
  tools: ReadonlyMap<string, StructuredToolInterface>,
  context: ToolRunContext,
  decision?: ApprovalDecision,
): Promise<ToolMessage> {
  const id = call.id ?? `${call.name}-${Date.now()}`;
  const tool = tools.get(call.name);
  if (!tool) {
    const known = [...tools.keys()].join(', ');
    context.emit({
      type: 'tool_end',
      id,
      name: call.name,
      server: undefined,
      args: call.args,
      ok: false,
      durationMs: 0,
      result: 'unknown tool',
    });
    return new ToolMessage({
      tool_call_id: id,
      name: call.name,
      status: 'error',
      content: `Error: there is no tool named "${call.name}". Available tools: ${known}.`,
    });
  }
  if (decision && !decision.approve) {
    const reason = 'the user declined this call';
    context.emit({ type: 'tool_declined', id, name: call.name, reason });
    return new ToolMessage({
      tool_call_id: id,
      name: call.name,
      status: 'error',
      content: `Not run: ${reason}. Do not retry it; tell the user what was not done.`,
    });
  }
  const args = decision?.edit ?? call.args;
  const server = serverOf(tool);
  context.emit({ type: 'tool_start', id, name: call.name, server, args });
  const started = performance.now();
  try {
    const reportProgress = (p: ToolProgress) => context.emit({ type: 'tool_progress', id, name: call.name, ...p });
    const output = (await withToolProgress(reportProgress, () =>
      tool.invoke({ ...call, id, args }, { signal: context.signal, metadata: { toolCallId: id } }),
    )) as unknown;
    const message =
      output instanceof ToolMessage ? output : new ToolMessage({ tool_call_id: id, name: call.name, content: textOf(output) });
    const ok = message.status !== 'error';
    context.emit({
      type: 'tool_end',
      id,
      name: call.name,
      server,
      args,
      ok,
      durationMs: Math.round(performance.now() - started),
      result: parseResult(message.content),
    });
    return message;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    context.emit({
      type: 'tool_end',
      id,
      name: call.name,
      server,
      args,
      ok: false,
      durationMs: Math.round(performance.now() - started),
      result: text,
    });
    return new ToolMessage({ tool_call_id: id, name: call.name, status: 'error', content: `Error: ${text}` });
  }
}
