/**
 * What WordNet says about units of measurement: whether a word is one ("ounce", "mile") and which
 * quantities a unit measures or a property's name names ("seconds" -> time, "duration" -> time),
 * so a number with a unit can find the property it measures.
 */
import { BoundedMap, WORD_MEMO_SIZE } from './memo.ts';
import { sensesOf } from './lexicon/index.ts';
import { synsetAt } from './lexicon/wordnet.ts';

const unitCache = new BoundedMap<string, boolean>(WORD_MEMO_SIZE);

/** Whether WordNet's first senses of a noun are a unit of measurement ("ounce", "mile") or a measure of volume ("teaspoon"). */
export function isUnitWord(word: string): boolean {
  const key = word.toLowerCase();
  const cached = unitCache.get(key);
  if (cached !== undefined) return cached;
  let frontier = sensesOf(key, 'noun', 1);
  let unit = false;
  for (let depth = 0; depth < 8 && frontier.length > 0 && !unit; depth += 1) {
    unit = frontier.some((synset) => synset.words.some((w) => w === 'unit of measurement' || w === 'containerful'));
    frontier = frontier.flatMap((synset) => synset.pointers.filter((p) => p.symbol === '@').map((p) => synsetAt(p.offset, 'noun')));
  }
  unitCache.set(key, unit);
  return unit;
}

const measuresCache = new BoundedMap<string, ReadonlySet<string>>(WORD_MEMO_SIZE);
const MEASURED_IN_GLOSS = /\bunit (?:of measurement (?:of|for) |for measuring |of )(\w+)/g;
const MEASURED_IN_NAME = /^(\w+) (?:unit|period)$|^(?:unit|period) of (\w+)$/;

/**
 * What a unit measures, by WordNet ("seconds" -> time, "kg" -> weight, mass; "miles" -> length;
 * "joules" -> work, heat, energy): the quantities its first two senses and their hypernyms name
 * ("time unit", "unit of time", "a linear unit of distance"). Empty for a word that is no unit.
 */
export function measuredBy(unit: string): ReadonlySet<string> {
  const key = unit.toLowerCase();
  const cached = measuresCache.get(key);
  if (cached) return cached;
  const found = new Set<string>();
  let frontier = isUnitWord(key) || sensesOf(key, 'noun', 2).length > 0 ? sensesOf(key, 'noun', 2) : [];
  for (let depth = 0; depth < 3 && frontier.length > 0; depth += 1) {
    for (const synset of frontier) {
      for (const match of synset.gloss.split(';')[0]?.matchAll(MEASURED_IN_GLOSS) ?? []) found.add(match[1] ?? '');
      for (const word of synset.words) {
        const named = MEASURED_IN_NAME.exec(word);
        if (named) found.add(named[1] ?? named[2] ?? '');
      }
    }
    frontier = frontier.flatMap((synset) => synset.pointers.filter((p) => p.symbol === '@').map((p) => synsetAt(p.offset, 'noun')));
  }
  // Quantities are nouns ("length", "time"), not the kinds of unit ("linear", "metric") or the unit itself.
  for (const word of found) {
    const nouns = sensesOf(word, 'noun').length;
    if (word === 'measurement' || nouns <= 2 * sensesOf(word, 'adj').length) found.delete(word);
  }
  measuresCache.set(key, found);
  return found;
}

const namesCache = new BoundedMap<string, ReadonlySet<string>>(WORD_MEMO_SIZE);

/** The quantities a property's name word names: itself, and what its first sense is a kind of ("duration" -> time period -> time). */
export function quantitiesNamed(word: string): ReadonlySet<string> {
  const key = word.toLowerCase();
  const cached = namesCache.get(key);
  if (cached) return cached;
  const found = new Set<string>([key]);
  for (const synset of sensesOf(key, 'noun', 1)) {
    for (const pointer of synset.pointers.filter((p) => p.symbol === '@')) {
      for (const lemma of synsetAt(pointer.offset, 'noun').words) {
        const named = MEASURED_IN_NAME.exec(lemma);
        if (named) found.add(named[1] ?? named[2] ?? '');
      }
    }
  }
  found.delete('');
  namesCache.set(key, found);
  return found;
}
