import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { startEvalAgents, type EvalAgents } from '../../scripts/bench/plannerEvalAgents.ts';
import { loadHelpdeskFiles, loadSeed, loadUnseen, type CaseFile, type EvalCase } from '../../scripts/bench/plannerEvalCases.ts';
import { runHelpdeskCases } from '../../scripts/bench/plannerEvalHelpdesk.ts';
import { oracle } from '../../scripts/bench/plannerEvalOracle.ts';
import { runHelpdeskEval, runUnseenEval } from '../../scripts/bench/plannerEval.ts';
import { runUnseenCases } from '../../scripts/bench/plannerEvalUnseen.ts';
import { toolShapesBySet, validateCases, validateToolSets } from '../../scripts/bench/plannerEvalValidate.ts';
import type { CaseResult } from '../../scripts/bench/plannerEvalRun.ts';
import { ScriptedChatModel, callThenAnswer, type Script } from '../helpers/scriptedModel.ts';

/**
 * A little under what the offline planner reached when the evaluation was written (2 December
 * 2026: dev 26/126 = 20.6%, held-out 8/44 = 18.2%, unseen tools 16/89 = 18.0%; after planner-flow's
 * splitting, reading-by-default, chaining and answers: dev 44/126 = 34.9%, held-out 9/44 = 20.5%,
 * unseen 14/89 = 15.7%; after planner-flow's second round (steps chained on the step before, text pointed back
 * at, fields asked for in words): dev 58/126 = 46.0%, held-out 12/44 = 27.3%, unseen 15/89 = 16.9%; after its third
 * round (questions look things up, the words naming what a tool handles leave its query, "..., log it"):
 * dev 69/126 = 54.8%, held-out 15/44 = 34.1%, unseen 15/89 = 16.9%; after planner-args2 (settings after a payload,
 * "for First Last" as the person, "the X group" as the group, "urgent" as high): dev 75/126 = 59.5%, held-out 17/44 = 38.6%,
 * unseen 15/89 = 16.9%; after planner-helpdesk (letters lose greeting and sign-off, statements beside a request are its
 * context, a text quoted in the request is what "this message" means, leftovers that name nothing are no query, "to" of
 * assigned_to is no role): dev 84/126 = 66.7%, held-out 19/44 = 43.2%,
 * unseen 15/89 = 16.9%; after planner-helpdesk's second round (teams are not people, enum words inside names are no
 * values, colon payloads keep their relative clauses, "its link" is the found address, a later turn's "a fix" is about
 * the turn before, results tell who holds them and each analysis): dev 98/126 = 77.8%, held-out 22/44 = 50.0%; after
 * helpdesk's third round (change history asked for and shown, "start work", a question's closing ask picks the reader,
 * a setting for the record being made joins its making, a bare reply completes the request that lacked a value):
 * dev 108/126 = 85.7%, held-out 23/44 = 52.3%; with "and bump it" / "and look up" as requests of their own, "find that
 * X ticket", an opening adverb before the verb: dev 111/126 = 88.1%, held-out 24/44 = 54.5%; with typing slips read
 * as the words meant, a letter's story as the summary and query when the ask names only results, and the levels that
 * story names: dev 114/126 = 90.5%, held-out 25/44 = 56.8%; with "ID -> field value" and "ID: verb ..." shorthand, "two
 * incidents: one for X and one for Y", a counting lead ("Two things please:") dropped and a verb said again starting a
 * request of its own: dev 117/126 = 92.9%; with a sentence before a request as its story and a step that points back
 * but names another server's work going there, on the field it names: dev 119/126 = 94.4%, held-out 26/44 = 59.1%),
 * so the test fails
 * when a change makes it worse. Raise them as the planner gets better (issue 8's targets:
 * help-desk 90%, held-out 85%, unseen tools 80%).
 */
// fresh: the dev part's second batch (helpdesk-dev2.json, 20 cases written on 3 December 2026 after round 1 of
// tuning, as a stand-in for the held-out part): 9/20 = 45% as written, 12/20 after.
const FLOORS = { dev: 0.92, heldout: 0.56, fresh: 0.55, unseen: 0.15 };

const rate = (t: { passed: number; total: number }) => t.passed / t.total;
const failuresOf = (results: readonly CaseResult[]) =>
  results
    .filter((r) => !r.passed)
    .map((r) => `${r.id}: ${r.reasons.join(' | ')}`)
    .join('\n');

