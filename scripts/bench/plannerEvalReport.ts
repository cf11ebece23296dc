/**
 * Counts and tables of the planner evaluation. Failure reasons are kept for the help-desk dev
 * part only: the held-out part and the unseen-tools evaluation report counts, so nobody tunes
 * on them by reading what failed.
 */
import { CATEGORIES, STYLES, type Part } from './plannerEvalCases.ts';
import type { CaseResult } from './plannerEvalRun.ts';

export interface Tally {
  readonly passed: number;
  readonly total: number;
}

export type Tallies = Readonly<Record<string, Tally>>;

export interface Failure {
  readonly id: string;
  readonly category: string;
  readonly style: string;
  readonly reasons: readonly string[];
}

export interface HelpdeskReport {
  readonly model: string;
  readonly overall: Tally;
  /** `dev`: the first dev file; the second batch (cases tagged "fresh") is `fresh`, not in `dev`. */
  readonly parts: Readonly<Record<Part, Tally>>;
  /** The dev part's second batch, written after round 1 of tuning as a stand-in for the held-out part. */
  readonly fresh: Tally;
  readonly byCategory: Readonly<Record<Part, Tallies>>;
  readonly byStyle: Readonly<Record<Part, Tallies>>;
  /** Dev-part failures with their reasons, in case order. */
  readonly devFailures: readonly Failure[];
  readonly ms: number;
}

export interface UnseenReport {
  readonly model: string;
  readonly overall: Tally;
  /** Under each case's first tool set. */
  readonly bySet: Tallies;
  readonly byStyle: Tallies;
  readonly byCategory: Tallies;
  /** Fewest and most tools bound to one case. */
  readonly toolsPerCase: readonly [number, number];
  readonly ms: number;
}

export function tally(results: readonly CaseResult[]): Tally {
  return { passed: results.filter((r) => r.passed).length, total: results.length };
}

/** Tallies grouped by a key, in the order of `order` (then any other keys, sorted). */
export function tallyBy(results: readonly CaseResult[], key: (r: CaseResult) => string, order: readonly string[] = []): Tallies {
  const keys = [...new Set([...order.filter((k) => results.some((r) => key(r) === k)), ...results.map(key).sort()])];
  return Object.fromEntries(keys.map((k) => [k, tally(results.filter((r) => key(r) === k))]));
}

export function summarizeHelpdesk(results: readonly CaseResult[], model: string, ms: number): HelpdeskReport {
  const isFresh = (r: CaseResult) => r.tags.includes('fresh');
  const of = (part: Part) => results.filter((r) => r.part === part && !isFresh(r));
  return {
    model,
    overall: tally(results),
    parts: { dev: tally(of('dev')), heldout: tally(of('heldout')) },
    fresh: tally(results.filter((r) => r.part === 'dev' && isFresh(r))),
    byCategory: { dev: tallyBy(of('dev'), (r) => r.category, CATEGORIES), heldout: tallyBy(of('heldout'), (r) => r.category, CATEGORIES) },
    byStyle: { dev: tallyBy(of('dev'), (r) => r.style, STYLES), heldout: tallyBy(of('heldout'), (r) => r.style, STYLES) },
    devFailures: results
      .filter((r) => r.part === 'dev' && !r.passed)
      .map((r) => ({ id: r.id, category: r.category, style: r.style, reasons: r.reasons })),
    ms,
  };
}

export function summarizeUnseen(
  results: readonly CaseResult[],
  model: string,
  ms: number,
  toolsPerCase: readonly [number, number],
): UnseenReport {
  return {
    model,
    overall: tally(results),
    bySet: tallyBy(results, (r) => r.sets[0] ?? '(none)'),
    byStyle: tallyBy(results, (r) => r.style, STYLES),
    byCategory: tallyBy(results, (r) => r.category, CATEGORIES),
    toolsPerCase,
    ms,
  };
}

/** "12/40  30%" */
export function formatTally(t: Tally | undefined): string {
  if (!t || t.total === 0) return '-';
  return `${t.passed}/${t.total} ${String(Math.round((100 * t.passed) / t.total)).padStart(3)}%`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows
    .map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('   '))
    .join('\n');
}

function side(title: string, dev: Tallies, heldout: Tallies): string {
  const keys = [...new Set([...Object.keys(dev), ...Object.keys(heldout)])];
  return table([[title, 'dev', 'held-out'], ...keys.map((k) => [k, formatTally(dev[k]), formatTally(heldout[k])])]);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatHelpdeskReport(report: HelpdeskReport): string {
  const lines = [
    `Help-desk evaluation (${report.model}): ${formatTally(report.overall)} in ${seconds(report.ms)}`,
    '',
    table([
      ['part', 'passed'],
      ['dev', formatTally(report.parts.dev)],
      ['dev, fresh batch', formatTally(report.fresh)],
      ['held-out (frozen)', formatTally(report.parts.heldout)],
    ]),
    '',
    side('category', report.byCategory.dev, report.byCategory.heldout),
    '',
    side('style', report.byStyle.dev, report.byStyle.heldout),
  ];
  if (report.devFailures.length > 0) {
    lines.push('', `Dev failures (${report.devFailures.length}; held-out failures are never shown):`);
    for (const failure of report.devFailures) {
      lines.push(`  ${failure.id} [${failure.category}/${failure.style}]`);
      for (const reason of failure.reasons) lines.push(`    - ${reason}`);
    }
  }
  return lines.join('\n');
}

export function formatUnseenReport(report: UnseenReport): string {
  const [fewest, most] = report.toolsPerCase;
  return [
    `Unseen-tools evaluation (${report.model}): ${formatTally(report.overall)} in ${seconds(report.ms)}, ${fewest}-${most} tools bound per case (never tuned on: counts only)`,
    '',
    table([['tool set', 'passed'], ...Object.entries(report.bySet).map(([k, t]) => [k, formatTally(t)])]),
    '',
    table([['style', 'passed'], ...Object.entries(report.byStyle).map(([k, t]) => [k, formatTally(t)])]),
    '',
    table([['category', 'passed'], ...Object.entries(report.byCategory).map(([k, t]) => [k, formatTally(t)])]),
  ].join('\n');
}
