import { combined, describedQuantity, inDescribedUnit, unitName } from './convert.ts';
import { findDates, formatDate } from './dates.ts';
import { findNumbers, type NumberMention } from './numbers.ts';
import type { PropInfo } from './schema.ts';
import type { Sentence } from './sentence.ts';
import { isActionWord } from './split.ts';
import { sensesOf } from './lexicon/index.ts';
import { isUnitWord, measuredBy, quantitiesNamed } from './quantities.ts';
import { canonical, isStopword, stem, tokenize, type Token } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';
import { ADJECTIVES } from './vocabulary.ts';
import { siScaled } from './prefixes.ts';

/** Arguments being filled for one tool from one part, and how much the part spoke for the tool. */
export interface FillState {
  readonly sentence: Sentence;
  readonly tool: ToolSpec;
  readonly args: Record<string, unknown>;
  /** Evidence that the part meant this tool: explicit values it took. */
  cues: number;
  /** Tokens before this index are the head of the part (verb, adjectives, the tool's noun). */
  readonly head: number;
  /** Only values words tie to a property: no number goes to a required property just because it is left. */
  readonly explicit?: boolean | undefined;
}

const PROP_WORDS_IGNORED = new Set(['type', 'include', 'is', 'has', 'with', 'enable', 'max', 'min', 'num', 'number', 'of', 'the']);
const NEGATIONS = new Set(['no', 'not', 'without', "don't", 'dont', 'exclude', 'excluding', 'never', 'skip']);
const COUNT_WORDS = new Set(['limit', 'max', 'count', 'top', 'size', 'num', 'page', 'results', 'n']);
const COUNT_LEADS = new Set(['top', 'first', 'latest', 'last', 'newest', 'recent', 'max', 'maximum', 'up', 'at', 'most']);

/** Stems of a property's name words that say what it is (not "max", "type", "include"). */
export function propStems(prop: PropInfo): Set<string> {
  return new Set(
    nameWords(prop)
      .filter((word) => !PROP_WORDS_IGNORED.has(word))
      .map(stem),
  );
}

/** A property's name words without the digit that numbers it ("mass1" -> mass, "color2" -> color). */
function nameWords(prop: PropInfo): string[] {
  return prop.words.map((word) => word.replace(/(?<=\p{L}{3})\d+$/u, '')).filter(Boolean);
}

/** Marks tokens [from, to) of a sentence as used. */
export function consumeTokens(sentence: Sentence, from: number, to: number): void {
  const first = sentence.tokens[from];
  const last = sentence.tokens[to - 1];
  if (first && last) sentence.consume(first.start, last.end);
}

const ORDINALS: Readonly<Record<string, number>> = { first: 1, second: 2, third: 3, fourth: 4 };

/** A property of a series ("charge1", "charge2"; "first_note_frequency", "second_note_frequency"): the series' name and its place. */
function seriesOf(prop: PropInfo): { key: string; place: number } | undefined {
  const numbered = /^(.*?)[_-]?(\d+)$/.exec(prop.name);
  if (numbered?.[1]) return { key: numbered[1].toLowerCase(), place: Number(numbered[2]) };
  const at = prop.words.findIndex((word) => ORDINALS[word] !== undefined);
  if (at < 0 || prop.words.length < 2) return undefined;
  return { key: prop.words.filter((_, i) => i !== at).join(' '), place: ORDINALS[prop.words[at] ?? ''] ?? 0 };
}

/**
 * A series of properties ("charge1", "charge2") and as many numbers written as one list right after
 * or before the series' words ("two charged bodies of 1e-9 and 2e-9", "two notes of 440Hz and 880Hz
 * frequency"): the list's numbers go to the series in order, before any number is scored alone.
 */
function fillSeries(
  state: FillState,
  props: readonly PropInfo[],
  numbers: readonly NumberMention[],
  take: (prop: PropInfo, mention: NumberMention, cue: number) => void,
): void {
  const { sentence } = state;
  const series = new Map<string, { prop: PropInfo; place: number }[]>();
  for (const prop of props) {
    const found = seriesOf(prop);
    if (found) series.set(found.key, [...(series.get(found.key) ?? []), { prop, place: found.place }]);
  }
  const tokens = sentence.tokens;
  for (const members of series.values()) {
    if (members.length < 2 || members.some(({ prop }) => state.args[prop.name] !== undefined)) continue;
    members.sort((a, b) => a.place - b.place);
    const stems = new Set(members.flatMap(({ prop }) => [...propStems(prop)]).filter((word) => !ORDINALS[word]));
    const named = (from: number, to: number) =>
      tokens.slice(Math.max(0, from), Math.max(0, to)).some((token) => stems.has(token.stem) || abbreviates(stems, token));
    for (let i = 0; i + members.length <= numbers.length; i += 1) {
      const run = numbers.slice(i, i + members.length);
      const joined = run.every((mention, k) => k === 0 || LIST_JOINT.test(sentence.text.slice(run[k - 1]!.end, mention.start)));
      if (!joined || run.some((mention) => mention.word || !sentence.isFree(mention.start, mention.end))) continue;
      const first = run[0]!;
      const last = run.at(-1)!;
      if (!named(first.from - 4, first.from) && !named(last.to, last.to + 1)) continue;
      members.forEach(({ prop }, k) => take(prop, run[k]!, 1.5));
      break;
    }
  }
}

/** Tokens before a number an ordinal of its clause may stand at ("the second note has a frequency of 880"). */
const ORDINAL_REACH = 8;

