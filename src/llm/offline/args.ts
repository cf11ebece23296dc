import { fillModifiers } from './compounds.ts';
import { fillInPhrase, fillWebsite } from './places.ts';
import { fillTimeFrames } from './timeFrames.ts';
import { fillFirstGroup, groupCalls } from './groups.ts';
import { fillColonCodes, nameEnd, withoutFilledTail } from './joined.ts';
import { fillMinorUnits } from './minor.ts';
import { fillDottedCodes, fillSpelledExamples } from './spelled.ts';
import { isInterjection, isWord } from './lexicon/index.ts';
import type { PropInfo } from './schema.ts';
import { Sentence } from './sentence.ts';
import { isActionWord } from './split.ts';
import { ACTIONS, canonical, isStopword, stem } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';
import { fillEnums, fillEnumsLoosely, fillLevelAdjectives } from './enums.ts';
import { fillBounds, fillDescribedCodes, fillExampleHeads, fillMessage, fillReasons, fillStreetAddress } from './described.ts';
import { fillPrefixedCodes } from './ids.ts';
import { fillNamedValues } from './named.ts';
import { argumentSets, clauseSets, groupSets, ordinalSets } from './fanout.ts';
import { negatedZeros } from './negated.ts';
import { fillRest, restZeros } from './rest.ts';
import { respectiveValues } from './respectively.ts';
import { fillLists } from './lists.ts';
import { findNumbers } from './numbers.ts';
import { fillInstances } from './hypernyms.ts';
import { fillKinds } from './modifiers.ts';
import { completePlace, fillPhrases, stateCodeOf } from './phrases.ts';
import { fillPolynomialCoefficients } from './polynomial.ts';
import { dropNamesAsUnits, fillConversions, fillCurrency, fillUnitProps } from './units.ts';
import {
  fillBooleans,
  fillClockTimes,
  fillDates,
  fillNumberGroups,
  fillNumberRuns,
  fillNumbers,
  fillPeriods,
  fillRespectively,
  type FillState,
} from './values.ts';
import { LEAD_IN, ORDINALS, REFERENCE_WORDS } from './vocabulary.ts';

/** What argument filling may use besides the part itself. */
export interface FillContext {
  /** The clock relative dates are resolved against. */
  readonly now: Date;
  /** Whether the part points back at earlier results ("it", "that incident", "the first one"). */
  readonly refers: boolean;
  /** Looks a property up in earlier results; called when the part refers back, or for a missing identifier when `implicit`. */
  readonly resolve?: ((prop: PropInfo) => unknown) | undefined;
  /** Values from `resolve` are guesses made before the results exist (ranking a later part): they count less. */
  readonly speculative?: boolean | undefined;
  /** A later turn goes on about the record of the earlier ones: a missing identifier may come from them unasked. */
  readonly implicit?: boolean | undefined;
  /** Text quoted elsewhere in the same request, or its sentences of context, for a part that needs text and has none ("... and its sentiment"). */
  readonly shared?: readonly string[] | undefined;
  /** Nouns that name things tools handle (their name words), for recognising "the incident", "that article". */
  readonly nouns?: ReadonlySet<string> | undefined;
  /** Only the values the text says (no leftover words for the main text, no earlier results, no sets): one clause's values. */
  readonly explicitOnly?: boolean | undefined;
  /** One call's values only (no lists read into several calls): a clause read for the call it belongs to. */
  readonly single?: boolean | undefined;
}

/** Arguments filled for one tool from one part of a request. */
export interface Filled {
  readonly args: Record<string, unknown>;
  /** Required properties (also those the description requires with a chosen value) left empty. */
  readonly missing: readonly PropInfo[];
  /** How many of `missing` the schema itself requires (not just the description). */
  readonly missingRequired: number;
  /** Properties taken from earlier results or from text quoted elsewhere in the request. */
  readonly referenced: readonly string[];
  /** How strongly the part's explicit values speak for this tool. */
  readonly cues: number;
  /** Values the part gave or pointed at that match a property's own `pattern` (the most specific evidence there is). */
  readonly patternHits: number;
  /** Several identifiers for a one-value property: one call per value. */
  readonly fanOut: { readonly prop: string; readonly values: readonly string[] } | undefined;
  /**
   * Several whole argument sets, one call each, when the part lists values for properties that
   * take one ("for 10, 20 and 30 years"; "Taylor Swift and Maroon 5 ... 20 and 15 minutes
   * respectively" pairs item by item). Undefined otherwise; `args` is then the only set (and is
   * always the first set). Set only when `fanOut` is not. (Added for planner-flow: make one call per set.)
   */
  readonly sets?: readonly Record<string, unknown>[] | undefined;
}

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s"'<>()[\]{}]+|\bdata:[^\s"']+/gi;
const EMAIL_PATTERN = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const GENERIC_ID = /\b[A-Z][A-Z\d]{1,9}[-_]?\d{3,}\b/g;
const MAIN_WORDS = new Set([
  'query',
  'text',
  'message',
  'prompt',
  'content',
  'topic',
  'request',
  'description',
  'summary',
  'body',
  'input',
  'question',
  'search',
  'q',
  'title',
  'subject',
]);
const QUANTIFIER_ONLY = /^\s*(?:each|every|both|all|these|those|either|neither|any)\s*$/i;
const PERSONAL_PRONOUN = /\b(?:he|she|him|his|her|hers)\b/i;
const TITLE_WORDS = /\b(?:summary|title|subject|headline|one-line|short)\b/i;
const DETERMINERS =
  /^(?:a|an|the|some|any|all|my|our|me|us|new|please|another|recent|latest|newest|oldest|every|current|top|first|last|most|least|few|several|couple|of)$/i;
const VERB_PHRASE =
  /^(?:look(?:ing)?\s+(?:up|for|into|at)|check\s+(?:on|out)|find\s+out|pull\s+up|sum\s+up|tl;?\s?dr:?|search\s+for|search|find)\b\s*/i;
const PREPOSITION = /^(?:for|about|on|regarding|re|concerning|with|of|saying|called|titled|named|where|that|which|to|into|in|from|by)$/i;
/** "between John and Alice" once the parties took the names: a preposition whose object went to another argument. */
const OTHER_PREPOSITION = /^(?:between|among|under|over|at|near|during|after|before|since|until|per|via|against|across)$/i;
const TRAILING =
  /(?:\s+|^)(?:please|pls|plz|for me|for us|thanks|thank you|thx|asap|now|right now|rn|atm|right away|and|or|with|to|for|in|on|of|by|from|the|a|an|about|titled|called|named|saying)$/i;
