/**
 * Text properties named for a class of things ("color", "body2": "The second celestial body",
 * "organelle") take the words of the request that WordNet says are instances or kinds of that class:
 * "green" is a chromatic color, "Earth" a planet and so a celestial body, "mitochondrion" an
 * organelle. Properties numbered alike ("color1", "color2") take them in text order. General English
 * only: the classes come from the property's name and description, the kinds from WordNet.
 */
import { BoundedMap, WORD_MEMO_SIZE } from './memo.ts';
import { sensesOf } from './lexicon/index.ts';
import { synsetAt } from './lexicon/wordnet.ts';
import type { PropInfo } from './schema.ts';
import { isStopword, tokenize } from './tokenize.ts';
import type { FillState } from './values.ts';

/** How far up WordNet's hypernyms a word's sense is followed to find the class. */
const MAX_DEPTH = 10;
/**
 * A class this close to WordNet's root ("location", "object", "property") holds too much to tell
 * a value from any other noun: only narrower ones ("color", "celestial body") are read.
 */
const MIN_CLASS_DEPTH = 5;
/** Senses of a written word that may make it an instance (its most frequent ones). */
const WORD_SENSES = 2;

const classCache = new WeakMap<PropInfo, ReadonlySet<number>>();
const ancestorCache = new BoundedMap<string, ReadonlySet<number>>(WORD_MEMO_SIZE);
const lineCache = new BoundedMap<number, { readonly offsets: readonly number[]; readonly depth: number }>(WORD_MEMO_SIZE);

/** Hypernyms (and instance hypernyms) of a synset, up to the root, with the steps to reach the root. */
function ancestorsOf(offset: number): { readonly offsets: readonly number[]; readonly depth: number } {
  const known = lineCache.get(offset);
  if (known) return known;
  const offsets: number[] = [];
  let frontier = [offset];
  let depth = 0;
  for (; depth < MAX_DEPTH * 2 && frontier.length > 0; depth += 1) {
    const next: number[] = [];
    for (const at of frontier) {
      for (const pointer of synsetAt(at, 'noun').pointers) {
        if ((pointer.symbol === '@' || pointer.symbol === '@i') && !offsets.includes(pointer.offset)) {
          offsets.push(pointer.offset);
          next.push(pointer.offset);
        }
      }
    }
    frontier = next;
  }
  const line = { offsets, depth };
  lineCache.set(offset, line);
  return line;
}

/** The synsets a property's name says its values are kinds of: its noun's first sense, and compounds of its description ending in that noun. */
function classesOf(prop: PropInfo): ReadonlySet<number> {
  let classes = classCache.get(prop);
  if (classes) return classes;
  const found = new Set<number>();
  const head = prop.words
    .at(-1)
    ?.replace(/(?<=\p{L}{3})\d+$/u, '')
    .toLowerCase();
  if (head && head.length >= 3 && !isStopword(head)) {
    const words = tokenize(prop.description).map((token) => token.lower);
    for (let i = 1; i < words.length; i += 1) {
      if (words[i] !== head) continue;
      const compound = sensesOf(`${words[i - 1]} ${head}`, 'noun', 1)[0];
      if (compound) found.add(compound.offset);
    }
    const own = sensesOf(head, 'noun', 1)[0];
    if (own) found.add(own.offset);
    // "species": "Species of the animal.": the values of a word that opens the description with "of" are kinds of what follows.
    if (words[0] === head && words[1] === 'of') {
      const noun = words[2] === 'the' || words[2] === 'a' || words[2] === 'an' ? words[3] : words[2];
      const after = noun ? sensesOf(noun, 'noun', 1)[0] : undefined;
      if (after && !isStopword(noun!)) found.add(after.offset);
    }
    // Words, texts and messages ("text", "note", "query") are what free-text properties hold, not a class to pick from;
    // people ("user", "caller") are named, not picked by a common noun ("the customer").
    const communication = new Set([...sensesOf('communication', 'noun'), ...sensesOf('person', 'noun', 1)].map((synset) => synset.offset));
    for (const offset of found) {
      const line = ancestorsOf(offset);
      if (line.depth < MIN_CLASS_DEPTH || [offset, ...line.offsets].some((at) => communication.has(at))) found.delete(offset);
    }
  }
  classes = found;
  classCache.set(prop, classes);
  return classes;
}

