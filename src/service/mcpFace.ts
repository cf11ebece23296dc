import { z } from 'zod';
import { ToolError } from '../errors.ts';
import { defineAgent, defineTool, type AgentDefinition } from '../mcp/index.ts';
import { followRun, type RunEventBus } from './events.ts';
import { THREAD_ID_PATTERN } from './requests.ts';
import { RunInputError, RunRefusal } from './runErrors.ts';
import type { RunManager } from './runs.ts';
import type { RunStore, StoredEvent } from './runStore.ts';

export interface OrchestrateAgentOptions {
  readonly runs: RunManager;
  readonly store: RunStore;
  readonly bus: RunEventBus;
  readonly version: string;
  readonly maxInputChars: number;
  /** Destructive calls run for MCP callers only when this is true (the service was started with --yes). */
  readonly autoApprove: boolean;
  /** Fires when the service shuts down: the tool stops waiting (the run goes on after a restart). */
  readonly closing: AbortSignal;
  readonly followPollMs?: number;
}

const compact = (value: unknown, max = 120) => {
  const text = JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** One progress line per run event, like the CLI's; token deltas are left out. */
export function describeRunEvent(event: StoredEvent): string | undefined {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'run_started':
      return d['resumed'] ? `run resumed (${String(d['resumed'])})` : 'run started';
    case 'tool_start':
      return `→ ${d['server'] ? `${String(d['server'])}: ` : ''}${String(d['name'])} ${compact(d['args'])}`;
    case 'tool_progress':
      return `… ${String(d['name'])} ${String(d['progress'])}${d['total'] ? `/${String(d['total'])}` : ''}${d['message'] ? ` ${String(d['message'])}` : ''}`;
    case 'tool_end':
      return `${d['ok'] ? '✓' : '✗'} ${String(d['name'])} ${String(d['durationMs'])} ms${d['ok'] ? '' : ` ${compact(d['result'], 200)}`}`;
    case 'tool_declined':
      return `⊘ ${String(d['name'])} not run: ${String(d['reason'])}`;
    case 'warning':
      return `warning: ${String(d['message'])}`;
    case 'approval_needed':
      return 'waiting for approval';
    case 'answer':
      return 'answered';
    case 'error':
      return `failed: ${String(d['message'])}`;
    case 'cancelled':
      return 'cancelled';
    default:
      return undefined;
  }
}

/**
 * The MCP answer to each way the run layer turns a request down: the one place run errors meet
 * MCP. Refusals and bad input become tool errors the calling model can act on (their messages say
 * when to retry);
 * anything else stays as it is, for the MCP layer to treat as a fault of ours.
 */
export function toolErrorOf(error: unknown): unknown {
  if (error instanceof RunRefusal || error instanceof RunInputError) return new ToolError(error.message, { cause: error });
  return error;
}

const OutputSchema = z.object({
  run_id: z.string(),
  thread_id: z.string().describe('pass it back as thread_id to continue the conversation'),
  status: z.string(),
  answer: z.string(),
  tool_calls: z.array(z.object({ name: z.string(), server: z.string().nullable(), ok: z.boolean(), duration_ms: z.number() })),
  warnings: z.array(z.string()),
});

/**
 * The orchestrator as an MCP agent with one tool, `orchestrate(request, thread_id?)`: it starts
 * a run through the run manager (same limits, store and threads as the HTTP API, owned by the
 * caller's API key), relays the run's events as progress notifications, and answers with the
 * result. An MCP caller cannot approve anything, so calls that need approval are refused (and
 * the result says so) unless the service auto-approves. Cancelling the tool call cancels the run.
 */
export function createOrchestrateAgent(options: OrchestrateAgentOptions): AgentDefinition {
  return defineAgent({
    name: 'switchboard',
    version: options.version,
    instructions:
      'Switchboard orchestrates specialised agents (incidents, web search, text analysis, and more). Call orchestrate with a plain-language request, compound ones included; pass the thread_id it returns to continue a conversation.',
    tools: [
      defineTool({
        name: 'orchestrate',
        title: 'Ask Switchboard',
        description:
          'Answers a request by calling the tools of specialised agents (create and update incidents, search the web, analyse text, ...). Give the whole request in plain language; pass thread_id from an earlier answer to refer back to it ("change its urgency"). Reports progress while tools run. Tools marked destructive are refused unless the service approves them automatically.',
        input: z.object({
          request: z.string().min(1).max(options.maxInputChars).describe('what to do, in plain language'),
          thread_id: z.string().regex(THREAD_ID_PATTERN).optional().describe('continue this conversation'),
        }),
        output: OutputSchema,
        annotations: { readOnlyHint: false, destructiveHint: options.autoApprove, idempotentHint: false, openWorldHint: true },
        handler: async ({ request, thread_id }, context) => {
          const owner = context.identity.subject;
          let runId: string;
          try {
            runId = (await options.runs.begin({ owner, input: request, threadId: thread_id, approvals: 'refuse' })).id;
          } catch (error) {
            throw toolErrorOf(error);
          }
          // An explicit cancel from the caller cancels the run; a shutdown does not (the run resumes).
          const cancel = () => {
            if (!options.runs.isDraining) void options.runs.cancel(owner, runId).catch(() => undefined);
          };
          context.signal.addEventListener('abort', cancel, { once: true });
          let step = 0;
          try {
            await followRun({
              store: options.store,
              bus: options.bus,
              runId,
              after: 0,
              signal: options.closing,
              pollMs: options.followPollMs,
              onEvent: async (event) => {
                const line = describeRunEvent(event);
                if (line) await context.progress(++step, undefined, line).catch(() => undefined);
              },
            });
          } finally {
            context.signal.removeEventListener('abort', cancel);
          }
          const run = await options.runs.get(owner, runId);
          if (run.status === 'failed') throw new ToolError(`run ${runId} failed: ${run.error?.message ?? 'unknown error'}`);
          if (run.status === 'cancelled') throw new ToolError(`run ${runId} was cancelled`);
          if (run.status !== 'completed' && run.status !== 'waiting_approval') {
            throw new ToolError(
              `the service is shutting down; run ${runId} is ${run.status} and will finish after a restart (GET /v1/runs/${runId})`,
            );
          }
          const refused = run.warnings.filter((w) => w.startsWith('refused '));
          const answer =
            run.status === 'waiting_approval'
              ? `Waiting for approval of ${run.pending.map((p) => p.name).join(', ')} (POST /v1/runs/${runId}/approval).`
              : (run.answer ?? '');
          const notes = refused.length > 0 ? `\n\nNot done: ${refused.join('; ')}` : '';
          return {
            structured: {
              run_id: runId,
              thread_id: run.threadId,
              status: run.status,
              answer,
              tool_calls: run.toolCalls.map((call) => ({
                name: call.name,
                server: call.server,
                ok: call.ok,
                duration_ms: call.durationMs,
              })),
              warnings: [...run.warnings],
            },
            text: `${answer}${notes}\n\n(thread ${run.threadId})`,
          };
        },
      }),
    ],
  });
}
