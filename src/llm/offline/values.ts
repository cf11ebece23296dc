import { findDates, formatDate } from './dates.ts';
import type { PropInfo } from './schema.ts';
import type { Sentence } from './sentence.ts';
import { isActionWord } from './split.ts';
import { canonical, isStopword, stem, tokenize, type Token } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';
import { ADJECTIVES, NUMBER_WORDS } from './vocabulary.ts';

/** Arguments being filled for one tool from one part, and how much the part spoke for the tool. */
export interface FillState {
  readonly sentence: Sentence;
  readonly tool: ToolSpec;
  readonly args: Record<string, unknown>;
  /** Evidence that the part meant this tool: explicit values it took. */
  cues: number;
  /** Tokens before this index are the head of the part (verb, adjectives, the tool's noun). */
  readonly head: number;
}

const PROP_WORDS_IGNORED = new Set(['type', 'include', 'is', 'has', 'with', 'enable', 'max', 'min', 'num', 'number', 'of', 'the']);
const NEGATIONS = new Set(['no', 'not', 'without', "don't", 'dont', 'exclude', 'excluding', 'never', 'skip']);
// "the second one", "that one": a pronoun, not a number.
const PRONOUN_ONE = new Set([
  'the',
  'that',
  'this',
  'which',
  'each',
  'every',
  'any',
  'first',
  'second',
  'third',
  'last',
  'next',
  'other',
  'new',
  'same',
  'top',
  'best',
  'latest',
]);
const COUNT_WORDS = new Set(['limit', 'max', 'count', 'top', 'size', 'num', 'page', 'results', 'n']);
const COUNT_LEADS = new Set(['top', 'first', 'latest', 'last', 'newest', 'recent', 'max', 'maximum', 'up', 'at', 'most']);

/** Stems of a property's name words that say what it is (not "max", "type", "include"). */
export function propStems(prop: PropInfo): Set<string> {
  return new Set(prop.words.filter((word) => !PROP_WORDS_IGNORED.has(word)).map(stem));
}

/** Marks tokens [from, to) of a sentence as used. */
export function consumeTokens(sentence: Sentence, from: number, to: number): void {
  const first = sentence.tokens[from];
  const last = sentence.tokens[to - 1];
  if (first && last) sentence.consume(first.start, last.end);
}

/** Labels a numeric property's description gives its values: "(1 Critical, 2 High)" -> critical: 1. */
function numericLabels(prop: PropInfo): Map<string, number> {
  const labels = new Map<string, number>();
  for (const match of prop.description.matchAll(/\b(\d+)\s*[-=:]?\s*([A-Z][a-z]+)\b/g))
    labels.set((match[2] ?? '').toLowerCase(), Number(match[1]));
  return labels;
}

function clamp(prop: PropInfo, value: number): number {
  let result = prop.integer ? Math.round(value) : value;
  if (prop.minimum !== undefined) result = Math.max(prop.minimum, result);
  if (prop.maximum !== undefined) result = Math.min(prop.maximum, result);
  return result;
}

/** Fills numeric properties: numbers next to the property's name or description words, then required ones in order. */
export function fillNumbers(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'number');
  if (props.length === 0) return;
  const tokens = sentence.tokens;
  const otherEnumWords = new Set(
    tool.props.filter((prop) => prop.kind === 'enum').flatMap((prop) => prop.enumValues.map((v) => String(v).toLowerCase())),
  );
  const numbers: { index: number; value: number; word: boolean }[] = [];
  tokens.forEach((token, index) => {
    if (!sentence.isFree(token.start, token.end)) return;
    if (/\d\.$/.test(sentence.text.slice(Math.max(0, token.start - 2), token.start))) return;
    const decimal = sentence.text.slice(token.start).match(/^\d+(?:\.\d+)?/)?.[0];
    if (/^\d+$/.test(token.lower) && decimal !== undefined) {
      const negative = sentence.text[token.start - 1] === '-' && !/\w/.test(sentence.text[token.start - 2] ?? '');
      numbers.push({ index, value: (negative ? -1 : 1) * Number(decimal), word: false });
    } else if (NUMBER_WORDS[token.lower] !== undefined && !(token.lower === 'one' && PRONOUN_ONE.has(tokens[index - 1]?.lower ?? ''))) {
      numbers.push({ index, value: NUMBER_WORDS[token.lower] ?? 0, word: true });
    }
  });
  const used = new Set<number>();
  const take = (prop: PropInfo, index: number, value: number, cue: number, with_: readonly number[] = []) => {
    state.args[prop.name] = clamp(prop, value);
    used.add(index);
    state.cues += cue;
    const span = [index, ...with_];
    consumeTokens(sentence, Math.min(...span), Math.max(...span) + 1);
  };
  const nouns = new Set([...tool.nameTerms, ...tool.server, 'result', 'item', 'record', 'entry']);
  // Every (property, number) pair is scored by the words around the number; the best pairs win first.
  const pairs: { prop: PropInfo; index: number; value: number; score: number; with_: number[] }[] = [];
  for (const prop of props) {
    const stems = propStems(prop);
    const described = new Set(
      tokenize(prop.description)
        .filter((t) => !isStopword(t.lower) && !/^\d/.test(t.lower))
        .map((t) => t.stem),
    );
    const countLike =
      prop.words.some((word) => COUNT_WORDS.has(word)) || /\b(?:how many|per page|number of|results)\b/i.test(prop.description);
    for (const number of numbers) {
      let score = 0;
      const with_: number[] = [];
      for (const offset of [-2, -1, 1, 2]) {
        const token = tokens[number.index + offset];
        if (!token) continue;
        const weight = Math.abs(offset) === 1 ? 1 : 0.6;
        const hit = stems.has(token.stem)
          ? 3
          : described.has(token.stem)
            ? 2
            : countLike && offset < 0 && COUNT_LEADS.has(token.lower)
              ? 1.5
              : 0;
        if (hit > 0) {
          score += hit * weight;
          with_.push(number.index + offset);
        }
      }
      if (score === 0 && countLike && !number.word) {
        const noun = tokens.slice(number.index + 1, number.index + 5).findIndex((token) => nouns.has(token.term));
        if (noun >= 0) score = 1;
      }
      if (score > 0) pairs.push({ prop, index: number.index, value: number.value, score, with_ });
    }
  }
  pairs.sort((a, b) => b.score - a.score || a.index - b.index);
  for (const pair of pairs) {
    if (used.has(pair.index) || state.args[pair.prop.name] !== undefined) continue;
    take(pair.prop, pair.index, pair.value, 1.5, pair.with_);
  }
  for (const prop of props.filter((candidate) => state.args[candidate.name] === undefined)) {
    for (const [label, value] of numericLabels(prop)) {
      if (otherEnumWords.has(label)) continue;
      const index = tokens.findIndex((token, i) => token.lower === label && !used.has(i) && sentence.isFree(token.start, token.end));
      if (index >= 0) {
        take(prop, index, value, 1);
        break;
      }
    }
  }
  for (const prop of props.filter((candidate) => candidate.required && state.args[candidate.name] === undefined)) {
    const next = numbers.find((number) => !used.has(number.index) && !number.word);
    if (next) take(prop, next.index, next.value, 1.5);
  }
}

