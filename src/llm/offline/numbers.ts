/**
 * Numbers in a request: digits with decimals, thousands separators, exponents, scale words
 * ("8.5 million") and units glued on or following ("6cm", "20 kg", "5J/K"), and numbers written
 * as words ("twenty-five"). General English only.
 */
import type { Sentence } from './sentence.ts';
import { isStopword } from './tokenize.ts';

/** A number found in a part, with its span, the unit written with it, and the tokens it covers. */
export interface NumberMention {
  readonly start: number;
  readonly end: number;
  readonly value: number;
  /** The unit right after it, lower case ("cm", "kg", "minutes"), or "". */
  readonly unit: string;
  /** Written as a word ("five"), which is weaker evidence than digits. */
  readonly word: boolean;
  /** Token indexes [from, to) of the sentence it covers (its unit included). */
  readonly from: number;
  readonly to: number;
}

const UNITS_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS_WORDS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
/** Numbers written as one word ("three", "forty", "hundred"), for readers of counts such as dates. */
export const NUMBER_WORDS: Readonly<Record<string, number>> = { ...UNITS_WORDS, ...TENS_WORDS, hundred: 100 };
const SCALES: Readonly<Record<string, number>> = {
  hundred: 100,
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
};
/** Letters glued to an amount of money that scale it. */
const MONEY_SCALES: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, mm: 1e6, b: 1e9, bn: 1e9 };
const WORD_NUMBER = new RegExp(
  `\\b(?:(?:${Object.keys(TENS_WORDS).join('|')})(?:[- ](?:${Object.keys(UNITS_WORDS).slice(1, 10).join('|')}))?|${Object.keys(UNITS_WORDS).join('|')})(?:\\s+(?:hundred|thousand|million|billion))?\\b`,
  'gi',
);
const DIGITS =
  /(?<![\p{L}\p{N}_.])([-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:[eE]([-+]?\d+))?(?:\s*(hundred|thousand|million|billion|trillion)\b)?/gu;
// A unit glued on ("6cm", "5J/K", "100µF") or one word after ("20 kg", "15 minutes", "3 meters").
const GLUED_UNIT = /^(?:[°º]?[\p{L}µ]{1,6}(?:\/[\p{L}\d^]{1,5})?|%)/u;
const NEXT_WORD = /^\s+([\p{L}µ°][\p{L}]{0,14})\b/u;
// "the second one", "that one": a pronoun, not a number.
const PRONOUN_BEFORE = /\b(?:the|that|this|which|each|every|any|first|second|third|last|next|other|new|same|top|best|latest|no)\s+$/i;

function wordValue(phrase: string): number {
  let total = 0;
  for (const word of phrase.toLowerCase().split(/[\s-]+/)) {
    if (UNITS_WORDS[word] !== undefined) total += UNITS_WORDS[word];
    else if (TENS_WORDS[word] !== undefined) total += TENS_WORDS[word];
    else if (SCALES[word] !== undefined) total = (total || 1) * SCALES[word];
  }
  return total;
}

/** Whether a mention of a date or identifier sits inside [start, end) (a number there is not a quantity). */
function tokenRange(sentence: Sentence, start: number, end: number): [number, number] {
  const tokens = sentence.tokens;
  let from = tokens.findIndex((token) => token.end > start);
  if (from < 0) from = tokens.length;
  let to = from;
  while (to < tokens.length && (tokens[to]?.start ?? Infinity) < end) to += 1;
  return [from, to];
}

/** The numbers of a sentence outside quotes and spans already used, in text order. */
export function findNumbers(sentence: Sentence): NumberMention[] {
  const { text } = sentence;
  const found: NumberMention[] = [];
  const inQuote = (start: number) => sentence.quotes.some((quote) => start >= quote.start && start < quote.end);
  for (const match of text.matchAll(DIGITS)) {
    const [, sign = '', whole = '', fraction = '', exponent, scale] = match;
    const start = match.index;
    // "3-5" is a range and "1.2.3" a version: the second number's sign or dot belongs to the first.
    if (sign && /[\p{L}\p{N}]/u.test(text[start - 1] ?? '')) continue;
    // "m^3", "x**2": a power is part of its unit or expression, not a quantity.
    if (/(?:\^|\*\*)\s*$/.test(text.slice(Math.max(0, start - 3), start))) continue;
    let value = Number(`${whole.replaceAll(',', '')}${fraction}${exponent ? `e${exponent}` : ''}`);
    if (scale) value *= SCALES[scale.toLowerCase()] ?? 1;
    if (sign) value = -value;
    let end = start + match[0].length;
    let unit = '';
    const glued = scale ? undefined : text.slice(end).match(GLUED_UNIT)?.[0];
    // "$1.2M", "€500k", "$3bn": after a currency sign a letter glued on is a scale, not a unit.
    const money = glued && /\p{Sc}\s*$/u.test(text.slice(Math.max(0, start - 2), start)) ? MONEY_SCALES[glued.toLowerCase()] : undefined;
    if (money !== undefined) {
      value *= money;
      end += glued!.length;
    } else if (glued) {
      unit = glued.toLowerCase();
      end += glued.length;
    } else {
      const next = text.slice(end).match(NEXT_WORD)?.[1]?.toLowerCase();
      if (next && !isStopword(next)) unit = next;
    }
    if (inQuote(start) || !sentence.isFree(start, end)) continue;
    found.push({ start, end, value, unit, word: false, ...range(sentence, start, end) });
  }
  for (const match of text.matchAll(WORD_NUMBER)) {
    const start = match.index;
    const end = start + match[0].length;
    if (/^one$/i.test(match[0]) && PRONOUN_BEFORE.test(text.slice(Math.max(0, start - 12), start))) continue;
    if (inQuote(start) || !sentence.isFree(start, end)) continue;
    const next = text.slice(end).match(NEXT_WORD)?.[1]?.toLowerCase() ?? '';
    const unit = isStopword(next) ? '' : next;
    found.push({ start, end, value: wordValue(match[0]), unit, word: true, ...range(sentence, start, end) });
  }
  return found.sort((a, b) => a.start - b.start);
}

function range(sentence: Sentence, start: number, end: number): { from: number; to: number } {
  const [from, to] = tokenRange(sentence, start, end);
  return { from, to };
}
