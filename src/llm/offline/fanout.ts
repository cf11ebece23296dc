/**
 * Several calls from one part: a value the part gives as a list ("for 10, 20 and 30 years",
 * "copper and aluminum", "Taylor Swift and Maroon 5 ... 20 and 15 minutes respectively") makes one
 * argument set per item; lists of the same length pair up item by item.
 */
import { findNumbers, type NumberMention } from './numbers.ts';
import type { PropInfo } from './schema.ts';
import { Sentence } from './sentence.ts';
import { isStopword } from './tokenize.ts';
import { groupValues, NUMBER_GROUP } from './values.ts';

/** "10, 20 and 30": what may stand between two items of a list, with the first item's unit repeated or not. */
const NUMBER_GAP = /^(?:\s+[\p{L}°%$]+)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*&\s*)\s*[$€£]?$/u;
const PHRASE_GAP = /^\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)/;
/** "Amazon Rainforest", "the Boreal Forests of Canada" (the article is no part of the name). */
const PROPER_ITEM =
  /^(?:the\s+)?((?:\p{Lu}[\p{L}\p{N}.'&-]*)(?:\s+(?:\p{Lu}[\p{L}\p{N}.'&-]*|\d+\b(?![.,]\d)|(?:of|de|del|la)(?=\s+\p{Lu})))*)/u;