/** The classes a word's most frequent senses are kinds or instances of. */
function kindsOf(word: string): ReadonlySet<number> {
  const key = word.toLowerCase();
  let kinds = ancestorCache.get(key);
  if (!kinds) {
    kinds = new Set(sensesOf(key, 'noun', WORD_SENSES).flatMap((synset) => ancestorsOf(synset.offset).offsets));
    ancestorCache.set(key, kinds);
  }
  return kinds;
}

const CAPITALISED = /^\p{Lu}/u;
const SIDE_WORDS = /^(?:origin|source|start|from|departure|home|destination|target|end|to|arrival|away)$/;

/** Whether a word is one of a longer name ("Club" of "Liverpool Football Club", "piano" of "Yamaha P125 piano"): that name is the value, not the word. */
function inLongerName(sentence: FillState['sentence'], at: number): boolean {
  const tokens = sentence.tokens;
  const token = tokens[at];
  if (!token) return false;
  const joined = (a: number, b: number) => {
    const left = tokens[a];
    const right = tokens[b];
    return left !== undefined && right !== undefined && /^ +$/.test(sentence.text.slice(left.end, right.start));
  };
  const capitalised = (index: number) => CAPITALISED.test(tokens[index]?.text ?? '');
  // "a Yamaha P125 piano": a word after a name or a model code is that name's head.
  if (at > 1 && joined(at - 1, at) && (capitalised(at - 1) || /\d/.test(tokens[at - 1]?.text ?? ''))) return true;
  return CAPITALISED.test(token.text) && joined(at, at + 1) && capitalised(at + 1);
}

/** Fills empty text properties named for a class with the free words WordNet puts in that class. */
export function fillInstances(state: FillState): void {
  const { sentence, tool } = state;
  // The two sides of a trip or a transfer ("departure_city", "destination") are read from "from X to Y", not picked by kind.
  const props = tool.props.filter(
    (prop) =>
      prop.kind === 'text' &&
      state.args[prop.name] === undefined &&
      !prop.words.some((word) => SIDE_WORDS.test(word)) &&
      classesOf(prop).size > 0,
  );
  if (props.length === 0) return;
  const taken = new Set<number>();
  const series = new Map<string, number>();
  for (const prop of props) {
    const key = prop.name.replace(/\d+$/, '');
    series.set(key, (series.get(key) ?? 0) + (key === prop.name ? 0 : 1));
  }
  for (const prop of props) {
    const classes = classesOf(prop);
    const hits = sentence.tokens.flatMap((token, at) =>
      !taken.has(at) &&
      token.lower.length >= 3 &&
      /^\p{L}+$/u.test(token.text) &&
      !isStopword(token.lower) &&
      sentence.isFree(token.start, token.end) &&
      !inLongerName(sentence, at) &&
      [...kindsOf(token.lower)].some((offset) => classes.has(offset))
        ? [at]
        : [],
    );
    // One property alone takes the one kind written; several ("gold, silver and platinum") are a list for other readers.
    const numbered = (series.get(prop.name.replace(/\d+$/, '')) ?? 0) >= 2;
    if (hits.length === 0 || (!numbered && new Set(hits.map((at) => sentence.tokens[at]?.lower)).size > 1)) continue;
    const index = hits[0]!;
    const token = sentence.tokens[index];
    if (!token) continue;
    taken.add(index);
    // A kind of the class fills the property but says little about which tool is meant ("cricket" is a sport):
    // no more than a property's free text would, or a name as phrases take one ("Christianity").
    state.args[prop.name] = token.text;
    state.cues += CAPITALISED.test(token.text) ? 1 : 0.3;
  }
  for (const index of taken) {
    const token = sentence.tokens[index];
    if (token) sentence.consume(token.start, token.end);
  }
}
