import { randomUUID } from 'node:crypto';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { Command, INTERRUPT, isInterrupted, type BaseCheckpointSaver, type Interrupt } from '@langchain/langgraph';
import { createReactGraph, type ApprovalInterrupt, type ApprovalRequest, type ApprovalResume, type RunEvent } from '../agent/index.ts';
import type { ServerEntry } from '../config/file.ts';
import { UpstreamError } from '../errors.ts';
// tracing.ts, not the telemetry index: the index loads pino and prom-client, which a CLI run never uses.
import { inSpan, tracingActive } from '../telemetry/tracing.ts';
import { McpClientPool, type UnavailableServer } from './pool.ts';

/** What the orchestrator tells its model, before the servers' own instructions. */
export const ORCHESTRATOR_INSTRUCTIONS = `You are Switchboard, an orchestrator that answers requests by calling the tools of specialised agents (MCP servers). Tool names are server__tool. Split a compound request into its parts, call the right tool for each (independent calls together in one turn), use earlier results for dependent steps, and never invent identifiers: take them from tool results. When a tool fails, say so plainly and continue with the rest. Finish with a short answer that reports what was done, with identifiers, and what could not be done.`;

/** One tool call as a run reports it (the CLI's --json, the service's result): its `tool_end` event. */
export type ToolCallRecord = Omit<Extract<RunEvent, { type: 'tool_end' }>, 'type'>;

/** A call that ran and failed, as a run's result lists it: which tool of which server, and the error text. */
export interface FailedCall {
  readonly id: string;
  readonly name: string;
  readonly server: string | null;
  readonly error: string;
}

/** The failed calls among a run's tool calls (an error result, a broken connection, an unknown tool). */
export function failedCallsOf(
  calls: readonly { id: string; name: string; server?: string | null; ok: boolean; result: unknown }[],
): FailedCall[] {
  return calls
    .filter((call) => !call.ok)
    .map((call) => ({
      id: call.id,
      name: call.name,
      server: call.server ?? null,
      error: typeof call.result === 'string' ? call.result : JSON.stringify(call.result ?? null),
    }));
}

/**
 * A run could not start because no configured server offers a tool: each unreachable (the
 * message names them, their URLs and why) or left with none after `exclude`. The model is not asked.
 */
export class NoToolsError extends UpstreamError {
  readonly unavailable: readonly UnavailableServer[];
  constructor(unavailable: readonly UnavailableServer[]) {
    const each = unavailable.map((u) => (u.reachable ? `"${u.server}" at ${u.url}: ${u.reason}` : u.reason)).join('; ');
    const reachable = unavailable.some((u) => u.reachable);
    const allReachable = unavailable.length > 0 && unavailable.every((u) => u.reachable);
    super(
      'mcp',
      `${reachable ? 'no configured MCP server offers a tool' : 'no MCP server could be reached'}, so nothing was done (${each || 'no servers are enabled'})`,
      {
        hint: allReachable
          ? 'check the servers\' "exclude" lists, or add a server that offers tools'
          : 'start the servers, fix their urls in the config, or pass --server NAME=URL',
      },
    );
    this.unavailable = unavailable;
  }
}

/**
 * What happens to calls that need approval: `refuse` them (with a warning; the default),
 * `pause` the run (it returns `waiting_approval`; resume it with `{ resume: decisions }`), or
 * ask a function.
 */
export type ApprovalPolicy = 'refuse' | 'pause' | ((calls: readonly ApprovalRequest[]) => Promise<ApprovalResume>);

/** What a refusal warning suggests when the caller gives no {@link RunOptions.refusalHint}. */
const DEFAULT_REFUSAL_HINT = 'trust the server with "approve" in the config';

/** A new request, or the decisions that resume a run paused for approval. */
export type RunInput = string | { readonly resume: ApprovalResume };