const REGIONAL_ITEM = /^\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*)*,\s*\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*)*(?![\p{L}])(?<!\.)/u;
const QUOTED_ITEM = /^(["'“‘])([^"'”’]+)["'”’]/u;
const WORD_ITEM = /^[\p{Ll}][\p{L}-]*/u;
/** "rock, pop and " right before a lowercase item: the one-word items of a list it ends. */
const LIST_BEFORE = /(?:^|[^\p{L},-])((?:\p{Ll}[\p{L}-]*\s*,\s*)*\p{Ll}[\p{L}-]*),?\s+(?:and|or)\s+$/u;
/** A value written with digits ("2022-01-01", "10:30"): the next item is one too. */
const LITERAL_ITEM = /^\p{N}[\p{L}\p{N}./:-]*(?<![.:])/u;

/** "the number 4567 and the number 7890": the noun before an item said again before the next. */
const RESTATED_GAP = /^\s+(?:and|or)\s+(?:the\s+)?(\p{L}+)\s+$/u;

/** Whether the gap between two numbers joins them as items of one list. */
function listGap(text: string, previous: NumberMention, mention: NumberMention): boolean {
  const gap = text.slice(previous.end, mention.start);
  if (NUMBER_GAP.test(gap)) return true;
  const noun = gap.match(RESTATED_GAP)?.[1];
  return noun !== undefined && new RegExp(`\\b${noun}\\s+$`, 'iu').test(text.slice(0, previous.start));
}

function numberLists(text: string): NumberMention[][] {
  const mentions = findNumbers(new Sentence(text));
  const lists: NumberMention[][] = [];
  let current: NumberMention[] = [];
  for (const mention of mentions) {
    const previous = current.at(-1);
    if (previous && listGap(text, previous, mention)) current.push(mention);
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
  const literal = /^\p{N}/u.test(value);
  const regional = REGIONAL_ITEM.test(value);
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
    // "San Francisco, California and New York, New York": items of a place with its region are written so too.
    const placed = regional ? after.match(REGIONAL_ITEM)?.[0] : undefined;
    const named = proper && !placed && !(quoted && /^the\s/iu.test(after)) ? after.match(PROPER_ITEM) : undefined;
    const plain = literal ? after.match(LITERAL_ITEM)?.[0] : proper ? undefined : after.match(WORD_ITEM)?.[0];
    const next = quote ? quote[2] : (placed ?? named?.[1] ?? plain);
    if (!next || (!quoted && !proper && !literal && next.split(/\s+/).length !== value.split(/\s+/).length)) break;
    // "in Berlin and Madrid's music stores": the possessive is no part of the name.
    items.push(proper && !quote ? next.replace(/['’]s$/u, '') : next);
    if (conjunction) listed = items.length;
    rest = after.slice(quote ? quote[0].length : named ? named[0].length : next.length);
  }
  if (listed > 1) return items.slice(0, listed);
  // "rock and jazz concerts" gave the last item: the words before it, one word each, are the others.
  const before = proper || literal || quoted ? null : text.slice(0, at).match(LIST_BEFORE);
  // "for 2 players and strategy": a counted noun is no item of a list.
  if (!before?.[1] || /\p{N}\s*$/u.test(text.slice(0, at - before[0].length + before[0].indexOf(before[1])))) return undefined;
  return [...before[1].split(/\s*,\s*/).filter(Boolean), value];
}

/** One item of a written list: up to three words, and the comma or "and" after it. */
const COMMA_ITEM = /^([\p{L}\p{N}][\p{L}\p{N}.'-]*(?:\s+[\p{L}\p{N}][\p{L}\p{N}.'-]*){0,2}?)(?=\s*(?:,|\band\b|\bor\b|[.;:!?)]|$))/u;
const COMMA_GAP = /^\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)/u;

/**
 * "human HbA1c, normal hemoglobin, and rat hemoglobin": a list of three or more items written with commas
 * around where `value` stands (its words up to a comma), every item as long as the ones after the first.
 */
function commaList(text: string, value: string): string[] | undefined {
  // "per of gold, silver, ..." (words of it taken elsewhere): the list is found from the last word before its comma.
  const anchor = value.split(',')[0]?.trim().split(/\s+/).at(-1) ?? '';
  const found = anchor ? new RegExp(`(?<![\\p{L}\\p{N}])${anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s*,)`, 'u').exec(text) : null;
  const at = found?.index ?? -1;
  if (at < 0) return undefined;
  const items: string[] = [];
  let rest = text.slice(at + anchor.length);
  let listed = 0;
  for (;;) {
    const gap = rest.match(COMMA_GAP);
    const item = gap ? rest.slice(gap[0].length).match(COMMA_ITEM)?.[1] : undefined;
    // Names are listed as names (phraseList); these are words of the sentence.
    if (!gap || !item || !/^\p{Ll}/u.test(item) || isStopword(item.split(/\s+/)[0] ?? '')) break;
    items.push(item);
    if (/\b(?:and|or)\b/.test(gap[0])) listed = items.length;
    rest = rest.slice(gap[0].length + item.length);
    if (listed > 0) break;
  }
  if (listed < 2 || !/^\s*,/.test(text.slice(at + anchor.length))) return undefined;
  const size = items[0]?.split(/\s+/).length ?? 1;
  if (items.some((item) => item.split(/\s+/).length !== size)) return undefined;
  const before = text
    .slice(0, at + anchor.length)
    .split(/\s+/)
    .slice(-size);
  if (before.some((word) => isStopword(word.toLowerCase()) || !/^[\p{L}\p{N}]/u.test(word))) return undefined;
  return [before.join(' '), ...items];
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
  loose: ReadonlySet<string> = new Set(),
): Record<string, unknown>[] | undefined {
  const lists = new Map<string, unknown[]>();
  const numbers = numberLists(text);
  // "sides of 4 and 5" gave x and y one each: a list whose items went to other properties is not one to repeat.
  // "New York, USA and Miami, USA" where Miami is the end: an item that is another's value with its region is that value.
  const sameItem = (item: unknown, value: unknown) =>
    item === value || (typeof item === 'string' && typeof value === 'string' && item.startsWith(`${value},`));
  const elsewhere = (name: string, items: readonly unknown[], own: unknown) =>
    items.some((item) => item !== own && Object.entries(args).some(([key, value]) => key !== name && sameItem(item, value)));
  for (const prop of props) {
    const value = args[prop.name];
    // A name the leftover words gave ("per of gold, silver, platinum, and palladium") may still hold a written list.
    const listed = typeof value === 'string' && loose.has(prop.name) && value.includes(',') ? commaList(text, value) : undefined;
    if (listed && !elsewhere(prop.name, listed, value)) lists.set(prop.name, listed);
    if (value === undefined || prop.array || skip.has(prop.name)) continue;
    if (typeof value === 'number') {
      const list = numbers.find((items) => items.some((item) => item.value === value));
      const items = list?.map((item) => item.value);
      if (items && !elsewhere(prop.name, items, value)) lists.set(prop.name, items);
    } else if (
      typeof value === 'string' &&
      (prop.kind === 'text' || prop.kind === 'enum' || prop.kind === 'date' || (prop.kind === 'identifier' && /^\p{N}/u.test(value)))
    ) {
      const phrased = phraseList(text, value);
      const items = (phrased?.length ?? 0) >= 3 || prop.kind !== 'text' ? phrased : (commaList(text, value) ?? phrased);
      const allowed =
        prop.kind !== 'enum' || items?.every((item) => prop.enumValues.some((v) => String(v).toLowerCase() === item.toLowerCase()));
      if (items && allowed && !elsewhere(prop.name, items, value)) lists.set(prop.name, items);
    }
  }
  const paired = pairedArrays(text, props, args);
  if (paired) return paired;
  if (lists.size === 0) return undefined;
  const longest = Math.max(...[...lists.values()].map((list) => list.length));
  const varying = [...lists].filter(([, list]) => list.length === longest);
  // "the Lakers and the Bulls in seasons 2018 and 2020": two lists, every pair, unless "respectively" pairs them in order.
  if (varying.length === 2 && !RESPECTIVELY.test(text)) {
    const [[outer, first] = ['', []], [inner, second] = ['', []]] = varying;
    return first.flatMap((a) => second.map((b) => ({ ...args, [outer]: a, [inner]: b })));
  }
  return Array.from({ length: longest }, (_, i) => {
    const set: Record<string, unknown> = { ...args };
    for (const [name, list] of varying) set[name] = list[i];
    return set;
  });
}

/**
 * "Tenet at 5 pm and No Time To Die at 7:30 pm": array properties whose lists have the same length and whose
 * items the text writes in turn (the first of each, then the second of each) pair up, a call per pair with
 * one item each.
 */
function pairedArrays(
  text: string,
  props: readonly PropInfo[],
  args: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] | undefined {
  const arrays = props.filter((prop) => prop.array && Array.isArray(args[prop.name]));
  const lists = arrays.map((prop) => args[prop.name] as unknown[]);
  const size = lists[0]?.length ?? 0;
  if (arrays.length < 2 || size < 2 || lists.some((list) => list.length !== size || list.some((item) => typeof item !== 'string'))) {
    return undefined;
  }
  // Where each item stands, in the order A1 B1 A2 B2 ...: any other order is no pairing.
  const lower = text.toLowerCase();
  let at = -1;
  for (let i = 0; i < size; i += 1) {
    for (const list of lists) {
      const found = lower.indexOf(String(list[i]).toLowerCase(), at + 1);
      if (found < 0) return undefined;
      at = found;
    }
  }
  return Array.from({ length: size }, (_, i) => {
    const set: Record<string, unknown> = { ...args };
    arrays.forEach((prop, k) => (set[prop.name] = [lists[k]?.[i]]));
    return set;
  });
}

const RESPECTIVELY = /\b(?:respectively|in\s+that\s+order|each\s+with\s+its)\b/i;

/** Where one request's values for one call end and the next call's begin: clause joints. */
const SEGMENT_JOINT =
  /(?:(?<=\p{Ll}{3}|\d|[?!])[.;?!]+\s+|;\s*|,\s+(?:and\s+|but\s+|then\s+|also\s*,?\s+|as\s+well\s+as\s+|plus\s+)?|\s+(?:and\s+(?:then\s+|also\s+)?|also\s+|as\s+well\s+as\s+|plus\s+|then\s+|while\s+|whereas\s+|another\s+))/giu;
const QUOTE_SPAN = /"[^"]*"|“[^”]*”|(?<=^|[\s(])'[^']*'(?=$|[\s.,;:!?)])|\([^)]*\)|\[[^\]]*\]/gu;
/** Capitalised words up to the next joint or the end: a place's region, a name's second part. */
const APPOSITIVE =
  /^(?:the\s+)?(?:\p{Lu}[\p{L}.'-]*)(?:\s+\p{Lu}[\p{L}.'-]*){0,2}\s*(?:$|[,.;?!]|\s+(?:and|or|in|for|with|to|from|on|at|by|within|near|that|which|who|where|between|during|over|under)\b)/u;