/** Fills booleans whose name words appear in the part ("with audit" -> include_audit: true; "without" -> false). */
export function fillBooleans(state: FillState): void {
  const { sentence, tool } = state;
  const verbAt = sentence.tokens.findIndex((token) => isActionWord(token.lower));
  const matches = (token: Token, index: number, wanted: string) =>
    token.stem === wanted || (index !== verbAt && (token.term === wanted || canonical(ADJECTIVES[token.lower] ?? '') === wanted));
  for (const prop of tool.props.filter((candidate) => candidate.kind === 'boolean')) {
    const wanted = [...new Set(prop.words.filter((word) => !PROP_WORDS_IGNORED.has(word)).map(canonical))];
    if (wanted.length === 0) continue;
    const hits = wanted.map((term) =>
      sentence.tokens.findIndex((token, index) => sentence.isFree(token.start, token.end) && matches(token, index, term)),
    );
    if (hits.some((index) => index < 0)) continue;
    const first = Math.min(...hits);
    const negated = sentence.tokens.slice(Math.max(0, first - 3), first).some((token) => NEGATIONS.has(token.lower));
    state.args[prop.name] = !negated;
    state.cues += 1;
    for (const index of hits) {
      const token = sentence.tokens[index];
      if (token) sentence.consume(token.start, token.end);
    }
  }
}

// How far before a date its lead-in words ("opened since", "created after") are looked for.
const LEAD_IN_WINDOW = 200;

/** Fills date properties from absolute and relative dates, by bound (since/until) and name. */
export function fillDates(state: FillState, now: Date): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'date');
  if (props.length === 0) return;
  const lower = (prop: PropInfo) => prop.words.some((word) => ['since', 'after', 'from', 'start', 'min', 'begin'].includes(word));
  const upper = (prop: PropInfo) => prop.words.some((word) => ['until', 'before', 'to', 'end', 'max', 'till'].includes(word));
  // Mentions come in text order, so the tokens before each one grow by a moving pointer.
  let passed = 0;
  for (const mention of findDates(sentence.text, now)) {
    while (passed < sentence.tokens.length && (sentence.tokens[passed]?.end ?? 0) <= mention.start) passed += 1;
    if (!sentence.isFree(mention.start, mention.end) || sentence.quotes.some((q) => mention.start >= q.start && mention.end <= q.end))
      continue;
    const open = props.filter((prop) => state.args[prop.name] === undefined);
    if (open.length === 0) break;
    // The property named right before the date wins ("due tomorrow"); else the bound decides (since / until).
    const lead = sentence.tokens.slice(Math.max(0, passed - 3), passed);
    const named = open.find((prop) => lead.some((token) => propStems(prop).has(token.stem)));
    const prop =
      named ??
      (mention.bound === 'until' ? open.find(upper) : open.find(lower)) ??
      (open.length === 1 || props.length === 1 ? open[0] : undefined);
    if (!prop) continue;
    state.args[prop.name] = formatDate(mention, prop.formats);
    state.cues += 1.5;
    let start = mention.start;
    const words = [
      ...prop.words,
      'opened',
      'created',
      'updated',
      'modified',
      'since',
      'from',
      'after',
      'until',
      'till',
      'before',
      'by',
      'on',
      'in',
      'during',
      'over',
      'within',
      'starting',
      'as of',
    ];
    // The lead-in words sit right before the date; matching the whole text before it was quadratic.
    const before = sentence.text
      .slice(Math.max(0, start - LEAD_IN_WINDOW), start)
      .match(new RegExp(`(?:\\b(?:${words.join('|')})\\s+)+$`, 'i'));
    if (before) start -= before[0].length;
    sentence.consume(start, mention.end);
  }
}
