/**
 * Text properties that say what kind of thing is meant ("room_type", "Genre of music", "Type of
 * cuisine") take the word that modifies that thing in the request: "a single room" -> room_type
 * "single", "jazz music" -> genre "jazz", "Italian restaurants" -> cuisine "Italian" (the tool's own
 * noun stands for the thing when the description's noun is not written). General English only.
 */
import type { PropInfo } from './schema.ts';
import type { Sentence } from './sentence.ts';
import { isStopword, stem, tokenize, type Token } from './tokenize.ts';
import type { FillState } from './values.ts';

/** Nouns that name a kind of something (general English). */
const KIND_WORDS = new Set(['type', 'kind', 'genre', 'category', 'style', 'sort', 'variety', 'class', 'form']);
/** "Type of the room", "Genre of music to be played": the noun the kind is of. */
const KIND_OF = /\b(?:type|kind|genre|category|style|sort|variety|class|form)s?\s+of\s+(?:the\s+|a\s+|an\s+)?([a-z]+)/i;
/** Words before a noun that rank or place it rather than say its kind ("the closest sushi restaurant"). */
const NOT_A_KIND =
  /^(?:\d.*|best|top|closest|nearest|cheapest|highest|lowest|rated|popular|famous|good|great|nice|new|next|last|latest|upcoming|local|nearby|some|any|all|few|several|many|more|most|other|same|one|each|every|specific|particular|certain|available|different)$/i;

/** Whether a property asks for a kind of thing, and the nouns the kind is of. */
function kindNouns(prop: PropInfo, toolNouns: readonly string[]): string[] | undefined {
  const named = prop.words.some((word) => KIND_WORDS.has(word));
  const described = prop.description.match(KIND_OF);
  if (!named && !described) return undefined;
  const own = prop.words.filter((word) => !KIND_WORDS.has(word) && !isStopword(word) && word.length > 2);
  return [...own, ...(described?.[1] ? [described[1].toLowerCase()] : []), ...toolNouns];
}

/** The noun as written, or its plural: "rooms", "restaurants"; not "scheduled" for "schedule". */
const isNoun = (token: Token, noun: string) =>
  token.lower === noun ||
  token.lower === `${noun}s` ||
  token.lower === `${noun}es` ||
  (stem(token.lower) === stem(noun) && token.lower.length <= noun.length + 2 && !/(?:ed|ing)$/.test(token.lower));

/** The word just before a token, joined with hyphens ("gluten-free"), when it is free and may say a kind. */
function modifierBefore(
  sentence: Sentence,
  index: number,
  avoid: ReadonlySet<string>,
): { text: string; start: number; end: number } | undefined {
  const tokens = sentence.tokens;
  let first = index - 1;
  const last = tokens[first];
  if (!last || !/^\s+$/.test(sentence.text.slice(last.end, tokens[index]?.start ?? last.end))) return undefined;
  while (first > 0 && sentence.text.slice(tokens[first - 1]?.end ?? 0, tokens[first]?.start ?? 0) === '-') first -= 1;
  const start = tokens[first]?.start ?? last.start;
  const words: Token[] = tokens.slice(first, index);
  if (!sentence.isFree(start, last.end)) return undefined;
  // "recommended games", "rated restaurants": a participle says how it is rated, not its kind.
  if (words.length === 1 && (isStopword(last.lower) || NOT_A_KIND.test(last.lower) || /\w{3,}(?:ed|ing)$/.test(last.lower)))
    return undefined;
  if (words.some((word) => avoid.has(word.lower))) return undefined;
  return { text: sentence.text.slice(start, last.end), start, end: last.end };
}

/** Fills empty required kind properties from the modifier of the noun they are a kind of. */
export function fillKinds(state: FillState): void {
  const { sentence, tool } = state;
  const toolNouns = tool.nameTerms.length > 0 ? tokenize(tool.name.replace(/[_.]/g, ' ')).map((token) => token.lower) : [];
  for (const prop of tool.props) {
    if (prop.kind !== 'text' || !prop.required || state.args[prop.name] !== undefined) continue;
    const nouns = kindNouns(prop, toolNouns);
    if (!nouns) continue;
    for (const noun of nouns) {
      const index = sentence.tokens.findIndex((token) => isNoun(token, noun) && sentence.isFree(token.start, token.end));
      // "player profile" is no class of player: a word of the tool's or the property's own name is no value.
      const modifier = index > 0 ? modifierBefore(sentence, index, new Set([...toolNouns, ...prop.words])) : undefined;
      if (!modifier) continue;
      state.args[prop.name] = modifier.text;
      state.cues += 1;
      sentence.consume(modifier.start, modifier.end);
      break;
    }
  }
}
