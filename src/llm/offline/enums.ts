import type { PropInfo } from './schema.ts';
import { sensesOf, synonyms } from './lexicon/index.ts';
import { synsetAt } from './lexicon/wordnet.ts';
import { BoundedMap, WORD_MEMO_SIZE, perObject } from './memo.ts';
import { isStopword, stem, tokenize, type Token } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';
import { consumeTokens, propStems, type FillState } from './values.ts';

const CONNECTORS = new Set([
  'to',
  'is',
  'as',
  'of',
  'into',
  'a',
  'an',
  'the',
  'at',
  'be',
  'with',
  'its',
  'it',
  'their',
  'set',
  'in',
  'on',
  'by',
  'for',
  'and',
]);
const ARTICLES = new Set(['the', 'a', 'an', 'our', 'my', 'your']);
const REFERENCE_LEADS = new Set(['the', 'that', 'this', 'those', 'these']);
/** Words that tie a value to the sentence and go with it: "(in) the last week", "set to", "as". */
const LINKERS = new Set(['last', 'past', 'this', 'per', 'the', 'in', 'from', 'over', 'within', 'during', 'to', 'as', 'into']);

/** Whether a mention of the property's name sits within a few words of tokens [from, to). */
function nearProp(tokens: readonly Token[], from: number, to: number, prop: PropInfo): [number, number] | undefined {
  const stems = propStems(prop);
  if (stems.size === 0) return undefined;
  for (let i = from - 1, steps = 0; i >= 0 && steps < 4; i -= 1, steps += 1) {
    const token = tokens[i];
    if (token === undefined) break;
    if (stems.has(token.stem)) return [i, from];
    if (!CONNECTORS.has(token.lower) && !/\d/.test(token.lower)) break;
  }
  for (let i = to, steps = 0; i < tokens.length && steps < 2; i += 1, steps += 1) {
    const token = tokens[i];
    if (token === undefined) break;
    if (stems.has(token.stem)) return [to, i + 1];
    if (!CONNECTORS.has(token.lower)) break;
  }
  return undefined;
}

const CAPITALISED = /^\p{Lu}/u;
const describedCache = new BoundedMap<string, ReadonlySet<string>>(WORD_MEMO_SIZE);

/** Whether a token's word is a noun of a tool's description ("ticket" in "an IT incident, also called a ticket"). */
function describes(description: string, token: Token): boolean {
  let words = describedCache.get(description);
  if (!words) {
    words = new Set(tokenize(description).map((word) => word.stem));
    describedCache.set(description, words);
  }
  return !isStopword(token.lower) && words.has(token.stem) && sensesOf(token.lower, 'noun', 1).length > 0;
}

/** Whether token `at` (spelt otherwise than `value`) is a capitalised word next to another one, with nothing between. */
function inProperName(text: string, tokens: readonly Token[], at: number, value: string): boolean {
  const token = tokens[at];
  if (!token || token.text === value || !CAPITALISED.test(token.text)) return false;
  const joined = (a: Token | undefined, b: Token | undefined) =>
    a !== undefined && b !== undefined && /^ +$/.test(text.slice(a.end, b.start));
  const next = tokens[at + 1];
  const previous = tokens[at - 1];
  // A sentence's first word is capitalised anyway; only the word after it says a name.
  const starts = (index: number) => index === 0 || /[.!?:\n]\s*$/.test(text.slice(0, tokens[index]?.start ?? 0));
  return (
    (joined(token, next) && CAPITALISED.test(next?.text ?? '')) ||
    (joined(previous, token) && CAPITALISED.test(previous?.text ?? '') && !starts(at - 1)) ||
    false
  );
}

/** The stems of a phrase's words, for the enum values and hints of the tools bound. */
const phraseStems = new BoundedMap<string, readonly string[]>(WORD_MEMO_SIZE);

/** Token-index ranges where the words of `phrase` occur in order (compounds such as "workaround" allowed). */
function occurrences(tokens: readonly Token[], phrase: string): [number, number][] {
  const wanted = phraseStems.remember(phrase, (text) => tokenize(text).map((token) => token.stem));
  if (wanted.length === 0) return [];
  const found: [number, number][] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    let w = 0;
    let j = i;
    while (w < wanted.length && j < tokens.length) {
      const token = tokens[j];
      if (token === undefined) break;
      if (w > 0 && ARTICLES.has(token.lower)) {
        j += 1;
        continue;
      }
      if (token.stem === wanted[w]) {
        w += 1;
        j += 1;
        continue;
      }
      if (wanted.length - w >= 2 && stem(token.lower) === stem(`${wanted[w]}${wanted[w + 1]}`)) {
        w += 2;
        j += 1;
        continue;
      }
      break;
    }
    if (w === wanted.length) found.push([i, j]);
  }
  return found;
}

