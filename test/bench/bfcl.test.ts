import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bfclDir, hasBfcl, toJsonSchema, toTool } from '../../scripts/bench/bfclData.ts';
import { runBfcl } from '../../scripts/bench/bfcl.ts';
import { normalizeString, scoreCall, scoreCalls, scoreIrrelevance, type FunctionShape } from '../../scripts/bench/bfclScore.ts';

const shapes: FunctionShape[] = [
  { name: 'geo.distance', properties: ['from', 'to', 'unit'], required: ['from', 'to'] },
  { name: 'play', properties: ['artist', 'minutes'], required: ['artist', 'minutes'] },
];
const truth = { 'geo.distance': { from: ['Paris', 'Paris, France'], to: ['Berlin'], unit: ['km', ''] } };

describe('BFCL scorer', () => {
  test('a call with the right name and allowed values passes; dots in names are underscores', () => {
    assert.deepEqual(scoreCall({ name: 'geo_distance', args: { from: 'paris, france', to: 'BERLIN', unit: 'km' } }, truth, shapes), {
      ok: true,
    });
  });

  test('the wrong function name fails', () => {
    assert.equal(scoreCall({ name: 'geo.distance', args: { from: 'Paris', to: 'Berlin' } }, truth, shapes).ok, false);
    assert.equal(scoreCall({ name: 'play', args: { from: 'Paris', to: 'Berlin' } }, truth, shapes).ok, false);
  });

  test('a missing required parameter fails; an optional one may be left out only where "" is allowed', () => {
    assert.equal(scoreCall({ name: 'geo_distance', args: { from: 'Paris' } }, truth, shapes).ok, false);
    assert.equal(scoreCall({ name: 'geo_distance', args: { from: 'Paris', to: 'Berlin' } }, truth, shapes).ok, true);
    const strict = { 'geo.distance': { from: ['Paris'], to: ['Berlin'], unit: ['km'] } };
    assert.equal(scoreCall({ name: 'geo_distance', args: { from: 'Paris', to: 'Berlin' } }, strict, shapes).ok, false);
  });

  test('a parameter the function lacks fails, and so does one the ground truth does not allow', () => {
    assert.equal(scoreCall({ name: 'geo_distance', args: { from: 'Paris', to: 'Berlin', via: 'Lyon' } }, truth, shapes).ok, false);
    const noUnit = { 'geo.distance': { from: ['Paris'], to: ['Berlin'] } };
    assert.equal(scoreCall({ name: 'geo_distance', args: { from: 'Paris', to: 'Berlin', unit: 'km' } }, noUnit, shapes).ok, false);
  });

  test('strings compare case-insensitively without spaces and ,./-_*^\'" but otherwise exactly', () => {
    assert.equal(normalizeString(`New-York, U.S.A_'x'*^"`), 'newyorkusax');
    assert.equal(scoreCall({ name: 'geo_distance', args: { from: 'Paris', to: 'Berlin!' } }, truth, shapes).ok, false);
    assert.equal(scoreCall({ name: 'geo_distance', args: { from: 'Par is', to: 'ber-lin' } }, truth, shapes).ok, true);
  });

  test('numbers compare by value and type: 20 matches 20.0, "20" does not', () => {
    const minutes = { play: { artist: ['Maroon 5'], minutes: [20] } };
    assert.equal(scoreCall({ name: 'play', args: { artist: 'Maroon 5', minutes: 20.0 } }, minutes, shapes).ok, true);
    assert.equal(scoreCall({ name: 'play', args: { artist: 'Maroon 5', minutes: '20' } }, minutes, shapes).ok, false);
    assert.equal(scoreCall({ name: 'play', args: { artist: 'Maroon 5', minutes: 21 } }, minutes, shapes).ok, false);
  });

  test('lists compare element by element, objects key by key with "" allowing a key to be left out', () => {
    const shape: FunctionShape[] = [{ name: 'f', properties: ['xs', 'range'], required: ['xs'] }];
    const expected = { f: { xs: [[1, 'a']], range: [{ min: [1], max: [9, ''] }, ''] } };
    assert.equal(scoreCall({ name: 'f', args: { xs: [1, 'A'] } }, expected, shape).ok, true);
    assert.equal(scoreCall({ name: 'f', args: { xs: ['a', 1] } }, expected, shape).ok, false);
    assert.equal(scoreCall({ name: 'f', args: { xs: [1] } }, expected, shape).ok, false);
    assert.equal(scoreCall({ name: 'f', args: { xs: [1, 'a'], range: { min: 1 } } }, expected, shape).ok, true);
    assert.equal(scoreCall({ name: 'f', args: { xs: [1, 'a'], range: { max: 9 } } }, expected, shape).ok, false);
    assert.equal(scoreCall({ name: 'f', args: { xs: [1, 'a'], range: { min: 1, step: 2 } } }, expected, shape).ok, false);
  });

  test('parallel calls match one to one in any order, and their count must be the same', () => {
    const expected = [{ play: { artist: ['Taylor Swift'], minutes: [20] } }, { play: { artist: ['Maroon 5'], minutes: [15] } }];
    const swift = { name: 'play', args: { artist: 'Taylor Swift', minutes: 20 } };
    const maroon = { name: 'play', args: { artist: 'Maroon 5', minutes: 15 } };
    assert.equal(scoreCalls([maroon, swift], expected, shapes).ok, true);
    assert.equal(scoreCalls([swift, swift], expected, shapes).ok, false);
    assert.equal(scoreCalls([swift], expected, shapes).ok, false);
    assert.equal(scoreCalls([swift, maroon, maroon], expected, shapes).ok, false);
    // A call that fits either expected call must not take the only partner of the other.
    const loose = [
      { play: { artist: ['Taylor Swift', 'Maroon 5'], minutes: [20] } },
      { play: { artist: ['Taylor Swift'], minutes: [20] } },
    ];
    assert.equal(scoreCalls([{ name: 'play', args: { artist: 'Maroon 5', minutes: 20 } }, swift], loose, shapes).ok, true);
  });

  test('irrelevance is right only when no call is made', () => {
    assert.equal(scoreIrrelevance([]).ok, true);
    assert.equal(scoreIrrelevance([{ name: 'play', args: {} }]).ok, false);
  });
});