/** The ordinal ("first", "second") the number's clause opens with, before it and after any other number. */
function ordinalBefore(sentence: Sentence, mention: NumberMention, mentions: readonly NumberMention[]): number | undefined {
  const tokens = sentence.tokens;
  const stop = Math.max(0, mention.from - ORDINAL_REACH, ...mentions.filter((m) => m.to <= mention.from).map((m) => m.to));
  for (let i = mention.from - 1; i >= stop; i -= 1) {
    const place = ORDINALS[tokens[i]?.lower ?? ''];
    if (place !== undefined) return place;
    if (BREAK.test(sentence.text.slice(tokens[i - 1]?.end ?? 0, tokens[i]?.start ?? 0))) break;
  }
  return undefined;
}

/** Labels a numeric property's description gives its values: "(1 Critical, 2 High)" -> critical: 1. */
function numericLabels(prop: PropInfo): Map<string, number> {
  const labels = new Map<string, number>();
  for (const match of prop.description.matchAll(/\b(\d+)\s*[-=:]?\s*([A-Z][a-z]+)\b/g))
    labels.set((match[2] ?? '').toLowerCase(), Number(match[1]));
  return labels;
}

function clamp(prop: PropInfo, value: number): number {
  // A value the person wrote is kept as written (9.8 stays 9.8 for an "integer"); bounds still hold.
  let result = value;
  if (prop.minimum !== undefined) result = Math.max(prop.minimum, result);
  if (prop.maximum !== undefined) result = Math.min(prop.maximum, result);
  return result;
}

/** The least evidence a number needs to go to an optional property (a loose hit scores about 1). */
const OPTIONAL_NUMBER_SCORE = 1.2;

/** Description words that say nothing about which number goes where. */
const VAGUE = new Set([
  'value',
  'number',
  'given',
  'default',
  'specified',
  'optional',
  'amount',
  'provided',
  'used',
  'calculate',
  'result',
]);

/** Name words of props that differ only by a trailing digit ("mass1", "mass2"): filled in text order. */
function ordinalGroup(prop: PropInfo): string | undefined {
  const match = /^(.*?)[_-]?(\d+)$/.exec(prop.name);
  return match?.[1] ? match[1].toLowerCase() : undefined;
}

const describedCache = new WeakMap<PropInfo, ReadonlySet<string>>();

/** Stems of the words of a property's description that can tie a number to it (tools are indexed once, so once per property). */
function describedStems(prop: PropInfo): ReadonlySet<string> {
  let stems = describedCache.get(prop);
  if (!stems) {
    stems = new Set(
      tokenize(prop.description)
        .filter((t) => !isStopword(t.lower) && !/^\d/.test(t.lower) && !VAGUE.has(t.lower))
        .map((t) => t.stem),
    );
    describedCache.set(prop, stems);
  }
  return stems;
}

const quantityCache = new WeakMap<PropInfo, ReadonlySet<string>>();

/**
 * The quantities a property's name words name ("time", "duration" -> time; "weight"), for units that
 * measure them; not the words after "per" ("payment_per_year" is no length of time).
 */
function quantitiesOf(prop: PropInfo): ReadonlySet<string> {
  let quantities = quantityCache.get(prop);
  if (!quantities) {
    const all = nameWords(prop);
    const per = all.indexOf('per');
    const words = (per < 0 ? all : all.slice(0, per)).filter((word) => !PROP_WORDS_IGNORED.has(word));
    quantities = new Set(words.flatMap((word) => [...quantitiesNamed(word)]));
    quantityCache.set(prop, quantities);
  }
  return quantities;
}

/** Words that say a property takes a rate or a share, for a number written with "%". */
const RATE_WORDS = /\b(?:rate|percent|percentage|ratio|fraction|share|proportion|probability)s?\b/i;
/** Words that say a property takes a sum of money, for a number written with a currency sign. */
const MONEY_WORDS =
  /\b(?:money|amount|sum|price|cost|principal|principle|payment|deposit|investment|loan|budget|salary|income|revenue|profit|earning|balance|fund|capital|value)s?\b/i;

/** Physical quantities, each with the words that name it (general English): a unit of one measures none of the others. */
const QUANTITY_FAMILIES: readonly ReadonlySet<string>[] = [
  new Set(['length', 'distance', 'height', 'width', 'depth', 'radius', 'diameter', 'altitude', 'elevation']),
  new Set(['time', 'duration']),
  new Set(['weight', 'mass']),
  new Set(['temperature']),
  new Set(['volume', 'capacity']),
];

const familyOf = (words: Iterable<string>) => QUANTITY_FAMILIES.filter((family) => [...words].some((word) => family.has(word)));

/** Whether a number's unit measures another physical quantity than the one the property is named for ("10 meters" is no weight). */
function otherQuantity(unit: string, prop: PropInfo): boolean {
  if (!unit) return false;
  // "Length of the mix track in seconds": the unit its description names says the quantity, over its name.
  const described = describedQuantity(prop.description);
  const named = familyOf(described ? [described] : nameWords(prop));
  if (named.length !== 1) return false;
  const measured = familyOf(measuredBy(unit));
  return measured.length > 0 && !measured.includes(named[0]!);
}

const perCache = new WeakMap<PropInfo, ReadonlySet<string>>();

/** Stems of the words right after "per" in a property's name and description ("compounds_per_year", "per hour"). */
function perStems(prop: PropInfo): ReadonlySet<string> {
  let stems = perCache.get(prop);
  if (!stems) {
    const words = [...prop.words, ...tokenize(prop.description).map((token) => token.lower)];
    stems = new Set(words.flatMap((word, i) => (word === 'per' && words[i + 1] ? [stem(words[i + 1]!)] : [])));
    perCache.set(prop, stems);
  }
  return stems;
}

