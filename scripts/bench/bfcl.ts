/**
 * BFCL v4 non-live AST over the offline planner (issue 8, "How it is measured"): every case's
 * functions bound as a run binds tools, the planner's first decision on the user turn, scored
 * by the leaderboard's rules (see bfclScore.ts). Prints each category, the mean of the four
 * call categories, irrelevance, and ms per decision (p50/p99) with the tool counts, plus a row
 * at 20 tools (one set of 20 functions, every simple request decided on it), and our derived
 * (not official BFCL) rows "simple_python at 20 tools" / "irrelevance at 20 tools": each case's own
 * functions plus others from neighbouring simple cases, so choosing among many tools is measured.
 *
 * Standalone: `node scripts/bench/bfcl.ts [--dir PATH] [--category NAME]... [--limit N] [--fails N]`.
 * `BFCL_DIR` or `--dir` points at the data; default ../shared/bfcl from the repository root.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { loadEnv } from '../../src/config/env.ts';
import { decide } from '../../src/llm/offline/planner.ts';
import { ToolIndex, type FunctionTool } from '../../src/llm/offline/toolIndex.ts';
import { BFCL_CATEGORIES, bfclDir, hasBfcl, loadBfclCategory, type BfclCase, type BfclCategory } from './bfclData.ts';
import { scoreCalls, scoreIrrelevance, type MadeCall, type Verdict } from './bfclScore.ts';

/** The clock of every decision, so relative dates are reproducible. */
const NOW = new Date('2026-12-02T12:00:00Z');
const CALL_CATEGORIES: readonly BfclCategory[] = ['simple_python', 'multiple', 'parallel', 'parallel_multiple'];

/** One case's outcome. */
export interface BfclResult {
  readonly id: string;
  readonly verdict: Verdict;
  readonly calls: readonly MadeCall[];
  readonly ms: number;
  readonly tools: number;
}

/** A category's figures. */
export interface BfclCategoryReport {
  readonly category: BfclCategory;
  readonly passed: number;
  readonly total: number;
  readonly results: readonly BfclResult[];
}

/** A run's figures; `skipped` says why nothing ran (no data). */
export interface BfclReport {
  readonly dir: string;
  readonly skipped?: string;
  readonly categories: readonly BfclCategoryReport[];
  /** Mean accuracy over the four call categories run (0..1); undefined when none ran. */
  readonly mean: number | undefined;
  /** ms per decision at 20 tools (undefined when simple_python did not run). */
  readonly wide: { readonly p50: number; readonly p99: number; readonly count: number } | undefined;
  /** Derived rows (not official BFCL categories): simple and irrelevance with 20 tools bound. */
  readonly derived: readonly DerivedReport[];
}

/** A derived row: a category's cases each decided with its own functions widened to {@link WIDE} tools. */
export interface DerivedReport {
  readonly label: string;
  readonly passed: number;
  readonly total: number;
  readonly results: readonly BfclResult[];
}

/** How many tools the derived rows bind. */
export const WIDE = 20;

/** Options of {@link runBfcl}. */
export interface BfclOptions {
  /** Data folder; default `BFCL_DIR`, else ../shared/bfcl from the repository root. */
  readonly dir?: string;
  readonly categories?: readonly BfclCategory[];
  /** First N cases per category. */
  readonly limit?: number;
}

function toMessages(turn: BfclCase['messages']): BaseMessage[] {
  return turn.map(({ role, content }) =>
    role === 'system' ? new SystemMessage(content) : role === 'assistant' ? new AIMessage(content) : new HumanMessage(content),
  );
}

/** The index a run builds from bound tools (OfflinePlanner converts them the same way). */
const indexOf = (tools: readonly FunctionTool[]) =>
  new ToolIndex(tools.map((tool) => convertToOpenAITool(tool as Parameters<typeof convertToOpenAITool>[0]) as FunctionTool));

function plan(messages: readonly BaseMessage[], index: ToolIndex): { calls: MadeCall[]; ms: number } {
  const started = performance.now();
  const decision = decide(messages, index, { now: NOW });
  const ms = performance.now() - started;
  return { calls: decision.kind === 'calls' ? decision.calls.map(({ name, args }) => ({ name, args })) : [], ms };
}

/** Runs one case: binds its tools, takes the planner's first decision, scores it. */
export function runBfclCase(bfclCase: BfclCase): BfclResult {
  const { calls, ms } = plan(toMessages(bfclCase.messages), indexOf(bfclCase.tools));
  const verdict = bfclCase.category === 'irrelevance' ? scoreIrrelevance(calls) : scoreCalls(calls, bfclCase.expected, bfclCase.shapes);
  return { id: bfclCase.id, verdict, calls, ms, tools: bfclCase.tools.length };
}

/** The value at quantile `q` of a list of numbers (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * ms per decision at 20 tools, as a run sees them: one tool set bound for many requests (the
 * functions of the first 20 simple cases), every simple case's request decided on it.
 */
function wideRow(cases: readonly BfclCase[]): BfclReport['wide'] {
  if (cases.length < 20) return undefined;
  const index = indexOf(cases.slice(0, 20).map((bfclCase) => bfclCase.tools[0]!));
  const times = cases.map((bfclCase) => plan(toMessages(bfclCase.messages), index).ms);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), count: times.length };
}

/**
 * A case with its functions widened to {@link WIDE} tools by the functions of the simple cases after
 * `start` (wrapping), skipping names already bound. Deterministic, so runs compare.
 */