describe('BFCL tools', () => {
  test("BFCL's type names become JSON Schema, deep inside objects and arrays, and dotted names get underscores", () => {
    const schema = toJsonSchema({
      type: 'dict',
      properties: {
        ratio: { type: 'float' },
        pair: { type: 'tuple', items: { type: 'float' } },
        anything: { type: 'any', description: 'x' },
        nested: { type: 'dict', properties: { n: { type: 'integer' } } },
      },
      required: ['ratio'],
    });
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        ratio: { type: 'number' },
        pair: { type: 'array', items: { type: 'number' } },
        anything: { description: 'x' },
        nested: { type: 'object', properties: { n: { type: 'integer' } } },
      },
      required: ['ratio'],
    });
    assert.equal(toTool({ name: 'math.gcd', description: 'GCD', parameters: { type: 'dict', properties: {} } }).function.name, 'math_gcd');
  });
});

/**
 * A few points under what the offline planner reaches (2 December 2026: simple 26.8%, multiple
 * 33.0%, parallel 4.5%, parallel_multiple 5.5%, irrelevance 92.5%; before issue 8's argument work
 * 14.0 / 15.5 / 0 / 4.0 / 94.6; after planner-choose's name aliases, dictionary verbs, joined parts and
 * unwrapped requests: 29.5 / 33.5 / 5.0 / 8.0 / 91.3; with planner-args' filling too: 40.8 / 44.0 / 14.0 / 7.5 / 91.7; with places keeping their region: 41.3 / 44.0 / 14.0 / 7.5 / 91.7; with enums by meaning, nested objects,
 * ranges, description examples and pairs: 43.8 / 48.5 / 15.0 / 7.5 / 91.7; with bracketed number groups, stated
 * defaults, kind modifiers and currency/unit conversions: 48.5 / 52.5 / 15.5 / 7.5 / 90.8; with steps that repeat
 * the one before ("then repeat with ...", "do the same for ...") read as one: parallel 22.0; with unit properties,
 * identifiers after their name, numeric dates and description date layouts, units measuring a property's quantity:
 * simple 52.8, multiple 55.5; with later steps taking the values earlier ones were given ("of the same company"):
 * parallel 23.5, parallel_multiple 10.0; with clauses sharing out a gathered list ("parks in A that have X and Y,
 * then in B that have Z"): parallel 25.5; with names as schemas ask them (a city with its state from WordNet,
 * full names for people, kind words dropped, clock times, named number lists, periods, examples said): simple
 * 64.5, multiple 66.0; with word problems read whole, verbless second requests cut where the tool changes, two lists
 * making every pair unless "respectively", and count words that are no values: parallel 31.5, parallel_multiple 12.5;
 * with SI prefixes scaled to the schema's unit and seasons of two years kept whole: simple 65.5, multiple 67.0;
 * with cases set out one by one ("The first triangle ... The second ...", "Fund A ... Fund B", "a bond ... another
 * bond"), places listed with their region, lists inside clauses, paired array lists, written word lists, tool names
 * that are no values and each clause's loosely said names: parallel 44.0; with lists of the words that tell sibling
 * tools apart ("temperature and humidity forecast"), steps after "then" that need no result running at once,
 * "he"/"his" and "these years" taking what was said before, and quoted "'a' or 'b'" choices: simple 67.3, multiple
 * 67.5, parallel_multiple 19.0).
 * Our derived rows (not official BFCL): simple_python at 20 tools 61.3%, irrelevance at 20 tools 78.8% (a call needs a word
 * that sets its tool apart, see saysApart in choose.ts); with names' leading verbs, servers' examples and prefixed ids
 * read (planner-unseen): simple_python at 20 tools 64.3%, irrelevance at 20 tools 78.8%; with colon-joined codes, names'
 * particles and each path-taking property's own path: simple_python at 20 tools 65.0%, irrelevance at 20 tools 79.2%.
 * Raise them as the planner gets better.
 */
const FLOORS = { simple_python: 0.71, multiple: 0.71, parallel: 0.5, parallel_multiple: 0.21, irrelevance: 0.9 } as const;
const DERIVED_FLOORS: Record<string, number> = { 'simple_python at 20 tools': 0.68, 'irrelevance at 20 tools': 0.77 };

describe('BFCL v4 floors', () => {
  const dir = bfclDir();
  test('each category stays at or above its floor', { skip: hasBfcl(dir) ? false : `no BFCL data at ${dir}` }, async () => {
    const report = await runBfcl({ dir });
    for (const category of report.categories) {
      const rate = category.passed / category.total;
      assert.ok(
        rate >= FLOORS[category.category],
        `${category.category}: ${(100 * rate).toFixed(1)}% < floor ${100 * FLOORS[category.category]}%`,
      );
    }
    assert.equal(report.categories.length, 5);
    for (const row of report.derived) {
      const rate = row.passed / row.total;
      const floor = DERIVED_FLOORS[row.label] ?? 1;
      assert.ok(rate >= floor, `${row.label}: ${(100 * rate).toFixed(1)}% < floor ${100 * floor}%`);
    }
    assert.equal(report.derived.length, 2);
  });
});