/** Tool results since the last human message, parsed. */
function resultsOf(messages: BaseMessage[]): { name: string; result: unknown }[] {
  const last = messages.map((m) => m.getType()).lastIndexOf('human');
  return messages
    .slice(last + 1)
    .filter((m) => m.getType() === 'tool')
    .map((m) => ({ name: (m as unknown as { name: string }).name, result: JSON.parse(String(m.content)) as unknown }));
}

// One set of agent servers for every help-desk run of this file; each run resets their data per case.
let agents: EvalAgents;
before(async () => {
  agents = await startEvalAgents(await loadSeed());
});
after(async () => {
  await agents.close();
});

describe('planner evaluation fixtures', () => {
  test('there are enough cases, a quarter of the help desk is held out, and styles are spread over both parts', async () => {
    const [dev, heldout] = await loadHelpdeskFiles();
    assert.equal(dev!.part, 'dev');
    assert.equal(dev!.frozen, false);
    assert.equal(heldout!.part, 'heldout');
    assert.equal(heldout!.frozen, true, 'the held-out file says it is frozen');
    const total = dev!.cases.length + heldout!.cases.length;
    assert.ok(total >= 150, `${total} help-desk cases`);
    assert.ok(heldout!.cases.length >= 38 && heldout!.cases.length >= total / 4, `${heldout!.cases.length} held out of ${total}`);
    for (const key of ['style', 'category'] as const) {
      const kinds = new Set(dev!.cases.map((c) => c[key]));
      for (const kind of kinds)
        assert.ok(
          heldout!.cases.some((c) => c[key] === kind),
          `held-out part has a ${kind} case`,
        );
    }
    const { cases, sets } = await loadUnseen();
    assert.equal(cases.frozen, true);
    assert.ok(cases.cases.length >= 60, `${cases.cases.length} unseen-tools cases`);
    assert.ok(sets.length >= 6, `${sets.length} tool sets`);
    for (const set of sets) {
      const own = cases.cases.filter((c) => c.sets?.[0] === set.server).length;
      assert.ok(own >= 8, `${own} cases for tool set ${set.server}`);
    }
    const tools = new Map(sets.map((set) => [set.server, set.tools.length]));
    for (const c of cases.cases) {
      const bound = (c.sets ?? []).reduce((n, s) => n + (tools.get(s) ?? 0), 0);
      assert.ok(bound >= 8 && bound <= 25, `${c.id} binds ${bound} tools`);
    }
  });

  test('the unseen tool sets are valid MCP tool lists and every case names real tools, arguments and enum values', async () => {
    const { cases, sets } = await loadUnseen();
    assert.deepEqual(validateToolSets(sets), []);
    assert.deepEqual(validateCases([cases], [], toolShapesBySet(sets)), []);
  });

  test('the validator finds unknown tools, unknown arguments, illegal enum values, bad templates and invalid schemas', async () => {
    const { sets } = await loadUnseen();
    const broken: CaseFile = {
      part: 'heldout',
      frozen: true,
      cases: [
        {
          id: 'x-1',
          category: 'single',
          style: 'terse',
          sets: ['jira'],
          turns: [
            {
              user: 'x',
              expect: {
                calls: [
                  { tool: 'jira__delete-issue' },
                  { tool: 'jira__create-issue', args: { projekt: 'WEB', priority: 'Urgent' } },
                  { use: 'nope' },
                  { tool: 'weather__getForecast', args: { location: 'Paris' } },
                ],
              },
            },
          ],
        },
        { id: 'x-1', category: 'single', style: 'shouty' as never, sets: ['nowhere'], turns: [{ user: 'y', expect: { kind: 'refuse' } }] },
      ],
    };
    const problems = validateCases([broken], [], toolShapesBySet(sets)).join('\n');
    for (const expected of [
      /no tool jira__delete-issue/,
      /has no argument projekt/,
      /"Urgent" is not a legal jira__create-issue priority/,
      /no call template named "nope"/,
      /no tool weather__getForecast/, // bound sets only: weather is not bound to this case
      /id is used twice/,
      /unknown style "shouty"/,
      /no tool set nowhere/,
    ]) {
      assert.match(problems, expected);
    }
    const bad = structuredClone(sets[0]!) as unknown as {
      tools: { inputSchema: Record<string, unknown> }[];
      fakes: Record<string, unknown>;
    };
    bad.tools[0]!.inputSchema = { type: 'object', properties: { a: { type: 'strng' } } };
    delete bad.fakes[Object.keys(bad.fakes)[0]!];
    const setProblems = validateToolSets([bad as never]).join('\n');
    assert.match(setProblems, /inputSchema is invalid/);
    assert.match(setProblems, /has no fake/);
  });

  // Split by part so that no single test comes near the per-test timeout on a loaded machine.
  for (const part of ['dev', 'heldout'] as const) {
    test(`every help-desk ${part} case passes when the oracle plays its expectation (the expectations can be met)`, async () => {
      const results = await runHelpdeskCases({ model: oracle, agents, filter: (id) => id.startsWith(part === 'dev' ? 'dev-' : 'ho-') });
      assert.ok(results.length >= (part === 'dev' ? 100 : 38), `${results.length} cases`);
      assert.equal(failuresOf(results), '');
    });
  }

  test('every unseen-tools case passes when the oracle plays its expectation', async () => {
    const unseen = await runUnseenCases({ model: oracle });
    assert.ok(unseen.length >= 60);
    assert.equal(failuresOf(unseen), '');
  });
});

