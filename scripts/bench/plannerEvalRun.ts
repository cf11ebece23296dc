/**
 * Runs cases turn by turn in their own thread and judges every turn that has an expectation.
 * Shared by the help-desk and the unseen-tools evaluations; what differs is how a turn runs.
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { resolveExpect, type Category, type EvalCase, type Part, type Style, type Templates } from './plannerEvalCases.ts';
import { judgeTurn, type ToolFacts, type TurnOutcome } from './plannerEvalJudge.ts';

/** Long enough for a network model; a planner that hangs costs one case, not the run. */
export const DEFAULT_CASE_TIMEOUT_MS = 60_000;

export interface CaseResult {
  readonly id: string;
  readonly part: Part;
  readonly category: Category;
  readonly style: Style;
  readonly tags: readonly string[];
  readonly sets: readonly string[];
  readonly passed: boolean;
  /** Why it failed, each prefixed with its turn when the case has several. */
  readonly reasons: readonly string[];
  readonly ms: number;
}

/** How one evaluation runs a turn: in a thread, against its tools, with its model. */
export interface TurnRunner {
  readonly facts: ToolFacts;
  runTurn(threadId: string, text: string, signal: AbortSignal): Promise<TurnOutcome>;
}

export interface CaseRunOptions {
  readonly part: Part;
  readonly templates?: Templates;
  /** Thread ids are `<prefix><case id>`, unique per run so a shared checkpointer never mixes cases. */
  readonly threadPrefix: string;
  readonly timeoutMs?: number;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runCase(evalCase: EvalCase, runner: TurnRunner, options: CaseRunOptions): Promise<CaseResult> {
  const started = performance.now();
  const reasons: string[] = [];
  const threadId = `${options.threadPrefix}${evalCase.id}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const several = evalCase.turns.length > 1;
  for (const [index, turn] of evalCase.turns.entries()) {
    let outcome: TurnOutcome;
    try {
      outcome = await runner.runTurn(threadId, turn.user, signal);
    } catch (error) {
      outcome = {
        user: turn.user,
        answer: '',
        calls: [],
        error: signal.aborted ? `the case took longer than ${timeoutMs} ms` : describe(error),
      };
    }
    if (!turn.expect) {
      if (outcome.error !== undefined) reasons.push(`turn ${index + 1} (context): the run failed: ${outcome.error}`);
    } else {
      const why = judgeTurn(resolveExpect(turn.expect, options.templates), outcome, runner.facts);
      reasons.push(...why.map((reason) => (several ? `turn ${index + 1}: ${reason}` : reason)));
    }
    if (outcome.error !== undefined) break; // later turns of a broken thread say nothing more
  }
  return {
    id: evalCase.id,
    part: options.part,
    category: evalCase.category,
    style: evalCase.style,
    tags: evalCase.tags ?? [],
    sets: evalCase.sets ?? [],
    passed: reasons.length === 0,
    reasons,
    ms: Math.round(performance.now() - started),
  };
}

export interface Scheduled {
  readonly evalCase: EvalCase;
  readonly part: Part;
  readonly templates: Templates | undefined;
}

export interface RunAllOptions {
  /** Called before each case: reset its data, pick its model, bind its tools. */
  readonly prepare: (scheduled: Scheduled) => Promise<void> | void;
  /** Where the runner's threads live; each case's thread is deleted once the case is judged. */
  readonly checkpointer: BaseCheckpointSaver;
  readonly threadPrefix: string;
  readonly timeoutMs?: number;
  readonly onCase?: (result: CaseResult, done: number, total: number) => void;
}

/** Runs cases one after another (they share the agents' state), each prepared first. */
export async function runAll(scheduled: readonly Scheduled[], runner: TurnRunner, options: RunAllOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const item of scheduled) {
    await options.prepare(item);
    const result = await runCase(item.evalCase, runner, {
      part: item.part,
      templates: item.templates,
      threadPrefix: options.threadPrefix,
      timeoutMs: options.timeoutMs,
    });
    await options.checkpointer.deleteThread(`${options.threadPrefix}${item.evalCase.id}`); // a finished case's thread is never read again
    results.push(result);
    options.onCase?.(result, results.length, scheduled.length);
  }
  return results;
}