/** Whether a number's unit measures what the property's name says ("5 seconds" for time, "20 kg" for weight). */
function measures(unit: string, prop: PropInfo): boolean {
  const quantities = quantitiesOf(prop);
  return unit !== '' && [...measuredBy(unit)].some((quantity) => quantities.has(quantity));
}

/**
 * A property word shortened in its name ("temp", "init", "qty" aside): a prefix of the written word;
 * or the written word's stem begins the property's word ("accelerated" for "acceleration").
 */
function abbreviates(stems: ReadonlySet<string>, token: Token): boolean {
  if (token.lower.length < 5) return false;
  for (const word of stems) {
    if (word.length >= 3 && word.length < token.lower.length - 1 && token.lower.startsWith(word)) return true;
    if (token.stem.length >= 6 && word.length > token.stem.length && word.startsWith(token.stem)) return true;
  }
  return false;
}

/** Initials of each run of two to four words of a description ("miles per gallon": mpg, "beats per minute": bpm). */
function initialsOf(description: string): ReadonlySet<string> {
  const words = description.toLowerCase().match(/[a-z]+/g) ?? [];
  const found = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 3; n <= 4 && i + n <= words.length; n++) {
      const run = words.slice(i, i + n);
      // A unit of a rate has "per" inside it; other runs of initials are too often chance.
      if (!run.slice(1, -1).includes('per')) continue;
      found.add(run.map((word) => word[0]).join(''));
    }
  }
  return found;
}

/** The gap between two offsets holds a clause break (a comma, semicolon, full stop, bracket). */
const BREAK = /[,;.!?()[\]]/;

/**
 * How strongly the words around a number say it is this property's value: the words just before it
 * ("a base of 6", "rate = 5") up to the previous number, and a word glued right after it ("20 kg",
 * "100 trees") when no comma stands between (the words after a comma belong to the next value).
 */
function numberScore(
  sentence: Sentence,
  mention: NumberMention,
  mentions: readonly NumberMention[],
  stems: ReadonlySet<string>,
  described: ReadonlySet<string>,
  countLike: boolean,
  prop: PropInfo,
): { score: number; with_: number[] } {
  const tokens = sentence.tokens;
  let score = 0;
  const with_: number[] = [];
  const other = (index: number) => mentions.some((m) => m !== mention && index >= m.from && index < m.to);
  const perUnit = perStems(prop);
  const weigh = (index: number, distance: number, before: boolean) => {
    const token = tokens[index];
    if (!token) return;
    // "10 years" is a span of years, not a count per year ("compounds_per_year", "duplications per hour").
    if (!before && perUnit.has(token.stem)) return;
    const hit = stems.has(token.stem)
      ? 3
      : abbreviates(stems, token)
        ? 2.5
        : described.has(token.stem)
          ? 2
          : countLike && before && COUNT_LEADS.has(token.lower)
            ? 1.5
            : 0;
    if (hit === 0) return;
    score += hit / (1 + 0.35 * distance);
    // Only the words right next to the number go with it; farther ones may belong to another value.
    if (distance <= 2) with_.push(index);
  };
  for (let i = mention.from - 1, d = 0; i >= 0 && d < 5 && !other(i); i -= 1, d += 1) {
    weigh(i, d, true);
    if (BREAK.test(sentence.text.slice(tokens[i - 1]?.end ?? 0, tokens[i]?.start ?? 0)) && d > 0) break;
  }
  const next = tokens[mention.to];
  const last = tokens[mention.to - 1];
  if (next && last && !other(mention.to) && !BREAK.test(sentence.text.slice(last.end, next.start))) {
    weigh(mention.to, 0, false);
    // A unit of two words ("30 degrees Celsius", "5 square meters"): the second says the scale too.
    const second = tokens[mention.to + 1];
    const compound = second ? `${next.lower.replace(/s$/, '')} ${second.lower}` : '';
    if (second && !other(mention.to + 1) && !BREAK.test(sentence.text.slice(next.end, second.start)) && isUnitWord(compound)) {
      weigh(mention.to + 1, 1, false);
      if (measures(compound, prop)) score += 2;
    }
  }
  // A unit glued on ("6cm", "300K") is one token with the number: compare the unit itself.
  if (mention.unit && tokens[mention.to - 1]?.end === mention.end) {
    const unit = mention.unit.replace(/[^\p{L}]/gu, '');
    if (unit && (described.has(stem(unit)) || stems.has(stem(unit)))) score += 2;
  }
  if (measures(mention.unit, prop) && !perUnit.has(stem(mention.unit))) score += 2;
  // "25 MPG" for a property "in miles per gallon": a unit written as the initials of the one its description names.
  const unitWord = next && last && !other(mention.to) ? next.lower : mention.unit.toLowerCase();
  if (initialsOf(prop.description).has(unitWord)) score += 2;
  const said = `${prop.words.join(' ')} ${prop.description}`;
  // "5%" is a rate or a percentage; "$5000" a sum of money.
  if (mention.unit === '%' && RATE_WORDS.test(said)) score += 2;
  if (/\p{Sc}\s*$/u.test(sentence.text.slice(Math.max(0, mention.start - 2), mention.start)) && MONEY_WORDS.test(said)) score += 2;
  return { score, with_ };
}

