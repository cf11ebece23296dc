/**
 * Text properties filled from the phrases that say them: a proper name or a prepositional
 * phrase, matched to a property by the words next to it (the property's name or description),
 * the role of its preposition ("from X to Y" -> start / end), and what WordNet says the phrase is
 * ("Boston" is a city, a location; "water" a substance). General English only.
 */
import { BoundedMap, WORD_MEMO_SIZE } from './memo.ts';
import { sensesOf, type Synset } from './lexicon/index.ts';
import { nlp } from './lexicon/tagger.ts';
import { synsetAt } from './lexicon/wordnet.ts';
import type { PropInfo } from './schema.ts';
import type { Sentence } from './sentence.ts';
import { isStopword, stem, tokenize, type Token } from './tokenize.ts';
import { ORDINALS } from './vocabulary.ts';
import { consumeTokens, propStems, type FillState } from './values.ts';

/** A phrase that may be a value: its token range and the preposition before it. */
interface Phrase {
  readonly from: number;
  readonly to: number;
  readonly text: string;
  readonly preposition: string;
  readonly proper: boolean;
}

const PREPOSITIONS = new Set(['in', 'at', 'near', 'from', 'to', 'for', 'of', 'with', 'on', 'about', 'by', 'into', 'around', 'within']);
const BOUNDARY = new Set(['and', 'or', 'but', 'that', 'which', 'who', 'whose', 'if', 'when', 'where', 'while', 'using', 'as', 'than']);
const DETERMINER = new Set(['the', 'a', 'an', 'my', 'our', 'your', 'their', 'its', 'his', 'her', 'this', 'that', 'these', 'those', 'some']);
const CONNECTOR = new Set(['is', 'are', 'was', 'be', 'as', 'of', 'the', 'a', 'an', 'to', 'named', 'called', '=', ':']);
const PRONOUNS = new Set(['me', 'you', 'us', 'them', 'him', 'her', 'it', 'myself', 'yourself', 'ourselves', 'here', 'there']);
const OBJECTS = new Set(['it', 'them']);
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'near', 'around', 'within']);
const FROM_ROLE = new Set(['start', 'starting', 'origin', 'source', 'from', 'departure', 'begin', 'initial']);
const TO_ROLE = new Set(['end', 'destination', 'target', 'to', 'arrival', 'final']);
const MAX_PHRASE_WORDS = 4;
/** Evidence a phrase needs: more for an optional property, which is better left out than filled wrongly. */
const MIN_SCORE = 2;
const MIN_OPTIONAL_SCORE = 3;

const isCapitalised = (token: Token) => /^[\p{Lu}]/u.test(token.text) || /^[\p{Lu}\d]+$/u.test(token.text);

/** The gap between two tokens holds only spaces (no comma, bracket or full stop). */
function joined(sentence: Sentence, left: Token | undefined, right: Token | undefined): boolean {
  return left !== undefined && right !== undefined && /^[ \t]+$/.test(sentence.text.slice(left.end, right.start));
}

/** Joined within a name: by spaces, or by the full stop of an abbreviation ("Mr. X", "Liverpool F.C."). */
function joinedInName(sentence: Sentence, left: Token | undefined, right: Token | undefined): boolean {
  if (joined(sentence, left, right)) return true;
  if (!left || !right || isStopword(right.lower)) return false;
  return /^\p{Lu}\p{Ll}?$|^(?:Mrs|Jr|Sr|St)$/u.test(left.text) && /^\.[ \t]*$/.test(sentence.text.slice(left.end, right.start));
}

