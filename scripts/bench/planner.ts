/**
 * `npm run bench -- planner`: the offline planner's figures in one run (issue 8) — BFCL v4
 * non-live AST with ms per decision (and a 20-tool row), the help-desk evaluation (dev and
 * held-out parts), and the unseen-tools evaluation.
 *
 * Flags: --only bfcl|helpdesk|unseen|dev-unseen (one part; dev-unseen: tunable requests over
 * other invented tool sets, failures printed), --limit N (first N BFCL cases per category),
 * --fails N (list N failing BFCL cases per category), --bfcl-dir PATH (default `BFCL_DIR`, else
 * ../shared/bfcl).
 */
import { parseArgs } from 'node:util';
import { loadEnv } from '../../src/config/env.ts';
import { formatBfcl, runBfcl } from './bfcl.ts';
import { formatPlannerEval, runPlannerEval } from './plannerEval.ts';
import { DEV_UNSEEN_CASES, DEV_UNSEEN_SETS, formatDevUnseen } from './plannerEvalDevUnseen.ts';
import { runUnseenCases } from './plannerEvalUnseen.ts';

const PARTS = ['bfcl', 'helpdesk', 'unseen', 'dev-unseen'] as const;
type Part = (typeof PARTS)[number];

/** Runs the planner bench with command-line flags; returns the exit code (2 for bad flags). */
export async function runPlannerBench(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      only: { type: 'string' },
      limit: { type: 'string' },
      fails: { type: 'string', default: '0' },
      'bfcl-dir': { type: 'string' },
    },
  });
  const only = values.only as Part | undefined;
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (only !== undefined && !PARTS.includes(only)) {
    process.stderr.write(`bench planner: --only takes ${PARTS.join('|')}, not "${values.only}"\n`);
    return 2;
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    process.stderr.write('bench planner: --limit must be a whole number >= 1\n');
    return 2;
  }
  const sections: string[] = [];
  if (only === undefined || only === 'bfcl') {
    const report = await runBfcl({ dir: values['bfcl-dir'] ?? loadEnv().BFCL_DIR, limit });
    sections.push(formatBfcl(report, Number(values.fails)));
    console.log(sections.at(-1));
  }
  if (only === undefined || only === 'dev-unseen') {
    const results = await runUnseenCases({ cases: DEV_UNSEEN_CASES, sets: DEV_UNSEEN_SETS });
    sections.push(formatDevUnseen(results, Number(values.fails) || Infinity));
    console.log(`${sections.length > 1 ? '\n' : ''}${sections.at(-1)}`);
  }
  if (only !== 'bfcl' && only !== 'dev-unseen') {
    const report = await runPlannerEval({
      only: only === 'helpdesk' || only === 'unseen' ? only : undefined,
      onProgress: (evaluation, done, total) => {
        if (done === total || done % 25 === 0) process.stderr.write(`${evaluation}: ${done}/${total}\n`);
      },
    });
    console.log(`${sections.length ? '\n' : ''}${formatPlannerEval(report)}`);
  }
  return 0;
}
