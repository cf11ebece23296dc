/**
 * Runs cases turn by turn in their own thread and judges every turn that has an expectation.
 * Shared by the help-desk and the unseen-tools evaluations; what differs is how a turn runs.
 */
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
