import type { ApprovalRequest, ApprovalResume, RunEvent } from '../agent/index.ts';
import { describeError } from '../errors.ts';
import type { RunOptions, RunResult } from '../orchestrator/index.ts';
import type { RunEventBus } from './events.ts';
import type { OrchestratorCache } from './orchestrators.ts';
import { RunRecorder } from './recorder.ts';
import type { RunError, RunPatch, RunRecord, RunStore, ToolCallSummary } from './runStore.ts';
import { checkpointIdOf, settleThread, threadHead } from './threads.ts';

/** Stored as the base checkpoint of a stretch that started on a thread with no checkpoint yet (null means "never started"). */
export const NO_CHECKPOINT = '';

/** Why a run's signal fired. */
export type StopReason =
  { readonly kind: 'cancel' } | { readonly kind: 'timeout'; readonly limitMs: number } | { readonly kind: 'shutdown' };

/** Why a stretch of a run starts: a new request, decisions on a paused run, or a run taken over after a stop. */
export type Resumption = 'approval' | 'restart' | null;

export interface SegmentContext {
  readonly store: RunStore;
  readonly bus: RunEventBus;
  readonly orchestrators: OrchestratorCache;
  readonly replicaId: string;
  readonly autoApprove: boolean;
  readonly runTimeoutMs: number;
  /** Start a run only while its owner has fewer running than this on every replica (with a queue); else `deferred`. */
  readonly maxRunningPerOwner?: number;
  readonly tokenFlushMs?: number;
  readonly onWarning?: (message: string) => void;
}

/** What a stretch of a run ended as, for metrics (`deferred`: its owner's slots were all taken; it did not start). */
export type SegmentOutcome = RunRecord['status'] | 'skipped' | 'deferred';

const now = () => new Date().toISOString();
/** The longest delay `setTimeout` takes; Node turns a longer one into 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Event payloads without `type` (it is the event's name) and with `null` for absent values, as JSON has it. */
function payloadOf(event: RunEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event;
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, value === undefined ? null : value]));
}

/** The run's tool calls and warnings so far, from its events: they survive pauses, restarts and replicas. */
export async function collectResults(store: RunStore, runId: string): Promise<{ toolCalls: ToolCallSummary[]; warnings: string[] }> {
  const events = await store.eventsOfTypes(runId, ['tool_end', 'warning']);
  const toolCalls: ToolCallSummary[] = [];
  const warnings: string[] = [];
  for (const { type, data } of events) {
    if (type === 'warning') warnings.push(String(data['message']));
    else
      toolCalls.push({
        id: String(data['id']),
        name: String(data['name']),
        server: (data['server'] as string | null) ?? null,
        args: (data['args'] as Record<string, unknown>) ?? {},
        ok: data['ok'] === true,
        durationMs: Number(data['durationMs'] ?? 0),
        result: data['result'] ?? null,
      });
  }
  return { toolCalls, warnings };
}

/** Fails a queued run that cannot start, with its `error` event. */
async function failUnstarted(ctx: SegmentContext, runId: string, failure: RunError): Promise<SegmentOutcome> {
  const failed = await ctx.store.update(runId, {
    from: ['queued'],
    set: { status: 'failed', error: failure, pending: [], replicaId: null, finishedAt: now() },
    events: [{ type: 'error', data: { ...failure } }],
  });
  if (!failed) return 'skipped';
  ctx.bus.publish(runId, failed.events);
  return 'failed';
}

function refusalNote(calls: readonly ApprovalRequest[]): string {
  return `refused ${calls.map((c) => c.name).join(', ')}: ${calls[0]!.reason}, and this caller cannot approve it (the service runs such calls for MCP callers only when started with --yes; over HTTP, runs pause for approval)`;
}

/**
 * Executes one stretch of a queued run on this replica: marks it running (compare-and-set, so
 * only one replica does), feeds the graph its request, its approval decisions, or — for a run
 * taken over after a stop — continues from the checkpoint (re-running the input instead when
 * the stretch never got going), streams its events, and records how it ended. Throws only when
 * the store fails; the run then goes stale and a replica takes it over.
 */
