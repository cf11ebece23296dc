import { ACTIONS, canonical } from './tokenize.ts';
import { QUESTION_WORDS } from './vocabulary.ts';

/** Quoted text in a request: `text` is what is inside the marks, `start`/`end` span the marks too. */
export interface Quote {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** True for text after a colon taken as the payload of the request. */
  readonly payload: boolean;
}

/** One thing a request asks for. */
export interface Part {
  readonly index: number;
  /** The part as written, quotes included, without the joining words. */
  readonly text: string;
  readonly start: number;
  /** Introduced by "then", "after that", ...: runs after every earlier part. */
  readonly sequenced: boolean;
}

const QUOTE_PATTERNS: readonly RegExp[] = [
  /"([^"]+)"/g,
  /“([^”]+)”/g,
  /«([^»]+)»/g,
  /`([^`]+)`/g,
  /‘([^’]+)’/g,
  /(?<=^|[\s:([,=])'([^']+?)'(?=$|[\s.,;:!?)\]])/g,
];
const MASK = '\u0001';
/** Verbs that start a new part after "and" without being tool actions themselves ("... and add a note"). */
const CONJOINED_VERBS = new Set(['let', 'add', 'append', 'attach']);
const SEQUENCE = /\b(?:then|after\s+that|afterwards|next|once\s+(?:that\s+is\s+|it\s+is\s+)?done|finally)\b/i;
const LEADING_SEQUENCE = /^(?:and\s+)?(?:then|after\s+that|afterwards|finally)\b[\s,]*/i;
// Every alternative of both separators opens with whitespace (`\s*` or `\s+`), so a match that
// could start inside a run of it also starts where the run begins: `(?!(?<=\s)\s)` skips the
// positions inside, finding the same matches. Tried at every space (and with `\s*,?\s+` splitting
// each run three ways in the hard one), a run of 5,000 spaces took 90 s.
const SOFT_SEPARATOR = /(?!(?<=\s)\s)(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:(?:then|also|after\s+that|afterwards|finally|next)\s*,?\s*)?/gi;
const HARD_SEPARATOR =
  /(?!(?<=\s)\s)(?:\s*;\s*|\s*\n+\s*|(?<=[.!?])\s+(?=[\p{Lu}"“'‘(\d])|\s+(?:and\s+)?then\s+|(?:\s*,\s+|\s+)after\s+that,?\s+)/giu;
const SKIPPED_BEFORE_VERB = new Set(['please', 'also', 'then', 'kindly', 'just', 'can', 'could', 'would', 'you', 'finally', 'now']);

/** Quoted spans of a text, and, when there are none, the text after a colon as a payload. */
export function findQuotes(text: string): Quote[] {
  const quotes: Quote[] = [];
  for (const pattern of QUOTE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (quotes.some((quote) => start < quote.end && end > quote.start)) continue;
      const inner = (match[1] ?? '').trim();
      if (inner) quotes.push({ text: inner, start, end, payload: false });
    }
  }
  quotes.sort((a, b) => a.start - b.start);
  const colon = /:\s+/g;
  for (const match of text.matchAll(colon)) {
    const from = match.index + match[0].length;
    if (quotes.some((quote) => quote.end > match.index)) break;
    if (/https?$/i.test(text.slice(0, match.index))) continue;
    const rest = text.slice(from).trim();
    const firstWord = rest.match(/^[\p{L}']+/u)?.[0] ?? '';
    if (rest.split(/\s+/).length < 3 || isActionWord(firstWord)) continue;
    quotes.push({ text: rest, start: match.index + 1, end: text.length, payload: true });
    break;
  }
  return quotes;
}

/** Whether a word, in its base form, asks for an action or opens a question. */
export function isActionWord(word: string, extraVerbs: ReadonlySet<string> = new Set()): boolean {
  const lower = word.toLowerCase();
  if (QUESTION_WORDS.has(lower) || CONJOINED_VERBS.has(lower)) return true;
  if (/(?:ed|ing)$/.test(lower)) return false;
  const term = canonical(lower);
  return ACTIONS.has(term) || extraVerbs.has(term);
}

function masked(text: string, quotes: readonly Quote[]): string {
  let out = text.replace(/tl;dr/gi, (found) => found.replace(';', MASK));
  for (const quote of quotes) out = out.slice(0, quote.start) + MASK.repeat(quote.end - quote.start) + out.slice(quote.end);
  return out;
}

function startsWithAction(masked: string, from: number, extraVerbs: ReadonlySet<string>): boolean {
  // Lazily: called at every comma and "and", it must not read the whole rest of the text each time.
  let read = 0;
  for (const [word] of masked.slice(from).matchAll(/[\p{L}']+|\S/gu)) {
    if (read++ === 4) break;
    if (SKIPPED_BEFORE_VERB.has(word.toLowerCase())) continue;
    return isActionWord(word, extraVerbs);
  }
  return false;
}

/**
 * Splits a request into parts at sentence ends, semicolons, "then", and at commas and "and" that
 * are followed by a new verb or question (never inside quotes): "add 17 and 25" stays whole.
 * `extraVerbs` are canonical action terms of the tools at hand.
 */
export function splitRequest(text: string, extraVerbs: ReadonlySet<string> = new Set()): Part[] {
  const view = masked(text, findQuotes(text));
  const hard = [...view.matchAll(HARD_SEPARATOR)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const cuts = [...hard];
  // Both lists come in text order, so one pointer finds the hard cut a soft one might overlap.
  let next = 0;
  for (const match of view.matchAll(SOFT_SEPARATOR)) {
    const end = match.index + match[0].length;
    let hardCut = hard[next];
    while (hardCut !== undefined && hardCut.end <= match.index) hardCut = hard[++next];
    if (hardCut !== undefined && hardCut.start < end) continue;
    if (startsWithAction(view, end, extraVerbs)) cuts.push({ start: match.index, end });
  }
  cuts.sort((a, b) => a.start - b.start);
  const parts: Part[] = [];
  let from = 0;
  let separator = '';
  const push = (start: number, end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.match(/^[\s,;.]*/)?.[0].length ?? 0;
    const trimmed = raw.slice(lead).replace(/(?<![\s,;])[\s,;]+$/, '');
    const opener = trimmed.match(LEADING_SEQUENCE)?.[0] ?? '';
    const body = trimmed.slice(opener.length);
    if (!/[\p{L}\p{N}]/u.test(body)) return;
    const sequenced = SEQUENCE.test(separator) || opener.trim() !== '';
    parts.push({ index: parts.length, text: body, start: start + lead + opener.length, sequenced: parts.length > 0 && sequenced });
  };
  for (const cut of cuts) {
    if (cut.start < from) continue;
    push(from, cut.start);
    separator = view.slice(cut.start, cut.end);
    from = cut.end;
  }
  push(from, text.length);
  return parts;
}
