/**
 * The planner evaluation (issue 8, "How it is measured"): the help-desk evaluation (requests
 * over the built-in agents, a dev part and a frozen held-out part) and the unseen-tools
 * evaluation (requests over invented tool sets in other domains), each run through the real
 * ReAct graph with any chat model, judged by the machine-checkable expectations in
 * test/fixtures/planner-eval.
 *
 * Standalone: `node scripts/bench/plannerEval.ts [--model SPEC] [--only helpdesk|unseen]
 * [--case ID]... [--json]`. `--model` defaults to the offline planner; any spec the CLI takes
 * (`openai:gpt-4o-mini`, ...) is scored the same way. `--case` runs only those cases (dev ids;
 * held-out and unseen cases print counts only, whatever is selected).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeError } from '../../src/errors.ts';
import { startEvalAgents, type EvalAgents } from './plannerEvalAgents.ts';
import { loadHelpdeskFiles, loadSeed, loadUnseen } from './plannerEvalCases.ts';
import { runHelpdeskCases } from './plannerEvalHelpdesk.ts';
import { modelFromSpec, offlinePlannerAt, type EvalModel } from './plannerEvalModel.ts';
import {
  formatHelpdeskReport,
  formatUnseenReport,
  summarizeHelpdesk,
  summarizeUnseen,
  type HelpdeskReport,
  type UnseenReport,
} from './plannerEvalReport.ts';
import { runUnseenCases } from './plannerEvalUnseen.ts';

export interface PlannerEvalOptions {
  /** Default: the offline planner on the evaluation's fixed clock. */
  readonly model?: EvalModel;
  /** Shown in the tables; default `offline` (or `custom` for a model passed in). */
  readonly modelName?: string;
  /** Only these case ids. */
  readonly cases?: readonly string[];
  /** Per case; default 60 s. */
  readonly timeoutMs?: number;
  /** Help-desk agents already started (see `startEvalAgents`), left running; default: started and stopped per run. */
  readonly agents?: EvalAgents;
  /** Progress: called after every case. */
  readonly onProgress?: (evaluation: 'helpdesk' | 'unseen', done: number, total: number) => void;
}

async function defaults(options: PlannerEvalOptions): Promise<{ model: EvalModel; name: string; filter?: (id: string) => boolean }> {
  const seed = await loadSeed();
  const cases = options.cases && new Set(options.cases);
  return {
    model: options.model ?? offlinePlannerAt(seed.now),
    name: options.modelName ?? (options.model ? 'custom' : 'offline'),
    ...(cases ? { filter: (id: string) => cases.has(id) } : {}),
  };
}

/** Runs the help-desk evaluation; failures with reasons for the dev part, counts only for the held-out part. */
export async function runHelpdeskEval(options: PlannerEvalOptions = {}): Promise<HelpdeskReport> {
  const { model, name, filter } = await defaults(options);
  const started = performance.now();
  const results = await runHelpdeskCases({
    model,
    filter,
    agents: options.agents,
    timeoutMs: options.timeoutMs,
    onCase: (_result, done, total) => options.onProgress?.('helpdesk', done, total),
  });
  return summarizeHelpdesk(results, name, Math.round(performance.now() - started));
}

/** Runs the unseen-tools evaluation; counts only. */
export async function runUnseenEval(options: PlannerEvalOptions = {}): Promise<UnseenReport> {
  const { model, name, filter } = await defaults(options);
  const { cases, sets } = await loadUnseen();
  const toolCount = new Map(sets.map((set) => [set.server, set.tools.length]));
  const bound = cases.cases
    .filter((c) => filter?.(c.id) ?? true)
    .map((c) => (c.sets ?? []).reduce((n, s) => n + (toolCount.get(s) ?? 0), 0));
  const started = performance.now();
  const results = await runUnseenCases({
    model,
    cases,
    sets,
    filter,
    timeoutMs: options.timeoutMs,
    onCase: (_result, done, total) => options.onProgress?.('unseen', done, total),
  });
  const range: [number, number] = bound.length > 0 ? [Math.min(...bound), Math.max(...bound)] : [0, 0];
  return summarizeUnseen(results, name, Math.round(performance.now() - started), range);
}

export interface PlannerEvalReport {
  readonly helpdesk: HelpdeskReport | undefined;
  readonly unseen: UnseenReport | undefined;
}

/** Both evaluations (or one), one after the other. */
export async function runPlannerEval(
  options: PlannerEvalOptions & { readonly only?: 'helpdesk' | 'unseen' } = {},
): Promise<PlannerEvalReport> {
  return {
    helpdesk: options.only === 'unseen' ? undefined : await runHelpdeskEval(options),
    unseen: options.only === 'helpdesk' ? undefined : await runUnseenEval(options),
  };
}

/** The tables of a run, as `npm run bench -- planner` prints them. */
export function formatPlannerEval(report: PlannerEvalReport): string {
  return [report.helpdesk && formatHelpdeskReport(report.helpdesk), report.unseen && formatUnseenReport(report.unseen)]
    .filter(Boolean)
    .join('\n\n');
}

export { formatHelpdeskReport, formatUnseenReport, type HelpdeskReport, type UnseenReport };
export { loadHelpdeskFiles, loadSeed, loadUnseen, startEvalAgents, type EvalAgents };

const USAGE = 'usage: node scripts/bench/plannerEval.ts [--model SPEC] [--only helpdesk|unseen] [--case ID]... [--json]';

function parseFlags() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      only: { type: 'string' },
      case: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.only !== undefined && values.only !== 'helpdesk' && values.only !== 'unseen') {
    throw new TypeError(`--only takes helpdesk or unseen, not "${values.only}"`);
  }
  return { ...values, only: values.only as 'helpdesk' | 'unseen' | undefined };
}

async function main(): Promise<void> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags();
  } catch (error) {
    process.stderr.write(`planner eval: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const seed = await loadSeed();
  const { name, model } = await modelFromSpec(flags.model, seed.now);
  const tty = process.stderr.isTTY;
  const report = await runPlannerEval({
    model,
    modelName: name,
    only: flags.only,
    cases: flags.case,
    onProgress: (evaluation, done, total) => {
      if (tty) process.stderr.write(`\r${evaluation}: ${done}/${total}${done === total ? '\n' : ''}`);
      else if (done === total || done % 25 === 0) process.stderr.write(`${evaluation}: ${done}/${total}\n`);
    },
  });
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatPlannerEval(report)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`planner eval: ${describeError(error)}\n`);
    process.exitCode = 1;
  });
}
