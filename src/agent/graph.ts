import { randomUUID } from 'node:crypto';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { Runnable, RunnableLambda, type RunnableConfig } from '@langchain/core/runnables';
import type { StructuredToolInterface } from '@langchain/core/tools';
import {
  Annotation,
  END,
  MessagesAnnotation,
  START,
  Send,
  StateGraph,
  interrupt,
  type BaseCheckpointSaver,
  type LangGraphRunnableConfig,
} from '@langchain/langgraph';
import type { ApprovalDecision, ApprovalInterrupt, ApprovalRequest, ApprovalResume, RunEvent } from './events.ts';
import { idempotencyKeyOf, withIdempotencyKey } from './idempotency.ts';
import { SpanKind, inSpan, tracingActive } from '../telemetry/tracing.ts';
import { hasHandlers, installLeanRunContext } from './leanRunContext.ts';
import { runToolCall } from './toolRunner.ts';
import { approvalReason, serverOf } from './toolMeta.ts';

/** Model turns a run may take before it stops with what it has. */
export const DEFAULT_MAX_STEPS = 12;

export const ReactState = Annotation.Root({
  ...MessagesAnnotation.spec,
  /** Model turns taken since the last human message. */
  steps: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
  /** Decisions on the calls of the last model turn that needed approval, by call id. */
  decisions: Annotation<ApprovalResume>({ reducer: (_old, next) => next, default: () => ({}) }),
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

/** What the tool step sends each call's task. */
interface ToolTask {
  readonly call: NonNullable<AIMessage['tool_calls']>[number] & { id: string };
  /** Where the model message that asked for the call is in the thread; part of its idempotency key. */
  readonly messageIndex: number;
  readonly decision: ApprovalDecision | undefined;
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

/** Tools by name, built once per tool list (the pool hands out the same array until its tools change). */
const toolMaps = new WeakMap<readonly StructuredToolInterface[], ReadonlyMap<string, StructuredToolInterface>>();
function toolMap(tools: readonly StructuredToolInterface[]): ReadonlyMap<string, StructuredToolInterface> {
  let map = toolMaps.get(tools);
  if (!map) toolMaps.set(tools, (map = new Map(tools.map((tool) => [tool.name, tool]))));
  return map;
}

/**
 * The message with an id, given now as the messages reducer would give it once the step's writes
 * are saved: a message is then encoded once for its write and every checkpoint after it, instead
 * of again when the reducer changes it (the saver keeps each message's encoding).
 */
function withId<T extends BaseMessage>(message: T): T {
  if (message.id === undefined || message.id === null) {
    message.id = randomUUID();
    message.lc_kwargs.id = message.id;
  }
  return message;
}

/**
 * A conditional edge's function as a plain runnable. LangGraph wraps a bare function in a
 * `RunnableLambda`, which opens a traced chain run per call (a callback manager copied, a run id,
 * start and end events) that nobody hears without handlers; with handlers (a tracer, token
 * streaming) the call goes through the lambda as before, so what they hear does not change.
 */
class EdgeFunction<I, O> extends Runnable<I, O> {
  lc_namespace = ['switchboard', 'agent'];
  readonly #fn: (input: I, config: LangGraphRunnableConfig) => O | Promise<O>;
  readonly #traced: RunnableLambda<I, O>;

  constructor(fn: (input: I, config: LangGraphRunnableConfig) => O | Promise<O>) {
    super();
    // The name LangGraph gives a function's branch, so the compiled graph is the same.
    this.name = 'condition';
    this.#fn = fn;
    this.#traced = RunnableLambda.from(fn as (input: I, config?: RunnableConfig) => Promise<O>);
  }

  override async invoke(input: I, config?: RunnableConfig): Promise<O> {
    if (hasHandlers(config)) return this.#traced.invoke(input, config);
    return this.#fn(input, (config ?? {}) as LangGraphRunnableConfig);
  }
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
  installLeanRunContext();
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const system = new SystemMessage(options.instructions);

  // The model with the tools bound, once per tool list (the pool hands out the same array until its
  // tools change): binding converts every tool's schema for the model, which each turn did again.
  const bindings = new WeakMap<readonly StructuredToolInterface[], ReturnType<NonNullable<BaseChatModel['bindTools']>>>();
  const boundModel = (tools: readonly StructuredToolInterface[]) => {
    if (tools.length === 0 || !options.model.bindTools) return options.model;
    let bound = bindings.get(tools);
    if (!bound) bindings.set(tools, (bound = options.model.bindTools([...tools])));
    return bound;
  };

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
    const bound = boundModel(await options.tools());
    const invoke = () => bound.invoke([system, ...state.messages], { signal: config.signal });
    const response = tracingActive() ? await tracedModelCall(modelNameOf(options.model), invoke) : await invoke();
    return { messages: [response], steps: steps + 1 };
  }

  type ToolCall = NonNullable<AIMessage['tool_calls']>[number] & { id: string };

  /** The calls of the model's last turn; a call without an id (some models omit it) gets one from its position. */
  function lastCalls(state: ReactStateType): { calls: ToolCall[]; messageIndex: number } {
    const messageIndex = state.messages.length - 1;
    const last = state.messages[messageIndex] as AIMessage;
    const calls = (last.tool_calls ?? []).map((call, index) => ({ ...call, id: call.id || `${call.name}_${index}` }));
    return { calls, messageIndex };
  }

  /** The calls of the model's last turn that need a person's decision before they run. */
  async function callsNeedingApproval(state: ReactStateType, config: LangGraphRunnableConfig): Promise<ApprovalRequest[]> {
    const settings = (config.configurable ?? {}) as ReactRunSettings;
    if (settings.autoApprove) return [];
    const tools = toolMap(await options.tools());
    const pending: ApprovalRequest[] = [];
    for (const call of lastCalls(state).calls) {
      const tool = tools.get(call.name);
      const reason = tool ? approvalReason(tool) : undefined;
      if (tool && reason) pending.push({ id: call.id, name: call.name, server: serverOf(tool), args: call.args, reason });
    }
    return pending;
  }

  // Approval comes first, for all calls of the turn at once, so the user decides on them together.
  async function approve(state: ReactStateType, config: LangGraphRunnableConfig) {
    const pending = await callsNeedingApproval(state, config);
    const given: ApprovalResume =
      pending.length > 0 ? interrupt<ApprovalInterrupt, ApprovalResume>({ kind: 'approval', calls: pending }) : {};
    // A call that needed approval and got no decision is refused, never run by default.
    return { decisions: Object.fromEntries(pending.map((p) => [p.id, given[p.id] ?? { approve: false }])) };
  }

  // Each call is a task of its own: LangGraph saves a finished task's result as a pending write of
  // the step, so a run resumed after a crash runs only the calls that had not finished.
  const sendCalls = (state: ReactStateType, decisions: ApprovalResume) => {
    const { calls, messageIndex } = lastCalls(state);
    return calls.map((call) => new Send('tool', { call, messageIndex, decision: decisions[call.id] } satisfies ToolTask));
  };
  const fanOut = (state: ReactStateType) => sendCalls(state, state.decisions);

  async function callTool(input: ReactStateType, config: LangGraphRunnableConfig) {
    const { call, messageIndex, decision } = input as unknown as ToolTask;
    const tools = toolMap(await options.tools());
    const threadId = String(config.configurable?.['thread_id'] ?? '');
    const key = idempotencyKeyOf(threadId, messageIndex, call.id);
    const tool = tools.get(call.name);
    const keyed = {
      call: { ...call, args: withIdempotencyKey(tool, call.args, key) },
      decision: decision?.edit ? { ...decision, edit: withIdempotencyKey(tool, decision.edit, key) } : decision,
    };
    const message = await runToolCall(keyed.call, tools, { emit: emitter(config), signal: config.signal }, keyed.decision);
    // A call cut short by a stop is not finished: failing the task keeps its error out of the
    // checkpoint, so the resumed run calls it again (with the same key) instead of reporting it.
    if (config.signal?.aborted) throw config.signal.reason ?? new Error('the run was stopped');
    return { messages: [withId(message)] };
  }

  // A turn none of whose calls needs approval goes straight to its calls: the approval step would
  // only record that there is nothing to decide, at the cost of a superstep and its checkpoint.
  // Its decisions are none, not the `decisions` left from an earlier turn (call ids repeat).
  const route = async (state: ReactStateType, config: LangGraphRunnableConfig) => {
    const last = state.messages.at(-1);
    const calls = last instanceof AIMessage && (last.tool_calls?.length ?? 0) > 0 && lastHumanIndex(state.messages) >= 0;
    if (!calls) return END;
    return (await callsNeedingApproval(state, config)).length > 0 ? 'approve' : sendCalls(state, {});
  };

  return new StateGraph(ReactState)
    .addNode('agent', callModel)
    .addNode('approve', approve)
    .addNode('tool', callTool)
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', new EdgeFunction(route), ['approve', 'tool', END])
    .addConditionalEdges('approve', new EdgeFunction(fanOut), ['tool'])
    .addEdge('tool', 'agent')
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