function phrasesOf(sentence: Sentence): Phrase[] {
  const tokens = sentence.tokens;
  const free = (i: number) => {
    const token = tokens[i];
    return token !== undefined && sentence.isFree(token.start, token.end);
  };
  const text = (from: number, to: number) => sentence.text.slice(tokens[from]?.start ?? 0, tokens[to - 1]?.end ?? 0);
  const out: Phrase[] = [];
  // Proper names: runs of capitalised words, not the capital that starts a sentence on a common word.
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token || !free(i) || !isCapitalised(token) || token.text === 'I') continue;
    const sentenceStart = i === 0 || /[.!?:]\s*$/.test(sentence.text.slice(0, token.start));
    if (sentenceStart && (isStopword(token.lower) || sensesOf(token.lower, 'verb', 1).length > 0)) continue;
    // "After that, ...", "Lastly, ...", "Third, ...": a lone capital on a word that says when or in which order is no name.
    const alone = !(isCapitalised(tokens[i + 1] ?? token) && joinedInName(sentence, token, tokens[i + 1])) || tokens[i + 1] === undefined;
    if (sentenceStart && alone && (sensesOf(token.lower, 'adv', 1).length > 0 || token.lower in ORDINALS)) continue;
    let j = i + 1;
    for (;;) {
      while (j < tokens.length && free(j) && isCapitalised(tokens[j]!) && joinedInName(sentence, tokens[j - 1], tokens[j])) j += 1;
      // "Treaty of Paris", "Bank of the West": "of" between capitalised words is inside the name.
      const of = tokens[j]?.lower === 'of' ? (tokens[j + 1]?.lower === 'the' ? 2 : 1) : 0;
      const next = tokens[j + of];
      if (of === 0 || !next || !isCapitalised(next) || !free(j + of) || !joined(sentence, tokens[j - 1], tokens[j])) break;
      j += of + 1;
    }
    out.push({ from: i, to: j, text: text(i, j), preposition: tokens[i - 1]?.lower ?? '', proper: true });
    i = j - 1;
  }
  // Prepositional objects: "in forest", "from the StudentDB".
  for (let i = 0; i < tokens.length; i += 1) {
    const prep = tokens[i];
    if (!prep || !PREPOSITIONS.has(prep.lower) || !joined(sentence, prep, tokens[i + 1])) continue;
    let from = i + 1;
    while (from < tokens.length && DETERMINER.has(tokens[from]?.lower ?? '') && joined(sentence, tokens[from], tokens[from + 1])) from += 1;
    let to = from;
    while (
      to < tokens.length &&
      to - from < MAX_PHRASE_WORDS &&
      free(to) &&
      !PREPOSITIONS.has(tokens[to]?.lower ?? '') &&
      !BOUNDARY.has(tokens[to]?.lower ?? '') &&
      !/^\d/.test(tokens[to]?.text ?? '') &&
      (to === from || joined(sentence, tokens[to - 1], tokens[to]))
    ) {
      to += 1;
    }
    // "near me", "for them", "of the same company": a pronoun or "same" points at someone, it is not a value.
    // "on the 'Xbox' platform" with the quote taken: an article left alone names nothing.
    const pronoun =
      (to === from + 1 && (PRONOUNS.has(tokens[from]?.lower ?? '') || DETERMINER.has(tokens[from]?.lower ?? ''))) ||
      tokens[from]?.lower === 'same';
    if (to > from && !pronoun && !out.some((phrase) => phrase.from === from && phrase.to === to)) {
      out.push({ from, to, text: text(from, to), preposition: prep.lower, proper: tokens.slice(from, to).every(isCapitalised) });
    }
  }
  return out;
}

const closureCache = new BoundedMap<string, ReadonlySet<string>>(WORD_MEMO_SIZE);

/** Every word of the more general senses of a noun phrase (its own words included), through instance links too. */
function kindsOf(phrase: string): ReadonlySet<string> {
  const key = phrase.toLowerCase();
  const cached = closureCache.get(key);
  if (cached) return cached;
  const words = new Set<string>();
  // The head noun: the last word, or the last before "of" ("Museum of Modern Art" is a museum).
  const last = key.split(' of ')[0]?.split(/\s+/).at(-1) ?? key;
  let frontier: Synset[] = sensesOf(key, 'noun', 2);
  if (frontier.length === 0 && last !== key) frontier = sensesOf(last, 'noun', 2);
  const seen = new Set<number>();
  for (let depth = 0; depth < 10 && frontier.length > 0; depth += 1) {
    const next: Synset[] = [];
    for (const synset of frontier) {
      if (seen.has(synset.offset)) continue;
      seen.add(synset.offset);
      for (const word of synset.words) words.add(word);
      for (const pointer of synset.pointers)
        if (pointer.symbol === '@' || pointer.symbol === '@i') next.push(synsetAt(pointer.offset, 'noun'));
    }
    frontier = next;
  }
  closureCache.set(key, words);
  return words;
}

