import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createAnalysisAgent } from '../../../servers/analysis/index.ts';
import type { ToolDefinition } from '../../../src/mcp/index.ts';
import { recordingContext } from '../../helpers/toolContext.ts';

const agent = createAnalysisAgent();

function tool(name: string): ToolDefinition {
  const found = agent.tools.find((candidate) => candidate.name === name);
  assert.ok(found, `tool ${name}`);
  return found;
}

async function call(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const definition = tool(name);
  const output = await definition.handler(definition.input.parse(args), recordingContext());
  return output.structured as Record<string, unknown>;
}

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/analysis/${name}`, import.meta.url), 'utf8')) as T;
}

interface Labelled {
  text: string;
  label: 'positive' | 'negative' | 'neutral' | 'mixed';
}

interface Measured {
  readonly correct: number;
  readonly total: number;
  readonly flips: number;
  readonly confusion: string;
}

async function measure(items: readonly Labelled[]): Promise<Measured> {
  const confusion = new Map<string, number>();
  let correct = 0;
  let flips = 0;
  for (const { text, label } of items) {
    const { label: predicted } = (await call('analyze_sentiment', { text })) as { label: string };
    if (predicted === label) correct += 1;
    if ((label === 'positive' && predicted === 'negative') || (label === 'negative' && predicted === 'positive')) flips += 1;
    confusion.set(`${label}->${predicted}`, (confusion.get(`${label}->${predicted}`) ?? 0) + 1);
  }
  return { correct, total: items.length, flips, confusion: JSON.stringify(Object.fromEntries([...confusion].sort())) };
}

// VADER and wink averaged per sentence. Measured: sentiment.json 0.833 (30/36; 0.75 before
// VADER), the held-out set 0.70 (14/20, written before the combination was measured; 0.60
// before VADER), 0.786 overall. What is left is mostly lexicon gaps: "nightmare", "jammed" and
// "nobody called" carry no polarity in either lexicon, "error" and "saved" carry the wrong one.
test('sentiment accuracy on labelled help-desk messages', async (t) => {
  const { items } = fixture<{ items: Labelled[] }>('sentiment.json');
  const { items: heldOut } = fixture<{ items: Labelled[] }>('sentiment-holdout.json');
  assert.ok(items.length >= 30 && heldOut.length >= 15);
  const tuned = await measure(items);
  const fresh = await measure(heldOut);
  const accuracy = (measured: Measured): number => measured.correct / measured.total;
  for (const [name, measured] of [
    ['sentiment.json', tuned],
    ['held-out', fresh],
  ] as const) {
    t.diagnostic(
      `${name}: accuracy ${accuracy(measured).toFixed(3)} (${measured.correct}/${measured.total}), positive/negative flips ${measured.flips}`,
    );
    t.diagnostic(`${name}: confusion ${measured.confusion}`);
  }
  const overall = (tuned.correct + fresh.correct) / (tuned.total + fresh.total);
  t.diagnostic(`overall accuracy ${overall.toFixed(3)}`);
  assert.ok(accuracy(tuned) >= 0.8, `sentiment.json accuracy ${accuracy(tuned)}`);
  assert.ok(accuracy(fresh) >= 0.65, `held-out accuracy ${accuracy(fresh)}`);
  assert.ok(overall >= 0.75, `overall accuracy ${overall}`);
  assert.ok(tuned.flips + fresh.flips <= 1, `${tuned.flips + fresh.flips} messages got the opposite polarity`);
});

test('the polite but furious complaint comes out negative and angry', async () => {
  const result = await call('analyze_sentiment', { text: 'Nobody here can log in since 8am and I have a board meeting!' });
  assert.equal(result.label, 'negative');
  assert.equal(result.tone, 'angry');
  assert.ok((result.score as number) < 0);
});

// vader-sentiment compares negations case-sensitively, unlike VADER's reference implementation.
test('a capitalised negation at the start of a sentence still negates ("Not impressed.")', async () => {
  const result = await call('analyze_sentiment', { text: 'Not impressed.' });
  assert.equal(result.label, 'negative');
});

test('a negated action without any sentiment word is a problem report', async () => {
  const result = (await call('analyze_sentiment', { text: 'I cannot print from the new laptop.' })) as {
    label: string;
    signals: { negated_problems: number };
  };
  assert.equal(result.label, 'negative');
  assert.equal(result.signals.negated_problems, 1);
});

const ENTITY_TYPES = ['people', 'organizations', 'places', 'dates', 'emails', 'urls', 'money'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];
type Annotated = { text: string } & Partial<Record<EntityType, string[]>>;

const normalise = (value: string): string => value.toLowerCase().replace(/^[^\p{L}\p{N}$]+|[^\p{L}\p{N}]+$/gu, '');
// A found entity matches a marked one when it is that text or contains it ("since Monday" holds "Monday").
const matches = (found: string, marked: string): boolean => normalise(found).includes(normalise(marked));

test('entity recall and precision on annotated business texts', async (t) => {
  const { items } = fixture<{ items: Annotated[] }>('entities.json');
  assert.ok(items.length >= 20);
  const tally = Object.fromEntries(ENTITY_TYPES.map((type) => [type, { marked: 0, hit: 0, found: 0, right: 0 }]));
  for (const item of items) {
    const entities = (await call('extract_entities', { text: item.text })) as Record<
      EntityType,
      { text: string; start: number; end: number }[]
    >;
    for (const type of ENTITY_TYPES) {
      const marked = item[type] ?? [];
      const found = entities[type].map((entity) => entity.text);
      const counts = tally[type]!;
      counts.marked += marked.length;
      counts.hit += marked.filter((name) => found.some((text) => matches(text, name))).length;
      counts.found += found.length;
      counts.right += found.filter((text) => marked.some((name) => matches(text, name))).length;
    }
  }
  const recall: Record<string, number> = {};
  const precision: Record<string, number> = {};
  for (const type of ENTITY_TYPES) {
    const { marked, hit, found, right } = tally[type]!;
    recall[type] = hit / marked;
    precision[type] = found === 0 ? 1 : right / found;
    t.diagnostic(
      `${type}: recall ${recall[type]!.toFixed(2)} (${hit}/${marked}), precision ${precision[type]!.toFixed(2)} (${right}/${found})`,
    );
  }
  for (const type of ['people', 'organizations', 'places'] as const) {
    assert.ok(recall[type]! >= 0.75, `${type} recall ${recall[type]}`);
    assert.ok(precision[type]! >= 0.8, `${type} precision ${precision[type]}`);
  }
  for (const type of ['emails', 'urls', 'money'] as const) {
    assert.ok(recall[type]! >= 0.9, `${type} recall ${recall[type]}`);
    assert.ok(precision[type]! >= 0.9, `${type} precision ${precision[type]}`);
  }
  assert.ok(recall.dates! >= 0.8, `dates recall ${recall.dates}`);
});