/**
 * Whether nothing but small words stands before a number (a clause read alone: "$52.33 in
 * Sacramento"), so it may be the one property left: not "acceleration of 9.8", not "Windows 10",
 * not a year ("in 2022") for a property that is no year.
 */
function unnamed(sentence: Sentence, mention: NumberMention, prop: PropInfo): boolean {
  const before = sentence.tokens.slice(Math.max(0, mention.from - 2), mention.from);
  if (before.some((token) => !isStopword(token.lower) || /^\p{Lu}/u.test(token.text))) return false;
  const year = Number.isInteger(mention.value) && mention.value >= 1000 && mention.value <= 2100 && !mention.unit;
  return !year || prop.words.includes('year');
}

/** "5ft 10in", "1 hour 30 minutes": one amount in the smaller unit (70 inches), spanning both numbers. */
function joinCompoundAmounts(sentence: Sentence, mentions: NumberMention[]): NumberMention[] {
  const out: NumberMention[] = [];
  for (let i = 0; i < mentions.length; i += 1) {
    const mention = mentions[i]!;
    const next = mentions[i + 1];
    const glued = next && /^\s*$/.test(sentence.text.slice(mention.end, next.start)) && !mention.word && !next.word;
    const value = glued ? combined(mention.value, mention.unit, next.value, next.unit) : undefined;
    if (next && value !== undefined) {
      out.push({ ...next, start: mention.start, from: mention.from, value, unit: unitName(next.unit) });
      i += 1;
    } else out.push(mention);
  }
  return out;
}

/** "5%" is 0.05 to a property that takes a rate, unless its description says it wants a percentage. */
function valueFor(prop: PropInfo, mention: NumberMention, text: string): number {
  // "3 minutes" for a length "in seconds" is 180.
  const converted = mention.unit ? inDescribedUnit(mention.value, mention.unit, prop.description) : mention.value;
  if (converted !== mention.value) return converted;
  if (mention.unit !== '%' && mention.unit !== '' && !prop.integer) {
    const written = text.slice(mention.start, mention.end + 6).replace(/^[-−]?[\d.,]+(?:[eE][-+]?\d+)?/u, '');
    return siScaled(mention.value, written, prop.description);
  }
  if (mention.unit !== '%' || prop.integer) return mention.value;
  const percentScale = /\bpercent(?:age)?s?\b|\bin\s*%|\(%\)/i.test(prop.description) && !/\bdecimal|fraction/i.test(prop.description);
  return percentScale ? mention.value : mention.value / 100;
}

/**
 * Fills numeric properties. Every (property, number) pair is scored by the words around the
 * number against the property's name and description (units count: "20 kg" and "(kg)"), best
 * pairs first; properties numbered alike ("mass1", "mass2") take their numbers in text order;
 * required ones still empty take the numbers left, in order; an array of numbers takes the rest.
 */