const BETWEEN_OPEN = /\bbetween\s+(?:(?!\band\b)[^,;.?!])+$/iu;
const LONE_NUMBER = /^[$€£]?\d[\d,.]*(?:\s*[\p{L}%°]+)?\s*(?:$|[,;?!]|\.(?:\s|$)|\s+(?:and|or)\b)/u;
const NUMBER_BEFORE = /\d(?:\s*[\p{L}%°]+)?$/u;
/** At most this many clauses are read one by one (a long pasted text is one call's text). */
const MAX_SEGMENTS = 12;

/** "USD to CAD": a name, a lowercase linking word and a name or number. */
const LINKED_PAIR = /^(?:the\s+)?\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,2}\s+(\p{Ll}+)\s+[\p{Lu}\p{N}]/u;

/**
 * Whether the words after a joint say again the shape the clause before it ends with ("USD to AUD
 * and USD to CAD"), so they are a clause of their own and no region or second part of a name.
 */
function restates(before: string, after: string): boolean {
  const link = after.match(LINKED_PAIR)?.[1];
  return link !== undefined && new RegExp(`\\s\\p{Lu}[\\p{L}.'-]*\\s+${link}\\s+[\\p{Lu}\\p{N}][^\\s]*$`, 'u').test(before);
}

/** The clauses of a text, cut at joints outside quotes and brackets. */
export function segmentsOf(text: string): string[] {
  const masked = text.replace(QUOTE_SPAN, (span) => '\u0001'.repeat(span.length));
  const cuts: [number, number][] = [];
  for (const match of masked.matchAll(SEGMENT_JOINT)) {
    const end = match.index + match[0].length;
    // "Boston, MA", "Santa Barbara and Monterey": a lone name after a comma or "and" ends the clause before it.
    if (!/[.;?!]/.test(match[0]) && APPOSITIVE.test(masked.slice(end)) && !restates(masked.slice(0, match.index), masked.slice(end)))
      continue;
    // "between New York and Los Angeles using a bus": the "and" of "between" joins its two ends.
    if (/^\s+and\s+$/iu.test(match[0]) && BETWEEN_OPEN.test(masked.slice(0, match.index))) continue;
    // "in 1980 and 2016": a lone number after a number is the next item of its list, no clause of its own.
    if (!/[.;?!]/.test(match[0]) && LONE_NUMBER.test(masked.slice(end)) && NUMBER_BEFORE.test(masked.slice(0, match.index))) continue;
    cuts.push([match.index, end]);
  }
  const segments: string[] = [];
  let at = 0;
  for (const [from, to] of cuts) {
    if (from > at) segments.push(text.slice(at, from));
    at = to;
  }
  if (at < text.length) segments.push(text.slice(at));
  return segments.map((segment) => segment.trim()).filter((segment) => /[\p{L}\p{N}]/u.test(segment));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** A name as written: up to four words, each capitalised or a number ("Wells Fargo", "Route 66"). */
const NAME_VALUE = /^[\p{Lu}\p{N}][^\s]*(?:\s+[\p{Lu}\p{N}][^\s]*){0,3}$/u;
/** A group of numbers written as one value ("[3, -2, 1]", "(6, 8)"). */
const numeric = (value: readonly unknown[]) => value.length > 0 && value.every((item) => typeof item === 'number');

/**
 * Argument sets when the clauses of a part each say values for one call ("a magnetic field of 5
 * Tesla and a time of 4 seconds, then repeat with a time of 10 seconds"; "case XY1234 in Los
 * Angeles County Court, and case GH5678 in Orange County Court"): clauses are read one by one
 * (`explicit` fills one with the values it says), a clause that gives a property the current
 * set already has starts the next set, and each set keeps the values of the one before it that
 * it does not restate. Undefined unless at least two sets differ.
 */
export function clauseSets(
  text: string,
  base: Readonly<Record<string, unknown>>,
  explicit: (clause: string) => Record<string, unknown>,
  expand?: (clause: string, values: Record<string, unknown>) => Record<string, unknown>[] | undefined,
  loose?: (clause: string) => Record<string, unknown>,
): Record<string, unknown>[] | undefined {
  const segments = segmentsOf(text);
  if (segments.length < 2 || segments.length > MAX_SEGMENTS) return undefined;
  const sets: Record<string, unknown>[] = [];
  const texts: string[][] = [];
  let current: Record<string, unknown> = {};
  // A clause's one value that the whole part gave another property ("between New York and Boston") is no new value.
  const elsewhere = (key: string, value: unknown) => Object.entries(base).some(([other, given]) => other !== key && same(given, value));
  const read = segments.map((segment) => Object.entries(explicit(segment)));
  const held = (key: string, items: readonly unknown[]) =>
    !same(base[key], items) &&
    Object.values(base).some((given) => Array.isArray(given) && items.every((item) => given.some((other) => same(other, item))));
  // "the total area of three circles, where the first has a radius of 5 ...": a number word that counts the
  // clauses giving the same property after it says how many calls there are, it is no value of one.
  const counts = (i: number) => {
    const [only, other] = read[i] ?? [];
    if (!only || other || typeof only[1] !== 'number') return false;
    const [key, value] = only;
    const later = read.slice(i + 1).filter((said) => said.some(([name]) => name === key)).length;
    return later === value && findNumbers(new Sentence(segments[i] ?? '')).some((mention) => mention.value === value && mention.word);
  };
  for (const [i, said] of read.entries()) {
    if (counts(i)) continue;
    const values = Object.fromEntries(said.length === 1 ? said.filter(([key, value]) => !elsewhere(key, value)) : said);
    if (Object.keys(values).length === 0) continue;
    // "then do the same for San Francisco, CA and Seattle, WA": a clause that lists values is a call per item.
    for (const read of expand?.(segments[i] ?? '', values) ?? [values]) {
      // "Group B [7, 8, 9, 8, 7]", "and 4th floors" read alone: a group of numbers the whole part already holds
      // (for this property or another) is that value, no new call's.
      const variant = Object.fromEntries(
        Object.entries(read).filter(([key, value]) => !(Array.isArray(value) && numeric(value) && held(key, value))),
      );
      // Lists of words gather over clauses ("picnic tables and public restrooms"): they never start a set; a
      // group of numbers ("coefficients [1, 0, -1]", "the point (6, 8)") is one value, and another starts one.
      const conflict = Object.entries(variant).some(
        ([key, value]) => (!Array.isArray(value) || numeric(value)) && key in current && !same(current[key], value),
      );
      if (conflict) {
        sets.push(current);
        current = {};
      }
      (texts[sets.length] ??= []).push(segments[i] ?? '');
      for (const [key, value] of Object.entries(variant)) {
        const before = current[key];
        current[key] =
          Array.isArray(value) && Array.isArray(before) && !numeric(value) ? [...new Set([...(before as unknown[]), ...value])] : value;
      }
    }
  }
  sets.push(current);
  if (sets.length < 2) return undefined;
  // "from HSBC with ... and for Wells Fargo for ...": a value the first call leaves out that the whole part took
  // from a later call is that call's, and one no call says may be each call's own: their clauses, read less
  // strictly, say what each call's is.
  const [opener = {}] = sets;
  const taken = Object.keys(base).filter((key) => !(key in opener) && sets.slice(1).some((set) => key in set && same(set[key], base[key])));
  const unsaid = Object.keys(base).filter((key) => sets.every((set) => !(key in set)));
  // "from HSBC ... and for Wells Fargo for ...": a name the first call says and a later one only says loosely is that call's own.
  const partial = Object.keys(opener).filter((key) => typeof opener[key] === 'string' && sets.slice(1).some((set) => !(key in set)));
  if ((taken.length > 0 || unsaid.length > 0 || partial.length > 0) && loose) {
    const read = sets.map((_, k) => loose((texts[k] ?? []).join(', ')));
    for (const key of partial) {
      sets.forEach((set, k) => {
        const own = read[k]?.[key];
        const fresh =
          typeof own === 'string' && NAME_VALUE.test(own) && (texts[k] ?? []).some((said) => said.includes(own)) && !same(own, opener[key]);
        if (k > 0 && !(key in set) && fresh && !Object.values(set).some((value) => same(value, own))) set[key] = own;
      });
    }
    for (const key of taken) {
      const own = read[0]?.[key];
      if (own !== undefined && !same(own, base[key])) opener[key] = own;
    }
    for (const key of unsaid) {
      const values = read.map((said) => said[key]);
      if (values.every((value) => value !== undefined) && new Set(values.map((value) => JSON.stringify(value))).size === values.length) {
        sets.forEach((set, k) => (set[key] = values[k]));
      }
    }
  }
  const filled: Record<string, unknown>[] = [];
  for (const set of sets) filled.push({ ...base, ...(filled.at(-1) ?? {}), ...set });
  // Every value the whole part gives is one of the calls' (it may be a later call's, read last): a value
  // no call keeps means a clause read alone was read wrongly ("two notes of 440Hz" is no frequency of 2).
  const first = filled[0] ?? {};
  // A list the whole part gathered ("a Tennis Court and a Picnic Area ... a Playground") is kept when the calls share out its items.
  const kept = (key: string) => {
    const whole = base[key];
    if (filled.some((set) => same(set[key], whole))) return true;
    // The whole part read "Chicago" as the genre, a clause read it in its place "Chicago, IL": the clause is right.
    const inside = (value: unknown) => typeof value === 'string' && typeof whole === 'string' && whole.length > 2 && value.includes(whole);
    if (filled.some((set) => Object.entries(set).some(([other, value]) => other !== key && inside(value)))) return true;
    const items = filled.flatMap((set) => (Array.isArray(set[key]) ? (set[key] as unknown[]) : []));
    return Array.isArray(whole) && whole.every((item) => items.some((other) => same(other, item)));
  };
  if (!Object.keys(base).every(kept)) return undefined;
  if (filled.every((set) => same(set, first))) return undefined;
  return filled;
}

/**
 * Argument sets when the part writes several bracketed groups of numbers for the numeric properties
 * one call takes ("the GCD of the pairs (45, 60) and (81, 27)"): the first group is what `args`
 * took, and each other group gives its numbers to the same properties, position by position.
 */
/**
 * Groups of `size` numbers written without brackets ("side lengths 3 and 4, 5 and 12"; "John chose
 * 36 and 48, while Mary chose 60 and 96"): the number lists of the text cut into runs of `size`,
 * empty unless every list cuts evenly.
 */
function writtenGroups(text: string, size: number): unknown[][] {
  if (size < 2) return [];
  const lists = numberLists(text);
  if (lists.some((list) => list.length % size !== 0)) return [];
  return lists.flatMap((list) =>
    Array.from({ length: list.length / size }, (_, i) => list.slice(i * size, (i + 1) * size).map((item) => item.value)),
  );
}

export function groupSets(
  text: string,
  props: readonly PropInfo[],
  args: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] | undefined {
  const numeric = props.filter((prop) => prop.kind === 'number' && typeof args[prop.name] === 'number');
  const bracketed = [...text.matchAll(NUMBER_GROUP)].map((match) => groupValues(match[0]));
  const groups = bracketed.length > 1 ? bracketed : writtenGroups(text, numeric.length);
  if (numeric.length < 2 || groups.length < 2 || groups.some((group) => group?.length !== numeric.length)) return undefined;
  const [first] = groups;
  const order = numeric.map((prop) => first?.indexOf(args[prop.name]) ?? -1);
  if (order.some((at) => at < 0) || new Set(order).size !== order.length) return undefined;
  return groups.map((group) => {
    const set: Record<string, unknown> = { ...args };
    numeric.forEach((prop, i) => (set[prop.name] = group?.[order[i] ?? 0]));
    return set;
  });
}

const ORDINAL_NUMBERS: Readonly<Record<string, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
/**
 * "the first triangle", "In the second round", "the last equation", "one with ... and the other with ...",
 * "another ...": where a case of a word problem starts. An ordinal before a number ("the first 2 years") counts
 * a span, it starts no case.
 */
const CASE_MARK =
  /\b(?:the|a)\s+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|other)\b(?!\s*[,-]?\s*\d)|\b(another)\b|\b(one)\s+(?=(?:with|of|at|for|has|had|is|was|that|which|where|should|weighs|starts)\b)/giu;