/**
 * Where a hint's words occur in order, one word allowed between two of them ("a whole team" in "the whole sales
 * team"); a hint's articles are left out.
 */
function looseOccurrences(tokens: readonly Token[], phrase: string): [number, number][] {
  const exact = occurrences(tokens, phrase);
  const wanted = tokenize(phrase)
    .filter((token) => !ARTICLES.has(token.lower))
    .map((token) => token.stem);
  if (exact.length > 0 || wanted.length < 2) return exact;
  const found: [number, number][] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i]?.stem !== wanted[0]) continue;
    let j = i + 1;
    let w = 1;
    while (w < wanted.length && j < tokens.length && j - i <= wanted.length + 1) {
      if (tokens[j]?.stem === wanted[w]) w += 1;
      j += 1;
    }
    if (w === wanted.length && j - i <= wanted.length + 1) found.push([i, j]);
  }
  return found;
}

// Keyed by tool texts: a regex compiled per value at every decision was most of this filler's time.
const hintLists = new BoundedMap<string, readonly string[]>(WORD_MEMO_SIZE);

function hintsFor(prop: PropInfo, value: string): string[] {
  const key = `${prop.description}\u0000${value}`;
  let hints = hintLists.get(key);
  if (hints === undefined) {
    hints = hintsIn(prop, value);
    hintLists.set(key, hints);
  }
  return hints.slice();
}