export function fillNumbers(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'number');
  const numberLists = tool.props.filter(
    (prop) => prop.kind === 'other' && prop.arrayOnly && (prop.types.has('number') || prop.types.has('integer')),
  );
  if (props.length === 0 && numberLists.length === 0) return;
  const tokens = sentence.tokens;
  const otherEnumWords = new Set(
    tool.props.filter((prop) => prop.kind === 'enum').flatMap((prop) => prop.enumValues.map((v) => String(v).toLowerCase())),
  );
  const found = joinCompoundAmounts(sentence, findNumbers(sentence));
  // "two charged bodies of 1e-9 and 2e-9", "two numbers, say 36 and 48": a count of the values that follow, not one of them.
  const numbers = found.filter(
    (mention) =>
      !mention.word ||
      !/^\s+(?:[\p{L}-]+\s+)?[\p{L}-]+s\b/u.test(sentence.text.slice(mention.end)) ||
      found.filter((other) => !other.word && other.start > mention.end).length < mention.value,
  );
  // "the duration between two notes" for first_/second_note_frequency: the number of a series' members, no value of one.
  const seriesSizes = new Map<string, number>();
  for (const prop of props) {
    const key = seriesOf(prop)?.key;
    if (key) for (const word of key.split(' ')) seriesSizes.set(stem(word), (seriesSizes.get(stem(word)) ?? 0) + 1);
  }
  const countsSeries = (mention: NumberMention) => {
    const next = tokens[mention.to];
    return mention.word && next !== undefined && /s$/i.test(next.text) && seriesSizes.get(next.stem) === mention.value;
  };
  for (let i = numbers.length - 1; i >= 0; i -= 1) if (countsSeries(numbers[i]!)) numbers.splice(i, 1);
  const used = new Set<NumberMention>();
  const taken = new Map<string, NumberMention>();
  const take = (prop: PropInfo, mention: NumberMention, cue: number, with_: readonly number[] = []) => {
    state.args[prop.name] = clamp(prop, valueFor(prop, mention, sentence.text));
    used.add(mention);
    taken.set(prop.name, mention);
    state.cues += cue;
    sentence.consume(mention.start, mention.end);
    for (const index of with_) consumeTokens(sentence, index, index + 1);
  };
  const nouns = new Set([...tool.nameTerms, ...tool.server, 'result', 'item', 'record', 'entry']);
  const pairs: { prop: PropInfo; mention: NumberMention; score: number; with_: number[] }[] = [];
  // Description words every numeric property shares ("of the triangle") tell none of them apart.
  const shared = new Map<string, number>();
  for (const prop of props) for (const word of describedStems(prop)) shared.set(word, (shared.get(word) ?? 0) + 1);
  for (const prop of props) {
    const stems = propStems(prop);
    const all = describedStems(prop);
    const described = props.length > 1 ? new Set([...all].filter((word) => shared.get(word) !== props.length)) : all;
    const countLike =
      prop.words.some((word) => COUNT_WORDS.has(word)) || /\b(?:how many|per page|number of|results)\b/i.test(prop.description);
    for (const mention of numbers) {
      if (otherQuantity(mention.unit, prop)) continue;
      const scored = numberScore(sentence, mention, numbers, stems, described, countLike, prop);
      const with_ = scored.with_;
      let score = scored.score;
      // "ten major historical events" for the "Number of events to return": a count of what the property counts.
      const counted =
        countLike &&
        score === 0 &&
        tokens.slice(mention.to, mention.to + 4).some((token) => described.has(token.stem) && !COUNT_WORDS.has(token.lower));
      if (counted) score = OPTIONAL_NUMBER_SCORE / (mention.word ? 0.8 : 1);
      // "find four restaurants": a number written as a word counts the tool's noun only right before it.
      if (score === 0 && countLike) {
        const noun = tokens.slice(mention.to, mention.to + 4).findIndex((token) => nouns.has(token.term));
        if (noun >= 0 && (!mention.word || noun <= 1)) score = 1;
      }
      // "the second note has a frequency of 880 Hz": an ordinal before the number picks its member of a series.
      const ordinal = ordinalBefore(sentence, mention, numbers);
      const place = seriesOf(prop)?.place;
      if (ordinal !== undefined && place !== undefined && score > 0) score = ordinal === place ? score + 1 : 0;
      if (mention.word) score *= 0.8;
      // An optional property keeps its default unless words tie the number to it more than loosely
      // ("the power of 3" is no modulus because "mod" abbreviates "power"'s first letters).
      if (!prop.required && score < OPTIONAL_NUMBER_SCORE) score = 0;
      if (score > 0) pairs.push({ prop, mention, score, with_ });
    }
  }
  pairs.sort((a, b) => b.score - a.score || a.mention.start - b.mention.start);
  fillSeries(state, props, numbers, take);
  for (const pair of pairs) {
    if (used.has(pair.mention) || state.args[pair.prop.name] !== undefined) continue;
    take(pair.prop, pair.mention, 1.5, pair.with_);
  }
  for (const prop of props.filter((candidate) => state.args[candidate.name] === undefined)) {
    for (const [label, value] of numericLabels(prop)) {
      if (otherEnumWords.has(label)) continue;
      const index = tokens.findIndex((token) => token.lower === label && sentence.isFree(token.start, token.end));
      if (index >= 0) {
        state.args[prop.name] = value;
        state.cues += 1;
        consumeTokens(sentence, index, index + 1);
        break;
      }
    }
  }
  const remaining = () => numbers.filter((mention) => !used.has(mention) && sentence.isFree(mention.start, mention.end));
  const unfilled = props.filter((candidate) => candidate.required && state.args[candidate.name] === undefined);
  // One clause read alone ("$52.33 in Sacramento"): a number left goes to the one property left, no guessing among several.
  const guess = !state.explicit || (unfilled.length === 1 && remaining().filter((mention) => !mention.word).length === 1);
  for (const prop of guess ? unfilled : []) {
    const next = remaining().find(
      (mention) => !mention.word && !otherQuantity(mention.unit, prop) && (!state.explicit || unnamed(sentence, mention, prop)),
    );
    if (next) take(prop, next, 1.5);
  }
  // "mass1 ... mass2": whatever numbers a group took go to its members in text order.
  const groups = new Map<string, PropInfo[]>();
  for (const prop of props) {
    const group = ordinalGroup(prop);
    if (group !== undefined) groups.set(group, [...(groups.get(group) ?? []), prop]);
  }
  for (const members of groups.values()) {
    const filled = members.filter((prop) => taken.has(prop.name));
    if (filled.length < 2) continue;
    const mentions = filled.flatMap((prop) => taken.get(prop.name) ?? []).sort((a, b) => a.start - b.start);
    filled.forEach((prop, i) => {
      const mention = mentions[i];
      if (mention) state.args[prop.name] = clamp(prop, valueFor(prop, mention, sentence.text));
    });
  }
  const list = numberLists.find((prop) => prop.required) ?? (numberLists.length === 1 ? numberLists[0] : undefined);
  const rest = remaining().filter((mention) => !mention.word);
  if (list && rest.length > 0 && state.args[list.name] === undefined) {
    state.args[list.name] = rest.map((mention) => clamp(list, mention.value));
    state.cues += 1.5;
    for (const mention of rest) sentence.consume(mention.start, mention.end);
  }
}

/** A bracketed list of numbers: "[10, 15, 12]", "(33.4484 N, 112.0740 W)", "A(3,4)", "[ [10, 20], [30, 40] ]". */
export const NUMBER_GROUP =
  /\[\s*\[[-\d.,\s\][]*\]\s*\]|[[(]\s*[-−]?\d[\d.]*(?:\s*°?\s*[NSEW]\b)?(?:\s*,\s*[-−]?\d[\d.]*(?:\s*°?\s*[NSEW]\b)?)+\s*[\])]/g;