/** "What is the", "How many", "What's": a question's opening says what is asked, not what about. */
const QUESTION_LEAD =
  /^(?:(?:what|which|who|whom|whose|where|when|why|how)(?:['’]s|\s+(?:is|are|was|were|will|would|do|does|did|can|could|should|many|much|long|far|often|old))*(?:\s+(?:i|we|you|they|one)\b)?\s+(?:be\s+)?(?:the\s+|a\s+|an\s+)?|(?:is|are|was|were)\s+(?:the|a|an|there)\s+(?:already\s+|still\s+)?|(?:have|has)\s+there\s+been\s+|(?:do|does|did)\s+(?:we|you|i|they|anyone|somebody|someone)\s+(?:have|got|know\s+of|see)\s+)/i;
/** A value written as code or a formula: it holds a digit, an underscore, a path or an operator. */
const CODE_VALUE =
  /^\s*(?:is\s+|=\s*|:\s*|as\s+|called\s+|named\s+|numbered\s+|number\s+|no\.?\s+|#\s*)?((?:[\p{L}\p{N}_~./\\^*()-]+)(?:\s*[-+*/^=]\s*[\p{L}\p{N}_.^*()]+)*)/u;
const CONDITION = /required\s+(?:with|when|for|if)\s+(\w+)\s*(?:is\s+)?["“']([^"”']+)["”']/i;

function cleanUrl(url: string): string {
  return url.replace(/[.,;:!?]+$/, '');
}

function fillIdentifiers(state: FillState): { fanOut: Filled['fanOut']; patternHits: number } {
  const { sentence, tool } = state;
  let fanOut: Filled['fanOut'];
  let patternHits = 0;
  for (const prop of tool.props) {
    const pattern =
      prop.kind === 'url'
        ? URL_PATTERN
        : prop.kind === 'email'
          ? EMAIL_PATTERN
          : prop.kind === 'identifier'
            ? (prop.pattern ?? GENERIC_ID)
            : undefined;
    if (!pattern) continue;
    const inQuote = (start: number, end: number) =>
      sentence.quotes.some((quote) => start >= quote.start && end <= quote.end && quote.text !== sentence.text.slice(start, end));
    const matches = [...sentence.text.matchAll(pattern)].filter(
      (match) => sentence.isFree(match.index, match.index + match[0].length) && !inQuote(match.index, match.index + match[0].length),
    );
    const values = [...new Set(matches.map((match) => (prop.kind === 'url' ? cleanUrl(match[0]) : match[0])))];
    if (values.length === 0) continue;
    for (const match of matches) sentence.consume(match.index, match.index + match[0].length);
    state.args[prop.name] = prop.arrayOnly ? values : values[0];
    const vouches = prop.pattern !== undefined && !prop.patternGuessed;
    state.cues += vouches ? 4 : prop.kind === 'identifier' ? 2 : 3;
    if (vouches) patternHits += 1;
    if (!prop.arrayOnly && values.length > 1 && fanOut === undefined) fanOut = { prop: prop.name, values };
  }
  return { fanOut, patternHits };
}

/** A value written right after an identifier's name: a code holding a digit ("rs6034464", "2022/AL2562", "123456"), or a quote. */
const NAMED_VALUE =
  /^\s*(?:is\s+|of\s+|no\.?\s+|#\s*|[:=]\s*)?(?:(["'‘“])([^"'’”]{1,40})["'’”]|((?=[\w/.-]*\d)[\p{L}\p{N}][\p{L}\p{N}/_.-]*[\p{L}\p{N}]|\d))/u;

/** "ID of the parent page or database": the nouns a description says an identifier names (page, database). */
const IDENTIFIES = /^\s*(?:the\s+)?(?:id|identifier|key)\s+of\s+(?:the\s+|a\s+|an\s+)?(?:(\p{L}+)\s+)?(\p{L}+)(?:\s+or\s+(\p{L}+))?/iu;

function identifiedNouns(description: string): ReadonlySet<string> {
  const match = IDENTIFIES.exec(description);
  if (!match) return new Set();
  // "ID of the parent page": the last word before "or" is the noun; the one before it may qualify it.
  return new Set(
    [match[2], match[3]]
      .filter((word): word is string => !!word && !isStopword(word.toLowerCase()))
      .map((word) => stem(word.toLowerCase())),
  );
}

/**
 * Identifier properties no pattern filled take the code written right after their name ("docket
 * number 123456", "SNP ID rs6034464", "patient with id 546382" -> patient_id): the name's last
 * word ("id", "number") must stand just before the value; with several identifier properties, all
 * of the name's words must be said.
 */
function fillNamedIdentifiers(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'identifier' && state.args[prop.name] === undefined);
  const several = tool.props.filter((prop) => prop.kind === 'identifier').length > 1;
  for (const prop of props) {
    const words = prop.words.map(stem);
    const last = words.at(-1);
    const named = identifiedNouns(prop.description);
    const tokens = sentence.tokens;
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i];
      if (!token || !sentence.isFree(token.start, token.end)) continue;
      // "ID of the parent page or database": "page a1f3c2d4" names the code by the noun the description gives it.
      const byNoun = token.stem !== last && named.has(token.stem);
      if (token.stem !== last && !byNoun) continue;
      if (byNoun && !/\d/.test(sentence.text.slice(token.end).match(NAMED_VALUE)?.[3] ?? '')) continue;
      if (several && !byNoun && !words.every((word) => tokens.slice(Math.max(0, i - 4), i + 1).some((other) => other.stem === word)))
        continue;
      const match = sentence.text.slice(token.end).match(NAMED_VALUE);
      const value = match?.[2] ?? match?.[3];
      if (!match || !value) continue;
      const end = token.end + match[0].length;
      if (!sentence.isFree(token.end, end) && match[2] === undefined) continue;
      state.args[prop.name] = value;
      state.cues += 2;
      sentence.consume(token.start, end);
      break;
    }
  }
}

const YEAR = /(?<![\p{L}\p{N}.,/-])(?:1[5-9]\d{2}|20\d{2})(?![\p{L}\p{N}]|[.,/-]\d)/gu;

/** A text property named for a year ("year": "2022") takes the one year written, as text. */
function fillYearText(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'text' && !prop.array && prop.words.at(-1) === 'year');
  const years = [...sentence.text.matchAll(YEAR)].filter((match) => sentence.isFree(match.index, match.index + match[0].length));
  const [prop, otherProp] = props;
  const [year, otherYear] = years;
  if (!prop || otherProp || !year || otherYear || state.args[prop.name] !== undefined) return;
  state.args[prop.name] = year[0];
  state.cues += 1;
  sentence.consume(year.index, year.index + year[0].length);
}

/** Two years joined as one span ("2019-2020", "2022/23", "1990–1995"), the first earlier: a season or a range of years. */
const YEAR_SPAN = /(?<![\p{L}\p{N}.,/-])((?:1[5-9]|20)\d{2})\s?[-–/]\s?(\d{4}|\d{2})(?![\p{L}\p{N}]|[.,/-]\d)/gu;

/**
 * A text property takes a span of two years whole where the request names the property's own noun
 * right beside it ("the 2019-2020 season" for "season"), not the later year alone.
 */
function fillYearSpan(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'text' && !prop.array && state.args[prop.name] === undefined);
  if (props.length === 0) return;
  for (const match of sentence.text.matchAll(YEAR_SPAN)) {
    const [written, first = '', second = ''] = match;
    const later = second.length === 2 ? Number(first.slice(0, 2) + second) : Number(second);
    if (later <= Number(first) || !sentence.isFree(match.index, match.index + written.length)) continue;
    // The word before, or one of the two after ("2019-2020 season", "the 2022/23 football season").
    const after = /^\s+(\p{L}+)(?:\s+(\p{L}+))?/u.exec(sentence.text.slice(match.index + written.length));
    const beside = [after?.[1], after?.[2], /(\p{L}+)\s+$/u.exec(sentence.text.slice(0, match.index))?.[1]].map((word) =>
      word ? stem(word.toLowerCase()) : '',
    );
    const prop = props.find((candidate) => {
      const noun = candidate.words.at(-1);
      return noun !== undefined && beside.includes(stem(noun));
    });
    if (!prop) continue;
    state.args[prop.name] = written;
    state.cues += 1.5;
    sentence.consume(match.index, match.index + written.length);
    return;
  }
}

const DOMAIN = /(?<![@\w./-])(?:[a-z\d](?:[a-z\d-]*[a-z\d])?\.)+[a-z]{2,}(?![\w/@-])/gi;
const EXCLUDING = /\b(?:not|except|excluding|exclude|without|but not|never|no)\b[^,;]{0,20}$/i;

/** Lists of domains ("only from support.hp.com", "not from example.com") into include/exclude-style list properties. */
function fillDomains(state: FillState): void {
  const { sentence, tool } = state;
  const lists = tool.props.filter((prop) => prop.kind === 'list' && /\bdomains?\b/i.test(`${prop.words.join(' ')} ${prop.description}`));
  if (lists.length === 0) return;
  const negative = lists.find((prop) => prop.words.some((word) => /^(?:exclude|excluded|block|deny|never|not)$/.test(word)));
  const positive = lists.find((prop) => prop !== negative);
  for (const match of sentence.text.matchAll(DOMAIN)) {
    const end = match.index + match[0].length;
    if (!sentence.isFree(match.index, end) || /^\d+(?:\.\d+)+$/.test(match[0])) continue;
    // Both look only just before the domain: matched against all the text before it, they were
    // quadratic in a text naming many domains. 40 characters hold EXCLUDING's word and its 20.
    const prop = EXCLUDING.test(sentence.text.slice(Math.max(0, match.index - 40), match.index)) && negative ? negative : positive;
    if (!prop) continue;
    state.args[prop.name] = [...((state.args[prop.name] as string[] | undefined) ?? []), match[0].toLowerCase()];
    state.cues += 1.5;
    const before =
      sentence.text
        .slice(Math.max(0, match.index - 40), match.index)
        .match(/(?:\b(?:only|just|not|except|excluding)\s+)?(?:\b(?:from|on|at)\s+)?$/i)?.[0] ?? '';
    sentence.consume(match.index - before.length, end);
  }
}

