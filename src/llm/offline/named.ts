/**
 * Values a request names by the noun of their property, as people write them for any API:
 * "namespace batch", "the pod worker-5d8b", "the prod namespace", "for the MOB team", "the web
 * deployment" (a property `name` described as "Deployment name"), and the agent nouns of verbs:
 * "assign it to priya", "assigned to priya" for an `assignee`.
 */
import { isWord } from './lexicon/index.ts';
import { perObject } from './memo.ts';
import type { PropInfo } from './schema.ts';
import { isStopword, stem, type Token } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';
import type { FillState } from './values.ts';
import { ORDINALS } from './vocabulary.ts';

/** Name words that say what a value is, not which thing it names. */
const GENERIC = new Set(['name', 'id', 'ids', 'key', 'identifier', 'code', 'value', 'text', 'title', 'label', 'string']);
/** "Deployment name", "Name of the pod", "Team key or name": the thing named. */
const DESCRIBED = [
  /^\s*(?:the\s+)?([A-Za-z]+)\s+(?:name|id|key|identifier)\b/i,
  // "The name of the NFL player": the head noun, the phrase's last word.
  /^\s*(?:the\s+)?(?:name|id|key|identifier)\s+of\s+(?:the\s+|a\s+|an\s+)?(?:[A-Za-z]+\s+){0,2}?([A-Za-z]+)(?=\s*(?:[.,;:(]|$))/i,
];
/** Words that place a phrase ("in namespace batch", "for the MOB team"). */
const PLACING = new Set(['in', 'on', 'for', 'to', 'from', 'into', 'of', 'at', 'under']);
// Not "my": "my fMRI data" says whose, and what kind.
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that']);

/** The nouns that name what a property holds. */
function nounsOf(prop: PropInfo): string[] {
  const own = prop.words.filter(
    (word) =>
      !GENERIC.has(word) &&
      !isStopword(word) &&
      /^[a-z]+$/.test(word) &&
      (isWord(word, 'noun') || !['adj', 'adv', 'verb'].some((pos) => isWord(word, pos as 'adj'))),
  );
  const described = DESCRIBED.map((pattern) => pattern.exec(prop.description)?.[1]?.toLowerCase()).filter(
    (word): word is string => word !== undefined && !GENERIC.has(word) && !isStopword(word),
  );
  return [...new Set([...own, ...described])].map(stem);
}

/** Whether a token can be a named value: a code, a capitalised word or a plain word that is not grammar. */
function valueLike(token: Token | undefined): token is Token {
  if (!token || isStopword(token.lower) || GENERIC.has(token.lower) || PLACING.has(token.lower) || token.lower in ORDINALS) return false;
  if (/[\d_/-]|^[A-Z]/.test(token.text)) return true;
  // "the new team", "a private playlist": an adjective describes it; "the web deployment", "the checkout deployment" name it.
  return !isWord(token.lower, 'adj');
}

/** The token's whole code as written ("worker-5d8b", "acme/web"): tokens joined by marks and no spaces. */
function codeSpan(state: FillState, from: number): { value: string; start: number; end: number; next: number } | undefined {
  const { tokens, text } = state.sentence;
  const first = tokens[from];
  if (!first) return undefined;
  let at = from;
  while (tokens[at + 1] && /^[-_/.]$/.test(text.slice(tokens[at]!.end, tokens[at + 1]!.start))) at += 1;
  const last = tokens[at]!;
  return { value: text.slice(first.start, last.end), start: first.start, end: last.end, next: at + 1 };
}

const propNouns = perObject(nounsOf);

/** "the incident description": a word of the tool's own texts is what the tool is about, never a value. */
const ownStems = perObject(
  (tool: ToolSpec): ReadonlySet<string> =>
    new Set(
      [tool.name, tool.description, ...tool.props.flatMap((prop) => [prop.name, prop.description])].flatMap((text) =>
        (text.toLowerCase().match(/[a-z]+/g) ?? []).map(stem),
      ),
    ),
);

/** Fills open text and identifier properties from phrases that name them by their noun. */
export function fillNamedValues(state: FillState): void {
  const { sentence, tool } = state;
  const open = tool.props.filter(
    (prop) => (prop.kind === 'text' || prop.kind === 'identifier') && !prop.array && !prop.pattern && state.args[prop.name] === undefined,
  );
  if (open.length === 0) return;
  const tokens = sentence.tokens;
  const own = ownStems(tool);
  const byNoun = new Map<string, PropInfo[]>();
  for (const prop of open) for (const noun of propNouns(prop)) byNoun.set(noun, [...(byNoun.get(noun) ?? []), prop]);
  const take = (prop: PropInfo, value: string, start: number, end: number) => {
    state.args[prop.name] = value;
    state.cues += 1;
    sentence.consume(start, end);
  };
  for (const [i, token] of tokens.entries()) {
    const props = byNoun.get(token.stem);
    if (!props || props.length !== 1 || !sentence.isFree(token.start, token.end)) continue;
    const prop = props[0]!;
    if (state.args[prop.name] !== undefined) continue;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    // "the prod namespace", "for the MOB team": a word between a determiner and the noun names it.
    const previous = tokens[i - 2];
    if (
      before &&
      previous &&
      DETERMINERS.has(previous.lower) &&
      valueLike(before) &&
      // "The Plaza hotel", "a Tennis player": a capitalised word there is part of a name, or says what kind.
      !/^[A-Z][a-z]|^\d+$/.test(before.text) &&
      !byNoun.has(before.stem) &&
      !own.has(before.stem) &&
      sentence.isFree(previous.start, token.end) &&
      sentence.text.slice(before.end, token.start) === ' ' &&
      // "the basketball team 'Los Angeles Lakers'", "a playlist called Road Trip": the name follows, the word before says what kind.
      !/^\s*(?:["'‘“`]|\p{Lu}|(?:called|named|titled)\b)/u.test(sentence.text.slice(token.end))
    ) {
      take(prop, before.text, previous.start, token.end);
      continue;
    }
    // "namespace batch", "in namespace batch", "the pod worker-5d8b": the noun, then its value; a plain word only after a placing word.
    const code = valueLike(after) && sentence.text.slice(token.end, after.start) === ' ' ? codeSpan(state, i + 1) : undefined;
    if (!code || !sentence.isFree(token.start, code.end) || byNoun.has(after!.stem)) continue;
    // A code ends the phrase ("pod worker-5d8b in ..."); "function 3x^2 + 2x" and "player LeBron James" go on.
    if (!/^(?:$|[\s,;:!?)]|\.(?:\s|$))/.test(sentence.text.slice(code.end)) || /^\s+[A-Z]/.test(sentence.text.slice(code.end))) continue;
    const marked = /[\d_/.-]|^[A-Z]+$/.test(code.value);
    if (marked || (before !== undefined && PLACING.has(before.lower) && !own.has(after!.stem)))
      take(prop, code.value, token.start, code.end);
  }
  fillAgentNouns(state, open);
  fillCapitalKeys(state, open);
}

/** "Team key, e.g. ENG": an example all in capitals is a key written so. */
const CAPITAL_EXAMPLE = /\b(?:e\.g\.?|for example|such as)[:,]?\s+([A-Z]{2,6})\b(?!-)/;
/** The property holds a key or code ("Team key or name, e.g. ENG"), not a name that is written in capitals ("e.g. HSBC"). */
const KEY_WORDS = /\b(?:key|code|abbreviation|prefix|symbol)\b/i;
const CAPITAL_KEY = /^[A-Z]{2,6}$/;

/** "new issue in ENG", "for MOB": a word in capitals placed by a preposition is the key of the one property whose example is one. */
function fillCapitalKeys(state: FillState, open: readonly PropInfo[]): void {
  const { sentence } = state;
  const props = open.filter(
    (prop) => state.args[prop.name] === undefined && CAPITAL_EXAMPLE.test(prop.description) && KEY_WORDS.test(prop.description),
  );
  if (props.length !== 1) return;
  const prop = props[0]!;
  const tokens = sentence.tokens;
  const at = tokens.findIndex(
    (token, i) =>
      CAPITAL_KEY.test(token.text) &&
      PLACING.has(tokens[i - 1]?.lower ?? '') &&
      sentence.isFree(token.start, token.end) &&
      !/^[-_/]/.test(sentence.text.slice(token.end)),
  );
  const token = tokens[at];
  if (!token) return;
  state.args[prop.name] = token.text;
  state.cues += 1;
  sentence.consume(tokens[at - 1]!.start, token.end);
}

/** Agent nouns and their verbs: `assignee` and "assign(ed) ... to", `reviewer` and "review(ed) by". */
function fillAgentNouns(state: FillState, open: readonly PropInfo[]): void {
  const { sentence } = state;
  const tokens = sentence.tokens;
  for (const prop of open) {
    if (state.args[prop.name] !== undefined) continue;
    const word = prop.words.find((candidate) => /(?:ee|er|or)$/.test(candidate) && candidate.length > 5);
    if (!word) continue;
    const root = word.replace(/(?:ee|er|or)$/, '');
    const at = tokens.findIndex((token) => token.lower.startsWith(root) && token.lower !== word && sentence.isFree(token.start, token.end));
    if (at < 0) continue;
    const link = tokens.slice(at + 1, at + 4).findIndex((token) => token.lower === (word.endsWith('ee') ? 'to' : 'by'));
    if (link < 0) continue;
    const value = tokens[at + 2 + link];
    const me = value?.lower === 'me';
    if (!me && !valueLike(value)) continue;
    const code = codeSpan(state, at + 2 + link);
    if (!code || !sentence.isFree(tokens[at + 1 + link]!.start, code.end)) continue;
    state.args[prop.name] = code.value;
    state.cues += 1;
    sentence.consume(tokens[at + 1 + link]!.start, code.end);
  }
}
