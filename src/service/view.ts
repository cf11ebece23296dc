import type { ApprovalRequest } from '../agent/index.ts';
import { failedCallsOf, type FailedCall } from '../orchestrator/index.ts';
import type { RunError, RunRecord, RunStatus, ToolCallSummary } from './runStore.ts';

/** A run as the API shows it (no owner, replica or checkpoint details). */
export interface RunView {
  readonly id: string;
  readonly threadId: string;
  readonly status: RunStatus;
  readonly request: string;
  readonly model: string;
  readonly servers: readonly string[];
  readonly answer: string | null;
  readonly toolCalls: readonly ToolCallSummary[];
  /** The calls of `toolCalls` that failed (error result, unreachable or broken server, unknown tool), with the error. */
  readonly failedCalls: readonly FailedCall[];
  readonly warnings: readonly string[];
  readonly pending: readonly ApprovalRequest[];
  readonly error: RunError | null;
  readonly cancelRequested: boolean;
  /** The seq of the newest event: pass it as `Last-Event-ID` to get only what follows. */
  readonly lastEventId: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

export function runView(run: RunRecord): RunView {
  return {
    id: run.id,
    threadId: run.threadId,
    status: run.status,
    request: run.request,
    model: run.model,
    servers: run.servers,
    answer: run.answer,
    toolCalls: run.toolCalls,
    failedCalls: failedCallsOf(run.toolCalls),
    warnings: run.warnings,
    pending: run.pending,
    error: run.error,
    cancelRequested: run.cancelRequested,
    lastEventId: run.lastSeq,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
  };
}
