import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { z } from 'zod';
import type { RunEvent } from '../agent/index.ts';
import { defineAgent, defineTool, type AgentDefinition, type ToolContext, type ToolDefinition } from './agent.ts';

/**
 * The agent's own tools as LangChain tools, called in-process with the outer call's context;
 * their progress goes out through `report`, as messages on the outer call's progress.
 */
async function localTools(
  tools: readonly ToolDefinition[],
  outer: ToolContext,
  report: (message: string) => Promise<void>,
): Promise<StructuredToolInterface[]> {
  const { tool: langchainTool } = await import('@langchain/core/tools');
  return tools.map((definition) => {
    const context: ToolContext = {
      signal: outer.signal,
      identity: outer.identity,
      sessionId: outer.sessionId,
      log: (level, message) => outer.log(level, message),
      sessionLog: (level, message) => outer.sessionLog(level, message),
      progress: (done, total, message) => report(`${definition.name}: ${message ?? (total === undefined ? done : `${done}/${total}`)}`),
    };
    return langchainTool(
      async (args: Record<string, unknown>) => {
        const output = await definition.handler(definition.input.parse(args), context);
        return JSON.stringify(output.structured);
      },
      {
        name: definition.name,
        description: definition.description,
        schema: definition.input,
        metadata: { annotations: definition.annotations },
      },
    );
  });
}

function answerOf(messages: BaseMessage[]): string {
  const content = messages.at(-1)?.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/**
 * Adds `ask_<name>_agent(request)`: the agent itself as a tool. It runs the same ReAct loop the
 * orchestrator runs, in-process, over this agent's own tools with its own instructions, so a
 * caller can delegate a whole request instead of choosing tools one by one. `model` is called
 * once, on the first request.
 */
export function withAskAgentTool(
  agent: AgentDefinition,
  createModel: () => Promise<BaseChatModel>,
  options: { maxSteps?: number } = {},
): AgentDefinition {
  let model: Promise<BaseChatModel> | undefined;
  // A failed attempt is not kept: the next request tries again.
  const modelOnce = () =>
    (model ??= createModel().catch((error: unknown) => {
      model = undefined;
      throw error;
    }));
  const name = `ask_${agent.name.replace(/-/g, '_')}_agent`;
  const destructive = agent.tools.some((t) => !t.annotations.readOnlyHint && t.annotations.destructiveHint);
  const ask = defineTool({
    name,
    title: `Ask the ${agent.name} agent`,
    description: `Delegates a request in plain language to the ${agent.name} agent, which decides which of its own tools to call (${agent.tools.map((t) => t.name).join(', ')}) and answers. Use it for a multi-step ${agent.name} task; call the tools directly when you know exactly which one you need.`,
    input: z.object({ request: z.string().min(1).max(10_000).describe(`what you want the ${agent.name} agent to do, in plain language`) }),
    output: z.object({
      answer: z.string().describe("the agent's answer"),
      tool_calls: z.array(z.object({ name: z.string(), ok: z.boolean(), duration_ms: z.number() })).describe('the tools it called'),
    }),
    // Its inner calls run without a second approval: whoever approved this call approved the request.
    annotations: {
      readOnlyHint: !agent.tools.some((t) => !t.annotations.readOnlyHint),
      destructiveHint: destructive,
      idempotentHint: false,
      openWorldHint: agent.tools.some((t) => t.annotations.openWorldHint),
    },
    async handler({ request }, context) {
      // MCP wants progress to increase with every notification; this call and its inner tools share one token.
      let step = 0;
      const report = (message: string) => context.progress(++step, undefined, message);
      // LangGraph and the model load on first use, so agents that are never asked start fast.
      const [{ createReactGraph }, { HumanMessage }, chatModel, tools] = await Promise.all([
        import('../agent/index.ts'),
        import('@langchain/core/messages'),
        modelOnce(),
        localTools(agent.tools, context, report),
      ]);
      const calls: { name: string; ok: boolean; duration_ms: number }[] = [];
      const graph = createReactGraph({
        model: chatModel,
        tools: () => tools,
        instructions: agent.instructions,
        maxSteps: options.maxSteps,
      });
      let messages: BaseMessage[] = [];
      const stream = await graph.stream(
        { messages: [new HumanMessage(request)] },
        { streamMode: ['custom', 'values'], configurable: { autoApprove: true }, signal: context.signal },
      );
      for await (const [mode, chunk] of stream) {
        if (mode === 'values') {
          messages = (chunk as { messages: BaseMessage[] }).messages;
          continue;
        }
        const event = chunk as RunEvent;
        if (event.type === 'tool_start') await report(`calling ${event.name}`);
        if (event.type === 'tool_end') calls.push({ name: event.name, ok: event.ok, duration_ms: event.durationMs });
      }
      const answer = answerOf(messages);
      return { structured: { answer, tool_calls: calls }, text: answer };
    },
  });
  return defineAgent({ ...agent, tools: [...agent.tools, ask] });
}