describe('planner evaluation harness', () => {
  test('judges a scripted model: right answers pass, wrong ones fail with the reason', async () => {
    const scripts: Record<string, Script> = {
      // right: a read for "check"
      'dev-014': callThenAnswer([{ name: 'incident__get_incident', args: { number: 'INC0010003' } }], () => 'INC0010003 is In Progress.'),
      // right: README's compound request, both parts, the top article named
      'dev-046': callThenAnswer(
        [
          { name: 'incident__create_incident', args: { short_description: 'VPN down for the Paris office', urgency: 'high' } },
          { name: 'search__web_search', args: { query: 'VPN fixes' } },
        ],
        (messages) => {
          const search = resultsOf(messages).find((r) => r.name === 'search__web_search')!.result as { results: { title: string }[] };
          return `Created INC0010021. Best article: ${search.results[0]!.title}.`;
        },
      ),
      // wrong: "check" turned into a write
      'dev-015': callThenAnswer(
        [{ name: 'incident__update_incident', args: { number: 'INC0010004', state: 'In Progress' } }],
        () => 'Done.',
      ),
      // wrong: right call, but the answer dumps the record and claims a failure
      'dev-016': callThenAnswer(
        [{ name: 'incident__get_incident', args: { number: 'INC0010006' } }],
        () => 'failed: short_description SSO login loop, priority_label 1 - Critical, assigned_to Kenji Watanabe',
      ),
      // wrong: a tool called for a request no tool fits
      'dev-113': callThenAnswer([{ name: 'search__web_search', args: { query: 'flight to Rome' } }], () => 'Here is what I found.'),
      // wrong: leftover words in the query
      'dev-034': callThenAnswer([{ name: 'search__web_search', args: { query: 'ANY KB ARTICLES ON PRINTER PAPER JAMS' } }], (messages) => {
        const search = resultsOf(messages)[0]!.result as { results: { title: string }[] };
        return search.results[0]!.title;
      }),
    };
    const results = await runHelpdeskCases({
      model: (c: EvalCase) => new ScriptedChatModel(scripts[c.id]!),
      filter: (id) => id in scripts,
      agents,
    });
    const byId = new Map(results.map((r) => [r.id, r]));
    assert.deepEqual(byId.get('dev-014')!.reasons, []);
    assert.deepEqual(byId.get('dev-046')!.reasons, []);
    const reasons = (id: string) => byId.get(id)!.reasons.join('\n');
    assert.match(reasons('dev-015'), /expected incident__get_incident\(number "INC0010004"\); calls made: incident__update_incident/);
    assert.match(reasons('dev-016'), /answer dumps fields \(.*short_description/);
    assert.match(reasons('dev-016'), /answer says "failed" though every call succeeded/);
    assert.doesNotMatch(reasons('dev-016'), /Kenji/, 'the assignee was named: only the form is wrong');
    assert.match(reasons('dev-113'), /a refusal was expected/);
    assert.match(reasons('dev-113'), /no other call was expected; got search__web_search/);
    assert.match(reasons('dev-034'), /query: must not contain "kb", "articles", "any"/);
  });

  test('follow-ups run as turns of one thread, and the unseen sets answer through their fakes', async () => {
    let seenInSecondTurn = 0;
    const followup: Script = (messages) => {
      const humans = messages.filter((m) => m.getType() === 'human').length;
      const since = messages.slice(messages.map((m) => m.getType()).lastIndexOf('human') + 1);
      if (humans === 1) {
        return since.length === 0
          ? new AIMessage({
              content: '',
              tool_calls: [{ id: 'c1', name: 'weather__getCurrentWeather', args: { location: 'Paris' }, type: 'tool_call' }],
            })
          : new AIMessage('Paris: 8 degrees, light rain.');
      }
      seenInSecondTurn = messages.length;
      return since.length === 0
        ? new AIMessage({
            content: '',
            tool_calls: [
              { id: 'c2', name: 'weather__getCurrentWeather', args: { location: 'Paris', units: 'imperial' }, type: 'tool_call' },
            ],
          })
        : new AIMessage(
            `That is ${(resultsOf(messages)[0]!.result as { current: { temperature: number }[] }).current[0]!.temperature} °F, light rain.`,
          );
    };
    const wrong = callThenAnswer([{ name: 'weather__getForecast', args: { location: 'Paris' } }], () => 'Rain.');
    const results = await runUnseenCases({
      model: (c: EvalCase) => new ScriptedChatModel(c.id === 'un-wx-08' ? followup : wrong),
      filter: (id) => id === 'un-wx-08' || id === 'un-wx-01',
    });
    const byId = new Map(results.map((r) => [r.id, r]));
    assert.deepEqual(byId.get('un-wx-08')!.reasons, []);
    assert.ok(seenInSecondTurn >= 5, 'the second turn sees the first turn, its call and its answer');
    assert.match(
      byId.get('un-wx-01')!.reasons.join('\n'),
      /expected weather__getCurrentWeather\(location with "paris"\); calls made: weather__getForecast/,
    );
  });

  test('refuses to run help-desk fixtures that name tools or arguments that do not exist', async () => {
    const broken: CaseFile = {
      part: 'dev',
      frozen: false,
      cases: [
        {
          id: 'b-1',
          category: 'single',
          style: 'terse',
          turns: [
            {
              user: 'x',
              expect: { calls: [{ tool: 'incident__delete_incident' }, { tool: 'incident__get_incident', args: { id: 'INC0010001' } }] },
            },
          ],
        },
      ],
    };
    await assert.rejects(runHelpdeskCases({ files: [broken], agents }), (error: Error) => {
      assert.match(error.message, /help-desk fixtures are broken/);
      assert.match(error.message, /no tool incident__delete_incident/);
      assert.match(error.message, /incident__get_incident has no argument id/);
      return true;
    });
  });
});

describe('the offline planner on the evaluation', () => {
  test('stays at or above its floors on both help-desk parts, and only dev failures are listed', async () => {
    const helpdesk = await runHelpdeskEval({ agents });
    for (const part of ['dev', 'heldout'] as const) {
      const score = rate(helpdesk.parts[part]);
      assert.ok(score >= FLOORS[part], `${part}: ${(100 * score).toFixed(1)}% is under the floor of ${100 * FLOORS[part]}%`);
    }
    const fresh = rate(helpdesk.fresh);
    assert.ok(fresh >= FLOORS.fresh, `fresh dev batch: ${(100 * fresh).toFixed(1)}% is under the floor of ${100 * FLOORS.fresh}%`);
    const failed = (t: { passed: number; total: number }) => t.total - t.passed;
    assert.equal(helpdesk.devFailures.length, failed(helpdesk.parts.dev) + failed(helpdesk.fresh), 'every dev failure is listed');
    assert.ok(
      helpdesk.devFailures.every((f) => f.id.startsWith('dev-')),
      'held-out failures are never listed',
    );
  });

  test('stays at or above its floor on the unseen tools', async () => {
    const unseen = await runUnseenEval();
    const score = rate(unseen.overall);
    assert.ok(score >= FLOORS.unseen, `unseen: ${(100 * score).toFixed(1)}% is under the floor of ${100 * FLOORS.unseen}%`);
  });
});