const isPlaceWord = (word: string) => kindsOf(word).has('location');
const isPersonWord = (word: string) => kindsOf(word).has('person');

/** What a property's schema says about the phrases that fill it, worked out once per property. */
interface PropView {
  readonly stems: ReadonlySet<string>;
  readonly described: ReadonlySet<string>;
  readonly from: boolean;
  readonly to: boolean;
  readonly nameWords: readonly string[];
  readonly place: boolean;
  readonly person: boolean;
  /** Described as one person ("Person to work on it") or as a body of people ("Team to work on it"). */
  readonly oneOf: 'person' | 'group' | undefined;
  /** Named or described as someone's full name ("Full name of the customer"). */
  readonly fullName: boolean;
}

const viewCache = new WeakMap<PropInfo, PropView>();

/** A property's stems without those of its small words ("to" of assigned_to; "note" stays, though its stem is "not"). */
function withoutSmallWords(stems: ReadonlySet<string>, words: readonly string[]): ReadonlySet<string> {
  const small = new Set(words.filter((word) => isStopword(word)).map(stem));
  return new Set([...stems].filter((word) => !small.has(word)));
}

function viewOf(prop: PropInfo): PropView {
  const cached = viewCache.get(prop);
  if (cached) return cached;
  const described = new Set(
    tokenize(prop.description)
      .filter((token) => !isStopword(token.lower))
      .map((token) => stem(token.lower)),
  );
  // "from"/"to" name a role only where a name starts with them (to_city, from_date): in assigned_to or
  // "Person to work on it" they join words. Role nouns (origin, destination) count anywhere.
  const joints = new Set(['from', 'to']);
  const roles = new Set([
    ...prop.words.filter((word, i) => i === 0 || !joints.has(word)),
    ...tokenize(prop.description)
      .slice(0, 6)
      .map((token) => token.lower)
      .filter((word) => !joints.has(word)),
  ]);
  const nameWords = prop.words.filter((word) => word.length > 2 && !isStopword(word));
  const view = {
    // A small word of the name ("to" of assigned_to) does not name the property before a phrase ("turned out to be ...").
    stems: withoutSmallWords(propStems(prop), prop.words),
    described,
    from: [...roles].some((word) => FROM_ROLE.has(word)),
    to: [...roles].some((word) => TO_ROLE.has(word)),
    nameWords,
    place: nameWords.some(isPlaceWord),
    person: nameWords.some(isPersonWord),
    oneOf: describedAs(prop),
    fullName: /\bfull[\s_-]?name\b/i.test(`${prop.name} ${prop.description}`),
  };
  viewCache.set(prop, view);
  return view;
}

/** What the first noun of a property's name or description is: a person, or a group of people ("team", "group"). */
function describedAs(prop: PropInfo): 'person' | 'group' | undefined {
  const words = [
    ...prop.words,
    ...tokenize(prop.description)
      .slice(0, 3)
      .map((token) => token.lower),
  ].filter((word) => word.length > 2 && !isStopword(word) && sensesOf(word, 'noun', 1).length > 0);
  if (words.some((word) => word === 'person' || word === 'people')) return 'person';
  if (words.some((word) => kindsOf(word).has('social group') || word === 'group')) return 'group';
  return undefined;
}

/**
 * A capitalised name whose last word is a common noun that is no person ("Hardware Support", "Workplace Technology")
 * names a team or a thing; "Marc Dubois", "Lena Fischer" (Fischer, a chess player) name people.
 */
function namesNoPerson(sentence: Sentence, phrase: Phrase): boolean {
  const last = sentence.tokens[phrase.to - 1];
  const first = sentence.tokens[phrase.from];
  if (!phrase.proper || phrase.to - phrase.from < 2 || !last || !first) return false;
  // "Mei Chen": a given name first makes a person, whatever rare noun the last word also is (a subgenus).
  if (isFirstName(first.text)) return false;
  return sensesOf(last.lower, 'noun', 2).length > 0 && !kindsOf(last.lower).has('person') && !kindsOf(phrase.text).has('person');
}

const firstNames = new BoundedMap<string, boolean>(WORD_MEMO_SIZE);

/** Whether compromise's lexicon knows a capitalised word as a given name ("Mei", "Felix"). */
function isFirstName(word: string): boolean {
  return firstNames.remember(word, () => nlp(word).has('#FirstName'));
}