/** The numbers of a group, nested as written; a latitude south or a longitude west is negative. */
export function groupValues(text: string): unknown[] | undefined {
  if (/^\[\s*\[/.test(text)) {
    try {
      const nested: unknown = JSON.parse(text);
      return Array.isArray(nested) ? nested : undefined;
    } catch {
      return undefined;
    }
  }
  return text
    .slice(1, -1)
    .split(',')
    .map((item) => {
      const value = Number(item.replace(/[°NSEW\s]/g, '').replace('−', '-'));
      return /[SW]\s*$/.test(item.trim()) ? -value : value;
    });
}

/**
 * Properties that each take an array of numbers ("array_1"/"array_2", "coord1"/"coord2", "vector1"/"vector2")
 * take the bracketed groups of numbers of the part, in text order; one such property takes the one group
 * written (a nested table too). Before other numbers read their digits one by one.
 */
export function fillNumberGroups(state: FillState): void {
  const { sentence, tool } = state;
  const lists = tool.props.filter(
    (prop) => prop.arrayOnly && prop.kind !== 'list' && [...prop.types].every((type) => ['number', 'integer', 'array'].includes(type)),
  );
  if (lists.length === 0) return;
  const groups = [...sentence.text.matchAll(NUMBER_GROUP)].filter((match) => sentence.isFree(match.index, match.index + match[0].length));
  if (groups.length === 0 || (lists.length > 1 && groups.length < lists.length) || (lists.length === 1 && groups.length > 1)) return;
  lists.forEach((prop, i) => {
    const group = groups[i];
    const values = group ? groupValues(group[0]) : undefined;
    if (!group || !values || state.args[prop.name] !== undefined) return;
    state.args[prop.name] = values;
    state.cues += 1.5;
    sentence.consume(group.index, group.index + group[0].length);
  });
}

/** Whether WordNet knows a word only as a verb ("consider", "allow"; not "show", a noun too). */
function isOnlyVerb(word: string): boolean {
  return sensesOf(word, 'verb').length > 0 && sensesOf(word, 'noun').length === 0 && sensesOf(word, 'adj').length === 0;
}

/** Fills booleans whose name words appear in the part ("with audit" -> include_audit: true; "without" -> false). */
export function fillBooleans(state: FillState): void {
  const { sentence, tool } = state;
  const verbAt = sentence.tokens.findIndex((token) => isActionWord(token.lower));
  // The word itself ("details" even where it reads as the verb), or its synonym group away from the verb.
  const matches = (token: Token, index: number, word: string) => {
    const wanted = canonical(word);
    return (
      token.stem === wanted ||
      token.stem === stem(word) ||
      (index !== verbAt && (token.term === wanted || canonical(ADJECTIVES[token.lower] ?? '') === wanted))
    );
  };
  for (const prop of tool.props.filter((candidate) => candidate.kind === 'boolean')) {
    const named = prop.words.filter((word) => !PROP_WORDS_IGNORED.has(word));
    // "consider_terrain", "allow_transfer": a leading word that is only a verb says how, the rest what ("accounting for terrain").
    const wanted = [...new Set(named.length > 1 && isOnlyVerb(named[0] ?? '') ? named.slice(1) : named)];
    if (wanted.length === 0) continue;
    const found = wanted.map((word) => {
      const index = sentence.tokens.findIndex((token, at) => sentence.isFree(token.start, token.end) && matches(token, at, word));
      return index >= 0 ? index : hyphenated(sentence, word);
    });
    // A required flag takes any of its words ("closed" of closed_status in "verify if it's already closed"); an optional one needs all.
    const hits = prop.required ? found.filter((index) => index >= 0) : found;
    if (hits.length === 0 || hits.some((index) => index < 0)) continue;
    const first = Math.min(...hits);
    const negated = sentence.tokens.slice(Math.max(0, first - 3), first).some((token) => NEGATIONS.has(token.lower));
    state.args[prop.name] = !negated;
    state.cues += 1;
    for (const index of hits) {
      const token = sentence.tokens[index];
      if (token) sentence.consume(token.start, token.end);
    }
  }
  fillDescribedFlags(state);
}

/** Where a name word is written as two hyphenated words ("multi-player" for multiplayer), or -1. */
function hyphenated(sentence: Sentence, word: string): number {
  const tokens = sentence.tokens;
  return tokens.findIndex((token, index) => {
    const next = tokens[index + 1];
    return (
      next !== undefined &&
      sentence.text.slice(token.end, next.start) === '-' &&
      `${token.lower}${next.lower}`.replace(/s$/, '') === word.replace(/s$/, '') &&
      sentence.isFree(token.start, next.end)
    );
  });
}

/** How many different words of its description a part must say to turn on an optional flag that adds to a result. */
const FLAG_DESCRIPTION_WORDS = 2;
/** A flag that asks for more in the result: "Also return ...", "Whether to include ...". */
const ADDS_TO_RESULT = /^(?:also\s+(?:return|include|show|list|give)|whether\s+to\s+(?:also\s+)?(?:return|include|show|list))\b/i;

/**
 * Turns on an optional flag whose description says it adds something to the result when the part
 * asks for that thing in the description's words ("the history of changes" for a flag described
 * "Also return the change history ..."), not by the flag's name.
 */
function fillDescribedFlags(state: FillState): void {
  const { sentence, tool } = state;
  for (const prop of tool.props) {
    if (prop.kind !== 'boolean' || prop.required || state.args[prop.name] !== undefined || prop.defaultValue === true) continue;
    if (!ADDS_TO_RESULT.test(prop.description.trim())) continue;
    const described = new Set(
      tokenize(prop.description.replace(ADDS_TO_RESULT, ''))
        .filter((token) => token.lower.length >= 4 && !isStopword(token.lower))
        .map((token) => token.stem),
    );
    const hits = sentence.tokens.filter((token) => sentence.isFree(token.start, token.end) && described.has(token.stem));
    if (new Set(hits.map((token) => token.stem)).size < FLAG_DESCRIPTION_WORDS) continue;
    const negated = sentence.tokens.some((token) => NEGATIONS.has(token.lower) && token.end <= (hits[0]?.start ?? 0));
    if (negated) continue;
    state.args[prop.name] = true;
    state.cues += 1;
  }
}

// How far before a date its lead-in words ("opened since", "created after") are looked for.
const LEAD_IN_WINDOW = 200;

/** Fills date properties from absolute and relative dates, by bound (since/until) and name. */
export function fillDates(state: FillState, now: Date): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'date');
  if (props.length === 0) return;
  const lower = (prop: PropInfo) => prop.words.some((word) => ['since', 'after', 'from', 'start', 'min', 'begin'].includes(word));
  const upper = (prop: PropInfo) => prop.words.some((word) => ['until', 'before', 'to', 'end', 'max', 'till'].includes(word));
  // Mentions come in text order, so the tokens before each one grow by a moving pointer.
  let passed = 0;
  for (const mention of findDates(sentence.text, now)) {
    while (passed < sentence.tokens.length && (sentence.tokens[passed]?.end ?? 0) <= mention.start) passed += 1;
    if (!sentence.isFree(mention.start, mention.end) || sentence.quotes.some((q) => mention.start >= q.start && mention.end <= q.end))
      continue;
    const open = props.filter((prop) => state.args[prop.name] === undefined);
    if (open.length === 0) break;
    // The property named right before the date wins ("due tomorrow"); else the bound decides (since / until).
    const lead = sentence.tokens.slice(Math.max(0, passed - 3), passed);
    const named = open.find((prop) => lead.some((token) => propStems(prop).has(token.stem)));
    const prop =
      named ??
      (mention.bound === 'until' ? open.find(upper) : open.find(lower)) ??
      (open.length === 1 || props.length === 1 ? open[0] : undefined);
    if (!prop) continue;
    state.args[prop.name] = formatDate(mention, prop.formats, prop.dateLayout);
    state.cues += 1.5;
    let start = mention.start;
    const words = [
      ...prop.words,
      'opened',
      'created',
      'updated',
      'modified',
      'since',
      'from',
      'after',
      'until',
      'till',
      'before',
      'by',
      'on',
      'in',
      'during',
      'over',
      'within',
      'starting',
      'as of',
    ];
    // The lead-in words sit right before the date; matching the whole text before it was quadratic.
    const before = sentence.text
      .slice(Math.max(0, start - LEAD_IN_WINDOW), start)
      .match(new RegExp(`(?:\\b(?:${words.join('|')})\\s+)+$`, 'i'));
    if (before) start -= before[0].length;
    sentence.consume(start, mention.end);
  }
}

