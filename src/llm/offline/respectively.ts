import { findNumbers } from './numbers.ts';
import type { PropInfo } from './schema.ts';
import { Sentence } from './sentence.ts';
import { isStopword, stem } from './tokenize.ts';

/** "coefficients of x squared, x, and the constant term as 5, 6, and 1 respectively": names, then as many values. */
const NAMED_VALUES =
  /([^.;:!?]+)\s+(?:as|are|were|being|=)\s+((?:[-$€£]?\d[\d.,]*%?(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+))+[-$€£]?\d[\d.,]*%?)\s*,?\s+respectively\b/iu;

const wordsOf = (text: string) =>
  (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !isStopword(word)).map((word) => stem(word));

/**
 * Numeric properties a clause names in a list and gives values in the same order with "respectively": each
 * name goes to the property whose name and description hold all its words and the fewest others (so "x"
 * is the coefficient of x, not of x squared), longest names first; nothing unless every name finds its own.
 */
export function respectiveValues(text: string, props: readonly PropInfo[]): Record<string, number> {
  const match = text.match(NAMED_VALUES);
  if (!match?.[1] || !match[2]) return {};
  const values = findNumbers(new Sentence(match[2])).map((mention) => mention.value);
  if (values.length < 2) return {};
  const names = match[1]
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/iu)
    .slice(-values.length)
    .map((name) => wordsOf(name));
  if (names.length !== values.length) return {};
  const numeric = props
    .filter((prop) => prop.kind === 'number' && !prop.array)
    .map((prop) => ({ prop, words: new Set(wordsOf(`${prop.name.replace(/_/g, ' ')} ${prop.description}`)) }));
  // "The first equation has coefficients of x squared": the first name starts where the words a property holds do.
  names[0] = suffixHeld(
    names[0] ?? [],
    numeric.map(({ words }) => words),
  );
  if (names.some((words) => words.length === 0)) return {};
  const taken = new Map<number, string>();
  const order = names.map((_, i) => i).sort((a, b) => (names[b]?.length ?? 0) - (names[a]?.length ?? 0));
  for (const i of order) {
    const words = names[i] ?? [];
    const fits = numeric
      .filter(({ prop, words: own }) => ![...taken.values()].includes(prop.name) && words.every((word) => own.has(word)))
      .sort((a, b) => a.words.size - b.words.size);
    const [best, next] = fits;
    if (!best || (next && next.words.size === best.words.size)) return {};
    taken.set(i, best.prop.name);
  }
  return Object.fromEntries(names.map((_, i) => [taken.get(i) ?? '', values[i] ?? 0]));
}

/** The longest run of words ending a name that one property's words hold in full. */
function suffixHeld(words: readonly string[], held: readonly ReadonlySet<string>[]): string[] {
  for (let from = 0; from < words.length; from += 1) {
    const rest = words.slice(from);
    if (held.some((own) => rest.every((word) => own.has(word)))) return rest;
  }
  return [];
}