function conditionallyRequired(prop: PropInfo, args: Record<string, unknown>): boolean {
  const match = prop.description.match(CONDITION);
  return match !== null && String(args[match[1] ?? ''] ?? '').toLowerCase() === (match[2] ?? '').toLowerCase();
}

/** The property that takes the free text of a part: the first required text one, or a query-like one when nothing is required. */
/** Names of the words a message carries, as opposed to where it goes or what it is about. */
const MESSAGE_WORDS: ReadonlySet<string> = new Set(['text', 'message', 'body', 'content']);

export function mainProp(tool: ToolSpec): PropInfo | undefined {
  const texts = tool.props.filter((prop) => prop.kind === 'text');
  // A message's text, not its channel, is what the rest of the request says ("post 'Deploy at 5' in #ops").
  const required =
    texts.find((prop) => prop.required && prop.words.some((word) => MESSAGE_WORDS.has(word))) ?? texts.find((prop) => prop.required);
  if (required) return required;
  if (tool.props.some((prop) => prop.required)) return undefined;
  return texts.find((prop) => prop.words.some((word) => MAIN_WORDS.has(word)));
}

/** "caller Bob Smith", "assignment group: Network": a capitalised name right after a property's name. */
const UPDATE = canonical('update');

function fillNamedText(state: FillState): void {
  const { sentence, tool } = state;
  for (const prop of tool.props.filter((candidate) => candidate.kind === 'text' && state.args[candidate.name] === undefined)) {
    const words = prop.words.map(stem);
    const tokens = sentence.tokens;
    for (let i = 0; i + words.length <= tokens.length; i += 1) {
      if (!words.every((word, k) => tokens[i + k]?.stem === word)) continue;
      const after = sentence.text.slice(tokens[i + words.length - 1]?.end ?? 0);
      // "change E1210's title to Senior Account Executive": a tool that updates a record sets a field "to" its value.
      const connector = tool.verb === UPDATE ? /^\s*(?:is|=|:|as|of|to)?\s*/ : /^\s*(?:is|=|:|as|of)?\s*/;
      const lead = after.match(connector)?.[0] ?? '';
      const name = after.slice(lead.length).match(/^((?:\p{Lu}[\p{L}.'-]*)(?:\s+\p{Lu}[\p{L}.'-]*){0,3})/u);
      const named = name ? ([lead + name[0], name[1]] as const) : undefined;
      // "dataset your_dataset_name", "the function 3x^2 + 2x - 1", "path C:/data/cars.csv": code after the name.
      const code = after.match(CODE_VALUE);
      const coded = code?.[1] !== undefined && /[\d_^*=/\\]/.test(code[1]) && !/^[\d.,]+$/.test(code[1]) ? code : undefined;
      // "short description: Teams camera not working on her laptop, urgency low": after ":" or "=", a name that runs on
      // in lower-case words is a sentence, the value up to the next comma.
      const sentenceValue = after.match(/^\s*[:=]\s*(\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*)*\s+\p{Ll}[^,;\n]*)/u);
      const match = coded ?? (sentenceValue && named?.[1] ? [sentenceValue[0].replace(/\s+$/, ''), sentenceValue[1]!.trim()] : named);
      if (!match?.[1]) continue;
      const start = tokens[i]?.start ?? 0;
      const end = (tokens[i + words.length - 1]?.end ?? 0) + match[0].length;
      if (!sentence.isFree(start, end)) continue;
      // "y = x^3" is the function x^3.
      state.args[prop.name] = match === coded ? match[1].replace(/^[a-z]\s*(?:\(\s*[a-z]\s*\))?\s*=\s*/i, '') : match[1];
      state.cues += 1.5;
      sentence.consume(start, end);
      break;
    }
  }
}

/** The content words of a description's first phrase ("The variable present in the function, for instance x"). */
function describedWords(prop: PropInfo): string[] {
  const phrase = prop.description.split(/[,.;:(]|\b(?:for\s+(?:instance|example)|such\s+as|e\.g)\b/i)[0] ?? '';
  return phrase
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word.length > 2 && !isStopword(word));
}

function fillQuotes(state: FillState, main: PropInfo | undefined): void {
  const { sentence, tool } = state;
  const remaining = [];
  for (const quote of sentence.quotes) {
    if (!sentence.isFree(quote.start, quote.end)) continue;
    const index = sentence.tokenAt(quote.start);
    const before = sentence.tokens.slice(Math.max(0, (index < 0 ? sentence.tokens.length : index) - 4), index < 0 ? undefined : index);
    const wider = sentence.tokens.slice(Math.max(0, (index < 0 ? sentence.tokens.length : index) - 8), index < 0 ? undefined : index);
    const named =
      tool.props.find(
        (prop) =>
          prop.kind === 'text' &&
          prop !== main &&
          state.args[prop.name] === undefined &&
          prop.words.filter((word) => word.length > 2).length > 0 &&
          prop.words.filter((word) => word.length > 2).every((word) => before.some((token) => token.stem === stem(word))),
      ) ??
      // "where the variable present in the function is 'x'" for "The variable present in the function, for instance x".
      tool.props.find((prop) => {
        if (prop.kind !== 'text' || prop === main || state.args[prop.name] !== undefined) return false;
        const words = describedWords(prop);
        return words.length >= 3 && words.every((word) => wider.some((token) => token.stem === stem(word)));
      });
    if (named) {
      state.args[named.name] = quote.text;
      state.cues += 1.5;
    } else remaining.push(quote);
  }
  const open = [
    ...(main ? [main] : []),
    ...tool.props.filter((prop) => prop.kind === 'text' && prop !== main && (prop.required || conditionallyRequired(prop, state.args))),
    // "the 'R vs Adams' case" for case_id: a quoted name is the identifier a schema without a pattern takes.
    ...tool.props.filter((prop) => prop.kind === 'identifier' && prop.required && !prop.pattern),
  ].filter((prop) => state.args[prop.name] === undefined);
  for (const quote of remaining) {
    const prop = open.shift();
    if (!prop) break;
    state.args[prop.name] = quote.text;
    state.cues += quote.payload ? 0.5 : 1;
  }
}