export async function executeSegment(
  ctx: SegmentContext,
  runId: string,
  resumed: Resumption,
  controller: AbortController,
): Promise<SegmentOutcome> {
  const run = await ctx.store.getRun(runId);
  if (!run || run.status !== 'queued') return 'skipped';
  let acquired: ReturnType<OrchestratorCache['acquire']>;
  try {
    acquired = ctx.orchestrators.acquire(run.model, run.servers);
  } catch (error) {
    // Its model is gone (a restart with other settings): retrying on every takeover would hold the thread forever.
    return failUnstarted(ctx, runId, {
      code: 'run_failed',
      message: `the run's model ${run.model} is not available on this service: ${describeError(error)}`,
    });
  }
  const { orchestrator, release } = acquired;
  const { graph } = orchestrator;
  const recorder = new RunRecorder({ store: ctx.store, bus: ctx.bus, runId, tokenFlushMs: ctx.tokenFlushMs, onWarning: ctx.onWarning });
  const budget = ctx.runTimeoutMs - run.runMs;
  const timer = setTimeout(
    () => controller.abort({ kind: 'timeout', limitMs: ctx.runTimeoutMs } satisfies StopReason),
    Math.min(MAX_TIMER_MS, Math.max(0, budget)),
  );
  const started = performance.now();
  const runMs = () => run.runMs + Math.round(performance.now() - started);
  const end = async (
    set: RunPatch,
    event?: { type: string; data: Record<string, unknown> },
    // What the caller just read, when nothing was recorded since: read again otherwise.
    collected?: Awaited<ReturnType<typeof collectResults>>,
  ): Promise<SegmentOutcome> => {
    const results = collected ?? (await collectResults(ctx.store, runId));
    const finished = await recorder.finish({
      from: ['running'],
      // A stretch taken over by another replica meanwhile (this one was cut off) records nothing.
      heldBy: ctx.replicaId,
      set: { ...results, runMs: runMs(), replicaId: null, ...set },
      events: event ? [event] : [],
    });
    return finished?.status ?? 'skipped';
  };

  try {
    if (run.cancelRequested) controller.abort({ kind: 'cancel' } satisfies StopReason);
    // One read of the thread's state: reading it costs more the longer the thread, and a thread left open is rare.
    const head = await threadHead(graph, run.threadId);
    const current = head.checkpointId ?? NO_CHECKPOINT;
    const continuing = resumed === 'restart' && run.baseCheckpoint !== null && run.baseCheckpoint !== current;
    let base = continuing ? run.baseCheckpoint! : current;
    if (
      !continuing &&
      run.segment.kind === 'request' &&
      head.open &&
      (await settleThread(graph, run.threadId, 'a newer request came in'))
    ) {
      base = (await checkpointIdOf(graph, run.threadId)) ?? NO_CHECKPOINT;
    }
    const segment = run.segment;
    const startedEvent = {
      type: 'run_started',
      data: {
        threadId: run.threadId,
        request: run.request,
        model: run.model,
        servers: run.servers,
        resumed,
        ...(segment.kind === 'resume' && !continuing ? { decisions: segment.decisions } : {}),
      },
    };
    const marked = await ctx.store.update(runId, {
      from: ['queued'],
      set: { status: 'running', replicaId: ctx.replicaId, baseCheckpoint: base },
      events: [startedEvent],
      maxRunningPerOwner: ctx.maxRunningPerOwner,
    });
    if (!marked) {
      const now = ctx.maxRunningPerOwner === undefined ? undefined : await ctx.store.getRun(runId);
      return now?.status === 'queued' ? 'deferred' : 'skipped';
    }
    ctx.bus.publish(runId, marked.events);
    if (controller.signal.aborted) throw controller.signal.reason;

    const options: RunOptions = {
      threadId: run.threadId,
      autoApprove: ctx.autoApprove,
      approvals:
        run.approvals === 'pause'
          ? 'pause'
          : async (calls) => {
              recorder.emit('warning', { message: refusalNote(calls) });
              return Object.fromEntries(calls.map((call) => [call.id, { approve: false }])) as ApprovalResume;
            },
      onEvent: (event) => recorder.emit(event.type, payloadOf(event)),
      onToken: (text) => recorder.token(text),
      signal: controller.signal,
    };
    let result: RunResult;
    if (continuing) result = await orchestrator.continue(run.threadId, options);
    else if (segment.kind === 'request') result = await orchestrator.run(segment.text, options);
    else result = await orchestrator.run({ resume: segment.decisions }, options);
    await recorder.flush();
    if (result.status === 'waiting_approval') {
      const pending = result.pending.map((call) => ({ ...call, server: call.server ?? null })) as unknown as ApprovalRequest[];
      return await end({ status: 'waiting_approval', pending }, { type: 'approval_needed', data: { pending } });
    }
    const results = await collectResults(ctx.store, runId);
    return await end(
      { status: 'completed', answer: result.answer, pending: [], finishedAt: now() },
      { type: 'answer', data: { answer: result.answer, ...results } },
      results,
    );
  } catch (error) {
    await recorder.flush();
    const reason = (controller.signal.aborted ? controller.signal.reason : undefined) as StopReason | undefined;
    if (reason?.kind === 'shutdown') return end({ status: 'interrupted' });
    let outcome: SegmentOutcome;
    if (reason?.kind === 'cancel') {
      outcome = await end(
        { status: 'cancelled', pending: [], finishedAt: now() },
        { type: 'cancelled', data: { reason: 'cancelled on request' } },
      );
    } else {
      const failure: RunError =
        reason?.kind === 'timeout'
          ? {
              code: 'timeout',
              message: `the run exceeded its time limit of ${reason.limitMs < 10_000 ? `${reason.limitMs} ms` : `${Math.round(reason.limitMs / 1000)} s`} and was stopped`,
            }
          : { code: 'run_failed', message: describeError(error) };
      outcome = await end({ status: 'failed', error: failure, pending: [], finishedAt: now() }, { type: 'error', data: { ...failure } });
    }
    await settleThread(graph, run.threadId, outcome === 'cancelled' ? 'it was cancelled' : 'it failed').catch(() => false);
    return outcome;
  } finally {
    clearTimeout(timer);
    release();
  }
}