/** A time of day: "6:30 PM", "11 pm", "18:45". */
const CLOCK_TIME = /(?<![\p{L}\p{N}.:])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\p{L}\p{N}]|:\d)/giu;

/**
 * Times of day into integer properties named for their parts ("hours" and "minutes" of a clock
 * face take 6 and 30 of "6:30 PM"); an hour property whose description says "24 hour" takes the
 * afternoon's hour as 23 for "11 PM". Before other numbers read the digits one by one.
 */
export function fillClockTimes(state: FillState): void {
  const { sentence, tool } = state;
  // A text property named for the time ("time": "The specific time to check") takes a time of day as written ("12pm", "6:30").
  const text = tool.props.find((prop) => prop.kind === 'text' && prop.words.at(-1) === 'time' && state.args[prop.name] === undefined);
  if (text) {
    for (const match of sentence.text.matchAll(CLOCK_TIME)) {
      const end = match.index + match[0].length;
      if ((match[2] === undefined && match[3] === undefined) || !sentence.isFree(match.index, end)) continue;
      state.args[text.name] = match[0].trim();
      state.cues += 1.5;
      sentence.consume(match.index, end);
      break;
    }
  }
  const numeric = tool.props.filter((prop) => prop.kind === 'number' && state.args[prop.name] === undefined);
  const named = (pattern: RegExp) => numeric.find((prop) => prop.words.some((word) => pattern.test(word)));
  const hours = named(/^hours?$/);
  if (!hours) return;
  const minutes = named(/^minutes?$/);
  for (const match of sentence.text.matchAll(CLOCK_TIME)) {
    const [, hour = '', minute, half] = match;
    const end = match.index + match[0].length;
    // "6:30" or "11 PM" say a time; a bare "11" does not.
    if ((minute === undefined && half === undefined) || !sentence.isFree(match.index, end)) continue;
    if (minute !== undefined && !minutes) continue;
    const afternoon = half !== undefined && /^p/i.test(half) && Number(hour) < 12;
    const dayHours = /\b24[- ]?hours?\b/i.test(hours.description);
    state.args[hours.name] = clamp(hours, Number(hour) + (afternoon && dayHours ? 12 : 0));
    if (minutes && minute !== undefined) state.args[minutes.name] = clamp(minutes, Number(minute));
    state.cues += 1.5;
    sentence.consume(match.index, end);
    return;
  }
}

/** Whether `name` stands in `text` as a whole word (underscores and digits belong to it). */
function namedIn(text: string, name: string): boolean {
  let at = text.indexOf(name);
  while (at >= 0) {
    const edge = (char: string | undefined) => char === undefined || !/[\p{L}\p{N}_]/u.test(char);
    if (edge(text[at - 1]) && edge(text[at + name.length])) return true;
    at = text.indexOf(name, at + 1);
  }
  return false;
}