function hintsIn(prop: PropInfo, value: string): string[] {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // "urgent (P1)", and "1 = urgent, 2 = high" for the values of a numbered scale.
  const match =
    prop.description.match(new RegExp(`\\b${escaped}\\s*\\(([^)]+)\\)`, 'i')) ??
    prop.description.match(new RegExp(`(?<![\\w.])${escaped}\\s*[=:]\\s*([a-z][a-z\\s'-]*?)\\s*(?=[,;.)]|$)`, 'i'));
  if (!match?.[1]) return [];
  return match[1]
    .split(/[,;/]/)
    .map((hint) => hint.replace(/^\s*(?:e\.g\.|i\.e\.|or|and|like)\s*/i, '').trim())
    .filter((hint) => /^[a-z][a-z\s'-]*$/i.test(hint) && hint.split(/\s+/).some((word) => !isStopword(word.toLowerCase())));
}

interface Candidate {
  readonly prop: PropInfo;
  readonly value: string | number;
  readonly strength: number;
  readonly span: [number, number];
  readonly consume: [number, number] | undefined;
}

/** Letters a clipped item keeps at least ("carbs" of Carbohydrates), and letters it leaves out at least. */
const MIN_CLIPPED = 4;
const MIN_CLIPPED_OFF = 3;

/**
 * "protein, calories and carbs": an item of a list whose other items are a list enum's values is that
 * enum's one value it clips (starts), "carbs" for "Carbohydrates", or the one value of several words it
 * ends ("working hours" for opening_hours).
 */
function addClippedItems(state: FillState, prop: PropInfo, said: Map<unknown, number>): void {
  const { sentence } = state;
  const tokens = sentence.tokens;
  const current = state.args[prop.name];
  if (!Array.isArray(current) || current.length === 0) return;
  const chosen = new Set(current.map((value) => String(value).toLowerCase()));
  const chosenStems = new Set(current.flatMap((value) => tokenize(String(value)).map((token) => token.stem)));
  for (let i = 1; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const word = token.lower.replace(/s$/, '');
    if (word.length < MIN_CLIPPED || !/^\p{L}+$/u.test(token.lower) || !sentence.isFree(token.start, token.end)) continue;
    // Joined to an item the list took: "calories and carbs", "carbs, protein".
    const joinedTo = (at: number, gap: string) =>
      chosenStems.has(tokens[at]?.stem ?? '') && /^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)$/i.test(gap);
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const conjunction = before && /^(?:and|or)$/.test(before.lower) ? i - 2 : i - 1;
    const left = tokens[conjunction];
    const next = after && /^(?:and|or)$/.test(after.lower) ? i + 2 : i + 1;
    const right = tokens[next];
    const joined =
      (left !== undefined && joinedTo(conjunction, sentence.text.slice(left.end, token.start))) ||
      (right !== undefined && joinedTo(next, sentence.text.slice(token.end, right.start)));
    if (!joined) continue;
    // "working hours and ticket price" for opening_hours: the one value of several words whose last word it is.
    const headed = (text: string) => {
      const words = tokenize(text.replace(/_/g, ' '));
      return words.length >= 2 && words.at(-1)?.stem === token.stem;
    };
    const clipped = prop.enumValues.filter((value) => {
      const text = String(value).toLowerCase();
      return !chosen.has(text) && ((text.startsWith(word) && text.length - word.length >= MIN_CLIPPED_OFF) || headed(text));
    });
    if (clipped.length !== 1) continue;
    const value = clipped[0]!;
    said.set(value, i);
    chosen.add(String(value).toLowerCase());
    state.args[prop.name] = [...(state.args[prop.name] as unknown[]), value].sort((a, b) => (said.get(a) ?? 0) - (said.get(b) ?? 0));
    state.cues += 0.5;
    consumeTokens(sentence, i, i + 1);
  }
}

/** A tool's enum properties, and how many of them list each value (in lower case). */
const enumsOf = perObject((tool: ToolSpec) => {
  const props = tool.props.filter((prop) => prop.kind === 'enum');
  const valueOwners = new Map<string, number>();
  for (const prop of props)
    for (const value of new Set(prop.enumValues.map((v) => String(v).toLowerCase())))
      valueOwners.set(value, (valueOwners.get(value) ?? 0) + 1);
  return { props, valueOwners: valueOwners as ReadonlyMap<string, number> };
});

/** A property's enum values as text, each spelling once (the first written, whatever its case). */
const distinctValues = perObject((prop: PropInfo): readonly { value: PropInfo['enumValues'][number]; text: string }[] => {
  const seen = new Set<string>();
  const values: { value: PropInfo['enumValues'][number]; text: string }[] = [];
  for (const value of prop.enumValues) {
    const text = String(value);
    if (seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    values.push({ value, text });
  }
  return values;
});

/** Fills enum properties: exact values (multi-word anywhere, one word near the name or in the head), and description hints. */
export function fillEnums(state: FillState): void {
  const { sentence, tool } = state;
  const tokens = sentence.tokens;
  const { props, valueOwners } = enumsOf(tool);
  const candidates: Candidate[] = [];
  const actsOnOne = tool.props.some((prop) => prop.required && prop.kind === 'identifier');
  for (const prop of props) {
    for (const { value, text } of distinctValues(prop)) {
      const numeric = /^\d+$/.test(text);
      for (const [from, to] of occurrences(tokens, text)) {
        const near = nearProp(tokens, from, to, prop);
        const single = to - from === 1;
        const before = tokens[from - 1]?.lower ?? '';
        const after = tokens[to];
        let strength = near ? 3 : single ? 0 : 2.5;
        // A one-letter value ("A", "G" of nucleotides, "C" of a scale) is written in its own case: "a" is an article.
        if (text.length === 1 && tokens[from]?.text !== text) continue;
        // "the Hardware Support group": a lower-case value's word inside a capitalised name is that name's, not the value.
        if (!near && single && !numeric && inProperName(sentence.text, tokens, from, text)) continue;
        if (!near && single && !numeric) {
          const ambiguous = (valueOwners.get(text.toLowerCase()) ?? 0) > 1;
          // "assign the new ticket to ...": for a tool that acts on one record, a word before the one it names says which.
          // "list the delivered orders": before a plural, for a tool that acts on no one record, the word filters them.
          const filters = !actsOnOne && after !== undefined && after.lower !== after.stem;
          const inReference =
            REFERENCE_LEADS.has(before) &&
            after !== undefined &&
            !filters &&
            (tool.nameTerms.includes(after.term) || (actsOnOne && after.lower === after.stem && describes(tool.description, after)));
          // "avoiding highways and toll roads": an item of a list goes to the list property that takes such items.
          const listed = prop.arrayOnly && ['and', 'or', 'nor'].includes(before);
          const linked = ['to', 'as', 'into', 'last', 'past', 'this', 'per'].includes(before) || listed;
          // A lone word in the head ("find new incidents") or tied to the sentence ("set to", "the last week")
          // counts fully and leaves the free text; elsewhere it counts a little and stays in the text.
          // Outside the head, only a word that ends its phrase ("news from ...", not "low disk space").
          const gap = after ? sentence.text.slice(tokens[to - 1]?.end ?? 0, after.start) : '';
          // "cheap tickets" for "price range of the concert tickets": the noun it qualifies is the one the property describes.
          const qualifies = after !== undefined && describes(prop.description, after);
          const endsPhrase = after === undefined || isStopword(after.lower) || /[,.;:!?]/.test(gap) || qualifies;
          if (!ambiguous && !inReference) strength = from < state.head || prop.required || linked ? 1 : endsPhrase ? 0.5 : 0;
          if (!ambiguous && !inReference && /^\p{Lu}/u.test(text) && tokens[from]?.text === text) strength = Math.max(strength, 2);
        }
        if (strength === 0) continue;
        const start = near ? Math.min(near[0], from) : from;
        const end = near ? Math.max(near[1], to) : to;
        candidates.push({ prop, value, strength, span: [from, to], consume: strength >= 1 ? [start, end] : undefined });
      }
      if (numeric) continue;
      for (const hint of hintsFor(prop, text)) {
        for (const span of looseOccurrences(tokens, hint)) candidates.push({ prop, value, strength: 1.5, span, consume: undefined });
      }
    }
  }
  candidates.sort((a, b) => b.strength - a.strength || a.span[0] - b.span[0]);
  const assigned: [number, number][] = [];
  const names: [number, number][] = [];
  // A list keeps the order the text says its items in ("a Playground and Running Track"), however strongly each matched.
  const said = new Map<unknown, number>();
  const inOrder = (items: unknown[]) => items.sort((a, b) => (said.get(a) ?? 0) - (said.get(b) ?? 0));
  for (const candidate of candidates) {
    const { prop, value, span } = candidate;
    const first = tokens[span[0]];
    const last = tokens[span[1] - 1];
    if (!first || !last || !sentence.isFree(first.start, last.end)) continue;
    const current = state.args[prop.name];
    if (current !== undefined && !prop.arrayOnly) continue;
    const typed = prop.types.has('string') || typeof value !== 'string' ? value : Number(value);
    if (prop.arrayOnly) said.set(typed, span[0]);
    state.args[prop.name] = prop.arrayOnly ? inOrder([...((current as unknown[]) ?? []), typed]) : typed;
    state.cues += candidate.strength >= 2.5 ? 2 : candidate.strength >= 1 ? 1 : 0.5;
    if (!candidate.consume) continue;
    let from = span[0];
    while (from > 0 && LINKERS.has(tokens[from - 1]?.lower ?? '')) from -= 1;
    consumeTokens(sentence, from, span[1]);
    assigned.push([from, span[1]]);
    names.push(candidate.consume);
  }
  for (const prop of props) if (prop.arrayOnly) addClippedItems(state, prop, said);
  // A quoted value ("with the status 'concluded'"): the one enum that has it, the quote used up.
  for (const quote of sentence.quotes) {
    if (!sentence.isFree(quote.start, quote.end)) continue;
    const owners = props.filter(
      (prop) => state.args[prop.name] === undefined && prop.enumValues.some((v) => String(v).toLowerCase() === quote.text.toLowerCase()),
    );
    const [owner, other] = owners;
    if (!owner || other) continue;
    const value = owner.enumValues.find((v) => String(v).toLowerCase() === quote.text.toLowerCase());
    state.args[owner.name] = owner.arrayOnly ? [value] : value;
    state.cues += 2;
    sentence.consume(quote.start, quote.end);
  }
  // The property's own name goes too ("high urgency"), unless it is part of another value ("on hold" / hold_reason).
  for (const [from, to] of names) {
    for (let i = from; i < to; i += 1) if (!assigned.some(([a, b]) => i >= a && i < b)) consumeTokens(sentence, i, i + 1);
  }
}

const POS = ['verb', 'noun', 'adj'] as const;
const synonymCache = new BoundedMap<string, ReadonlySet<string>>(WORD_MEMO_SIZE);

/** A word's WordNet synonyms in its most frequent senses, as verb, noun and adjective ("waiting" -> wait, await, expect…). */
function meanings(word: string): ReadonlySet<string> {
  const cached = synonymCache.get(word);
  if (cached) return cached;
  const out = new Set<string>([word]);
  for (const pos of POS) for (const synonym of synonyms(word, pos, 2)) if (!synonym.includes(' ')) out.add(synonym.toLowerCase());
  synonymCache.set(word, out);
  return out;
}

function overlaps(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const word of a) if (b.has(word)) return true;
  return false;
}

/** Content words of a text (no stop words, no digits-only words). */
function contentWords(text: string): Token[] {
  return tokenize(text).filter((token) => !isStopword(token.lower) && /\p{L}/u.test(token.lower));
}

/**
 * Whether a request word says a value's word: the same stem, a compound of two ("workaround" /
 * "Work Around"), or a WordNet synonym either way ("waiting" / "Awaiting").
 */
function says(tokens: readonly Token[], words: readonly Token[], i: number): boolean {
  const word = words[i];
  if (!word) return false;
  const next = words[i + 1];
  const previous = words[i - 1];
  return tokens.some(
    (token) =>
      token.stem === word.stem ||
      (next !== undefined && stem(token.lower) === stem(word.lower + next.lower)) ||
      (previous !== undefined && stem(token.lower) === stem(previous.lower + word.lower)) ||
      (token.lower.length > 2 && word.lower.length > 2 && overlaps(meanings(token.lower), meanings(word.lower))),
  );
}

/**
 * For an enum still empty that the part needs (required, or required by the description with a
 * chosen value) or names ("the hold reason is ..."): the value whose words, or the words that
 * describe it (its own `description`, "vendor (awaiting supplier)" in the property's), the part says
 * by stem or WordNet synonym ("solved with a workaround" -> "Solved (Work Around)", "waiting on the
 * vendor" -> "Awaiting Vendor"). Only a clear winner is taken.
 */
export function fillEnumsLoosely(state: FillState, needed: readonly PropInfo[]): void {
  const { sentence, tool } = state;
  const tokens = sentence.tokens.filter((token) => !isStopword(token.lower));
  const stems = new Set(tokens.map((token) => token.stem));
  const named = tool.props.filter(
    (prop) =>
      prop.kind === 'enum' &&
      !needed.includes(prop) &&
      prop.words.filter((word) => !isStopword(word)).length > 0 &&
      prop.words.filter((word) => !isStopword(word)).every((word) => stems.has(stem(word))),
  );
  for (const prop of [...needed, ...named].filter((candidate) => candidate.kind === 'enum' && state.args[candidate.name] === undefined)) {
    const own = new Set(prop.words.map(stem));
    // Words of the property's name say which property, not which value ("hold" in "on hold" for hold_reason).
    const spoken = tokens.filter((token) => !own.has(token.stem));
    const scored = prop.enumValues.map((value) => {
      const words = contentWords(String(value));
      const found = words.filter((_, i) => says(spoken, words, i)).length;
      const described = contentWords([prop.enumDescriptions.get(String(value)) ?? '', ...hintsFor(prop, String(value))].join(' '));
      const meant = described.filter((_, i) => says(spoken, described, i)).length;
      return { value, share: words.length === 0 ? 0 : found / words.length, meant, found };
    });
    const score = (entry: (typeof scored)[number]) => entry.share + Math.min(entry.meant, 2) * 0.3;
    scored.sort((a, b) => score(b) - score(a));
    const [best, second] = scored;
    if (!best || (second !== undefined && score(second) >= score(best))) continue;
    const required = needed.includes(prop);
    // A named property may take a value said by meaning only; a needed one also by most of its words.
    const clear = required ? best.share >= 0.6 || (best.meant > 0 && best.found + best.meant >= 1) : best.share >= 0.5 || best.meant > 0;
    if (!clear) continue;
    state.args[prop.name] = best.value;
    state.cues += 1;
  }
}

/** English words for the top of a scale, the value a bare "urgent" or "important" stands for. */
const TOP_LEVELS = new Set(['high', 'highest', 'critical', 'top', 'max', 'maximum']);

/** Whether an adjective is WordNet's derived form of a noun among `nouns` ("urgent" -> urgency). */
function adjectiveOf(word: string, nouns: ReadonlySet<string>): boolean {
  return sensesOf(word, 'adj', 2).some((synset) =>
    synset.pointers.some(
      (pointer) => pointer.symbol === '+' && pointer.pos === 'noun' && synsetAt(pointer.offset, 'noun').words.some((w) => nouns.has(w)),
    ),
  );
}

/**
 * "vpn down paris, urgent": the adjective of an empty enum property's name, with no value said,
 * stands for the top of its scale (the value that means high). The word leaves the free text.
 */
export function fillLevelAdjectives(state: FillState): void {
  const { sentence, tool } = state;
  for (const prop of tool.props.filter((candidate) => candidate.kind === 'enum' && state.args[candidate.name] === undefined)) {
    const top = prop.enumValues.find((value) => TOP_LEVELS.has(String(value).toLowerCase()));
    if (top === undefined) continue;
    const nouns = new Set(prop.words.filter((word) => !isStopword(word)));
    const index = sentence.tokens.findIndex(
      (token) => sentence.isFree(token.start, token.end) && !nouns.has(token.lower) && adjectiveOf(token.lower, nouns),
    );
    const token = sentence.tokens[index];
    if (!token) continue;
    state.args[prop.name] = prop.types.has('string') || typeof top !== 'string' ? top : Number(top);
    state.cues += 1;
    consumeTokens(sentence, index, index + 1);
  }
}