export function widen(bfclCase: BfclCase, pool: readonly BfclCase[], start: number): BfclCase {
  const tools = [...bfclCase.tools];
  const names = new Set(tools.map((tool) => tool.function.name));
  for (let step = 1; step <= pool.length && tools.length < WIDE; step++) {
    const tool = pool[(start + step) % pool.length]!.tools[0]!;
    if (names.has(tool.function.name)) continue;
    names.add(tool.function.name);
    tools.push(tool);
  }
  return { ...bfclCase, tools };
}

/**
 * Our derived check (not an official BFCL category): each case decided among {@link WIDE} tools,
 * the pool read from `shift` cases on (irrelevance takes the far half of simple, so its extra tools
 * are unlikely to be about its request).
 */
function derivedRow(label: string, cases: readonly BfclCase[], pool: readonly BfclCase[], shift = 0): DerivedReport | undefined {
  if (cases.length === 0 || pool.length < WIDE) return undefined;
  const results = cases.map((bfclCase, i) => runBfclCase(widen(bfclCase, pool, i + shift)));
  return { label, passed: results.filter((r) => r.verdict.ok).length, total: results.length, results };
}

/** Runs the categories asked for; a missing data folder is a skip with its reason, not an error. */
export async function runBfcl(options: BfclOptions = {}): Promise<BfclReport> {
  const dir = bfclDir(options.dir);
  if (!hasBfcl(dir))
    return {
      dir,
      skipped: `BFCL data not found at ${dir} (set BFCL_DIR)`,
      categories: [],
      mean: undefined,
      wide: undefined,
      derived: [],
    };
  const categories: BfclCategoryReport[] = [];
  let simple: BfclCase[] = [];
  let irrelevance: BfclCase[] = [];
  for (const category of options.categories ?? BFCL_CATEGORIES) {
    const cases = await loadBfclCategory(dir, category, options.limit);
    if (category === 'simple_python') simple = cases;
    if (category === 'irrelevance') irrelevance = cases;
    const results = cases.map(runBfclCase);
    categories.push({ category, passed: results.filter((r) => r.verdict.ok).length, total: results.length, results });
  }
  const scored = categories.filter((c) => CALL_CATEGORIES.includes(c.category) && c.total > 0);
  const mean = scored.length > 0 ? scored.reduce((sum, c) => sum + c.passed / c.total, 0) / scored.length : undefined;
  const derived = [
    derivedRow(`simple_python at ${WIDE} tools`, simple, simple),
    derivedRow(`irrelevance at ${WIDE} tools`, irrelevance, simple, Math.floor(simple.length / 2)),
  ].filter((row) => row !== undefined);
  return { dir, categories, mean, wide: wideRow(simple), derived };
}

const pct = (n: number) => `${(100 * n).toFixed(1)}%`;
const ms = (n: number) => n.toFixed(2);

/** The table `npm run bench -- planner` prints; `fails` lists that many failing cases per category. */
export function formatBfcl(report: BfclReport, fails = 0): string {
  if (report.skipped) return `BFCL v4: skipped — ${report.skipped}`;
  const lines = ['BFCL v4 non-live AST (offline planner)', 'category             passed   total   accuracy   ms p50   ms p99   tools'];
  for (const c of report.categories) {
    const times = c.results.map((r) => r.ms);
    const tools = c.results.map((r) => r.tools);
    const range = tools.length ? `${Math.min(...tools)}-${Math.max(...tools)}` : '-';
    lines.push(
      `${c.category.padEnd(20)} ${String(c.passed).padStart(6)} ${String(c.total).padStart(7)} ${pct(c.passed / Math.max(1, c.total)).padStart(10)} ${ms(quantile(times, 0.5)).padStart(8)} ${ms(quantile(times, 0.99)).padStart(8)}   ${range}`,
    );
  }
  for (const row of report.derived) {
    const times = row.results.map((r) => r.ms);
    lines.push(
      `${row.label.padEnd(26)} ${String(row.passed).padStart(6)} ${String(row.total).padStart(7)} ${pct(row.passed / Math.max(1, row.total)).padStart(10)} ${ms(quantile(times, 0.5)).padStart(8)} ${ms(quantile(times, 0.99)).padStart(8)}   (derived check, not an official BFCL category)`,
    );
  }
  if (report.mean !== undefined) lines.push(`non-live mean (simple, multiple, parallel, parallel_multiple): ${pct(report.mean)}`);
  if (report.wide) {
    lines.push(`ms per decision at 20 tools: p50 ${ms(report.wide.p50)}, p99 ${ms(report.wide.p99)} (${report.wide.count} decisions)`);
  }
  const rows = [...report.categories.map((c) => ({ label: c.category, results: c.results })), ...report.derived];
  for (const c of fails > 0 ? rows : []) {
    const failed = c.results.filter((r) => !r.verdict.ok).slice(0, fails);
    if (failed.length === 0) continue;
    lines.push('', `${c.label} failures (first ${failed.length}):`);
    for (const r of failed) lines.push(`  ${r.id}: ${r.verdict.ok ? '' : r.verdict.reason} | ${JSON.stringify(r.calls)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      category: { type: 'string', multiple: true },
      limit: { type: 'string' },
      fails: { type: 'string', default: '0' },
    },
  });
  const unknown = (values.category ?? []).filter((c) => !(BFCL_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new TypeError(`--category takes ${BFCL_CATEGORIES.join('|')}, not ${unknown.join(', ')}`);
  const report = await runBfcl({
    dir: values.dir ?? loadEnv().BFCL_DIR,
    categories: values.category as BfclCategory[] | undefined,
    limit: values.limit === undefined ? undefined : Number(values.limit),
  });
  process.stdout.write(`${formatBfcl(report, Number(values.fails))}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`bfcl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
