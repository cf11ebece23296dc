/**
 * Lists of words for properties that take an array of strings: quoted items ("'Age', 'Income'
 * and 'Education'"), names ("Microsoft and Google", "S&P 500 and the Dow Jones"), or plain words
 * right after the property's name ("stops at Santa Barbara and Monterey", "ingredients: rice,
 * beans and corn"). A list goes to the property named just before it; a required list property
 * nothing names takes the one list of names the part has.
 */
import type { PropInfo } from './schema.ts';
import type { Sentence } from './sentence.ts';
import { isStopword } from './tokenize.ts';
import { propStems, type FillState } from './values.ts';

interface Listed {
  readonly start: number;
  readonly end: number;
  readonly items: readonly string[];
  /** Every item quoted or capitalised: a list of names, not words of a sentence. */
  readonly named: boolean;
}

const QUOTED = /(["'“‘])([^"'”’]+)["'”’]/uy;
const NAME = /(?:the\s+)?(\p{Lu}[\p{L}\p{N}.&'-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}.&'-]*|\d+\b(?![.,]\d)|(?:of|de|la|del)(?=\s+\p{Lu})))*)/uy;
const WORDS =
  /(?:the\s+|a\s+|an\s+)?((?:[\p{Ll}][\p{L}-]*)(?:\s+[\p{Ll}][\p{L}-]*){0,2}?)(?=\s*(?:,|\band\b|\bor\b|[.;:!?)]|$|\s+(?:in|at|for|from|with|on|to|by|near|within|that|which)\b))/uy;
const SEPARATOR = /\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)/uy;
const LEAD = /\s*(?:(?:is|are|=|:|of|at|as|like|such as|including|with|for|to|on|via|through)\s*)*/iuy;
/** How many words may stand between a property's name and its list ("stops at", "predictor variables"). */
const NAME_GAP = 3;

/** A sticky pattern's match at `at` (no copy of the text: lists are looked for at every word). */
function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function itemAt(text: string, at: number, plain: boolean): { text: string; length: number; named: boolean } | undefined {
  const quoted = matchAt(QUOTED, text, at);
  if (quoted?.[2]) return { text: quoted[2].trim(), length: quoted[0].length, named: true };
  const name = matchAt(NAME, text, at);
  if (name?.[1]) return { text: name[1], length: name[0].length, named: true };
  if (!plain) return undefined;
  const words = matchAt(WORDS, text, at);
  if (!words?.[1] || isStopword(words[1].split(/\s+/)[0] ?? '')) return undefined;
  return { text: words[1], length: words[0].length, named: false };
}

/** The list starting at `at`, if the text has one there (one item counts only when `single`). */
function listAt(sentence: Sentence, at: number, plain: boolean, single: boolean): Listed | undefined {
  const { text } = sentence;
  const items: string[] = [];
  let named = true;
  let end = at;
  let next = at;
  for (;;) {
    const item = itemAt(text, next, plain);
    if (!item || !sentence.isFree(next, next + item.length)) break;
    items.push(item.text);
    named &&= item.named;
    end = next + item.length;
    const separator = matchAt(SEPARATOR, text, end);
    if (!separator) break;
    next = end + separator[0].length;
  }
  if (items.length === 0 || (items.length === 1 && !single)) return undefined;
  return { start: at, end, items, named };
}

/** A time of day as written: "5 pm", "7:30 pm", "18:45" (a bare number says none). */
const CLOCK = /(?<![\p{L}\p{N}.:$])\d{1,2}(?::\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)(?![\p{L}\p{N}]|:\d)/giu;

/** A string-array property of times ("time": "Show time for each movie") takes every time of day the part writes. */
function fillTimes(state: FillState, props: readonly PropInfo[]): void {
  const { sentence } = state;
  const prop = props.find(
    (candidate) => candidate.words.some((word) => /^(?:times?|hours?)$/.test(word)) && state.args[candidate.name] === undefined,
  );
  if (!prop) return;
  const times = [...sentence.text.matchAll(CLOCK)].filter((match) => sentence.isFree(match.index, match.index + match[0].length));
  if (times.length === 0) return;
  // "7:30 pm." ends a sentence; "7:30 p.m." keeps its stops.
  state.args[prop.name] = times.map(([time]) => (/^[^.]*\.$/.test(time) ? time.slice(0, -1) : time));
  state.cues += 1.5;
  for (const match of times) sentence.consume(match.index, match.index + match[0].length);
}

/** Fills empty string-array properties from the lists of the part. */
export function fillLists(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'list' && state.args[prop.name] === undefined);
  if (props.length === 0) return;
  fillTimes(state, props);
  const take = (prop: PropInfo, list: Listed, from = list.start) => {
    state.args[prop.name] = [...list.items];
    state.cues += 1.5;
    sentence.consume(from, list.end);
  };
  for (const prop of props) {
    const stems = propStems(prop);
    const tokens = sentence.tokens;
    for (let i = 0; i < tokens.length && state.args[prop.name] === undefined; i += 1) {
      const token = tokens[i];
      if (!token || !stems.has(token.stem) || !sentence.isFree(token.start, token.end)) continue;
      // The list follows the name, a few linking words on ("predictor variables 'Age', ...", "stops at ...").
      for (let k = i; k < Math.min(tokens.length, i + NAME_GAP); k += 1) {
        const after = tokens[k]?.end ?? 0;
        const lead = matchAt(LEAD, sentence.text, after)?.[0] ?? '';
        const list = listAt(sentence, after + lead.length, true, true);
        if (list) {
          take(prop, list, token.start);
          break;
        }
        if (!stems.has(tokens[k + 1]?.stem ?? '') && !isStopword(tokens[k + 1]?.lower ?? '')) break;
      }
    }
  }
  // A required list nothing names: the part's one list of names ("prices of Microsoft and Google").
  const open = props.filter((prop) => prop.required && state.args[prop.name] === undefined);
  if (open.length !== 1 || props.filter((prop) => state.args[prop.name] === undefined).length !== 1) return;
  const found = (plain: boolean) => {
    const lists: Listed[] = [];
    // Lists start at a word or a quote.
    const starts = [...sentence.tokens.map((token) => token.start), ...sentence.quotes.map((quote) => quote.start)].sort((a, b) => a - b);
    for (const at of starts) {
      if (lists.some((list) => at < list.end) || /[-'"“‘]/u.test(sentence.text[at - 1] ?? '')) continue;
      const list = listAt(sentence, at, plain, false);
      if (list && (list.named || plain) && list.items.every((item) => item.split(/\s+/).length <= 2)) {
        lists.push(list);
      }
    }
    return lists;
  };
  // Names first; else plain words ("the price of tomatoes and lettuce"), when the part has just one such list.
  const named = found(false).filter((list) => list.named);
  const lists = named.length > 0 ? named : found(true);
  const [only] = lists;
  if (only && lists.length === 1) take(open[0]!, only);
}