/** "assign" for "assignment": a word of the request that a property's longer word starts with, as derived words do. */
function derivedFrom(token: Token, stems: ReadonlySet<string>): boolean {
  return token.stem.length >= 5 && [...stems].some((own) => own.length > token.stem.length + 2 && own.startsWith(token.stem));
}

/**
 * "to the Hardware Support group" for assignment_group: a name, then the property's own word for a
 * group of people, in lower case. Only groups: "New York city" is a place, "the specified stock" no name.
 */
function endsInOwnWord(sentence: Sentence, phrase: Phrase, stems: ReadonlySet<string>): boolean {
  const name = sentence.tokens.slice(phrase.from, phrase.to - 1);
  const last = sentence.tokens[phrase.to - 1];
  // A capitalised last word is part of the name ("the Premier League" for league).
  if (name.length === 0 || !name.every(isCapitalised) || last === undefined || isCapitalised(last)) return false;
  return stems.has(last.stem) && kindsOf(last.lower).has('group');
}

/**
 * Whether capitalised words read as a first and last name ("Leonardo DiCaprio", "Albert Einstein's"):
 * two or three words, each capitalised but not an acronym, none a small word or an adjective
 * ("NBA Most Valuable Player" is a title).
 */
function isFullName(tokens: readonly Token[]): boolean {
  return (
    tokens.length >= 2 &&
    tokens.length <= 3 &&
    tokens.every(
      (token) =>
        /^\p{Lu}\p{Ll}/u.test(token.text) && !isStopword(token.lower) && sensesOf(token.lower.replace(/['’]s$/, ''), 'adj').length === 0,
    )
  );
}

/** How strongly a phrase says it is the property's value. */
function phraseScore(sentence: Sentence, phrase: Phrase, view: PropView): number {
  const tokens = sentence.tokens;
  const { stems, described } = view;
  let score = phrase.proper ? 0.5 : 0;
  // The property named right before ("the country Brazil", "caller = Tom Becker") or right after ("Thai food").
  for (let i = phrase.from - 1, steps = 0; i >= 0 && steps < 4; i -= 1, steps += 1) {
    const token = tokens[i];
    if (!token) break;
    if (stems.has(token.stem) || derivedFrom(token, stems)) {
      // "the Metropolitan Museum of Art": a capitalised word of the name is no label before the rest of it.
      if (phrase.proper && i > 0 && isCapitalised(token)) break;
      score += 3;
      break;
    }
    if (described.has(token.stem)) {
      score += 1.5;
      break;
    }
    // "assign it to Omar Haddad", "assign INC0010002 to ...": the object (a pronoun, or a value already read)
    // stands between the property's word and its value.
    const object = OBJECTS.has(token.lower) || !sentence.isFree(token.start, token.end);
    if (!CONNECTOR.has(token.lower) && !PREPOSITIONS.has(token.lower) && !DETERMINER.has(token.lower) && !object) {
      // "assign the new ticket to Facilities IT": a short noun phrase after a determiner is the object too.
      const lead = [1, 2].map((back) => i - back).find((at) => at >= 0 && DETERMINER.has(tokens[at]?.lower ?? ''));
      if (lead === undefined || steps > 1 || !PREPOSITIONS.has(tokens[phrase.from - 1]?.lower ?? '')) break;
      i = lead;
    }
  }
  // One person or a team: "Hardware Support" is no one's name.
  if (view.oneOf !== undefined && phrase.proper && phrase.to - phrase.from >= 2) {
    const thing = namesNoPerson(sentence, phrase);
    // A first and last name no dictionary knows as a thing ("Mei Chen") is likelier a person than a team.
    const personLike = !thing && isFullName(tokens.slice(phrase.from, phrase.to));
    score += view.oneOf === 'group' ? (thing ? 1 : personLike ? -1.5 : -0.5) : thing ? -1 : 0.5;
  }
  // The name says what it is: "Metropolitan Museum of Art" for museum_name, "Premier League" for league.
  // Not for a person: a name of one does not hold "Player" ("NBA Most Valuable Player" is a title).
  if (
    !view.person &&
    phrase.proper &&
    tokens.slice(phrase.from + 1, phrase.to).some((token) => isCapitalised(token) && stems.has(token.stem))
  )
    score += 3;
  const after = tokens[phrase.to];
  if (after && stems.has(after.stem) && joined(sentence, tokens[phrase.to - 1], after)) score += 2.5;
  if (endsInOwnWord(sentence, phrase, stems)) score += 3.5;
  if (phrase.preposition === 'from' && view.from) score += 3;
  if (phrase.preposition === 'to' && view.to) score += 3;
  // What the phrase is: "Boston" is a city, "Brazil" a country, "water" a substance.
  const kinds = kindsOf(phrase.text.replace(/['’]s$/, ''));
  // A person's name is a person as a whole ("Einstein"), not by its last word ("NBA Most Valuable Player").
  const byHead = view.person && phrase.proper && sensesOf(phrase.text.replace(/['’]s$/, '').toLowerCase(), 'noun').length === 0;
  if (!byHead && view.nameWords.some((word) => kinds.has(word))) score += 2.5;
  if (view.place && kinds.has('location')) score += 1.5;
  if (view.place && phrase.proper && PLACE_PREPOSITIONS.has(phrase.preposition)) score += 2;
  // "new customer Ada Lovelace" for "Full name of the customer": a first and last name is a full name.
  if (view.fullName && phrase.proper && isFullName(tokens.slice(phrase.from, phrase.to)) && !kinds.has('location')) score += 2;
  if (view.person && phrase.proper && !kinds.has('location')) {
    // A first and last name ("for Tom Becker", "starring Leonardo DiCaprio") reads as a person more
    // surely than one capitalised word ("for Finance"); WordNet knows some people ("Albert Einstein").
    const full = isFullName(sentence.tokens.slice(phrase.from, phrase.to)) && !kinds.has('group');
    // Another preposition ("to Ada Lovelace") gives the name a role of its own.
    const by = ['for', 'by', 'from', 'with'].includes(phrase.preposition);
    if (by) score += full ? 2.5 : 2;
    else if (full && !PREPOSITIONS.has(phrase.preposition)) score += 2;
    if (full && (by || !PREPOSITIONS.has(phrase.preposition)) && kinds.has('person')) score += 1;
  }
  return score;
}

/** "in a namespace", "in one domain or area": a preposition and the nouns it takes in a description. */
const PLACED = /\b(in|at|on|within|under|into)\s+(?:(?:a|an|the|one|each|any|some|its|their|given)\s+)?(\p{L}+)(?:\s+or\s+(\p{L}+))?/giu;
const placedCache = new BoundedMap<string, ReadonlyMap<string, ReadonlySet<string>>>(WORD_MEMO_SIZE);

/**
 * The prepositions a tool's description puts before a property's noun ("List pods in a namespace"):
 * a request's phrase after the same preposition ("list pods in staging") says that property's value,
 * its noun left out.
 */
function placedBy(description: string, view: PropView): ReadonlySet<string> {
  let found = placedCache.get(description);
  if (!found) {
    const byStem = new Map<string, Set<string>>();
    for (const match of description.matchAll(PLACED)) {
      for (const noun of [match[2], match[3]]) {
        if (!noun) continue;
        const key = stem(noun.toLowerCase());
        byStem.set(key, (byStem.get(key) ?? new Set()).add(match[1]!.toLowerCase()));
      }
    }
    found = byStem;
    placedCache.set(description, found);
  }
  const out = new Set<string>();
  for (const word of view.stems) for (const preposition of found.get(word) ?? []) out.add(preposition);
  return out;
}

/** A whole phrase after the preposition a description puts before the property's noun ("acme" of "on acme/web" is none). */
function placed(sentence: Sentence, phrase: Phrase, description: string, view: PropView): boolean {
  const end = sentence.tokens[phrase.to - 1]?.end ?? 0;
  return !/^(?:[/_:@#=-]|\.\w)/.test(sentence.text.slice(end)) && placedBy(description, view).has(phrase.preposition);
}

/**
 * Fills empty text properties (other than `skip`, the one that takes the free text) from phrases,
 * best (property, phrase) pairs first, each phrase once; with `only`, that one property, from a
 * proper name or a phrase weakly tied to it.
 */
export function fillPhrases(state: FillState, skip: ReadonlySet<string>, only?: PropInfo, strict = false): void {
  const { sentence, tool } = state;
  const props = (only ? [only] : tool.props).filter(
    (prop) => prop.kind === 'text' && !prop.array && state.args[prop.name] === undefined && !skip.has(prop.name),
  );
  if (props.length === 0) return;
  // Strictly: a capitalised name ("for Barcelona"), not a code ("#00FFFF", "5", "x") nor the end of a route ("from New York to Boston").
  const phrases = phrasesOf(sentence).filter(
    (phrase) => !strict || (phrase.proper && /^\p{Lu}\p{Ll}/u.test(phrase.text) && !['from', 'to'].includes(phrase.preposition)),
  );
  const pairs: { prop: PropInfo; phrase: Phrase; score: number }[] = [];
  for (const prop of props) {
    const view = viewOf(prop);
    for (const phrase of phrases) {
      // Alone, a name after a preposition ("cases of Facebook") is likelier the value than a capitalised word ("Patent").
      const alone =
        only && phrase.proper ? (PREPOSITIONS.has(phrase.preposition) ? 0.5 : 0) + Math.min(0.75, 0.25 * (phrase.to - phrase.from - 1)) : 0;
      const score = phraseScore(sentence, phrase, view) + alone + (placed(sentence, phrase, tool.description, view) ? 3 : 0);
      // A required property nothing else names (`only`) takes the likeliest name rather than the leftover words.
      const least = only ? (phrase.proper ? 0.5 : 1.5) : prop.required ? MIN_SCORE : MIN_OPTIONAL_SCORE;
      if (score >= least) pairs.push({ prop, phrase, score });
    }
  }
  pairs.sort((a, b) => b.score - a.score || b.phrase.to - b.phrase.from - (a.phrase.to - a.phrase.from) || a.phrase.from - b.phrase.from);
  for (const { prop, phrase, score } of pairs) {
    const first = sentence.tokens[phrase.from];
    const last = sentence.tokens[phrase.to - 1];
    if (!first || !last || state.args[prop.name] !== undefined || !sentence.isFree(first.start, last.end)) continue;
    // "Boston, MA", "Berlin, Germany": a place keeps its region when no other property of the tool takes regions.
    const place = viewOf(prop).place;
    const region = place && phrase.proper ? regionAfter(sentence, last.end) : undefined;
    const otherRegion = tool.props.some((other) => other !== prop && other.kind === 'text' && viewOf(other).place && isRegionProp(other));
    // The property's own word names it and is no part of the value ("Hardware Support", not "... group").
    const own = endsInOwnWord(sentence, phrase, viewOf(prop).stems);
    const said = own ? sentence.text.slice(first.start, sentence.tokens[phrase.to - 2]?.end ?? last.end) : phrase.text;
    // "The Weeknd's concert": the possessive is no part of the name; "German history" for a country is Germany.
    const text = (place && placeOfAdjective(said)) || (phrase.proper ? said.replace(/['’]s$/, '') : said);
    // "in Chicago" for "The city and state, e.g. Chicago, IL": the state WordNet places the city in.
    const usState = place && phrase.proper && !region && !otherRegion && wantsState(prop) ? stateCodeOf(text) : undefined;
    const value = region && !otherRegion ? `${text}${region.text}` : usState ? `${text}, ${usState}` : text;
    state.args[prop.name] = value;
    state.cues += score >= 4 ? 1.5 : 1;
    const lead = PREPOSITIONS.has(sentence.tokens[phrase.from - 1]?.lower ?? '') ? phrase.from - 1 : phrase.from;
    consumeTokens(sentence, lead, phrase.to);
    if (value !== phrase.text && region) sentence.consume(last.end, region.end);
  }
}

/**
 * A place filled by any means ("Boston" left as the main text) keeps the region written right
 * after it in the text ("Boston, Massachusetts"), or takes the state WordNet puts it in when the
 * description asks for a city and state; unless another property of the tool takes the region.
 */
export function completePlace(sentence: Sentence, tool: { readonly props: readonly PropInfo[] }, prop: PropInfo, value: string): string {
  if (prop.kind !== 'text' || !viewOf(prop).place || value.includes(',') || !/^\p{Lu}/u.test(value)) return value;
  if (tool.props.some((other) => other !== prop && other.kind === 'text' && viewOf(other).place && isRegionProp(other))) return value;
  const at = sentence.text.indexOf(value);
  const region = at < 0 ? undefined : REGION.exec(sentence.text.slice(at + value.length, at + value.length + 40));
  if (region?.[1] && isRegion(region[1])) return `${value}, ${region[1].replace(/\.$/, '')}`;
  const code = wantsState(prop) ? stateCodeOf(value) : undefined;
  return code ? `${value}, ${code}` : value;
}

/** A region is a code ("MA", "D.C.") or what WordNet calls a state or country; "New York, Los Angeles" is a list. */
function isRegion(text: string): boolean {
  const kinds = kindsOf(text);
  return /^(?:\p{Lu}{2,3}|(?:\p{Lu}\.){2,3})$/u.test(text) || ['state', 'country', 'province', 'nation'].some((kind) => kinds.has(kind));
}

/** A property for a region (a state, a country) rather than a place in one. */
function isRegionProp(prop: PropInfo): boolean {
  return prop.words.some((word) => /^(?:state|country|region|province|nation|county)$/.test(word));
}

/** A description asking for a city with its state: "The city and state, e.g. Chicago, IL", "in the format City, State". */
function wantsState(prop: PropInfo): boolean {
  return (
    /\bcity\s*(?:and|,|&)\s*state\b/i.test(prop.description) ||
    /\b\p{Lu}[\p{L}.]*(?:\s+\p{Lu}[\p{L}.]*)*,\s*\p{Lu}{2}\b/u.test(prop.description)
  );
}

const stateCache = new BoundedMap<string, string | undefined>(WORD_MEMO_SIZE);

/**
 * The postal code of the US state WordNet puts a place in ("Chicago" is part of Illinois, whose
 * synonyms hold "IL"; "Central Park" is part of Manhattan, of New York City, of New York state).
 */
export function stateCodeOf(place: string): string | undefined {
  const key = place.toLowerCase();
  if (stateCache.has(key)) return stateCache.get(key);
  let code: string | undefined;
  let frontier: Synset[] = sensesOf(key, 'noun', 1);
  const seen = new Set<number>();
  for (let depth = 0; depth < 4 && frontier.length > 0 && code === undefined; depth += 1) {
    const next: Synset[] = [];
    for (const synset of frontier) {
      if (seen.has(synset.offset)) continue;
      seen.add(synset.offset);
      const isState = synset.pointers.some(
        (pointer) => pointer.symbol === '@i' && synsetAt(pointer.offset, 'noun').words.includes('american state'),
      );
      // The place itself being a state ("California") needs no state after it.
      if (isState && depth > 0) {
        code = synset.words.find((word) => /^[a-z]{2}$/.test(word))?.toUpperCase();
        if (code) break;
      }
      for (const pointer of synset.pointers) if (pointer.symbol === '#p') next.push(synsetAt(pointer.offset, 'noun'));
    }
    frontier = next;
  }
  stateCache.set(key, code);
  return code;
}

/** The place an adjective of nationality pertains to ("German" -> Germany, "French" -> France), capitalised. */
function placeOfAdjective(word: string): string | undefined {
  if (/\s/.test(word)) return undefined;
  for (const synset of sensesOf(word.toLowerCase(), 'adj', 2)) {
    for (const pointer of synset.pointers) {
      if (pointer.symbol !== '\\' || pointer.pos !== 'noun') continue;
      const noun = synsetAt(pointer.offset, 'noun').words[0];
      if (noun && kindsOf(noun).has('location')) return noun.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase());
    }
  }
  return undefined;
}

const REGION =
  /^,\s*((?:\p{Lu}[\p{L}.'-]*)(?:\s+\p{Lu}[\p{L}.'-]*){0,2})(?=\s*(?:$|[,.;:!?)]|\s+(?:and|or|in|for|with|to|from|on|at|by|within|near|that|which|who|between|during|over|under)\b))/u;

/** ", MA" or ", United Kingdom" right after a place: its region, a state or country written with it. */
function regionAfter(sentence: Sentence, end: number): { text: string; end: number } | undefined {
  const match = sentence.text.slice(end, end + 40).match(REGION);
  if (!match?.[1] || !sentence.isFree(end, end + match[0].length)) return undefined;
  if (!isRegion(match[1])) return undefined;
  return { text: `, ${match[1].replace(/\.$/, '')}`, end: end + match[0].length };
}
