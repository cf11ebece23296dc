import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEV_UNSEEN_CASES, DEV_UNSEEN_SETS } from '../../scripts/bench/plannerEvalDevUnseen.ts';
import { BATCH4_CASES } from '../../scripts/bench/plannerEvalDevUnseenBatch4.ts';
import { BATCH5_CASES } from '../../scripts/bench/plannerEvalDevUnseenBatch5.ts';
import { BATCH6_CASES } from '../../scripts/bench/plannerEvalDevUnseenBatch6.ts';
import { runUnseenCases } from '../../scripts/bench/plannerEvalUnseen.ts';
import { toolShapesBySet, validateCases, validateToolSets } from '../../scripts/bench/plannerEvalValidate.ts';

/**
 * A little under what the offline planner reached on the tunable dev-unseen part (git, sheets,
 * music, maps, shop, chat; 3 December 2026: 17/41 = 41.5% when the first 41 requests were written,
 * 33/41 = 80.5% after reading servers' examples, leading verbs, prefixed ids, reasons, recipients,
 * addresses and bounds; 35/47 = 74.5% with a second batch of 6 written after that tuning; 44/60 = 73.3%
 * with a third batch of 13 and a drive set, written before running them (8/13 as written); 48/60 = 80% after
 * colon-joined codes, names' particles, filled properties' phrases and each path property's own path); 51/60 = 85%
 * after find-then-act chains and values named by their property's noun; 52/60 = 86.7% with enum filters before a plural; 53/60 = 88.3% after main's notation changes), so a change that makes real-MCP-shaped tool sets worse fails here.
 */
const FLOOR = 0.85;

/**
 * The fourth batch (tracker, payments, cluster; plannerEvalDevUnseenBatch4.ts) has its own floor, so
 * new cases never dilute the first batches' one: 9/28 = 32.1% as written, 16/28 = 57.1% after prefixed codes read back
 * from results, finders chosen beside the tool acting on what they find, values named by their property's noun
 * ("the prod namespace", "assign it to priya", "in ENG") and numbered scales ("1 = urgent, 2 = high"); 17/28 = 60.7% once
 * a server's word alone no longer makes a tool fit an unknown verb ("upgrade the cluster"); 19/28 = 67.9% with
 * a phrase after the preposition a description puts before a property's noun ("List pods in a namespace": "in staging")
 * and sums in cents where the description counts the smallest currency unit; 20/28 = 71.4% once a first and
 * last name fills a property described as a full name ("new customer Ada Lovelace").
 */
const BATCH4_FLOOR = 0.69;
const BATCH4 = new Set(BATCH4_CASES.map((c) => c.id));

/**
 * The fifth batch (workspace, home; plannerEvalDevUnseenBatch5.ts), the best stand-in for the frozen
 * unseen set: 8/21 = 38.1% as written; 13/21 = 61.9% once an identifier example spelled from words
 * the request says ("e.g. lock.front_door": "lock the front door") is taken as the value; 14/21 = 66.7% with
 * phrases after the preposition a description puts before a property's noun ("in one domain or area": "in the kitchen");
 * 15/21 = 71.4% once a code after the noun a description says an identifier names ("ID of the parent page": "under page
 * a1f3c2d4") fills it.
 */
const BATCH5_FLOOR = 0.69;
const BATCH5 = new Set(BATCH5_CASES.map((c) => c.id));

/**
 * The sixth batch (travel, people, monitor; plannerEvalDevUnseenBatch6.ts), three domains no earlier set
 * covers, weighted to chains, follow-ups, compound requests, emails and lists like the frozen unseen set:
 * 12/30 = 40% as written; 18/30 = 60% once a whole-number id ("monitor_id") points back at a record's number, "the first
 * one" and a copula ("which monitors are ...") leave the free text, a day a few weeks ahead keeps this year ("on dec 12") and
 * a range of days before one month ("from 12 to 15 December") gives both dates; 19/30 = 63.3% once an update sets a field
 * "to" the name after it ("title to Senior Account Executive").
 */
const BATCH6_FLOOR = 0.6;
const BATCH6 = new Set(BATCH6_CASES.map((c) => c.id));

describe('dev-unseen tool sets', () => {
  test('the fixtures are sound', () => {
    const problems = [...validateToolSets(DEV_UNSEEN_SETS), ...validateCases([DEV_UNSEEN_CASES], [], toolShapesBySet(DEV_UNSEEN_SETS))];
    assert.deepEqual(problems, []);
  });

  test('the offline planner stays at or above its floor', async () => {
    const results = await runUnseenCases({ cases: DEV_UNSEEN_CASES, sets: DEV_UNSEEN_SETS });
    const failures = results.filter((result) => !result.passed).map((result) => `${result.id}: ${result.reasons.join(' | ')}`);
    for (const [name, part, floor] of [
      ['dev-unseen', results.filter((result) => !BATCH4.has(result.id) && !BATCH5.has(result.id) && !BATCH6.has(result.id)), FLOOR],
      ['dev-unseen batch 4', results.filter((result) => BATCH4.has(result.id)), BATCH4_FLOOR],
      ['dev-unseen batch 5', results.filter((result) => BATCH5.has(result.id)), BATCH5_FLOOR],
      ['dev-unseen batch 6', results.filter((result) => BATCH6.has(result.id)), BATCH6_FLOOR],
    ] as const) {
      const passed = part.filter((result) => result.passed).length;
      assert.ok(passed / part.length >= floor, `${name} ${passed}/${part.length} < floor ${floor}\n${failures.join('\n')}`);
    }
  });
});
