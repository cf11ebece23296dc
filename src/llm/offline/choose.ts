// The tagger alone (compromise's second stage): the third adds views and plugins this never reads, and
// about a fifth of the library's load time; tags are the same.
import { rootOf } from './derivation.ts';
import { nlp } from './lexicon/tagger.ts';
import type { FillContext } from './args.ts';
import { fillArgumentsMemo } from './fillMemo.ts';
import { isWord, related, sameSense } from './lexicon/index.ts';
import { BoundedMap, WORD_MEMO_SIZE } from './memo.ts';
import { findQuotes, type Part } from './split.ts';
import { ACTIONS, canonical, CRUD, isStopword, phrased, terms, tokenize } from './tokenize.ts';
import { queryOf, type ToolIndex, type ToolSpec } from './toolIndex.ts';
import { FILLER_VERBS, LEAD_IN, QUESTION_WORDS } from './vocabulary.ts';

/** The tool picked for a part, with the scores that picked it. */
export interface Choice {
  readonly tool: ToolSpec;
  readonly relevance: number;
  readonly total: number;
  readonly fits: boolean;
  /** The runners-up, for a clarifying question. */
  readonly closest: readonly ToolSpec[];
}

/** Lowest text relevance that counts as a match when no explicit value backs it. */
export const MIN_RELEVANCE = 3;
/** Lowest relevance plus argument evidence for a match. */
export const MIN_TOTAL = 4;
/** Lowest relevance of a create tool to a verbless statement for the statement to count as a report to it. */
const MIN_REPORT_RELEVANCE = 1;
const CUE_WEIGHT = 1.2;
const VERB_BONUS = 1.5;
const READ_VERBS = ['get', 'search'].map(canonical);
const READS: ReadonlySet<string> = new Set(READ_VERBS);
const CREATE = canonical('create');
const GET = canonical('get');
const POINTER_PENALTY = 1.5;
const STATEMENT_BONUS = 1;
const POINTED_OBJECT = /^\s*\S+\s+(?:it|them|that|this|those|these|the)\b/i;
const OBJECT_PRONOUNS = new Set(['it', 'them', 'this', 'that', 'these', 'those']);
const WANTS_NEW = /^\s*(?:please\s+)?(?:i|we)(?:'d|\s+would)?\s+(?:need|want|like|require)\s+(?:a|an|new|another)\b/i;
const MISSING_PENALTY = 2.5;
/** How many of a verb's most frequent senses count when two verbs are compared. */
const VERB_SENSES = 3;
/** Least argument evidence (two values, or one telling one) for filled values to make a tool fit. */
const MIN_FILLED_CUES = 2;
/** Least text relevance that filled values need beside them. */
const MIN_FILLED_RELEVANCE = 1;
/** Argument evidence (four values) that needs only some text relevance beside it. */
const MANY_FILLED_CUES = 4;
/** Share of a tool's name words a request must say for the name alone to make the tool fit. */
const MIN_NAME_COVERAGE = 0.5;
/** Words that open a clause without being what it asks to do ("has it been resolved", "was it fixed"). */
const AUXILIARIES: ReadonlySet<string> = new Set([
  'has',
  'have',
  'had',
  'was',
  'were',
  'did',
  'will',
  'am',
  'be',
  'been',
  'should',
  'shall',
  'may',
  'might',
  'must',
]);
const POINTABLE_KINDS: ReadonlySet<string> = new Set(['identifier', 'url', 'email']);
/** Lowest relevance of a read tool to a question that no tool fits otherwise, for the question to be a look-up in it. */
const MIN_LOOKUP_RELEVANCE = 1.9;
/** Or the least evidence of its explicit values (one filter named, as "assigned to Priya Nair"). */
const MIN_LOOKUP_CUES = 1;
/** A question for instructions ("How do I ...?", "what's the procedure when ..."): it wants guides, steps, procedures. */
const HOW_TO = /\bhow\s+(?:do|can|should|would|to)\b|\bwhat(?:'s|\s+is)\s+the\s+(?:procedure|process|steps?|way)\b/i;
/** The words a request for instructions stands for, at a fraction of a written word's weight. */
const HOW_TO_TERMS = ['guide', 'step', 'procedure', 'instruction'];
const HOW_TO_WEIGHT = 0.6;
/** How many of the best-ranked tools get their arguments filled while choosing (20 tools: p50 under 5 ms). */
const MAX_FILLED = 6;
/** Words of a request a tool's texts must share before the planner asks for what it lacks. */
const MIN_ASKING_HITS = 2;

/** Text of a part without quoted material, which must not steer the choice ("echo 'create an incident'"). */
export function unquoted(text: string): string {
  let out = text;
  for (const quote of [...findQuotes(text)].reverse()) out = `${out.slice(0, quote.start)} ${out.slice(quote.end)}`;
  return out;
}

/** What a part asks to do: its explicit verb, or verbs it implies (a question reads; "a summary of" summarises). */
export interface PartVerb {
  readonly verb: string | undefined;
  /** The verb as written, lower case (for dictionary look-ups). */
  readonly word?: string;
  readonly implied: ReadonlySet<string>;
  /** A statement without a verb or an identifier: a report of something new, if the tools take reports. */
  readonly report?: boolean;
  /** The part asks a question. */
  readonly question?: boolean;
}

/** An identifier as people write them (INC0010014, JIRA-123, #4521). */
const IDENTIFIER = /(?:^|[\s(])(?:[A-Z][A-Z\d]{1,9}[-_]?\d{3,}|#\d{2,})\b/;
/** Verbs that change the world: a tool with one is chosen only when the request asks for it. */
const WRITE_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'delete'].map(canonical));

const HEAD_END = /^(?:for|about|on|of|in|from|with|to|regarding|at|into|by)$/;

/** The canonical action of a part: its first action word after lead-in words, if that comes first. */
export function partVerb(text: string, verbs: ReadonlySet<string>): PartVerb {
  // "I need a ticket for ..." asks for a new one.
  if (WANTS_NEW.test(text)) return { verb: canonical('create'), implied: new Set() };
  const tokens = tokenize(phrased(text.replace(LEAD_IN, '')));
  for (const [i, token] of tokens.slice(0, 3).entries()) {
    if (FILLER_VERBS.has(token.lower) || ['me', 'us', 'please'].includes(token.lower)) continue;
    // "actually make that urgent": an opening adverb says how, the verb comes after it.
    if (i === 0 && /ly$/.test(token.lower) && isWord(token.lower, 'adv') && !isWord(token.lower, 'verb')) continue;
    const term = canonical(token.lower);
    if (verbs.has(term)) return { verb: term, word: token.lower, implied: new Set() };
    // A word with a pronoun for object is a verb, known or not: "email it to me", "translate them".
    if (OBJECT_PRONOUNS.has(tokens[i + 1]?.lower ?? '') && !QUESTION_WORDS.has(token.lower) && isWord(token.lower, 'verb'))
      return { verb: term, word: token.lower, implied: new Set() };
    break;
  }
  // A question asks to read, whatever verbs it holds ("Who is INC0010006 assigned to?").
  if (/\?\s*$/.test(text) || QUESTION_WORDS.has(tokens[0]?.lower ?? ''))
    return { verb: undefined, implied: new Set(READ_VERBS), question: true };
  // An imperative whose verb no list knows ("add a note: ...", "attach the log"): English grammar says it is one.
  const first = tokens[0];
  if (first && !AUXILIARIES.has(first.lower) && !FILLER_VERBS.has(first.lower) && startsWithVerb(text.replace(LEAD_IN, ''))) {
    return { verb: canonical(first.lower), word: first.lower, implied: new Set() };
  }
  const implied = new Set<string>();
  for (const [i, token] of tokens.entries()) {
    if (HEAD_END.test(token.lower)) break;
    if (FILLER_VERBS.has(token.lower) || !verbs.has(token.term)) continue;
    // "I hope this finds you well", "User reports that ...": a verb after its subject states, it asks for nothing.
    if (i > 0 && statedVerbs(text).has(token.lower)) break;
    implied.add(token.term);
  }
  if (implied.size > 0) return { verb: undefined, implied };
  // A statement with no verb names a record to read ("INC0010014 status") or reports something new ("vpn down paris").
  if (IDENTIFIER.test(text)) return { verb: undefined, implied: new Set(READ_VERBS) };
  return { verb: undefined, implied: new Set([CREATE]), report: true };
}

/** Share of a tool's name words (its verb left out) the query says, itself or by an alias from the tool's texts. */
export function nameCoverage(tool: ToolSpec, query: ReadonlyMap<string, number>): number {
  let count = 0;
  let covered = 0;
  // "who discovered radium" names discoverer_get in another derived form of its word.
  const roots = new Set([...query.keys()].map(rootOf));
  for (const [term, groups] of tool.aliases) {
    count += 1;
    if (
      query.has(term) ||
      roots.has(rootOf(term)) ||
      groups.some((group) => group.terms.filter((alias) => query.has(alias)).length >= group.need)
    )
      covered += 1;
  }
  return count === 0 ? 0 : covered / count;
}

/** Share of the bound servers a word may be in and still set a tool apart ("vegan" does, "location" does not). */
const DISTINCT_SHARE = 0.15;

/**
 * Whether a request says something that sets a tool apart from the others bound: one of its words
 * in few servers' texts (a server's tools share its domain's words; an unprefixed tool is its own
 * server), or its verb when no other tool has it ("convert 150 euros" and the one converter).
 */
export function saysApart(tool: ToolSpec, query: ReadonlyMap<string, number>, verb: string | undefined, index: ToolIndex): boolean {
  // With a handful of servers a share says little: a word two of four servers use still halves the field.
  const limit = Math.max(1, Math.floor(index.families * DISTINCT_SHARE), Math.min(2, Math.floor(index.families / 2)));
  if (verb !== undefined && tool.verb === verb && index.tools.filter((other) => other.verb === verb).length === 1) return true;
  for (const [term, weight] of query) {
    if (weight >= 1 && index.frequency(term) <= limit && index.weightOf(tool, term) > 0) return true;
  }
  return false;
}

/** Whether what a part asks to do allows a tool: questions and reads take any tool that does not write. */
function verbAllows(verb: string | undefined, read: PartVerb, tool: ToolSpec, index: ToolIndex): boolean {
  const writes = tool.verb !== undefined && WRITE_VERBS.has(tool.verb);
  if (verb === undefined) return !writes || read.report === true;
  if (verb === tool.verb) return true;
  if (READS.has(verb)) return !writes;
  if (WRITE_VERBS.has(verb)) return false;
  return tool.verb === undefined || index.weightOf(tool, verb) > 0;
}

/** The verb of a tool that shares a sense with `word` in the dictionary, if one does. */
function dictionaryVerb(word: string, tools: readonly ToolSpec[]): string | undefined {
  for (const tool of tools) {
    if (tool.verb === undefined || tool.verbWord === undefined || WRITE_VERBS.has(tool.verb)) continue;
    if (sameVerb(word, tool.verbWord)) return tool.verb;
  }
  return undefined;
}

/**
 * The tool verb a verb no tool is named with stands for: the dictionary's, unless only tools of other
 * verbs use the word in their texts ("start work" in what update_incident does, while get shares a
 * sense of "start"): their own words say more than a sense.
 */
function sensedVerb(term: string, word: string, index: ToolIndex): string {
  const sensed = dictionaryVerb(word, index.tools);
  if (sensed === undefined) return term;
  const users = index.tools.filter((tool) => index.weightOf(tool, term) > 0);
  return users.length > 0 && users.every((tool) => tool.verb !== sensed) ? term : sensed;
}

const MAX_TAGGED = 1_000;
const HEAD_WORDS = 6;

const sameVerbCache = new BoundedMap<string, boolean>(WORD_MEMO_SIZE);

/** Whether two verbs share a frequent sense, or one's sense is the other's more general one ("generate" is a way to "create"). */
function sameVerb(a: string, b: string): boolean {
  const key = `${a} ${b}`;
  let same = sameVerbCache.get(key);
  if (same === undefined) {
    same =
      sameSense(a, b, 'verb', VERB_SENSES) ||
      related(a, 'verb', { senses: VERB_SENSES }).has(b) ||
      related(b, 'verb', { senses: VERB_SENSES }).has(a);
    sameVerbCache.set(key, same);
  }
  return same;
}

/** Whether a text opens with a verb, by compromise's part-of-speech tagger ("attach the log" yes, "email down for sales" no). */
function startsWithVerb(text: string): boolean {
  // The first few words decide it; tagging costs by the word, and parts run to hundreds of words.
  const head = text.split(/\s+/, HEAD_WORDS).join(' ').slice(0, 200);
  let verb = verbStarts.get(head);
  if (verb === undefined) {
    verb = nlp(head).match('^#Verb').found;
    // Tagging is the costly step, and a request's parts are asked about again at every step of a turn.
    verbStarts.set(head, verb);
  }
  return verb;
}

const verbStarts = new BoundedMap<string, boolean>(MAX_TAGGED);
const stated = new BoundedMap<string, ReadonlySet<string>>(MAX_TAGGED);

/** The words of a text the tagger reads as verbs after its first word (lower case). */
function statedVerbs(text: string): ReadonlySet<string> {
  let words = stated.get(text);
  if (words === undefined) {
    const terms = (nlp(text).json() as { terms: { normal: string; tags: string[] }[] }[]).flatMap((sentence) => sentence.terms);
    words = new Set(terms.slice(1).flatMap((term) => (term.tags.includes('Verb') ? [term.normal] : [])));
    stated.set(text, words);
  }
  return words;
}

/**
 * The thing a question asks for, as canonical terms: its first common noun ("the current time in
 * New York" -> time), none when it names only people, places or values ("What's assigned to Priya Nair?").
 */
function asksFor(text: string): string[] {
  const nouns = nlp(text).match('#Noun').not('#Pronoun').not('#ProperNoun').not('#Value').not('#Date').terms().out('array') as string[];
  const head = nouns.map((noun) => noun.toLowerCase()).find((noun) => !isStopword(noun) && !/thing$/.test(noun));
  return head === undefined ? [] : terms(head);
}

/**
 * Whether what a request asks for is what a tool is about: the nouns it asks for are in the tool's
 * name or description, not only in a parameter ("the rate of return" is no call for a profit tool with a tax rate).
 */
function asksAbout(tool: ToolSpec, text: string): boolean {
  const asked = asksFor(text);
  if (asked.length === 0) return false;
  const described = new Set(terms(tool.description));
  return asked.every((term) => tool.nameTerms.includes(term) || described.has(term));
}

/** Weight of a reader whose texts name what a request's closing question asks for. */
const ASKED_BONUS = 1;

/**
 * What the last clause of a question asks for, when the question has clauses before it that tell
 * the story ("bitlocker keeps asking for a key after the update, any fix?" -> fix); none otherwise.
 */
function closingAsk(text: string): string[] {
  const clauses = text
    .trim()
    .split(/[,;:]\s+|[.!]\s+/)
    .filter((clause) => /[\p{L}]/u.test(clause));
  const last = clauses.at(-1);
  if (clauses.length < 2 || last === undefined || !/\?\s*$/.test(last)) return [];
  return asksFor(last);
}

/** Whether every term is in a tool's name or description. */
function describesAll(tool: ToolSpec, wanted: readonly string[]): boolean {
  const described = new Set(terms(tool.description));
  return wanted.every((term) => tool.nameTerms.includes(term) || described.has(term));
}

/** How far below the best a tool of nearly the same name may score and still win by saying its name more exactly. */
const NAME_TIE_MARGIN = 3;

/** Whether one tool's name words are all in the other's (`solve_quadratic`, `solve_quadratic_equation`). */
const nearlyNamed = (a: ToolSpec, b: ToolSpec) =>
  a.nameTerms.every((term) => b.nameTerms.includes(term)) || b.nameTerms.every((term) => a.nameTerms.includes(term));

/**
 * The best of tools ranked by total, where two of nearly the same name and close scores go to the one
 * the request fills as well and names more exactly, more of its name said ("the electric field" is
 * calculate_electric_field, not calculate_electric_field_strength).
 */
function closerNamed<T extends { readonly entry: { readonly tool: ToolSpec }; readonly total: number; readonly missing: number }>(
  results: readonly T[],
  query: ReadonlyMap<string, number>,
): T | undefined {
  const best = results[0];
  if (!best) return undefined;
  let chosen = best;
  let coverage = nameCoverage(best.entry.tool, query);
  for (const other of results.slice(1)) {
    if (best.total - other.total > NAME_TIE_MARGIN) break;
    if (other.missing > chosen.missing || !nearlyNamed(other.entry.tool, chosen.entry.tool)) continue;
    const said = nameCoverage(other.entry.tool, query);
    if (said > coverage) [chosen, coverage] = [other, said];
  }
  return chosen;
}

const isWriter = (tool: ToolSpec) => tool.verb !== undefined && WRITE_VERBS.has(tool.verb);

/** What choosing a tool for a part needs to know about the request and the thread. */
export interface ChooseInput {
  readonly part: Part;
  readonly index: ToolIndex;
  readonly now: Date;
  readonly refers: boolean;
  /** Earlier turns exist: a missing identifier may be carried over from them. */
  readonly implicit: boolean;
  /** The part itself points at something ("it", "the first one"), not only follows an earlier step. */
  readonly points: boolean;
  /** Resolves a property for ranking; the real values come later. */
  readonly resolve: FillContext['resolve'];
  /** `resolve` only guesses (a later part of this turn): its values count less. */
  readonly speculative: boolean;
  readonly nouns: ReadonlySet<string>;
  readonly shared: readonly string[];
  /** The tool whose result a part that points back most likely means; it lends its name's words. */
  readonly lender: string | undefined;
  /** An earlier part of this turn will run first: what the part needs but lacks may come from its result. */
  readonly chained?: boolean;
  /** The part is the whole request: a statement without a verb may be a report to create a record from. */
  readonly report?: boolean;
  /** Restrict to these tool names (`tool_choice`). */
  readonly only?: ReadonlySet<string> | undefined;
  /** Pick the best tool even below the thresholds (`tool_choice` "any"). */
  readonly force?: boolean | undefined;
}

/**
 * Picks the tool for a part: text relevance (BM25 over names, descriptions and parameters), the
 * part's verb against the tool's, and how well the part's explicit values fill the tool's schema.
 */
export function chooseTool(input: ChooseInput): Choice | undefined {
  const { part, index } = input;
  const text = unquoted(part.text);
  const query = queryOf(text);
  if (input.refers && input.lender) {
    const lent = index.tools.find((tool) => tool.name === input.lender);
    for (const term of lent?.nameTerms ?? []) if (!query.has(term)) query.set(term, 0.4);
  }
  const howTo = HOW_TO.test(text);
  const howToTerms = terms(HOW_TO_TERMS.join(' '));
  if (howTo) for (const term of howToTerms) if (!query.has(term)) query.set(term, HOW_TO_WEIGHT);
  const verbs = new Set(index.tools.flatMap((tool) => (tool.verb ? [tool.verb] : [])));
  const read = partVerb(text, new Set([...verbs, ...ACTIONS]));
  const implied = read.implied;
  // Nothing new is made of something pointed at: "open the second result" reads it ("open a ticket for it" does not).
  // Unless what it points at is a statement of this request, with nothing found before ("The VPN keeps dropping. Log it.").
  const statement = input.shared.length > 0 && !input.implicit;
  const pointsAtStatement = statement && POINTED_OBJECT.test(text.replace(LEAD_IN, ''));
  const pointed = read.verb === CREATE && !statement && POINTED_OBJECT.test(text.replace(LEAD_IN, '')) ? GET : read.verb;
  // A verb no tool is named with may mean one that is ("calculate" and compute, "generate" and create): the dictionary says.
  const verb = pointed !== undefined && !verbs.has(pointed) && read.word ? sensedVerb(pointed, read.word, index) : pointed;
  const ranked = index.rank(query, verb).filter((entry) => !input.only || input.only.has(entry.tool.name));
  // Filling a schema is the costly step: only the best-ranked tools, and those with the part's verb, are tried.
  const asked = read.question ? closingAsk(text) : [];
  const scored = ranked.filter(
    (entry, rank) => rank < MAX_FILLED || (entry.tool.verb !== undefined && (entry.tool.verb === verb || implied.has(entry.tool.verb))),
  );
  const results = scored.map((entry) => {
    const filled = fillArgumentsMemo(part.text, entry.tool, {
      now: input.now,
      refers: input.refers,
      implicit: input.implicit,
      speculative: input.speculative,
      resolve: input.resolve,
      nouns: input.nouns,
      shared: input.shared,
    });
    let bonus = 0;
    // The request's verb is the strongest single word: a tool named with it wins over one that is not.
    if (verb && entry.tool.verb === verb) bonus += VERB_BONUS;
    // Reading by a key and reading by a search are one wish ("look up INC0010011", "look up fixes"): the schema decides.
    else if (verb && READS.has(verb) && entry.tool.verb !== undefined && READS.has(entry.tool.verb)) bonus += VERB_BONUS / 2;
    else if (verb && verbs.has(verb)) bonus -= VERB_BONUS;
    else if (entry.tool.verb && implied.has(entry.tool.verb)) bonus += VERB_BONUS;
    // Nobody asked for a write: a question never gets one, a statement rarely.
    else if (!verb && entry.tool.verb && WRITE_VERBS.has(entry.tool.verb)) bonus -= read.question ? 2 * VERB_BONUS : VERB_BONUS;
    // "..., any fix?": what the closing question asks for, in a reader's own texts, says which reader.
    if (asked.length > 0 && entry.tool.verb !== undefined && READS.has(entry.tool.verb) && describesAll(entry.tool, asked))
      bonus += ASKED_BONUS;
    // A part that points at something wants a tool that takes what it points at.
    if (input.points && filled.referenced.length === 0) bonus -= POINTER_PENALTY;
    // "... jobs sit in the queue. Could you log this?": the statement pointed at is the value, as telling as one named.
    else if (pointsAtStatement && filled.referenced.length > 0) bonus += STATEMENT_BONUS;
    const evidence = entry.relevance + bonus + CUE_WEIGHT * filled.cues;
    // After an earlier step, a missing identifier may be its result: it costs nothing, and gains nothing either.
    const fromEarlier = input.chained === true ? filled.missing.filter((prop) => POINTABLE_KINDS.has(prop.kind)).length : 0;
    const missing = Math.max(0, filled.missingRequired - fromEarlier);
    const given = Object.keys(filled.args).length > 0;
    return {
      entry,
      evidence,
      missing,
      given,
      cues: filled.cues,
      patternHits: filled.patternHits,
      referenced: filled.referenced.length,
      total: evidence - MISSING_PENALTY * missing,
    };
  });
  results.sort((a, b) => b.total - a.total);
  const best = closerNamed(results, query);
  if (!best) return undefined;
  // An explicit verb no tool has ("translate", "book") needs the tool's name to match something else.
  // The verb itself in the tool's name is the plainest match there is ("sum 17 and 25", "add …" ≈ sum, and get-sum).
  const named = best.entry.nameHits > 0 || (verb !== undefined && best.entry.tool.nameTerms.includes(verb));
  const unknownVerb = verb !== undefined && !verbs.has(verb);
  // A verb the tool's own texts use ("add a work note") counts like its name.
  const described = verb !== undefined && index.weightOf(best.entry.tool, verb) > 0 && best.entry.hits >= 2;
  // With a verb no tool has, the server's word alone ("upgrade the cluster" and cluster__restart_deployment) names no tool.
  const ownName = [...best.entry.tool.nameTerms, ...best.entry.tool.aliasTerms, ...best.entry.tool.surfaceTerms].some(
    (term) => (query.get(term) ?? 0) >= 1,
  );
  const textual = unknownVerb
    ? (named && ownName) || described || (!CRUD.has(verb) && best.patternHits > 0)
    : named || best.entry.relevance >= MIN_RELEVANCE || best.patternHits > 0;
  // A lone report ("email down for the whole sales team!!!") goes to the tool that creates records, if one fits at all.
  const reported =
    input.report === true && read.report === true && best.entry.tool.verb === CREATE && best.entry.relevance >= MIN_REPORT_RELEVANCE;
  // Asked to write in a way no tool writes ("delete all incidents" with no delete tool): reading instead is no answer.
  const wrongWrite = verb !== undefined && WRITE_VERBS.has(verb) && best.entry.tool.verb !== verb;
  // The only tool that does what the verb says, and shares another word with the request ("Open a ticket: ..." and create_incident).
  const sole =
    verb !== undefined &&
    best.entry.tool.verb === verb &&
    best.entry.hits >= 2 &&
    index.tools.filter((tool) => tool.verb === verb).length === 1;
  // The request names what the tool is about ("the circumference of a circle" and calculate_circumference), and wants what it does.
  const covering = nameCoverage(best.entry.tool, query) >= MIN_NAME_COVERAGE && verbAllows(verb, read, best.entry.tool, index);
  // A match must rest on something that sets the tool apart from the others bound: a weak match on shared words is a false call.
  const setsApart = (result: (typeof results)[number]) =>
    result.patternHits > 0 ||
    (input.points && result.referenced > 0) ||
    nameCoverage(result.entry.tool, query) > 0 ||
    saysApart(result.entry.tool, query, verb, index) ||
    // "how to clear a print queue": guides are what one server's tools hold.
    (howTo && howToTerms.some((term) => index.weightOf(result.entry.tool, term) > 0 && index.frequency(term) <= 1));
  const apart = setsApart(best);
  // The request's values fill every required parameter and it asks for what the tool is about
  // ("the high and low temperatures ... for London for the next 3 days" and a forecast that includes them).
  const fillsWhatItAsks = (result: (typeof results)[number], said: string) =>
    result.missing === 0 &&
    result.cues >= MIN_FILLED_CUES &&
    // Many values that fill it ("convicted for money laundering from San Francisco in 2019") need only a word of its texts.
    (result.entry.relevance >= MIN_FILLED_RELEVANCE || (result.cues >= MANY_FILLED_CUES && result.entry.relevance > 0)) &&
    verbAllows(verb, read, result.entry.tool, index) &&
    asksAbout(result.entry.tool, said);
  // "find that outlook password ticket": the tool's own verb and the thing it handles, with a value given for it.
  const namesWhatItHandles =
    verb !== undefined &&
    best.entry.tool.verb === verb &&
    best.given &&
    best.missing === 0 &&
    best.entry.tool.objectTerms.some((term) => query.has(term));
  const fits =
    input.force === true ||
    (!wrongWrite &&
      (namesWhatItHandles ||
        (apart && ((textual && best.evidence >= MIN_TOTAL) || sole || reported || covering || fillsWhatItAsks(best, text)))));
  // A question no tool answers by its words asks to look something up ("How do I set up MFA?", "any fix?"): the read tool it fills best.
  // One that names what it looks for ("is there a ticket for ...") goes to a tool that finds those.
  const readers =
    fits || !read.question || verb !== undefined
      ? []
      : results.filter(
          (result) =>
            result.entry.tool.verb !== undefined &&
            READS.has(result.entry.tool.verb) &&
            result.missing === 0 &&
            result.given &&
            result.entry.hits > 0,
        );
  // Else one whose words the tool's texts share, or that fills one of its filters ("What's assigned to Priya Nair?").
  const lookup =
    readers.find(
      (result) =>
        result.entry.tool.objectTerms.some((term) => query.has(term)) ||
        (howTo && howToTerms.some((term) => index.weightOf(result.entry.tool, term) > 0)),
    ) ??
    // "..., any fix?": the reader whose texts name what the closing question asks for.
    readers.find((result) => asked.length > 0 && describesAll(result.entry.tool, asked)) ??
    readers.find(
      (result) =>
        (result.entry.relevance >= MIN_LOOKUP_RELEVANCE && setsApart(result)) ||
        (result.cues >= MIN_LOOKUP_CUES && asksFor(text).every((term) => index.weightOf(result.entry.tool, term) > 0)),
    );
  // A verbless line headed by what only a reader holds ("kb: outlook search not working", "kb vpn slow") looks it up there.
  const head = canonical(
    text
      .replace(LEAD_IN, '')
      .match(/[\p{L}]+/u)?.[0]
      ?.toLowerCase() ?? '',
  );
  const headed =
    fits || lookup || verb !== undefined || !read.report || index.tools.some((tool) => isWriter(tool) && tool.objectTerms.includes(head))
      ? undefined
      : results.find(
          (result) =>
            result.entry.tool.verb !== undefined &&
            READS.has(result.entry.tool.verb) &&
            result.missing === 0 &&
            result.given &&
            result.entry.tool.objectTerms.includes(head),
        );
  // "add a note saying the vendor called back": the tool the request describes best, in its own verb, lacking
  // only which record to act on, is the one to ask about (a refusal would be wrong), not a weaker one that needs nothing.
  const asking =
    fits || lookup || headed || verb === undefined || read.verb === undefined || verb === CREATE
      ? undefined
      : results.find(
          (result) =>
            result.missing > 0 &&
            result.entry.hits >= MIN_ASKING_HITS &&
            index.weightOf(result.entry.tool, verb) > 0 &&
            results.every((other) => other.entry.relevance <= result.entry.relevance) &&
            result.entry.tool.props.filter((prop) => prop.required).every((prop) => POINTABLE_KINDS.has(prop.kind)) &&
            setsApart(result),
        );
  const chosen = lookup ?? headed ?? asking ?? best;
  return {
    tool: chosen.entry.tool,
    relevance: chosen.entry.relevance,
    total: chosen.total,
    fits: fits || lookup !== undefined || headed !== undefined || asking !== undefined,
    closest: results
      .filter((result) => result.entry.relevance > 0)
      .slice(0, 3)
      .map((result) => result.entry.tool),
  };
}