export interface RunOptions {
  readonly threadId?: string;
  /** Throw a {@link NoToolsError} instead of asking the model when no server offers a tool. Default false. */
  readonly requireTools?: boolean;
  /** Approve destructive calls without asking. */
  readonly autoApprove?: boolean;
  readonly approvals?: ApprovalPolicy;
  /**
   * How this caller's user could let refused calls run, appended to the refusal warning (the CLI
   * names its flag). Default: the config's `approve`, which every caller honours.
   */
  readonly refusalHint?: string;
  readonly onEvent?: (event: RunEvent) => void;
  /** Text of the model's answer as it streams (models that stream; one that answers whole sends none, its answer is in the result). */
  readonly onToken?: (text: string) => void;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly status: 'completed' | 'waiting_approval';
  /** The calls waiting for a decision, when `waiting_approval`. */
  readonly pending: readonly ApprovalRequest[];
  readonly answer: string;
  readonly threadId: string;
  readonly toolCalls: ToolCallRecord[];
  readonly warnings: string[];
  /** The calls of `toolCalls` that failed. */
  readonly failedCalls: FailedCall[];
  /** Calls refused because nobody could approve them. */
  readonly refused: number;
}

export interface OrchestratorOptions {
  readonly servers: Readonly<Record<string, ServerEntry>>;
  readonly model: BaseChatModel;
  readonly checkpointer?: BaseCheckpointSaver;
  readonly maxSteps?: number;
  readonly maxOutputChars?: number;
  readonly onWarning?: (message: string) => void;
}

function textOf(message: BaseMessage | undefined): string {
  if (!message) return '';
  const content = message.content;
  if (typeof content === 'string') return content;
  return content.map((block) => ('text' in block && typeof block.text === 'string' ? block.text : '')).join('');
}

/**
 * Whether the model yields its answer in pieces (it implements `_streamResponseChunks`): only
 * then are there tokens to stream. A model that answers whole (the offline planner) would only
 * repeat its answer as one token, at the cost of a callback handler on every step of the run.
 */
function streamsTokens(model: BaseChatModel): boolean {
  return model._streamResponseChunks !== BaseChatModel.prototype._streamResponseChunks;
}

