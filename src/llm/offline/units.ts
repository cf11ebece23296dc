/**
 * Conversions: a tool's pair of currency or unit properties ("base_currency"/"target_currency",
 * "from_unit"/"to_unit") takes the currencies or units the request names. Currencies come from
 * the platform's ISO 4217 tables (Intl: "Canadian dollars", "United States Dollar", "EUR", "£") and
 * are given as their codes; units are the words WordNet calls a unit of measurement ("ounces",
 * "tablespoons"), as written. The one written with the amount is what is converted from.
 */
import { BoundedMap } from './memo.ts';
import { findNumbers } from './numbers.ts';
import { isUnitWord } from './quantities.ts';
import type { PropInfo } from './schema.ts';
import { isStopword, stem } from './tokenize.ts';
import type { FillState } from './values.ts';

/** A currency or unit the request names, with its span. */
interface Mention {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const FROM_WORDS = /^(?:from|base|source|original|input|origin|start|initial|current|have|sell)$/;
const TO_WORDS = /^(?:to|target|destination|output|desired|final|into|end|result|want|buy)$/;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Names of every currency, longest first, each with its code; built from Intl on first use (about
 * 20 ms, which a CLI run whose tools take no currency should not pay at start-up).
 */
function buildCurrencyNames(): readonly (readonly [RegExp, string])[] {
  const names = new Intl.DisplayNames('en', { type: 'currency' });
  const regions = new Intl.DisplayNames('en', { type: 'region' });
  const byName = new Map<string, string>();
  const bare = new Map<string, string[]>();
  const symbolOf = (code: string) =>
    new Intl.NumberFormat('en', { style: 'currency', currency: code }).formatToParts(1).find((part) => part.type === 'currency')?.value ??
    code;
  for (const code of Intl.supportedValuesOf('currency')) {
    const name = names.of(code);
    if (!name || name === code) continue;
    const last = name.split(' ').at(-1) ?? name;
    byName.set(name.toLowerCase(), code);
    // "United States Dollar": the region's name with the currency's word.
    const region = (() => {
      try {
        return regions.of(code.slice(0, 2));
      } catch {
        return undefined;
      }
    })();
    if (region && region !== code.slice(0, 2)) byName.set(`${region} ${last}`.toLowerCase(), code);
    bare.set(last.toLowerCase(), [...(bare.get(last.toLowerCase()) ?? []), code]);
    const symbol = symbolOf(code);
    if (!/\p{L}/u.test(symbol) && !byName.has(symbol)) byName.set(symbol, code);
  }
  // "dollars", "pounds": the currency whose sign is the bare sign ($, £) is the one meant.
  for (const [word, codes] of bare) {
    const plain = codes.filter((code) => !/\p{L}/u.test(symbolOf(code)));
    const code = codes.length === 1 ? codes[0] : plain.length === 1 ? plain[0] : undefined;
    if (code && !byName.has(word)) byName.set(word, code);
  }
  return [...byName]
    .sort((a, b) => b[0].length - a[0].length)
    .map(([name, code]): readonly [RegExp, string] => {
      const word = /\p{L}/u.test(name);
      return [new RegExp(word ? `\\b${escape(name)}(?:e?s)?\\b` : escape(name), word ? 'giu' : 'gu'), code];
    });
}
let currencyNames: readonly (readonly [RegExp, string])[] | undefined;
let currencyCodes: ReadonlySet<string> | undefined;

// One pattern per currency name over the text: read once per part, not per candidate tool. Keyed by user text, so bounded.
const currencyLists = new BoundedMap<string, readonly Mention[]>(512);

function currencies(text: string): readonly Mention[] {
  let found = currencyLists.get(text);
  if (found === undefined) {
    found = currenciesIn(text);
    currencyLists.set(text, found);
  }
  return found;
}

function currenciesIn(text: string): Mention[] {
  const found: Mention[] = [];
  const free = (start: number, end: number) => !found.some((m) => start < m.end && end > m.start);
  const codes = (currencyCodes ??= new Set(Intl.supportedValuesOf('currency')));
  for (const match of text.matchAll(/\b[A-Z]{3}\b/g)) {
    if (codes.has(match[0])) found.push({ value: match[0], start: match.index, end: match.index + match[0].length });
  }
  for (const [pattern, code] of (currencyNames ??= buildCurrencyNames())) {
    for (const match of text.matchAll(pattern)) {
      const end = match.index + match[0].length;
      if (free(match.index, end)) found.push({ value: code, start: match.index, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function units(text: string): Mention[] {
  return (
    [...text.matchAll(/\b[a-z]{2,}\b/gi)]
      // "in" is an inch only where a model of English knows the sentence; a small word is read as a word.
      .filter((match) => !isStopword(match[0].toLowerCase()) && isUnitWord(match[0]))
      .map((match) => ({ value: match[0], start: match.index, end: match.index + match[0].length }))
  );
}

/** A lone currency property ("currency": no from/to pair) takes the one currency the request names, as its code ("in euro" -> EUR). */
export function fillCurrency(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter(
    (prop) => prop.kind === 'text' && !prop.array && prop.words.some((word) => /^currenc(?:y|ies)$/.test(word)),
  );
  const [prop, other] = props;
  if (!prop || other || state.args[prop.name] !== undefined || state.explicit) return;
  const said = currencies(sentence.text).filter((mention) => sentence.isFree(mention.start, mention.end));
  const codes = new Set(said.map((mention) => mention.value));
  const [only] = said;
  if (!only || codes.size !== 1) return;
  state.args[prop.name] = only.value;
  state.cues += 1.5;
  // A sign glued to its amount ("$500") stays for the number to read.
  for (const mention of said)
    if (!/\d/.test(sentence.text.slice(mention.start - 1, mention.end + 1))) sentence.consume(mention.start, mention.end);
}

/** A compound unit written with a slash ("km/h", "m/s^2", "kJ/kg"): no dictionary word, plainly a unit. */
const SLASH_UNIT = /^[a-zµ]{1,3}\/[a-z]{1,3}(?:\^?\d|[²³])?$/i;
/** "in miles", "in km/h": the unit a result is wanted in. */
const IN_UNIT = /\b(?:in|into)\s+([a-zµ]{1,3}\/[a-z]{1,3}(?:\^?\d\b|[²³]|\b)|(?:(?:square|cubic)\s+)?[a-z]{2,}\b)/gi;
/** A unit property that says what comes out ("the unit to return the velocity in"), not what a given number is in. */
const OUTPUT_UNIT = /\b(?:return|result|output|convert|desired|calculated)\b/i;

const isUnit = (word: string) => {
  const last = word.split(/\s+/).at(-1) ?? word;
  return SLASH_UNIT.test(word) || (!isStopword(last.toLowerCase()) && isUnitWord(last));
};

/**
 * A lone unit property ("unit", "to_unit": no conversion pair) takes the unit the request asks
 * for ("in miles", "in km/h"); one whose description names the numeric property it measures
 * ("the unit of measurement for the radius") takes the one unit written with the numbers ("a radius
 * of 4 inches"). Run after conversions, which fill pairs.
 */
export function fillUnitProps(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter(
    (prop) => prop.kind === 'text' && !prop.array && /^units?$/.test(prop.words.at(-1) ?? '') && state.args[prop.name] === undefined,
  );
  // One clause read alone (telling calls apart) takes only values it states; a unit is said once for all.
  if (props.length !== 1 || state.explicit) return;
  const [prop] = props as [PropInfo];
  const asked = [...sentence.text.matchAll(IN_UNIT)].find(
    (match) => match[1] !== undefined && isUnit(match[1]) && sentence.isFree(match.index, match.index + match[0].length),
  );
  if (asked?.[1]) {
    state.args[prop.name] = asked[1];
    state.cues += 1.5;
    sentence.consume(asked.index, asked.index + asked[0].length);
    return;
  }
  // "The unit of measurement for the radius": what a given number is in, where the description names that number's property.
  const measured = tool.props.some(
    (other) => other.kind === 'number' && new RegExp(`\\b${other.words.join('[ _]')}\\b`, 'i').test(prop.description),
  );
  if (!measured || OUTPUT_UNIT.test(prop.description)) return;
  const written = new Set(
    findNumbers(sentence)
      .map((number) => number.unit)
      .filter((unit) => unit !== '' && isUnit(unit)),
  );
  const [only, other] = written;
  if (only === undefined || other !== undefined) return;
  state.args[prop.name] = only;
  state.cues += 1;
}

/** The two properties of a conversion, by the role words of their names. */
function conversionPair(props: readonly PropInfo[], noun: RegExp): [PropInfo, PropInfo] | undefined {
  const of = props.filter((prop) => prop.kind === 'text' && prop.words.some((word) => noun.test(word)));
  const from = of.find((prop) => prop.words.some((word) => FROM_WORDS.test(word)));
  const to = of.find((prop) => prop.words.some((word) => TO_WORDS.test(word)));
  return from && to && from !== to ? [from, to] : undefined;
}

/** A unit written as the description's own example of it ("tablespoons" for "Supports 'teaspoon', 'tablespoon'"): that example. */
function asExample(prop: PropInfo, value: string): string {
  const examples = [...prop.description.matchAll(/['"]([^'"]{1,30})['"]/g)].map((match) => match[1] ?? '');
  return (
    examples.find(
      (example) => example.toLowerCase() !== value.toLowerCase() && stem(example.toLowerCase()) === stem(value.toLowerCase()),
    ) ?? value
  );
}

/** Fills a conversion's from/to properties: the mention written with a number is the source, else the first. */
export function fillConversions(state: FillState): void {
  const { sentence, tool } = state;
  for (const [noun, find] of [
    [/^currenc(?:y|ies)$/, currencies],
    [/^units?$/, units],
  ] as const) {
    const pair = conversionPair(tool.props, noun);
    if (!pair || state.args[pair[0].name] !== undefined || state.args[pair[1].name] !== undefined) continue;
    const mentions = find(sentence.text).filter((mention) => sentence.isFree(mention.start, mention.end));
    if (mentions.length === 0) continue;
    const numbers = findNumbers(sentence);
    // "500 US dollars", "$500", "2 pounds of butter": the amount's own unit.
    const withAmount = mentions.find((mention) =>
      numbers.some(
        (number) =>
          Math.abs(number.end - mention.start) <= 1 ||
          Math.abs(mention.end - number.start) <= 1 ||
          (mention.start >= number.start && mention.end <= number.end) ||
          /^\s+$/.test(sentence.text.slice(number.end, mention.start)),
      ),
    );
    const source = withAmount ?? mentions[0];
    const target = mentions.find((mention) => mention !== source && mention.value.toLowerCase() !== source?.value.toLowerCase());
    if (!source) continue;
    if (target || mentions.length === 1) state.args[pair[0].name] = asExample(pair[0], source.value);
    if (target) state.args[pair[1].name] = asExample(pair[1], target.value);
    state.cues += target ? 2 : 1;
    // A unit glued to its number ("20kg") stays for the number to read.
    const glued = (mention: Mention) => numbers.some((number) => mention.start < number.end && mention.end > number.start);
    for (const mention of [source, target]) if (mention && !glued(mention)) sentence.consume(mention.start, mention.end);
  }
}

/**
 * A unit property holds a unit, never a name: "John" left over from "John is working on ... two
 * triangles" is dropped (the property keeps its default), while "metric", "kg/m³" or a unit the
 * description names ("Celsius") stay.
 */
export function dropNamesAsUnits(state: FillState): void {
  for (const prop of state.tool.props) {
    const value = state.args[prop.name];
    if (prop.kind !== 'text' || prop.array || prop.enumValues.length > 0 || typeof value !== 'string') continue;
    if (!/^units?$/.test(prop.words.at(-1) ?? '') || isUnit(value)) continue;
    // "Celsius" where the description says "('Celsius' or 'Fahrenheit')" is the description's own unit.
    if (prop.description.toLowerCase().includes(value.toLowerCase())) continue;
    // A capitalised word or two that WordNet calls no unit ("John", "New York").
    if (/^[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?$/.test(value)) delete state.args[prop.name];
  }
}
