/**
 * Several calls from one part: a value the part gives as a list ("for 10, 20 and 30 years",
 * "copper and aluminum", "Taylor Swift and Maroon 5 ... 20 and 15 minutes respectively") makes one
 * argument set per item; lists of the same length pair up item by item.
 */
import { findNumbers, type NumberMention } from './numbers.ts';
import type { PropInfo } from './schema.ts';
import { Sentence } from './sentence.ts';

/** "10, 20 and 30": what may stand between two items of a list, with the first item's unit repeated or not. */
const NUMBER_GAP = /^(?:\s+[\p{L}°%$]+)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*&\s*)\s*[$€£]?$/u;
const PHRASE_GAP = /^\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)/;
const PROPER_ITEM = /^(?:\p{Lu}[\p{L}\p{N}.'&-]*)(?:\s+(?:\p{Lu}[\p{L}\p{N}.'&-]*|\d+\b(?![.,]\d)))*/u;
const QUOTED_ITEM = /^(["'“‘])([^"'”’]+)["'”’]/u;
const WORD_ITEM = /^[\p{Ll}][\p{L}-]*/u;

function numberLists(text: string): NumberMention[][] {
  const mentions = findNumbers(new Sentence(text));
  const lists: NumberMention[][] = [];
  let current: NumberMention[] = [];
  for (const mention of mentions) {
    const previous = current.at(-1);
    if (previous && NUMBER_GAP.test(text.slice(previous.end, mention.start))) current.push(mention);
    else {
      if (current.length > 1) lists.push(current);
      current = [mention];
    }
  }
  if (current.length > 1) lists.push(current);
  return lists;
}

/** The items after `value` where the text goes on "..., B and C". */
function phraseList(text: string, value: string): string[] | undefined {
  const at = text.indexOf(value);
  if (at < 0 || value.length === 0) return undefined;
  const quoted = /["'“‘]/.test(text[at - 1] ?? '');
  const proper = /^\p{Lu}/u.test(value);
  const items = [value];
  // "Seattle, Washington" is one place: a list has "and" or "or" before its last item.
  let listed = 1;
  let rest = text.slice(at + value.length + (quoted ? 1 : 0));
  for (;;) {
    const gap = rest.match(PHRASE_GAP);
    if (!gap) break;
    const conjunction = /\b(?:and|or)\b/.test(gap[0]);
    const after = rest.slice(gap[0].length);
    const quote = quoted ? after.match(QUOTED_ITEM) : undefined;
    const next = quote ? quote[2] : (after.match(proper ? PROPER_ITEM : WORD_ITEM)?.[0] ?? undefined);
    if (!next || (!quoted && !proper && next.split(/\s+/).length !== value.split(/\s+/).length)) break;
    items.push(next);
    if (conjunction) listed = items.length;
    rest = after.slice(quote ? quote[0].length : next.length);
  }
  return listed > 1 ? items.slice(0, listed) : undefined;
}

/**
 * Argument sets when the part lists several values for a property that takes one; undefined
 * when it does not. `skip` are properties whose value is free text (a list there is the text).
 */
export function argumentSets(
  text: string,
  props: readonly PropInfo[],
  args: Readonly<Record<string, unknown>>,
  skip: ReadonlySet<string>,
): Record<string, unknown>[] | undefined {
  const lists = new Map<string, unknown[]>();
  const numbers = numberLists(text);
  // "sides of 4 and 5" gave x and y one each: a list whose items went to other properties is not one to repeat.
  const elsewhere = (name: string, items: readonly unknown[], own: unknown) =>
    items.some((item) => item !== own && Object.entries(args).some(([key, value]) => key !== name && value === item));
  for (const prop of props) {
    const value = args[prop.name];
    if (value === undefined || prop.array || skip.has(prop.name)) continue;
    if (typeof value === 'number') {
      const list = numbers.find((items) => items.some((item) => item.value === value));
      const items = list?.map((item) => item.value);
      if (items && !elsewhere(prop.name, items, value)) lists.set(prop.name, items);
    } else if (typeof value === 'string' && (prop.kind === 'text' || prop.kind === 'enum')) {
      const items = phraseList(text, value);
      const allowed =
        prop.kind !== 'enum' || items?.every((item) => prop.enumValues.some((v) => String(v).toLowerCase() === item.toLowerCase()));
      if (items && allowed && !elsewhere(prop.name, items, value)) lists.set(prop.name, items);
    }
  }
  if (lists.size === 0) return undefined;
  const longest = Math.max(...[...lists.values()].map((list) => list.length));
  const varying = [...lists].filter(([, list]) => list.length === longest);
  return Array.from({ length: longest }, (_, i) => {
    const set: Record<string, unknown> = { ...args };
    for (const [name, list] of varying) set[name] = list[i];
    return set;
  });
}
