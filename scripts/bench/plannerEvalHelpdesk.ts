/**
 * The help-desk evaluation: requests over the built-in agents, run through the real
 * orchestrator (MCP client pool, ReAct graph, auto-approval) against the real agent servers on
 * loopback, the incident store reset to the seed before every case.
 */
import { MemorySaver } from '@langchain/langgraph';
import { annotationsOf } from '../../src/agent/index.ts';
import { createOrchestrator } from '../../src/orchestrator/index.ts';
import { startEvalAgents, type EvalAgents } from './plannerEvalAgents.ts';
import { loadHelpdeskFiles, loadSeed, type CaseFile, type Seed } from './plannerEvalCases.ts';
import type { CallRecord, ToolFacts } from './plannerEvalJudge.ts';
import { CaseModel, modelFor, offlinePlannerAt, type EvalModel } from './plannerEvalModel.ts';
import { runAll, type CaseResult, type TurnRunner } from './plannerEvalRun.ts';
import { validateCases } from './plannerEvalValidate.ts';

export interface HelpdeskRunOptions {
  /** Default: the offline planner on the seed's clock. */
  readonly model?: EvalModel;
  /** Default: both files of test/fixtures/planner-eval. */
  readonly files?: readonly CaseFile[];
  readonly seed?: Seed;
  /** Agents already started (with the same seed) to use and leave running; default: started and stopped here. */
  readonly agents?: EvalAgents;
  /** Only the cases this accepts. */
  readonly filter?: (id: string) => boolean;
  readonly timeoutMs?: number;
  /** Called after each case (progress). */
  readonly onCase?: (result: CaseResult, done: number, total: number) => void;
}

/** Runs help-desk cases and returns one result per case, in file order. */
export async function runHelpdeskCases(options: HelpdeskRunOptions = {}): Promise<CaseResult[]> {
  const seed = options.seed ?? (await loadSeed());
  const files = options.files ?? (await loadHelpdeskFiles());
  const model = options.model ?? offlinePlannerAt(seed.now);
  const selected = files.flatMap((file) =>
    file.cases.filter((c) => options.filter?.(c.id) ?? true).map((evalCase) => ({ evalCase, file })),
  );
  if (selected.length === 0) return [];
  const agents = options.agents ?? (await startEvalAgents(seed));
  const caseModel = new CaseModel(modelFor(model, selected[0]!.evalCase, selected[0]!.file.templates));
  const checkpointer = new MemorySaver();
  const orchestrator = createOrchestrator({ servers: agents.servers, model: caseModel, checkpointer });
  try {
    const tools = await orchestrator.pool.tools();
    if (tools.length === 0) throw new Error('the built-in agents offered no tools');
    const shapes = tools.map((tool) => ({ name: tool.name, inputSchema: tool.schema as Record<string, unknown> }));
    const problems = validateCases(files, shapes);
    if (problems.length > 0) throw new Error(`the help-desk fixtures are broken:\n- ${problems.join('\n- ')}`);
    const readOnly = new Set(tools.filter((tool) => annotationsOf(tool)?.readOnlyHint === true).map((tool) => tool.name));
    const names = new Set(tools.map((tool) => tool.name));
    const facts: ToolFacts = { exists: (name) => names.has(name), readOnly: (name) => readOnly.has(name) };
    const runner: TurnRunner = {
      facts,
      async runTurn(threadId, text, signal) {
        const result = await orchestrator.run(text, { threadId, autoApprove: true, signal });
        const calls: CallRecord[] = result.toolCalls.map((call) => ({
          name: call.name,
          args: call.args,
          ok: call.ok,
          result: call.result,
        }));
        return { user: text, answer: result.answer, calls };
      },
    };
    const scheduled = selected.map(({ evalCase, file }) => ({ evalCase, part: file.part, templates: file.templates }));
    return await runAll(scheduled, runner, {
      checkpointer,
      threadPrefix: `helpdesk-${Date.now().toString(36)}-`,
      timeoutMs: options.timeoutMs,
      onCase: options.onCase,
      prepare: async ({ evalCase, templates }) => {
        await agents.reset();
        caseModel.current = modelFor(model, evalCase, templates);
      },
    });
  } finally {
    await orchestrator.close();
    if (!options.agents) await agents.close();
  }
}
