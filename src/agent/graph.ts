import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import {
  Annotation,
  END,
  MessagesAnnotation,
  START,
  StateGraph,
  interrupt,
  type BaseCheckpointSaver,
  type LangGraphRunnableConfig,
} from '@langchain/langgraph';
import type { ApprovalInterrupt, ApprovalRequest, ApprovalResume, RunEvent } from './events.ts';
import { SpanKind, inSpan, tracingActive } from '../telemetry/index.ts';
import { runToolCall } from './toolRunner.ts';
import { approvalReason, serverOf } from './toolMeta.ts';

/** Model turns a run may take before it stops with what it has. */
export const DEFAULT_MAX_STEPS = 12;

export const ReactState = Annotation.Root({
  ...MessagesAnnotation.spec,
  /** Model turns taken since the last human message. */
  steps: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
});
export type ReactStateType = typeof ReactState.State;

export interface ReactGraphOptions {
  readonly model: BaseChatModel;
  /** Read at every model turn, so refreshed tool lists take effect mid-thread. */
  readonly tools: () => Promise<readonly StructuredToolInterface[]> | readonly StructuredToolInterface[];
  /** The system prompt: what this agent is for and how to use its tools. */
  readonly instructions: string;
  readonly maxSteps?: number;
  readonly checkpointer?: BaseCheckpointSaver;
}

/** Per-run switches, passed as `configurable` in the run's config. */
export interface ReactRunSettings {
  /** Run destructive tools without asking (the CLI's --yes). */
  readonly autoApprove?: boolean;
}

function emitter(config: LangGraphRunnableConfig): (event: RunEvent) => void {
  const write = config.writer;
  return (event) => write?.(event);
}

function lastHumanIndex(messages: readonly BaseMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.getType() === 'human') return i;
  return -1;
}

/**
 * The ReAct loop: model -> tools -> model, until the model answers without tool calls or the
 * step limit is reached. Independent tool calls of one turn run in parallel; calls to
 * destructive tools wait for approval through a LangGraph interrupt.
 */
export function createReactGraph(options: ReactGraphOptions) {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const system = new SystemMessage(options.instructions);

  async function callModel(state: ReactStateType, config: LangGraphRunnableConfig) {
    const fresh = state.messages.length > 0 && state.messages.at(-1)!.getType() === 'human';
    const steps = fresh ? 0 : state.steps;
    if (steps >= maxSteps) {
      return {
        messages: [
          new AIMessage(
            `I stopped after ${maxSteps} steps without finishing. Here is what the tools returned so far; ask me to continue if you need more.`,
          ),
        ],
        steps,
      };
    }
    const tools = await options.tools();
    const bound = tools.length > 0 && options.model.bindTools ? options.model.bindTools([...tools]) : options.model;
    const invoke = () => bound.invoke([system, ...state.messages], { signal: config.signal });
    const response = tracingActive() ? await tracedModelCall(modelNameOf(options.model), invoke) : await invoke();
    return { messages: [response], steps: steps + 1 };
  }

  async function callTools(state: ReactStateType, config: LangGraphRunnableConfig) {
    const last = state.messages.at(-1) as AIMessage;
    // Decisions are keyed by call id, so a call without one (some models omit it) gets one from its
    // position: stable when the node runs again on resume, and never left to run undecided.
    const calls = (last.tool_calls ?? []).map((call, index) => ({ ...call, id: call.id || `${call.name}_${index}` }));
    const tools = new Map((await options.tools()).map((tool) => [tool.name, tool]));
    const settings = (config.configurable ?? {}) as ReactRunSettings;
    const pending: ApprovalRequest[] = [];
    for (const call of calls) {
      const tool = tools.get(call.name);
      const reason = tool && !settings.autoApprove ? approvalReason(tool) : undefined;
      if (tool && reason) pending.push({ id: call.id, name: call.name, server: serverOf(tool), args: call.args, reason });
    }
    const decisions: ApprovalResume =
      pending.length > 0 ? interrupt<ApprovalInterrupt, ApprovalResume>({ kind: 'approval', calls: pending }) : {};
    const context = { emit: emitter(config), signal: config.signal };
    // A call that needed approval and got no decision is refused, never run by default.
    const decisionFor = (id: string) => (pending.some((p) => p.id === id) ? (decisions[id] ?? { approve: false }) : undefined);
    const messages = await Promise.all(calls.map((call) => runToolCall(call, tools, context, decisionFor(call.id))));
    return { messages };
  }

  const route = (state: ReactStateType) => {
    const last = state.messages.at(-1);
    return last instanceof AIMessage && (last.tool_calls?.length ?? 0) > 0 && lastHumanIndex(state.messages) >= 0 ? 'tools' : END;
  };

  return new StateGraph(ReactState)
    .addNode('agent', callModel)
    .addNode('tools', callTools)
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', route, ['tools', END])
    .addEdge('tools', 'agent')
    .compile({ checkpointer: options.checkpointer });
}

export type ReactGraph = ReturnType<typeof createReactGraph>;

/** The model's name for spans: its `model` setting when it has one (OpenAI's), else its type. */
function modelNameOf(model: BaseChatModel): string {
  const name = (model as { model?: unknown }).model;
  return typeof name === 'string' ? name : model._llmType();
}

/** A model call as a GenAI `chat` span, with the tokens it used when the model reports them. */
async function tracedModelCall(model: string, invoke: () => Promise<AIMessage>): Promise<AIMessage> {
  const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model };
  return inSpan(`chat ${model}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const response = await invoke();
    const usage = response.usage_metadata;
    if (usage) span?.setAttributes({ 'gen_ai.usage.input_tokens': usage.input_tokens, 'gen_ai.usage.output_tokens': usage.output_tokens });
    span?.setAttribute('switchboard.model.tool_calls', response.tool_calls?.length ?? 0);
    return response;
  });
}