const SINGLE_POINTER = /\b(?:this|that|it|its)\b/iu;
const PLURAL_POINTER = /\b(?:these|those|both|each|all|them|their|they)\b/iu;
const POINTING_BACK = /\b(?:from|than|to|of|as|like|about|into|between|compared\s+with)\s+$/iu;
/** Where a sentence ends (not inside a decimal number or after one capital of an abbreviation). */
const SENTENCE_END = /(?<!\b\p{Lu})[.?!]+(?=\s|$)/gu;

/** "Fund A ... Fund B", "Car A ... Car B": a noun with a capital letter after it names a case. */
const LABEL_MARK = /\b(\p{L}{3,})\s+([A-F])\b(?![.'’]\p{L})/gu;

/** Cases named by letters after one noun ("Fund A", "Fund B"); none unless one noun takes two letters or more. */
function labelMarks(masked: string): { at: number; end: number; case: number }[] {
  const found = [...masked.matchAll(LABEL_MARK)].map((match) => ({
    noun: (match[1] ?? '').toLowerCase(),
    letter: match[2] ?? 'A',
    at: match.index,
    end: match.index + match[0].length,
  }));
  const nouns = new Set(found.map((mark) => mark.noun));
  const noun = [...nouns].find(
    (candidate) => new Set(found.filter((mark) => mark.noun === candidate).map((mark) => mark.letter)).size >= 2,
  );
  if (!noun) return [];
  // "He invested $5000 in Fund A which ...": the case is the sentence that names it, from its start.
  const starts = [0, ...[...masked.matchAll(SENTENCE_END)].map((match) => match.index + match[0].length)];
  const marks: { at: number; end: number; case: number }[] = [];
  for (const mark of found.filter((candidate) => candidate.noun === noun)) {
    const start = starts.filter((at) => at <= mark.at).at(-1) ?? 0;
    if (marks.some((other) => other.at === start)) continue;
    marks.push({ at: start, end: start, case: mark.letter.charCodeAt(0) - 64 });
  }
  return marks;
}

/** The cases a text sets out one by one, each with the spans that describe it; undefined unless two or more. */
export function ordinalCases(
  text: string,
): { spans: [number, number][]; cases: Map<number, [number, number][]>; marked: Map<number, [number, number]> } | undefined {
  const masked = text.replace(QUOTE_SPAN, (span) => '\u0001'.repeat(span.length));
  // `whole`: the case takes all the words up to the next one (the unmarked first case).
  const marks: { at: number; end: number; case: number; whole?: boolean }[] = [];
  let highest = 0;
  let one = -1;
  for (const match of masked.matchAll(CASE_MARK)) {
    // "the first one": one mark. "6.1 light years from the first one" points back at a case, it starts none.
    if (match.index < (marks.at(-1)?.end ?? 0) || POINTING_BACK.test(masked.slice(0, match.index))) continue;
    const word = (match[1] ?? match[2] ?? match[3] ?? '').toLowerCase();
    let number = ORDINAL_NUMBERS[word];
    if (word === 'one') {
      one = marks.length;
      number = highest + 1;
    } else if (word === 'other') {
      // "the other" is the second of "one ... and the other", else no case of its own ("the other variables").
      if (one < 0) continue;
      number = (marks[one]?.case ?? 0) + 1;
    } else if (word === 'last' || word === 'final' || word === 'another') {
      // "the last one", "another": the case after those already set out, when there are some; "a bond ...
      // another bond" is the second, after the one the text began with.
      const noun = masked.slice(match.index + match[0].length).match(/^\s+(\p{L}{3,})/u)?.[1];
      const again = word === 'another' && noun !== undefined && new RegExp(`\\b${noun}\\b`, 'iu').test(masked.slice(0, match.index));
      if (highest === 0 && !again) continue;
      number = Math.max(highest, 1) + 1;
    }
    if (number === undefined) continue;
    highest = Math.max(highest, number);
    // The case's words start after the mark ("the second one" is no time of one second).
    const end = match.index + match[0].length + (masked.slice(match.index + match[0].length).match(/^\s+ones?\b/u)?.[0].length ?? 0);
    marks.push({ at: match.index, end, case: number });
  }
  // "one" with no "the other" after it is a number, not a case.
  if (one >= 0 && !marks.slice(one + 1).some((mark) => mark.case === (marks[one]?.case ?? 0) + 1)) marks.splice(one, 1);
  // "A car starts ... Now, consider a second car ...": the thing the second case names again began the first.
  const [lead] = marks;
  if (lead?.case === 2) {
    const noun = masked.slice(lead.end).match(/^\s+(\p{L}{3,})/u)?.[1];
    if (noun && new RegExp(`\\b${noun}\\b`, 'iu').test(masked.slice(0, lead.at))) marks.unshift({ at: 0, end: 0, case: 1, whole: true });
  }
  if (new Set(marks.map((mark) => mark.case)).size < 2) marks.splice(0, marks.length, ...labelMarks(masked));
  if (new Set(marks.map((mark) => mark.case)).size < 2) return undefined;
  const ends = [...masked.matchAll(SENTENCE_END)].map((match) => match.index + match[0].length);
  const cases = new Map<number, [number, number][]>();
  const marked = new Map<number, [number, number]>();
  const spans: [number, number][] = [];
  marks.forEach((mark, i) => {
    const next = marks[i + 1]?.at ?? text.length;
    // A case ends with its sentence (or where the next begins), and takes the sentences after it that speak of
    // it alone ("I do not need the verdict details for this case"), not of them all ("these two triangles").
    let end = mark.whole ? next : Math.min(next, ends.find((at) => at > mark.end) ?? text.length);
    for (const after of ends.filter((at) => at > end && at <= next)) {
      const sentence = masked.slice(end, after);
      if (!SINGLE_POINTER.test(sentence) || PLURAL_POINTER.test(sentence) || /\?\s*$/u.test(sentence)) break;
      end = after;
    }
    spans.push([mark.at, end]);
    cases.set(mark.case, [...(cases.get(mark.case) ?? []), [mark.end, end]]);
    if (!marked.has(mark.case)) marked.set(mark.case, [mark.at, end]);
  });
  return { spans, cases, marked };
}

/**
 * Argument sets when a text sets out cases one by one ("The first triangle has a base of 12 meters and a
 * height of 15 meters. The second triangle has ..."; "In the first round ... In the second round ..."): each
 * case's spans read alone (`explicit`) give that call's values; what the rest of the text says is shared by
 * all, and a value a case leaves out is the case before it's. Undefined unless at least two sets differ.
 */
export function ordinalSets(
  text: string,
  base: Readonly<Record<string, unknown>>,
  explicit: (clause: string) => Record<string, unknown>,
): Record<string, unknown>[] | undefined {
  const found = ordinalCases(text);
  if (!found) return undefined;
  // "The first note has 440 Hz and the second note has 880 Hz": marks that, read with their case, send its values
  // to other properties ("second_note_frequency") name those properties; the cases are parts of one call.
  const withMark = [...found.marked.values()].map(([from, to]) => Object.keys(explicit(text.slice(from, to))));
  const withoutMark = [...found.cases.values()].map((spans) => Object.keys(explicit(text.slice(...(spans[0] ?? [0, 0])))));
  const disjoint = withMark.every(
    (keys, i) => keys.length > 0 && withMark.every((other, j) => i === j || !other.some((key) => keys.includes(key))),
  );
  if (disjoint && withMark.some((keys, i) => keys.join() !== withoutMark[i]?.join())) return undefined;
  let rest = '';
  let at = 0;
  for (const [from, to] of found.spans) {
    rest += `${text.slice(at, from)} `;
    at = Math.max(at, to);
  }
  rest += text.slice(at);
  const count = found.cases.size;
  // "two right-angled triangles": the number of cases is no value of any of them.
  const shared = Object.fromEntries(Object.entries(explicit(rest)).filter(([, value]) => value !== count));
  const sets: Record<string, unknown>[] = [];
  for (const number of [...found.cases.keys()].sort((a, b) => a - b)) {
    const own: Record<string, unknown> = {};
    for (const [from, to] of found.cases.get(number) ?? []) Object.assign(own, explicit(text.slice(from, to)));
    // "the final velocities of the car in each round": a mark whose words say no value starts no case.
    if (Object.keys(own).length === 0) continue;
    sets.push({ ...base, ...shared, ...(sets.at(-1) ?? {}), ...own });
  }
  const [first] = sets;
  if (sets.length < 2 || sets.every((set) => same(set, first))) return undefined;
  return sets;
}