/** Between two numbers of one list: "12, 24, 36", "12.4, 15.6 and 11.2". */
const LIST_JOINT = /^\s*(?:,\s*(?:and\s+)?|and\s+)$/i;

/**
 * Properties that take an array of numbers, each named just before a written list of two or more
 * numbers ("dataset_A with the values 12, 24, 36 and dataset_B with the values 15, 30, 45";
 * "group1 (e.g., 12.4, 15.6, 11.2)"), take their own list.
 */
export function fillNumberRuns(state: FillState): void {
  const { sentence, tool } = state;
  const lists = tool.props.filter(
    (prop) =>
      prop.arrayOnly &&
      state.args[prop.name] === undefined &&
      (prop.types.has('number') || prop.types.has('integer') || prop.kind === 'other'),
  );
  if (lists.length < 2) return;
  const mentions = findNumbers(sentence).filter((mention) => !mention.word);
  const runs: NumberMention[][] = [];
  for (const mention of mentions) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && LIST_JOINT.test(sentence.text.slice(last.end, mention.start))) run.push(mention);
    else runs.push([mention]);
  }
  for (const run of runs.filter((candidate) => candidate.length >= 2)) {
    const first = run[0];
    if (!first) continue;
    // The property's name as written ("dataset_A", "group1"), a few words before the list.
    const before = sentence.text.slice(sentence.tokens[Math.max(0, first.from - 6)]?.start ?? 0, first.start).toLowerCase();
    const prop = lists.find((candidate) => state.args[candidate.name] === undefined && namedIn(before, candidate.name.toLowerCase()));
    if (!prop) continue;
    state.args[prop.name] = run.map((mention) => clamp(prop, mention.value));
    state.cues += 1.5;
    for (const mention of run) sentence.consume(mention.start, mention.end);
  }
}

/** Words that may stand between a list of names and their values: "base and height as 6cm and 10cm". */
const RESPECTIVE_FILLER = new Set(['as', 'are', 'is', 'of', 'be', 'being', 'were', 'respectively', 'given', 'equal', 'to', '=', ':']);

/**
 * Two numeric properties named together and then given two values in the same order ("the
 * lengths of its base and height as 6cm and 10cm", "width and height are 4 and 3"): the first
 * value goes to the first name. Before other numbers are scored one by one.
 */
export function fillRespectively(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'number' && state.args[prop.name] === undefined);
  if (props.length < 2) return;
  const tokens = sentence.tokens;
  const named = (index: number) => {
    const token = tokens[index];
    return token ? props.find((prop) => propStems(prop).has(token.stem)) : undefined;
  };
  const mentions = findNumbers(sentence).filter((mention) => !mention.word);
  for (let i = 0; i + 1 < mentions.length; i += 1) {
    const [first, second] = [mentions[i], mentions[i + 1]];
    if (!first || !second || !LIST_JOINT.test(sentence.text.slice(first.end, second.start))) continue;
    let k = first.from - 1;
    while (k >= 0 && first.from - k <= 3 && RESPECTIVE_FILLER.has(tokens[k]?.lower ?? '')) k -= 1;
    const last = named(k);
    const lead = named(k - 2);
    if (!last || !lead || last === lead || tokens[k - 1]?.lower !== 'and') continue;
    if (!sentence.isFree(tokens[k - 2]?.start ?? 0, second.end)) continue;
    state.args[lead.name] = clamp(lead, valueFor(lead, first, sentence.text));
    state.args[last.name] = clamp(last, valueFor(last, second, sentence.text));
    state.cues += 3;
    sentence.consume(first.start, first.end);
    sentence.consume(second.start, second.end);
    consumeTokens(sentence, k - 2, k + 1);
    return;
  }
}

/** Days in a period, for counting it in another unit. */
const PERIOD_DAYS: Readonly<Record<string, number>> = { day: 1, week: 7, fortnight: 14, month: 30, year: 365 };
const PERIOD = /\b(?:the\s+)?(?:next|coming|upcoming|following|past|last)\s+(day|week|fortnight|month|year)\b/gi;
const TIME_UNIT = /\b(day|week|month|year)s?\b/i;

/**
 * A period said without a number ("for the next week", "upcoming month") into a numeric property
 * that counts days, weeks, months or years by its name or description ("The number of days ...":
 * 7 for a week): only whole counts, and only where no number filled it.
 */
export function fillPeriods(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'number' && state.args[prop.name] === undefined);
  for (const match of sentence.text.matchAll(PERIOD)) {
    const end = match.index + match[0].length;
    if (!sentence.isFree(match.index, end)) continue;
    const period = PERIOD_DAYS[(match[1] ?? '').toLowerCase()] ?? 0;
    const prop = props.find((candidate) => {
      const unit = (candidate.words.join(' ').match(TIME_UNIT) ?? candidate.description.match(TIME_UNIT))?.[1]?.toLowerCase();
      const days = unit === undefined ? 0 : (PERIOD_DAYS[unit] ?? 0);
      return days > 0 && period % days === 0 && state.args[candidate.name] === undefined;
    });
    if (!prop) continue;
    const unit = (prop.words.join(' ').match(TIME_UNIT) ?? prop.description.match(TIME_UNIT))?.[1]?.toLowerCase() ?? 'day';
    // A month counted in months is one, not 30 days' worth of them.
    const count = unit === (match[1] ?? '').toLowerCase() ? 1 : period / (PERIOD_DAYS[unit] ?? 1);
    state.args[prop.name] = clamp(prop, count);
    state.cues += 1;
    sentence.consume(match.index, end);
    return;
  }
}
