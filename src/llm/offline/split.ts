import { isWord } from './lexicon/index.ts';
import { ACTIONS, canonical } from './tokenize.ts';
import { QUESTION_WORDS } from './vocabulary.ts';
import { BoundedMap } from './memo.ts';

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
  /** A step joined with the ones that repeat it ("..., then do the same for Y"): the length of the first step. */
  readonly repeats?: number;
}

const QUOTE_PATTERNS: readonly RegExp[] = [
  // A pasted text set off by lines of dashes ("---\nDear team, ...\n---").
  /(?<=^|\n)[^\S\n]*-{3,}[^\S\n]*\n([\s\S]+?)\n[^\S\n]*-{3,}[^\S\n]*(?=\n|$)/g,
  /"([^"]+)"/g,
  /“([^”]+)”/g,
  /«([^»]+)»/g,
  /`([^`]+)`/g,
  /‘([^’]+)’/g,
  // An apostrophe between letters stays inside ('Let's meet at 10').
  /(?<=^|[\s:([,=])'((?:[^']|(?<=\p{L})'(?=\p{L}))+?)'(?=$|[\s.,;:!?)\]])/gu,
];
const MASK = '\u0001';
/** Verbs that start a new part after "and" without being tool actions themselves ("... and add a note"). */
const CONJOINED_VERBS = new Set(['let', 'add', 'append', 'attach']);
const SEQUENCE = /\b(?:then|after\s+that|afterwards|next|once\s+(?:that\s+is\s+|it\s+is\s+)?done|finally|if\s+so|if\s+not)\b|->|=>|→/i;
const LEADING_SEQUENCE = /^(?:and\s+)?(?:then|after\s+that|afterwards|finally|if\s+so|if\s+not)\b[\s,]*/i;
/** A part that only says another request follows ("Also, what is ..." cut after its comma). */
const LONE_ADDITIVE = /^(?:and\s+)?(?:also|additionally|plus|moreover|furthermore|besides)[\s,.:]*$/i;
// Every alternative of both separators opens with whitespace (`\s*` or `\s+`), so a match that
// could start inside a run of it also starts where the run begins: `(?!(?<=\s)\s)` skips the
// positions inside, finding the same matches. Tried at every space (and with `\s*,?\s+` splitting
// each run three ways in the hard one), a run of 5,000 spaces took 90 s.
const SOFT_SEPARATOR = /(?!(?<=\s)\s)(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:(?:then|also|after\s+that|afterwards|finally|next)\s*,?\s*)?/gi;
const HARD_SEPARATOR =
  /(?!(?<=\s)\s)(?:\s*;\s*|\s*\n+\s*|(?<=[.!?])\s+(?=[\p{Lu}"“'‘(\d])|\s+(?:and\s+)?then\s+|(?:\s*,\s+|\s+)after\s+that,?\s+)/giu;
const SKIPPED_BEFORE_VERB = new Set([
  'please',
  'pls',
  'plz',
  'also',
  'then',
  'kindly',
  'just',
  'can',
  'could',
  'would',
  'you',
  'u',
  'finally',
  'now',
]);

// Each step of a decision reads the same part's quotes again; keyed by user text, so bounded.
const quoteLists = new BoundedMap<string, readonly Quote[]>(512);

/** Quoted spans of a text, and, when there are none, the text after a colon as a payload. */
export function findQuotes(text: string): Quote[] {
  return quoteLists.remember(text, quotesIn).slice();
}

function quotesIn(text: string): Quote[] {
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
    const end = payloadEnd(text, from, quotes);
    const rest = text.slice(from, end).trim();
    const firstWord = rest.match(/^[\p{L}']+/u)?.[0] ?? '';
    if (rest.split(/\s+/).length < 3 || isActionWord(firstWord)) continue;
    quotes.push({ text: rest, start: match.index + 1, end, payload: true });
    break;
  }
  return quotes;
}

/** Where a list item starts: a bullet or number at a line start ("- ", "2. ", "3) "), or "(2)" anywhere. */
const LIST_MARKER = /(?:^|\n)[^\S\n]*(?:[-*•‣◦▪]|\d{1,2}[.)])[^\S\n]+|(?:^|\s)\(\d{1,2}\)\s+/gu;
/** Where a payload after a colon stops: a list item, an arrow, a semicolon, or a joint before a new action. */
const PAYLOAD_STOP =
  /(?!(?<=\s)\s)(?:(?:^|[^\S\n]*\n)[^\S\n]*(?:[-*•‣◦▪]|\d{1,2}[.)])[^\S\n]+|\s\(\d{1,2}\)\s+|\s*(?:->|=>|→)\s*|\s*;\s+|(?:\s*,\s*(?:and\s+)?|\s+and\s+|(?<=[.!?])\s+)(?:(?:then|also|after\s+that|finally|if\s+so|if\s+not)\s*,?\s*)?(?=([\p{L}']+)))/giu;

const RELATIVE = /^(?:which|who|whom|whose|where|when)$/i;

/** The end of a payload that starts at `from`: before the next list item or a joint that starts a new action. */
function payloadEnd(text: string, from: number, quotes: readonly Quote[]): number {
  for (const match of text.slice(from).matchAll(PAYLOAD_STOP)) {
    const at = from + match.index;
    if (quotes.some((quote) => at >= quote.start && at < quote.end)) continue;
    const next = match[1];
    // "..., which covers most phone cameras": a question word after a comma opens a relative clause, no question.
    if (next !== undefined && /^\s*,\s*$/.test(match[0]) && RELATIVE.test(next)) continue;
    // "We checked permissions; the group still has editor rights": a semicolon before a plain lower-case clause joins it.
    const after = /^\s*;\s+/.test(match[0]) ? /^[\p{L}']+/u.exec(text.slice(at + match[0].length))?.[0] : undefined;
    if (after !== undefined && /^\p{Ll}/u.test(after) && !/^(?:then|also|finally|next)$/i.test(after) && !isActionWord(after)) continue;
    // A joint ends the payload only before a word that asks for something new ("..., and search for fixes").
    if (next === undefined || /\b(?:then|also)\b/i.test(match[0]) || isActionWord(next)) return at;
  }
  return text.length;
}

// Like the separators below: never start inside a run of spaces, or a long run is read quadratically.
const ARROW = /(?!(?<=\s)\s)\s*(?:->|=>|→)\s*/g;

/**
 * A list under an intro ("New incidents to log:" + items, "Please do the following:" + actions): the
 * intro's verb applies to items that have none; an intro that asks for nothing by itself is dropped.
 */
function distributeList(parts: readonly Part[], firstItem: number, extraVerbs: ReadonlySet<string>): Part[] {
  const intro = parts.filter((part) => part.start < firstItem);
  const listed = parts.filter((part) => part.start >= firstItem);
  const head = intro.at(-1);
  if (!head || !/:\s*$/.test(head.text) || listed.length < 2) return [...parts];
  const acts = (part: Part) => startsWithAction(part.text, 0, extraVerbs);
  const kept = intro.slice(0, -1);
  const items = listed.some(acts) ? listed : listed.map((part) => ({ ...part, text: `${head.text} ${part.text}` }));
  return [...kept, ...items].map((part, index) => ({ ...part, index, sequenced: index > 0 && part.sequenced }));
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
  let verb: string | undefined;
  let asked = '';
  for (const [word] of masked.slice(from).matchAll(/[\p{L}']+|\S/gu)) {
    // "and bump it to high", "and look up how to ...": a verb the dictionary knows, with an object pronoun or a particle after it.
    if (verb !== undefined) return AFTER_VERB.has(word.toLowerCase()) && isWord(verb.toLowerCase(), 'verb');
    if (read++ === 4) break;
    const lower = word.toLowerCase();
    if (SKIPPED_BEFORE_VERB.has(lower)) {
      asked = `${asked} ${lower}`;
      continue;
    }
    // "..., and finally, could you provide ...": what follows "could you" is a verb, known or not.
    if (isActionWord(word, extraVerbs) || (/\b(?:can|could|would)\s+(?:you|u)$/.test(asked) && /^\p{Ll}+$/u.test(word))) return true;
    if (!/^\p{Ll}+$/u.test(word)) return false;
    verb = word;
  }
  return false;
}

/** Words right after a verb that make it an imperative of its own: its object pronoun, or a particle ("look up"). */
const AFTER_VERB: ReadonlySet<string> = new Set(['it', 'them', 'this', 'that', 'these', 'those', 'up', 'out']);

/**
 * Splits a request into parts at sentence ends, semicolons, "then", and at commas and "and" that
 * are followed by a new verb or question (never inside quotes): "add 17 and 25" stays whole.
 * `extraVerbs` are canonical action terms of the tools at hand.
 */
export function splitRequest(text: string, extraVerbs: ReadonlySet<string> = new Set()): Part[] {
  const view = masked(text, findQuotes(text));
  const spans = (pattern: RegExp) =>
    [...view.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const items = spans(LIST_MARKER);
  const hard = [...spans(HARD_SEPARATOR), ...items, ...spans(ARROW)].sort((a, b) => a.start - b.start);
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
  let pending = false;
  const push = (start: number, end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.match(/^[\s,;.]*/)?.[0].length ?? 0;
    const trimmed = raw.slice(lead).replace(/(?<![\s,;])[\s,;]+$/, '');
    const opener = trimmed.match(LEADING_SEQUENCE)?.[0] ?? '';
    const body = trimmed.slice(opener.length);
    if (!/[\p{L}\p{N}]/u.test(body) || LONE_ADDITIVE.test(body)) {
      // "If so, add ..." cut at its comma: the opener alone still sequences what follows.
      pending ||= opener.trim() !== '';
      return;
    }
    const sequenced = SEQUENCE.test(separator) || opener.trim() !== '' || pending;
    pending = false;
    parts.push({ index: parts.length, text: body, start: start + lead + opener.length, sequenced: parts.length > 0 && sequenced });
  };
  for (const cut of cuts) {
    if (cut.start < from) {
      // Overlapping cuts (a line break and the list marker after it) make one.
      if (cut.end > from) {
        separator += view.slice(from, cut.end);
        from = cut.end;
      }
      continue;
    }
    push(from, cut.start);
    separator = view.slice(cut.start, cut.end);
    from = cut.end;
  }
  push(from, text.length);
  return items.length >= 2 ? distributeList(parts, items[0]?.start ?? 0, extraVerbs) : parts;
}

/**
 * A comma or "and" inside a part before a new noun phrase, no verb: "the GCD of 96 and 128, and the LCM
 * of 15 and 25". Without an article it goes on the same phrase ("rating and player count of ...").
 */
const NOUN_JOINT = /(?!(?<=\s)\s)(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:also\s+)?(?=(?:the|an?)\s)/giu;
/** At most this many joints of one part are tried as the start of a second request. */
const MAX_NOUN_JOINTS = 8;

/**
 * Where a part may go on to a second request without a verb of its own ("Find the operational hours
 * for Louvre Museum and the waiting time"): its commas and "and"s outside quotes, in text order. Only
 * the caller, which knows the tools, can tell a joint between two requests from one inside a list.
 */
export function nounJoints(text: string): { start: number; end: number }[] {
  const view = masked(text, findQuotes(text));
  return [...view.matchAll(NOUN_JOINT)]
    .map((match) => ({ start: match.index, end: match.index + match[0].length }))
    .filter((joint) => joint.start > 0 && joint.end < text.length)
    .slice(0, MAX_NOUN_JOINTS);
}