const COPULA = /^(?:is|are|was|were)$/i;
const EXISTENTIAL = /^there(?:\s+(?:is|are|was|were)|['’](?:s|re))\s+(?=\S+\s+\S)/i;

/** The words of a part that no argument took, without the verb, the tool's noun and filler. */
export function freeText(sentence: Sentence, tool: ToolSpec): string {
  const nouns = new Set([...tool.nameTerms, ...tool.server, ...tool.objectTerms]);
  // "There's water leaking onto ...": the existential opening says only that the thing is, no part of what it is.
  const lead = sentence.remainder(' \uE000 ').trim().replace(LEAD_IN, '').replace(QUESTION_LEAD, '').replace(EXISTENTIAL, '');
  const verbPhrase = lead.match(VERB_PHRASE)?.[0] ?? '';
  // "look up how to clear a print queue": "how to" says a guide is wanted, not what it is about.
  let words = lead
    .slice(verbPhrase.length)
    .trim()
    .replace(verbPhrase ? /^how\s+to\s+/i : /^$/, '')
    .split(/\s+/)
    .filter(Boolean);
  const plain = (word: string) => word.replace(/^[^\p{L}\p{N}\uE000]+|[^\p{L}\p{N}\uE000]+$/gu, '');
  if (!verbPhrase && words[0] !== undefined && (isActionWord(plain(words[0])) || canonical(plain(words[0])) === tool.verb)) {
    words = words.slice(1);
    if (/^(?:up|out|me|us)$/i.test(plain(words[0] ?? ''))) words = words.slice(1);
  }
  let strippedHead = true;
  while (words.length > 0) {
    const word = plain(words[0] ?? '');
    if (
      word === '\uE000' ||
      word === '' ||
      DETERMINERS.test(word) ||
      nouns.has(canonical(word)) ||
      isInterjection(word) ||
      // "which monitors are in alert": the copula after the tool's noun links it to the values, it is none of them.
      (strippedHead && COPULA.test(word) && words.length > 1) ||
      // "most recently to acme/web": an adverb of the question's verb is no part of the value ("weekly sales" keeps its adjective).
      (/ly$/i.test(word) && isWord(word.toLowerCase(), 'adv') && !isWord(word.toLowerCase(), 'adj'))
    ) {
      words = words.slice(1);
      strippedHead = true;
    } else if (
      (ORDINALS[word.toLowerCase()] !== undefined && /^ones?$/i.test(plain(words[1] ?? ''))) ||
      (/^ones?$/i.test(word) && PREPOSITION.test(plain(words[1] ?? '')))
    ) {
      // "book the first one for Dana": the words pointing at an earlier result say which record, not a value.
      words = words.slice(/^ones?$/i.test(word) ? 1 : 2);
      strippedHead = true;
    } else if (nouns.has(canonical(plain(words[1] ?? ''))) && (/^(?:and|or)$/i.test(word) || isDescribing(word))) {
      // "boiling point and melting point of water", "a customized law contract": a word joining or
      // describing the tool's own noun belongs to that noun, not to the value.
      words = words.slice(1);
    } else if (strippedHead && /^(?:who|that|which)$/i.test(word) && isWord(plain(words[1] ?? '').toLowerCase(), 'verb')) {
      // "traits of people who like jogging": a relative clause's verb says how the value relates.
      words = words.slice(2);
      strippedHead = false;
    } else if (strippedHead && (PREPOSITION.test(word) || (OTHER_PREPOSITION.test(word) && words[1] === '\uE000'))) {
      words = words.slice(1);
      strippedHead = false;
    } else break;
  }
  let text = words
    .join(' ')
    .replace(/\s*\uE000\s*/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .trim();
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text
      .replace(/[\s,;:!?.-]+$/, '')
      .replace(TRAILING, '')
      // "the printer jam incident": a last word naming what the tool handles says which tool, not what about.
      .replace(/\s+([\p{L}]+)$/u, (match, word: string) =>
        tool.objectTerms.includes(canonical(word)) || isInterjection(word) ? '' : match,
      )
      .replace(/^(?:the|a|an|and|,)\s+/i, '')
      .trim();
  }
  text = withoutClosingAsk(text, tool);
  // "for the same duration": "same" points at an earlier value, it is no text of its own.
  return /[\p{L}\p{N}]/u.test(text) && !/^same\b/i.test(text) ? text : '';
}

/** An adjective or a participle and no noun ("customized", "annual"): it can only describe the word after it. */
const isDescribing = (word: string) =>
  !isWord(word.toLowerCase(), 'noun') && (isWord(word.toLowerCase(), 'adj') || (/ed$/i.test(word) && isWord(word.toLowerCase(), 'verb')));

/** Most content words a closing ask may have ("any fix", "known workarounds"). */
const MAX_ASK_WORDS = 2;
const MIN_STORY_WORDS = 4;
/** Letters a clipped word keeps at least ("prio", "info"): shorter ones begin too many words. */
const MIN_CLIPPED = 4;

/**
 * A text without its closing ask ("bitlocker keeps asking for a key after the update, any fix" ->
 * the story alone): a last clause of a word or two, each of them what the tool's own texts say it
 * returns, asks for the tool's results, it is not what they are about.
 */
function withoutClosingAsk(text: string, tool: ToolSpec): string {
  // A comma, a semicolon or a spaced dash sets the ask apart ("printer offline - low prio").
  const match = text.match(/^(.*\S)(?:\s*[,;]|\s+[-–—])\s*([^,;]+)$/su);
  // A story of a few words before it, and an ask in lower-case words ("Boston, MA" is a place, not an ask).
  if (!match?.[1] || !match[2] || match[1].split(/\s+/).length < MIN_STORY_WORDS || !/^[\p{Ll}\s?!.'-]+$/u.test(match[2])) return text;
  const words = contentWords(match[2]);
  // ", any": what is left of an ask whose noun went already.
  if (words.length === 0) return /[\p{L}]/u.test(match[2]) ? match[1] : text;
  if (words.length > MAX_ASK_WORDS) return text;
  return words.every(describedBy(tool)) ? match[1] : text;
}

/** The lower-case content words of a text (no stop words, no determiners). */
function contentWords(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.toLowerCase().replace(/[^\p{L}\p{N}'-]/gu, ''))
    .filter((word) => word && !isStopword(word) && !DETERMINERS.test(word));
}

/** Whether a word is one the tool's description writes, or the start of a longer one ("prio" for priority). */
function describedBy(tool: ToolSpec): (word: string) => boolean {
  const written = tool.description.toLowerCase().split(/[^\p{L}]+/u);
  const described = new Set(written.map(canonical));
  return (word) =>
    described.has(canonical(word)) ||
    (word.length >= MIN_CLIPPED && written.some((full) => full.length > word.length && full.startsWith(word)));
}

/** "whether there's a known fix": asking if something exists says what the tool returns, the rest of the text says what about. */
const EXISTENCE = /^(?:whether|if)\s+there(?:'s|’s|\s+is|\s+are)\s+(?:any\s+)?/i;

/**
 * Whether free words only ask for what the tool returns ("a known fix" for a tool that finds known
 * fixes): with a story told around them, the story says what the call is about.
 */
function onlyAsksForResults(free: string, tool: ToolSpec): boolean {
  const words = contentWords(free.replace(EXISTENCE, ''));
  return words.length > 0 && words.length <= MAX_ASK_WORDS && words.every(describedBy(tool));
}

const LINKS = /^(?:the|a|an|of|in|on|at|from|for|with|within|inside|by|that|which|are|is|found|located|seen|present|made|used|known)$/i;

/**
 * What comes after the tool's own noun in a longer text, when the words before it only lead up to
 * it ("names of proteins found in the plasma membrane" for get_proteins' compartment -> plasma
 * membrane): the noun says which tool, the rest what about. Lower-case words only, so names stay whole.
 */
function afterToolNoun(text: string, tool: ToolSpec): string {
  const words = text.split(/\s+/);
  const nouns = new Set(tool.nameTerms);
  // The noun or a word of its family ("discovered" for get_discoverer).
  const named = (word: string) =>
    nouns.has(canonical(word)) || (stem(word).length >= 5 && [...nouns].some((noun) => noun !== stem(word) && noun.startsWith(stem(word))));
  const at = words.findIndex((word) => /^\p{Ll}+$/u.test(word) && named(word));
  if (at < 0 || words.slice(0, at).some((word) => !/^\p{Ll}+$/u.test(word))) return text;
  let from = at + 1;
  while (from < words.length && LINKS.test(words[from] ?? '')) from += 1;
  // Something must stand before the noun that is no part of what is asked about, and something after it.
  return from > at + 1 && from < words.length ? words.slice(from).join(' ') : text;
}

/**
 * A thing's name without the words after it that only say what kind of thing it is, the property's
 * or the tool's own words ("theft crimes" for crime_type -> theft, "ENFJ personality type" for the
 * type of get_personality_traits -> ENFJ), not a capitalised word of the name, and not where WordNet knows the whole as one noun ("living room").
 */
function withoutOwnWords(text: string, prop: PropInfo, tool: ToolSpec): string {
  // "chocolate cake including the steps", "water under 5000m": a clause or a dangling preposition after the name says more, not what.
  // "neutron? Give me detail information": the name ends with its sentence.
  text = afterToolNoun(text.replace(/[?!.]\s+\p{Lu}.*$/su, ''), tool)
    .replace(/\s+(?:including|that|which|who|whose|where)\b.*$/i, '')
    .replace(/\s+(?:under|over|above|below|at|near|within)$/i, '');
  const own = new Set([...prop.words, ...tool.nameTerms].map(stem));
  let words = text.split(/\s+/);
  // A capitalised last word is part of a name ("Premier League", "Natural History Museum").
  const kindWord = (word: string) => own.has(stem(word)) && !/^\p{Lu}/u.test(word);
  while (words.length > 1 && kindWord(words.at(-1) ?? '') && !isWord(words.join(' ').toLowerCase(), 'noun')) words = words.slice(0, -1);
  return words.join(' ');
}

/**
 * "Hilton Hotel" for a hotel_chain whose default is "Hilton": the schema's own default with a word of
 * the property's or tool's name after it is that default (the kind word says what it is, not which).
 */
function asDefault(text: string, prop: PropInfo, tool: ToolSpec): string | undefined {
  const fallback = prop.defaultValue;
  if (typeof fallback !== 'string' || fallback === '' || text.toLowerCase() === fallback.toLowerCase()) return undefined;
  const words = text.split(/\s+/);
  const last = words.at(-1) ?? '';
  const own = new Set([...prop.words, ...tool.nameTerms].map(stem));
  return words.length > 1 && own.has(stem(last.toLowerCase())) && words.slice(0, -1).join(' ').toLowerCase() === fallback.toLowerCase()
    ? fallback
    : undefined;
}

/** Whether the dictionary knows a word as a verb and not as a noun ("give", "show" aside). */
function isOnlyVerbWord(word: string): boolean {
  return isWord(word, 'verb') && !isWord(word, 'noun');
}

/** A run of capitalised words ("Lionel Messi", "The Weeknd"), without a possessive "'s" after it. */
const NAME_RUN = /\p{Lu}[\p{L}\p{N}.&-]*(?:\s+\p{Lu}[\p{L}\p{N}.&-]*)*/gu;

/**
 * The one proper name among lower-case words left for a property that names a thing ("Ronaldo's
 * matches" -> Ronaldo, "footballer Lionel Messi" -> Lionel Messi): a name, not a query, keeps only
 * the name; undefined when there is none or more than one, or nothing else is left.
 */
function onlyName(free: string): string | undefined {
  // "... neutron? Give me details": a verb or small word opening a sentence is no name.
  const runs = [...free.matchAll(NAME_RUN)].filter(
    (run) =>
      !(
        (run.index === 0 || /[.!?]\s*$/.test(free.slice(0, run.index))) &&
        !/\s/.test(run[0]) &&
        (isStopword(run[0].toLowerCase()) || isOnlyVerbWord(run[0].toLowerCase()))
      ),
  );
  const [run, other] = runs;
  if (!run || other) return undefined;
  const name = run[0].replace(/['’]s$/, '');
  const rest = free.slice(0, run.index) + free.slice(run.index + run[0].length);
  return /[\p{L}\p{N}]/u.test(rest.replace(/^['’]s\b/, '')) ? name : undefined;
}

const TERM = String.raw`(?:\d+(?:\.\d+)?\s*\*?\s*)?[a-z](?:\s*(?:\^|\*\*)\s*\d+)?|\d+(?:\.\d+)?`;
/** A formula: "3x^2 + 2x - 1", "y = x**3", "f(x) = 2x^2"; it has a power or a number times a variable. */
const FORMULA = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:[a-z]\s*(?:\(\s*[a-z]\s*\))?\s*=\s*)?(?:${TERM})(?:\s*[-+*/]\s*(?:${TERM}))*(?![\p{L}\p{N}])`,
  'giu',
);
/** A file path or file name: "~/data/myfMRI.nii", "C:/data/cars.csv", "report.pdf". */
const PATH =
  /(?<![\w/])(?:~|[A-Za-z]:)?[/\\][\w.@/\\-]+|(?<![\w/.])[\w-]+\.(?:csv|tsv|json|txt|nii|xlsx?|parquet|py|js|ts|md|pdf|png|jpe?g|log|xml|ya?ml|zip|gz)\b/g;
const FORMULA_WORDS = /\b(?:function|equation|expression|formula|polynomial|curve)\b/i;
const PATH_WORDS = /\b(?:path|file|filename|source|dataset|location of the data|directory|folder)\b/i;

/** Formulas and file paths, taken before numbers read their digits: each to the text property that says it takes one. */
function fillCode(state: FillState): void {
  const { sentence, tool } = state;
  const texts = tool.props.filter((prop) => prop.kind === 'text' || prop.kind === 'identifier');
  for (const [pattern, words, accept] of [
    [FORMULA, FORMULA_WORDS, (value: string) => /\^|\*\*|\d\s*\*?\s*[a-z](?![a-z])/i.test(value)],
    [PATH, PATH_WORDS, () => true],
  ] as const) {
    // "move /inbox/a.pdf to /archive": each such property in schema order takes the next one written.
    const props = texts.filter(
      (candidate) => state.args[candidate.name] === undefined && words.test(`${candidate.words.join(' ')} ${candidate.description}`),
    );
    for (const prop of props) {
      for (const match of sentence.text.matchAll(pattern)) {
        const end = match.index + match[0].length;
        if (!accept(match[0]) || !sentence.isFree(match.index, end)) continue;
        state.args[prop.name] = match[0].trim().replace(/^[a-z]\s*(?:\(\s*[a-z]\s*\))?\s*=\s*/i, '');
        state.cues += 1.5;
        sentence.consume(match.index, end);
        break;
      }
    }
  }
}

const LOWER_BOUND = /^(?:min|minimum|low|lower|from|start|least|floor)$/;
const UPPER_BOUND = /^(?:max|maximum|high|upper|to|end|most|ceiling)$/;
/** Between the two numbers of a range: "$300,000 to $400,000", "between 2 and 5", "10-20". */
const RANGE_JOINT = /^\s*(?:to|and|through|till|until|-|–|—)\s*[$€£]?\s*$/i;

/**
 * A range ("a budget of $300,000 to $400,000") into an object's lower and upper bound
 * (`budget: { min, max }`), when the object's name stands next to it or the object is the only one.
 */
function fillRange(inner: FillState, object: PropInfo, alone: boolean): void {
  const numeric = inner.tool.props.filter((prop) => prop.kind === 'number');
  const low = numeric.find((prop) => prop.words.some((word) => LOWER_BOUND.test(word)));
  const high = numeric.find((prop) => prop.words.some((word) => UPPER_BOUND.test(word)));
  if (!low || !high || low === high) return;
  const { sentence } = inner;
  const names = new Set(object.words.filter((word) => !isStopword(word)).map(stem));
  const mentions = findNumbers(sentence).filter((mention) => sentence.isFree(mention.start, mention.end));
  for (let i = 0; i + 1 < mentions.length; i += 1) {
    const [first, second] = [mentions[i], mentions[i + 1]];
    if (!first || !second || !RANGE_JOINT.test(sentence.text.slice(first.end, second.start))) continue;
    const around = sentence.tokens.slice(Math.max(0, first.from - 4), second.to + 2);
    if (!alone && !around.some((token) => names.has(token.stem))) continue;
    inner.args[low.name] = first.value;
    inner.args[high.name] = second.value;
    inner.cues += 2;
    sentence.consume(first.start, second.end);
    return;
  }
}

/**
 * Object-valued properties with their own properties ("area": width, height): each sub-property is
 * filled from the same part by its name, description and type, only from words that say it; the
 * object is set when at least one sub-property is.
 */
function fillObjects(state: FillState, now: Date): void {
  for (const prop of state.tool.props) {
    if (!prop.objectProps || prop.objectProps.length === 0 || state.args[prop.name] !== undefined) continue;
    const inner: FillState = {
      sentence: state.sentence,
      tool: { ...state.tool, props: prop.objectProps },
      args: {},
      cues: 0,
      head: state.head,
      explicit: true,
    };
    fillRange(inner, prop, state.tool.props.filter((candidate) => candidate.objectProps).length === 1);
    fillIdentifiers(inner);
    fillDates(inner, now);
    fillEnums(inner);
    fillNumbers(inner);
    fillBooleans(inner);
    fillNamedText(inner);
    fillQuotes(inner, undefined);
    fillPhrases(inner, new Set());
    if (Object.keys(inner.args).length === 0) continue;
    state.args[prop.name] = inner.args;
    state.cues += inner.cues;
  }
}

/** The examples a description lists: "Type of property such as villa, condo, apartment, etc." */
const EXAMPLES = /\b(?:such as|e\.g\.,?|for example,?|like|including|i\.e\.,?|could be|can be)\s+([^.;:()]+)/i;

/**
 * Text properties whose description lists examples take the one the part says by its words
 * ("a 3 bedroom villa" -> propertyType "villa"), only where exactly one example is said.
 */
function fillExamples(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter(
    (prop) =>
      (prop.kind === 'text' || (prop.kind === 'list' && prop.arrayOnly)) &&
      state.args[prop.name] === undefined &&
      !prop.words.some((word) => MAIN_WORDS.has(word)),
  );
  for (const prop of props) {
    const match = prop.description.match(EXAMPLES);
    const listed = match?.[1];
    // "no need for words like ...": examples of what not to pass.
    if (!listed || /\b(?:no|not|never|without|avoid|don't)\b[^.;]*$/i.test(prop.description.slice(0, match.index))) continue;
    // Quoted examples are the examples ("could be 'IMAX', '2D', '3D'"), digits and all.
    const quoted = [...listed.matchAll(/['"‘“]([\p{L}\p{N}][\p{L}\p{N}\s-]*)['"’”]/gu)].map((item) => item[1] ?? '');
    const examples = (quoted.length >= 2 ? quoted : listed.split(/,|\bor\b|\band\b/))
      .map((example) => example.trim().replace(/^['"‘“]|['"’”]$/g, ''))
      .filter(
        (example) => example.length > 1 && !/^etc\b/i.test(example) && (quoted.length >= 2 || /^[\p{L}][\p{L}\s'-]*$/u.test(example)),
      );
    if (examples.length < 2) continue;
    // As written, whole words ("gluten-free" is one example, not "free").
    const said = examples.flatMap((example) => {
      const lower = sentence.text.toLowerCase();
      const wanted = example.toLowerCase();
      for (let at = lower.indexOf(wanted); at >= 0; at = lower.indexOf(wanted, at + 1)) {
        const end = at + wanted.length;
        if (/[\p{L}\p{N}-]/u.test(lower[at - 1] ?? '') || /[\p{L}\p{N}-]/u.test(lower[end] ?? '')) continue;
        if (sentence.isFree(at, end)) return [{ example, start: at, end }];
      }
      return [];
    });
    const [only, other] = said;
    // A list takes every example said ("vegan" of "e.g. vegan, gluten-free"); one text, the one example said.
    if (!only || (other && prop.kind === 'text')) continue;
    const values = said.map((example) => sentence.text.slice(example.start, example.end));
    state.args[prop.name] = prop.kind === 'text' ? values[0] : values;
    state.cues += 1;
    for (const example of said) sentence.consume(example.start, example.end);
  }
}

/** One side of a pair: up to four words, capitalised or not, without the small words that end it. */
const SIDE_WORDS = String.raw`((?:[\p{L}\p{N}][\p{L}\p{N}.'&-]*)(?:\s+(?!(?:and|to|in|on|at|for|with|are|is|was|were|by|of)\b)[\p{L}\p{N}][\p{L}\p{N}.'&-]*){0,3})`;
const SIDE = String.raw`(?:the\s+|a\s+|an\s+)?${SIDE_WORDS}`;
const PAIR = new RegExp(String.raw`\b(?:between|from)\s+${SIDE}\s+(?:and|to|&)\s+${SIDE}`, 'giu');
/** "a human and a chimp": two things each with its article, for numbered properties only. */
const ARTICLE_PAIR = new RegExp(String.raw`\b(?:a|an|the)\s+${SIDE_WORDS}\s+and\s+(?:a|an|the)\s+${SIDE_WORDS}`, 'giu');
const FIRST_SIDE = /^(?:origin|source|start|from|departure|home)$/;
const SECOND_SIDE = /^(?:destination|target|end|to|arrival|away)$/;

/** A side as said: a name stops at its first lower-case word ("Samsung occured in USA" -> Samsung); no closing punctuation but an abbreviation's ("D.C."). */
function side(text: string): string {
  const words = text.split(/\s+/);
  const cut = /^\p{Lu}/u.test(words[0] ?? '') ? nameEnd(words) : -1;
  const kept = (cut > 0 ? words.slice(0, cut) : words).join(' ');
  return /(?:^|\s|\.)\p{Lu}\.$/u.test(kept) ? kept : kept.replace(/[.,;:!?]+$/, '');
}

/**
 * Two text properties that are the two sides of something ("company1"/"company2",
 * "origin"/"destination") take the two sides of "between Apple and Samsung", "from the Earth to the Moon".
 */
function fillPairs(state: FillState): void {
  const { sentence, tool } = state;
  const texts = tool.props.filter((prop) => prop.kind === 'text' && state.args[prop.name] === undefined);
  const numbered = (prop: PropInfo, n: string) => new RegExp(`^(.+?)[_-]?${n}$`).exec(prop.name)?.[1]?.toLowerCase();
  let pair: [PropInfo, PropInfo] | undefined;
  for (const first of texts) {
    const group = numbered(first, '1');
    const second = group === undefined ? undefined : texts.find((prop) => numbered(prop, '2') === group);
    if (second) pair = [first, second];
  }
  const patterns = pair ? [PAIR, ARTICLE_PAIR] : [PAIR];
  const first = texts.find((prop) => prop.words.some((word) => FIRST_SIDE.test(word)));
  const second = texts.find((prop) => prop.words.some((word) => SECOND_SIDE.test(word)));
  pair ??= first && second && first !== second ? [first, second] : undefined;
  if (!pair) return;
  for (const match of patterns.flatMap((pattern) => [...sentence.text.matchAll(pattern)])) {
    const end = match.index + match[0].length;
    if (!match[1] || !match[2] || !sentence.isFree(match.index, end)) continue;
    state.args[pair[0].name] = side(match[1]);
    state.args[pair[1].name] = side(match[2]);
    state.cues += 2;
    sentence.consume(match.index, end);
    return;
  }
}

const CLOCK = /^\d{1,2}(?::\d{2})?(?:am|pm)?$|^(?:am|pm)$/i;
/** Indefinite pronouns ("anything", "someone"): they ask whether there is one, they name nothing. */
const INDEFINITE = /^(?:any|some|every|no)(?:thing|one|body|where)$/;
const AUXILIARIES = new Set(['do', 'does', 'did', 'is', 'are', 'was', 'were', 'be', 'been', 'have', 'has', 'had', 'there', 'any']);

/**
 * Whether the words left after the filters took their values say nothing to search for ("Were",
 * "Does group have", "3pm", "Open incidents"): question and auxiliary words, the tool's own nouns,
 * action words, clock times.
 */
function isResidue(text: string, tool: ToolSpec, args: Readonly<Record<string, unknown>>): boolean {
  const nouns = new Set([...tool.nameTerms, ...tool.server]);
  // "Does the X group have": the name of a property given a value is what named it, not something to search for.
  const named = new Set(tool.props.filter((prop) => args[prop.name] !== undefined).flatMap((prop) => prop.words));
  return (text.match(/[\p{L}\p{N}:']+/gu) ?? []).every((word) => {
    const lower = word.toLowerCase();
    return (
      isStopword(lower) ||
      AUXILIARIES.has(lower) ||
      INDEFINITE.test(lower) ||
      isActionWord(word) ||
      // "anything logged lately": an action in its past form, an adverb and nothing else.
      ACTIONS.has(canonical(lower)) ||
      (isWord(lower, 'adv') && !(['noun', 'verb', 'adj'] as const).some((pos) => isWord(lower, pos))) ||
      named.has(lower) ||
      nouns.has(canonical(word)) ||
      CLOCK.test(word)
    );
  });
}

/**
 * "Analyse this text for sentiment": words that point at the main property's value ("this text") and say what the
 * tool does, and nothing else, are no value; the text itself was never given.
 */
function pointsOnlyAtMain(text: string, tool: ToolSpec, main: PropInfo, args: Readonly<Record<string, unknown>>): boolean {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  // The values other properties took ("sentiment" of analyses: ["sentiment"]) say what to do, not what to read.
  const given = Object.values(args)
    .flat()
    .filter((value): value is string => typeof value === 'string');
  const own = new Set([...main.words, ...tool.nameTerms, ...given].map((word) => canonical(word.toLowerCase())));
  return (
    main.kind === 'text' &&
    words.some((word) => REFERENCE_WORDS.has(word)) &&
    words.some((word) => main.words.includes(word)) &&
    words.every((word) => REFERENCE_WORDS.has(word) || isStopword(word) || own.has(canonical(word)))
  );
}

/** Whether a text only points back ("it", "the first one", "that incident"). */
export function isReferencePhrase(text: string, nouns: ReadonlySet<string> = new Set()): boolean {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  // "its entities", "their sentiment": what is wanted of the thing pointed at, not new text.
  if (words.length <= 3 && ['its', 'their', "it's"].includes(words[0] ?? '')) return true;
  return (
    words.length > 0 &&
    words.some((word) => REFERENCE_WORDS.has(word) || ORDINALS[word] !== undefined || nouns.has(canonical(word))) &&
    words.every(
      (word) =>
        REFERENCE_WORDS.has(word) ||
        ORDINALS[word] !== undefined ||
        nouns.has(canonical(word)) ||
        /^(?:the|a|an|of|from|above|me|us|in|on|we|you|just|found)$/.test(word),
    )
  );
}

function headEnd(sentence: Sentence): number {
  // "Look for PDFs about ...": a "for" right after the opening verb belongs to the verb, not to a phrase of its own.
  const opening = sentence.tokens[0]?.lower ?? '';
  const phrasal = sentence.tokens[1]?.lower === 'for' && (isActionWord(opening) || (isWord(opening, 'verb') && !/s$/.test(opening)));
  const index = sentence.tokens.findIndex((token, i) => i > (phrasal ? 1 : 0) && PREPOSITION.test(token.lower));
  return index < 0 ? sentence.tokens.length : index;
}

/** The calls one part asks for: lists of values ("for 10, 20 and 30 years"), else one call per clause that restates values. */
function splitCalls(
  text: string,
  tool: ToolSpec,
  args: Record<string, unknown>,
  freeProps: ReadonlySet<string>,
  fanOut: Filled['fanOut'],
  missing: boolean,
  now: Date,
): { sets: Filled['sets']; fanOut: Filled['fanOut'] } {
  // "... without any acceleration": a clause that says there is none of a number gives it as 0.
  // "... x squared, x, and the constant term as 5, 6, and 1 respectively": the values go to the named properties in order.
  const explicit = (clause: string) => ({
    ...negatedZeros(clause, tool.props),
    ...restZeros(clause, tool.props),
    ...fillArguments(clause, tool, { now, refers: false, explicitOnly: true }).args,
    ...respectiveValues(clause, tool.props),
  });
  const complete = (list: readonly Record<string, unknown>[] | undefined) =>
    list?.every((set) => tool.props.every((prop) => !prop.required || set[prop.name] !== undefined)) === true;
  // "The first triangle has ... The second triangle has ...": one call per case the text sets out.
  const cases = ordinalSets(text, args, explicit);
  if (cases && complete(cases)) return { sets: cases, fanOut: undefined };
  // Properties that took the leftover words without being free text by their name ("metal", not "query").
  const loose = new Set(
    [...freeProps].filter((name) => !tool.props.some((prop) => prop.name === name && prop.words.some((word) => MAIN_WORDS.has(word)))),
  );
  // "[45, 12, 67] and [34, 78, 12] ... in both ascending and descending order": each list, with what the part lists besides.
  const grouped = groupCalls(text, tool.props, args);
  if (grouped) return { sets: grouped.flatMap((set) => argumentSets(text, tool.props, set, freeProps, loose) ?? [set]), fanOut: undefined };
  const sets =
    fanOut || missing ? undefined : (groupSets(text, tool.props, args) ?? argumentSets(text, tool.props, args, freeProps, loose));
  // A clause's list is read against every value the part gives ("coefficients 5, 20" where 20 is b's is no list of a's).
  const expand = (clause: string, values: Record<string, unknown>) => {
    const whole = { ...args, ...values };
    return argumentSets(clause, tool.props, whole, freeProps)?.map((set) =>
      Object.fromEntries(
        Object.entries(set).filter(([key, value]) => key in values || JSON.stringify(value) !== JSON.stringify(whole[key])),
      ),
    );
  };
  if (sets) {
    // "the president in 1980 and 2016, and the vice president in 1975 and 2011": each clause lists its own values.
    const more = clauseSets(
      text,
      args,
      explicit,
      expand,
      (clause) => fillArguments(clause, tool, { now, refers: false, single: true }).args,
    );
    const within = (list: readonly Record<string, unknown>[]) =>
      sets.every((set) => list.some((other) => JSON.stringify(other) === JSON.stringify(set)));
    return { sets: more && more.length > sets.length && complete(more) && within(more) ? more : sets, fanOut };
  }
  if (missing && !fanOut) return { sets, fanOut };
  // Clause by clause: each clause's own values, over what the whole part says once.
  const clauses = clauseSets(
    text,
    args,
    explicit,
    expand,
    (clause) => fillArguments(clause, tool, { now, refers: false, single: true }).args,
  );
  if (clauses && complete(clauses) && (!fanOut || clauses.length >= fanOut.values.length)) return { sets: clauses, fanOut: undefined };
  return { sets: undefined, fanOut };
}

/**
 * Fills a tool's arguments from one part of a request, reading only the tool's JSON schema:
 * identifiers by pattern, urls, emails, dates, enum values, numbers, booleans, quoted text, and the
 * remaining words for the main text property; then earlier results for what the part points back at.
 */
/**
 * Settings at the end of a payload after a colon ("Open an incident: the add-in is missing, urgency
 * medium, impact high"): each comma-separated tail clause made only of enum values next to their
 * property's name. They come out of the text, which a payload would otherwise keep whole.
 */
function payloadSettings(text: string, tool: ToolSpec): { text: string; settings: Record<string, unknown>; cues: number } {
  const settings: Record<string, unknown> = {};
  let cues = 0;
  for (;;) {
    const payload = new Sentence(text).quotes.find((quote) => quote.payload);
    const comma = payload ? text.lastIndexOf(',', payload.end - 1) : -1;
    if (!payload || comma <= payload.start) break;
    const clause = new Sentence(text.slice(comma + 1, payload.end));
    const inner: FillState = { sentence: clause, tool, args: {}, cues: 0, head: 0 };
    fillEnums(inner);
    const filled = Object.keys(inner.args);
    // Only values tied to their property's name (strength 2 per value); a lone "low" may describe the problem.
    if (filled.length === 0 || inner.cues < 2 * filled.length || clause.freeTokens().length > 0) break;
    if (filled.some((name) => name in settings)) break;
    Object.assign(settings, inner.args);
    cues += inner.cues;
    text = text.slice(0, comma) + text.slice(payload.end);
  }
  return { text, settings, cues };
}

/**
 * A required property for the language a text is written in ("The language in which the text is
 * written"), when the request says none: English, if nearly every word of the text is one the
 * English dictionary knows.
 */
function fillTextLanguage(state: FillState): void {
  const { tool, args } = state;
  const prop = tool.props.find(
    (candidate) =>
      candidate.kind === 'text' &&
      candidate.required &&
      args[candidate.name] === undefined &&
      candidate.words.includes('language') &&
      // The language a text is in, not one to translate it into.
      /\bwritten\b|\blanguage of the (?:text|message|content|review)\b/i.test(candidate.description) &&
      !/\b(?:into|target|translate)\b/i.test(`${candidate.name} ${candidate.description}`),
  );
  const text = tool.props
    .map((candidate) => args[candidate.name])
    .find((value) => typeof value === 'string' && value.split(/\s+/).length >= 4);
  if (!prop || typeof text !== 'string') return;
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const known = words.filter((word) => isStopword(word) || (['noun', 'verb', 'adj', 'adv'] as const).some((pos) => isWord(word, pos)));
  if (words.length >= 4 && known.length >= 0.85 * words.length) args[prop.name] = 'English';
}

/** Names as a caller writes them: without the words that only say their kind, places with their region. */
function polish(state: FillState): void {
  const { sentence, tool } = state;
  dropNamesAsUnits(state);
  for (const prop of tool.props) {
    const free = prop.words.some((word) => MAIN_WORDS.has(word));
    const value = state.args[prop.name];
    if (typeof value !== 'string') continue;
    const quoted = sentence.quotes.some((quote) => quote.text === value);
    const thing = free || quoted || prop.kind !== 'text' ? value : withoutOwnWords(value, prop, tool);
    // "in each city", "for both": a word that only counts or points names no value.
    if (!quoted && !free && QUANTIFIER_ONLY.test(thing)) {
      delete state.args[prop.name];
      continue;
    }
    state.args[prop.name] = completePlace(sentence, tool, prop, asDefault(thing, prop, tool) ?? thing);
  }
  // "crime rate in San Francisco" for city and state: the state WordNet puts the city in, over a stray number.
  const stateProp = tool.props.find(
    (prop) =>
      prop.kind === 'text' &&
      prop.words.includes('state') &&
      prop.words.length <= 2 &&
      !/\b(?:status|stage|condition|mode)\b/i.test(prop.description),
  );
  const current = stateProp ? state.args[stateProp.name] : undefined;
  if (stateProp && (current === undefined || (typeof current === 'string' && /^\d+$/.test(current)))) {
    const code = tool.props
      .filter(
        (prop) =>
          prop !== stateProp &&
          prop.kind === 'text' &&
          prop.words.some((word) => /^(?:city|location|town|place)$/.test(word)) &&
          typeof state.args[prop.name] === 'string',
      )
      .map((prop) => stateCodeOf(String(state.args[prop.name])))
      .find((found) => found !== undefined);
    if (code) state.args[stateProp.name] = code;
    else if (current !== undefined) delete state.args[stateProp.name];
  }
}

/**
 * The request without the tool's own name where it is written as a name ("use the 'employee.fetch_data'
 * function", "using the math.hypot function"): it says which tool, never a value.
 */
function withoutToolName(request: string, tool: ToolSpec): string {
  const key = (name: string) => name.toLowerCase().replace(/[._-]/g, '_');
  const own = key(tool.name);
  if (!/_/.test(own)) return request;
  return request.replace(
    /(["'`‘“]?)([\p{L}\p{N}_]+(?:[._-][\p{L}\p{N}_]+)+)(["'`’”]?)/gu,
    (whole, open: string, name: string, close: string) =>
      key(name) === own && (open === '') === (close === '') ? ' '.repeat(whole.length) : whole,
  );
}

/**
 * The choices a story told around the request makes ("We have a truck leaving at noon, so this is
 * urgent." -> urgency high): when its statements are what the call is about, the levels and kinds
 * they name hold for it too, where the request itself named none.
 */
function enumsOfStory(state: FillState, statements: readonly string[]): void {
  for (const statement of statements) {
    const told: FillState = { sentence: new Sentence(statement), tool: state.tool, args: {}, cues: 0, head: 0, explicit: true };
    fillEnums(told);
    fillLevelAdjectives(told);
    for (const [name, value] of Object.entries(told.args)) {
      const prop = state.tool.props.find((candidate) => candidate.name === name);
      if (prop?.kind === 'enum' && state.args[name] === undefined) state.args[name] = value;
    }
  }
}

export function fillArguments(request: string, tool: ToolSpec, context: FillContext): Filled {
  const { text, settings, cues } = payloadSettings(withoutToolName(request, tool), tool);
  const sentence = new Sentence(text);
  const state: FillState = { sentence, tool, args: { ...settings }, cues, head: headEnd(sentence), explicit: context.explicitOnly };
  // Before identifiers and numbers: "5x^2 - 7x + 3" is three signed coefficients, not 5, 2, 7 and 3.
  fillPolynomialCoefficients(state);
  const { fanOut, patternHits } = fillIdentifiers(state);
  fillNamedIdentifiers(state);
  fillPrefixedCodes(state);
  fillColonCodes(state);
  fillDottedCodes(state);
  fillSpelledExamples(state);
  // Before numbers and names: "221B Baker Street, London" is one address, not a number and a city.
  fillStreetAddress(state);
  fillDescribedCodes(state);
  fillNamedValues(state);
  fillYearSpan(state);
  fillYearText(state);
  fillCode(state);
  fillDates(state, context.now);
  fillEnums(state);
  fillLevelAdjectives(state);
  fillBounds(state);
  fillConversions(state);
  fillUnitProps(state);
  fillCurrency(state);
  // Before numbers: "S&P 500 and the Dow Jones" are names, not 500 of anything.
  fillLists(state);
  fillNumberGroups(state);
  fillFirstGroup(state);
  fillNumberRuns(state);
  fillClockTimes(state);
  fillRespectively(state);
  fillRest(state);
  fillNumbers(state);
  fillMinorUnits(state);
  fillPeriods(state);
  fillTimeFrames(state);
  fillModifiers(state);
  fillWebsite(state);
  fillBooleans(state);
  fillDomains(state);
  fillNamedText(state);
  fillReasons(state);
  fillMessage(state);
  fillExampleHeads(state);
  fillExamples(state);
  fillInstances(state);
  fillPairs(state);
  const main = mainProp(tool);
  fillQuotes(state, main);
  // Free-text properties (a query, a message) keep the leftover words; the others take the phrases that say them.
  const freeProps = new Set(tool.props.filter((prop) => prop.words.some((word) => MAIN_WORDS.has(word))).map((prop) => prop.name));
  fillPhrases(state, freeProps);
  fillKinds(state);
  fillObjects(state, context.now);
  if (context.explicitOnly) {
    polish(state);
    return { args: state.args, missing: [], missingRequired: 0, referenced: [], cues: state.cues, patternHits, fanOut, sets: undefined };
  }
  // A name or a thing ("company_name", "species"), not a query: a proper name beats a clause of leftover words.
  if (main && !freeProps.has(main.name) && state.args[main.name] === undefined && freeText(sentence, tool).split(/\s+/).length > 3) {
    fillPhrases(state, freeProps, main);
  }
  if (main && state.args[main.name] === undefined) {
    const free = withoutFilledTail(freeText(sentence, tool), tool.props, state.args);
    if (
      free &&
      !isReferencePhrase(free, context.nouns) &&
      // "the nature of the offenses he committed": a name the words leave to a pronoun was said before, not here.
      !(PERSONAL_PRONOUN.test(free) && !freeProps.has(main.name)) &&
      !pointsOnlyAtMain(free, tool, main, state.args) &&
      !(context.shared?.[0] !== undefined && main.required && onlyAsksForResults(free, tool)) &&
      !(Object.keys(state.args).length > 0 && isResidue(free, tool, state.args))
    ) {
      const name = freeProps.has(main.name) ? undefined : onlyName(free);
      freeProps.add(main.name);
      state.args[main.name] =
        name ?? (TITLE_WORDS.test(`${main.name} ${main.description}`) ? free.charAt(0).toUpperCase() + free.slice(1) : free);
      state.cues += 0.3;
    }
  }
  fillTextLanguage(state);
  // Other required names still empty ("for Barcelona" as the team once "Lionel Messi" is the player) take the likeliest phrase left.
  for (const prop of tool.props.filter((candidate) => candidate.required && candidate !== main && !freeProps.has(candidate.name))) {
    if (state.args[prop.name] === undefined) fillPhrases(state, freeProps, prop, true);
  }
  fillInPhrase(state);
  polish(state);
  const referenced: string[] = [];
  let patterned = patternHits;
  const needed = tool.props.filter(
    (prop) => (prop.required || conditionallyRequired(prop, state.args)) && state.args[prop.name] === undefined,
  );
  fillEnumsLoosely(state, needed);
  const missing: PropInfo[] = [];
  for (const prop of needed.filter((candidate) => state.args[candidate.name] === undefined)) {
    // Text from elsewhere in the same message (a quote, a sentence of context) beats results of earlier turns.
    const shared = prop.kind === 'text' ? context.shared?.[0] : undefined;
    const implicit = !context.refers && context.implicit === true && ['identifier', 'url', 'email'].includes(prop.kind);
    const value = shared === undefined && (context.refers || implicit) && context.resolve ? context.resolve(prop) : undefined;
    if (value !== undefined) {
      state.args[prop.name] = value;
      referenced.push(prop.name);
      // Pointing at a record this tool takes is as telling as naming it; carrying one over unasked, less so.
      const vouches = prop.pattern !== undefined && !prop.patternGuessed;
      if (prop.kind !== 'text') state.cues += implicit ? 1 : vouches && !context.speculative ? 4 : 2;
      if (vouches && !implicit) patterned += 1;
    } else if (shared !== undefined) {
      state.args[prop.name] = shared;
      referenced.push(prop.name);
      enumsOfStory(state, context.shared ?? []);
    } else if (prop.describedDefault !== undefined) {
      // A required property whose description names its default ("Default is true") takes it, as a caller would.
      state.args[prop.name] = prop.describedDefault;
    } else if (!prop.hasDefault) missing.push(prop);
  }
  // "Play it": a tool that requires nothing, with identifiers to choose from, takes from what was pointed at the first one it holds.
  const identifiers = tool.props.filter((prop) => prop.kind === 'identifier');
  if (
    context.refers &&
    context.resolve &&
    tool.props.every((prop) => !prop.required) &&
    identifiers.every((prop) => state.args[prop.name] === undefined)
  ) {
    for (const prop of identifiers) {
      const value = context.resolve(prop);
      if (value === undefined) continue;
      state.args[prop.name] = value;
      referenced.push(prop.name);
      state.cues += 1;
      break;
    }
  }
  const missingRequired = missing.filter((prop) => prop.required).length;
  // Several calls are worked out only when asked for: ranking tools fills many schemas and reads only the evidence.
  let several: { sets: Filled['sets']; fanOut: Filled['fanOut'] } | undefined;
  const severalCalls = () =>
    (several ??= context.single
      ? { sets: undefined, fanOut: undefined }
      : splitCalls(text, tool, state.args, freeProps, fanOut, missing.length > 0, context.now));
  const args = state.args;
  return {
    get args() {
      return severalCalls().sets?.[0] ?? args;
    },
    missing,
    missingRequired,
    referenced,
    cues: state.cues,
    patternHits: patterned,
    get fanOut() {
      return severalCalls().fanOut;
    },
    get sets() {
      return severalCalls().sets;
    },
  };
}