/** The orchestrator: the MCP client pool, the ReAct graph over its tools, and runs with approvals. */
export function createOrchestrator(options: OrchestratorOptions) {
  const pool = new McpClientPool({ servers: options.servers, maxOutputChars: options.maxOutputChars, onWarning: options.onWarning });
  const graph = createReactGraph({
    model: options.model,
    tools: () => pool.tools(),
    instructions: ORCHESTRATOR_INSTRUCTIONS,
    checkpointer: options.checkpointer,
    maxSteps: options.maxSteps,
  });

  const canStream = streamsTokens(options.model);

  /** The thread's last state and the interrupts it waits on, read from its checkpoint. */
  async function stateOf(config: { configurable: { thread_id: string } }) {
    const snapshot = await graph.getState(config);
    return {
      values: snapshot.values as { messages: BaseMessage[] } | undefined,
      interrupts: snapshot.tasks.flatMap((task) => task.interrupts),
    };
  }

  async function run(input: RunInput, runOptions: RunOptions = {}): Promise<RunResult> {
    if (typeof input !== 'string') return execute(new Command({ resume: input.resume }), runOptions);
    // An id from the start, not one the messages reducer adds later: the checkpointer then encodes the message once.
    return execute({ messages: [new HumanMessage({ content: input, id: randomUUID() })] }, runOptions);
  }

  /**
   * Continues a thread from its last checkpoint, as a run stopped part-way (a shutdown, a crash)
   * needs: the steps that had not finished run again, so a tool call that was in flight is called
   * again. A thread with nothing left to do answers with its last message. Same options and
   * result as {@link run}; `toolCalls` lists the calls of this continuation only.
   */
  async function continueThread(threadId: string, runOptions: Omit<RunOptions, 'threadId'> = {}): Promise<RunResult> {
    return execute(null, { ...runOptions, threadId });
  }

  /** One trace per run when tracing: the run's span is the parent of its model and tool calls. */
  async function execute(first: Parameters<typeof graph.stream>[0], runOptions: RunOptions): Promise<RunResult> {
    const threadId = runOptions.threadId ?? randomUUID();
    if (!tracingActive()) return executeRun(first, runOptions, threadId);
    const attributes = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'switchboard', 'gen_ai.conversation.id': threadId };
    return inSpan('invoke_agent switchboard', { attributes }, async (span) => {
      const result = await executeRun(first, runOptions, threadId);
      span?.setAttributes({
        'switchboard.run.status': result.status,
        'switchboard.run.tool_calls': result.toolCalls.length,
        'switchboard.run.failed_calls': result.failedCalls.length,
      });
      return result;
    });
  }

  async function executeRun(first: Parameters<typeof graph.stream>[0], runOptions: RunOptions, threadId: string): Promise<RunResult> {
    const warnings: string[] = [];
    const warn = (message: string) => {
      warnings.push(message);
      runOptions.onEvent?.({ type: 'warning', message });
    };
    const toolCalls: ToolCallRecord[] = [];
    const policy = runOptions.approvals ?? 'refuse';
    let refused = 0;
    const tools = await pool.tools({ retryFailed: true, onWarning: warn }); // once per run: a server down last time gets another chance
    if (runOptions.requireTools && tools.length === 0) throw new NoToolsError(pool.unavailable());
    const config = {
      configurable: { thread_id: threadId, autoApprove: runOptions.autoApprove ?? false },
      signal: runOptions.signal,
      recursionLimit: 100,
      // Each step's checkpoint is saved before the next step starts: a process that dies while tools run
      // is resumed with the model's same calls (same idempotency keys), never with a new decision of the model.
      durability: 'sync' as const,
    };
    let next = first;
    for (;;) {
      // `values` gives the state after each step and the interrupts a step raised, which is all a run
      // reports: no reading the checkpoint back (`getState`) after the stream. The `messages` mode hangs
      // a callback handler on every step and model call: only for a caller that wants tokens, from a
      // model that has some to give.
      const streamMode = runOptions.onToken && canStream ? (['custom', 'values', 'messages'] as const) : (['custom', 'values'] as const);
      const stream = await graph.stream(next, { ...config, streamMode: [...streamMode] });
      let values: { messages: BaseMessage[] } | undefined;
      const interrupts: Interrupt[] = [];
      for await (const [mode, chunk] of stream) {
        if (mode === 'custom') {
          const event = chunk as RunEvent;
          if (event.type === 'tool_end') {
            const { type: _type, ...record } = event;
            toolCalls.push(record);
          }
          runOptions.onEvent?.(event);
        } else if (mode === 'values') {
          if (isInterrupted(chunk)) interrupts.push(...chunk[INTERRUPT]);
          else values = chunk as { messages: BaseMessage[] };
        } else if (runOptions.onToken) {
          const [message] = chunk as [BaseMessage, unknown];
          if (message instanceof AIMessageChunk && !message.tool_call_chunks?.length) {
            const text = textOf(message);
            if (text) runOptions.onToken(text);
          }
        }
      }
      // A stream with no step (a thread continued with nothing left to do) has only its checkpoint to tell.
      const state = values === undefined && interrupts.length === 0 ? await stateOf(config) : { values, interrupts };
      const calls = state.interrupts
        .map((i) => i.value as ApprovalInterrupt)
        .filter((v) => v?.kind === 'approval')
        .flatMap((v) => v.calls);
      if (calls.length === 0) {
        const answer = textOf(state.values?.messages.at(-1));
        return { status: 'completed', pending: [], answer, threadId, toolCalls, failedCalls: failedCallsOf(toolCalls), warnings, refused };
      }
      if (policy === 'pause') {
        return {
          status: 'waiting_approval',
          pending: calls,
          answer: '',
          threadId,
          toolCalls,
          failedCalls: failedCallsOf(toolCalls),
          warnings,
          refused,
        };
      }
      let decisions: ApprovalResume;
      if (policy === 'refuse') {
        decisions = Object.fromEntries(calls.map((call) => [call.id, { approve: false }]));
        refused += calls.length;
        warn(
          `refused ${calls.map((c) => c.name).join(', ')}: ${calls[0]!.reason}, and nobody can approve it here (${runOptions.refusalHint ?? DEFAULT_REFUSAL_HINT})`,
        );
      } else {
        decisions = await policy(calls);
      }
      next = new Command({ resume: decisions });
    }
  }

  return {
    run,
    continue: continueThread,
    pool,
    graph,
    async close() {
      await pool.close();
    },
  };
}

export type Orchestrator = ReturnType<typeof createOrchestrator>;
