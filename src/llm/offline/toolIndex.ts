import { nlp } from './lexicon/tagger.ts'; // the tagger alone: see choose.ts
import { isWord, sensesOf } from './lexicon/index.ts';
import { rootOf } from './derivation.ts';
import { BoundedMap } from './memo.ts';
import { describeProps, sharedExamples, type ExampleHint, type JsonSchema, type PropInfo } from './schema.ts';
import { ACTIONS, canonical, isStopword, requestTerms, splitName, stem, terms, tokenize } from './tokenize.ts';

/** A tool as the planner sees it: the OpenAI function format a remote MCP tool converts to. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  /** Words of the server prefix (`incident__create_incident` -> incident). */
  readonly server: readonly string[];
  /** Canonical terms of the name without its prefix. */
  readonly nameTerms: readonly string[];
  /**
   * The name's leading word when its synonym group folds it into another term (`cancel` of
   * `cancel_order` is an update), as a surface term: a request that says the very word tells this
   * tool from its group's others.
   */
  readonly surfaceTerms: readonly string[];
  /** The action of the tool: the first action word of its name, else of its description. */
  readonly verb: string | undefined;
  /** The verb as written (`calculate`), for dictionary look-ups. */
  readonly verbWord: string | undefined;
  /**
   * Terms the name stands for in the tool's own texts: an abbreviation's words ("hcf": highest
   * common factor, "hypot": hypotenuse) and dictionary synonyms of the name's words.
   */
  readonly aliasTerms: readonly string[];
  /** Per name term (the verb left out): the groups of terms that say it too, each with how many of its terms must appear. */
  readonly aliases: ReadonlyMap<string, readonly AliasGroup[]>;
  /**
   * Canonical nouns the description's first clause names as what the tool acts on ("Find incidents
   * or tickets by ...": incident, ticket): in a request they say which tool, not what about.
   */
  readonly objectTerms: readonly string[];
  readonly props: readonly PropInfo[];
}

/** Terms that stand for a name word: all of an abbreviation's words (`need` of them), or any one synonym. */
export interface AliasGroup {
  readonly terms: readonly string[];
  readonly need: number;
}

/** A tool's relevance to a part of a request. */
export interface ScoredTool {
  readonly tool: ToolSpec;
  readonly relevance: number;
  /** Query terms found in the tool's name or server prefix. */
  readonly nameHits: number;
  /** Query terms found anywhere in the tool's texts. */
  readonly hits: number;
}

/** A function tool in OpenAI format, as `convertToOpenAITool` returns it. */
export interface FunctionTool {
  readonly type?: string;
  readonly function: { readonly name: string; readonly description?: string; readonly parameters?: unknown };
}

const FIELD_WEIGHTS = { name: 3, alias: 1.5, server: 1, description: 1, paramName: 1.5, paramText: 0.5, enumValue: 1 } as const;
const K1 = 1.2;
/** Extra weight of a query term found in the tool's name, on top of BM25 (names are what tools are chosen by). */
const NAME_BOOST = 1;
/** How much a request's word counts when the tool's texts have it only in another derived form. */
const DERIVED_WEIGHT = 0.6;
const B = 0.5;

/** Builds the planner's view of a tool. */
export function toToolSpec(tool: FunctionTool, examples?: ReadonlyMap<string, ExampleHint>): ToolSpec {
  const { name, description = '', parameters } = tool.function;
  const schema = (parameters ?? {}) as JsonSchema;
  const split = splitName(name);
  const nameTerms = split.words.map(canonical);
  const lead = terms(description)[0];
  // A name starting with the description's first word starts with a verb ("multiply": "Multiplies two numbers").
  const verb =
    nameTerms.find((term) => ACTIONS.has(term)) ?? (lead !== undefined && (ACTIONS.has(lead) || lead === nameTerms[0]) ? lead : undefined);
  const leadWord = description.match(/[A-Za-z]+/)?.[0]?.toLowerCase();
  const verbWord =
    split.words.find((word) => canonical(word) === verb) ?? (leadWord && canonical(leadWord) === verb ? leadWord : undefined);
  const props = describeProps(schema, examples);
  const texts = [description, ...props.map((prop) => prop.description)].join(' . ');
  const aliases = aliasesOf(
    split.words.filter((word) => canonical(word) !== verb),
    texts,
  );
  const aliasTerms = [...new Set([...aliases.values()].flat().flatMap((group) => group.terms))].filter((term) => !nameTerms.includes(term));
  return {
    name,
    description,
    parameters: schema,
    server: split.prefix.map(canonical),
    nameTerms,
    surfaceTerms: surfaceTermsOf(split.words),
    verb,
    verbWord,
    aliasTerms,
    aliases,
    objectTerms: objectTermsOf(description),
    props,
  };
}

/** Marks a surface term apart from canonical ones (a stem may equal another group's canonical term). */
const SURFACE = '=';

/** Groups whose members differ in what they do to a record (cancel, close, assign are all updates); reads differ in little. */
const FOLDED_READS: ReadonlySet<string> = new Set(['get', 'search'].map(canonical));

/** Whether a word's own stem says more than its synonym group's term. */
function surfaced(lower: string): boolean {
  return !isStopword(lower) && stem(lower) !== canonical(lower) && !FOLDED_READS.has(canonical(lower));
}

/** The name's leading word, where names put their verb (`cancel_order`; not the noun of `gzip-file-as-resource`). */
function surfaceTermsOf(words: readonly string[]): string[] {
  const lead = words[0];
  const verb = lead !== undefined && surfaced(lead) ? [SURFACE + stem(lead)] : [];
  // A plural object of the name's verb (`list_orders`, `search_tracks`) says the tool gives many: "all orders" asks for it, not `get_order`.
  const acts = lead !== undefined && ACTIONS.has(canonical(lead));
  return [
    ...verb,
    ...(acts
      ? words
          .slice(1)
          .filter(plural)
          .map((word) => SURFACE + word)
      : []),
  ];
}

/** A plural noun as written: its stem drops a final s. */
function plural(lower: string): boolean {
  return lower.length > 3 && lower.endsWith('s') && !lower.endsWith('ss') && !isStopword(lower) && stem(lower) !== lower;
}

/** Where a description's first clause stops naming its object: a preposition, a relative clause, what it returns. */
const OBJECT_END = /(?<!-)\b(?:by|for|with|from|given|using|via|to|into|that|which|who|where|and\s+returns?|returning|found|in)\b|[:;]/i;

/**
 * The nouns of a description's first clause after its verb ("Searches the knowledge base (KB
 * articles, notices) and ..."), the verb's own synonyms in brackets left out ("Find (search, list)").
 */
function objectTermsOf(description: string): string[] {
  let known = objectTermsMemo.get(description);
  if (known === undefined) {
    known = objectTermsIn(description);
    objectTermsMemo.set(description, known);
  }
  return [...known];
}

// A tagger run per description is most of an index's build; services and benches bind the same tools again.
const objectTermsMemo = new BoundedMap<string, readonly string[]>(1_000);

/** "Search the catalogue for songs by title": what a search looks for follows its "for". */
const SOUGHT =
  /^\s*(?:search(?:es)?|find(?:s)?|look(?:s)?\s+up|look(?:s)?)\b[^.;:]*?\bfor\s+((?:[A-Za-z-]+\s*,?\s*(?:or\s+|and\s+)?){1,4}?)(?=\s+(?:by|with|from|in|on|that|which|matching|near|across)\b|[.;:,]|$)/i;

function objectTermsIn(description: string): string[] {
  const first = description.split(/(?<=[.!?])\s/)[0] ?? '';
  const sought = SOUGHT.exec(first)?.[1];
  const soughtNouns = sought
    ? (nlp(sought).match('#Noun').not('#Pronoun').terms().out('array') as string[]).map((word) => canonical(word.toLowerCase()))
    : [];
  const head = first.replace(/^\s*\S+\s*\([^)]*\)/, (match) => match.split('(')[0] ?? '').split(OBJECT_END)[0] ?? '';
  const verb = head.match(TEXT_WORD)?.[0] ?? '';
  // The tagger reads the words in their clause: "current" of "the current weather forecast" is no noun there.
  const nouns = (
    nlp(head.slice(head.indexOf(verb) + verb.length))
      .match('#Noun')
      .not('#Pronoun')
      .terms()
      .out('array') as string[]
  ).flatMap((noun) => [...noun.matchAll(TEXT_WORD)].map((match) => match[0].toLowerCase()));
  return [...new Set([...nouns.filter((word) => word.length > 1 && !isStopword(word)).map(canonical), ...soughtNouns])];
}

const TEXT_WORD = /[A-Za-z]+/g;
const MAX_ABBREVIATION = 6;
const SYNONYM_SENSES = 1;
const MAX_SYNSET_WORDS = 4;

/**
 * What a tool's name words stand for, from its own texts and the dictionary: an abbreviation spelt
 * by the initials of consecutive words ("hcf", "Highest Common Factor"; "roi", "Return on
 * Investment"), a word the name cuts short ("hypot", "hypotenuse"), and synonyms of the first senses of the others.
 */
function aliasesOf(nameWords: readonly string[], texts: string): Map<string, AliasGroup[]> {
  const words = [...texts.matchAll(TEXT_WORD)].map((match) => match[0].toLowerCase());
  const out = new Map<string, AliasGroup[]>();
  for (const word of nameWords) {
    const groups: AliasGroup[] = [];
    out.set(canonical(word), groups);
    if (word.length < 2 || /\d/.test(word) || isStopword(word)) continue;
    const known = isWord(word, 'noun') || isWord(word, 'verb') || isWord(word, 'adj');
    const spelt = word.length <= MAX_ABBREVIATION ? abbreviationIn(word, words) : [];
    if (spelt.length > 0) {
      groups.push({ terms: spelt, need: Math.min(2, spelt.length) });
      continue;
    }
    if (!known) {
      const longer = word.length >= 3 ? words.find((other) => other.length > word.length + 1 && other.startsWith(word)) : undefined;
      if (longer) groups.push({ terms: [canonical(longer)], need: 1 });
      continue;
    }
    const similar = new Set<string>();
    // Only a word's most frequent sense, and only a tight one: "mass" also means "a lot", "determine" also "find".
    // A name word is read as a noun when it is one ("ticket", not "to ticket": fine).
    const pos = isWord(word, 'noun') ? 'noun' : isWord(word, 'verb') ? 'verb' : 'adj';
    {
      for (const synset of sensesOf(word, pos, SYNONYM_SENSES)) {
        if (synset.words.length > MAX_SYNSET_WORDS) continue;
        for (const synonym of synset.words) {
          const term = canonical(synonym);
          if (!synonym.includes(' ') && term !== canonical(word) && !isStopword(synonym) && !ACTIONS.has(term)) similar.add(term);
        }
      }
    }
    if (similar.size > 0) groups.push({ terms: [...similar], need: 1 });
  }
  // "PR" for pull_request, "DM" for send_direct_message: the initials of the name's words say them all.
  const spelled = nameWords.filter((word) => !isStopword(word) && /^\p{L}+$/u.test(word));
  const acronym = spelled.map((word) => word[0]).join('');
  if (spelled.length >= 2 && acronym.length <= MAX_ACRONYM && !isStopword(acronym) && !isWord(acronym, 'verb') && !isWord(acronym, 'adj')) {
    for (const word of spelled) out.get(canonical(word))?.push({ terms: [acronym], need: 1 });
  }
  return out;
}

const MAX_ACRONYM = 4;

/** Content terms of the consecutive words whose initials spell `abbreviation` (stop words may or may not count). */
function abbreviationIn(abbreviation: string, words: readonly string[]): string[] {
  for (let start = 0; start < words.length; start++) {
    if (words[start]?.[0] !== abbreviation[0]) continue;
    // Greedy over the words from `start`: each letter is the next content word's initial, or a stop word's.
    let letter = 0;
    let at = start;
    const used: string[] = [];
    while (letter < abbreviation.length && at < words.length) {
      const word = words[at] ?? '';
      if (word[0] === abbreviation[letter]) {
        used.push(word);
        letter += 1;
      } else if (!isStopword(word)) break;
      at += 1;
    }
    const content = used.filter((word) => !isStopword(word));
    if (letter === abbreviation.length && content.length >= 2) return content.map(canonical);
  }
  return [];
}

interface Document {
  readonly tool: ToolSpec;
  readonly weights: ReadonlyMap<string, number>;
  /** Weight the tool's verb gets from the name alone; it counts only when the request has the same verb. */
  readonly verbNameWeight: number;
  readonly nameTerms: ReadonlySet<string>;
  /** Each derivational root of the tool's terms with its weightiest term ("discov": discoverer). */
  readonly roots: ReadonlyMap<string, string>;
  readonly length: number;
}

function documentOf(tool: ToolSpec): Document {
  const weights = new Map<string, number>();
  const add = (list: readonly string[], weight: number) => {
    for (const term of list) weights.set(term, (weights.get(term) ?? 0) + weight);
  };
  add(tool.nameTerms, FIELD_WEIGHTS.name);
  add(tool.surfaceTerms, FIELD_WEIGHTS.name);
  add(tool.aliasTerms, FIELD_WEIGHTS.alias);
  add(tool.server, FIELD_WEIGHTS.server);
  add(terms(tool.description), FIELD_WEIGHTS.description);
  for (const prop of tool.props) {
    add(prop.terms, FIELD_WEIGHTS.paramName);
    add(terms(prop.description), FIELD_WEIGHTS.paramText);
    add(
      prop.enumValues.flatMap((value) => terms(String(value))),
      FIELD_WEIGHTS.enumValue,
    );
  }
  const length = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
  const verbNameWeight = tool.verb === undefined ? 0 : FIELD_WEIGHTS.name * tool.nameTerms.filter((term) => term === tool.verb).length;
  const roots = new Map<string, string>();
  for (const [term, weight] of weights) {
    const root = rootOf(term);
    const held = roots.get(root);
    if (!term.startsWith(SURFACE) && (held === undefined || weight > (weights.get(held) ?? 0))) roots.set(root, term);
  }
  return {
    tool,
    weights,
    verbNameWeight,
    nameTerms: new Set([...tool.nameTerms, ...tool.surfaceTerms, ...tool.aliasTerms, ...tool.server]),
    roots,
    length,
  };
}

/** BM25F-style ranking of tools for a query, over their names, descriptions and parameters. */
export class ToolIndex {
  readonly tools: readonly ToolSpec[];
  readonly #documents: readonly Document[];
  readonly #idf: ReadonlyMap<string, number>;
  readonly #counts: ReadonlyMap<string, number>;
  /** How many servers the tools come from (a tool without a server prefix counts as its own). */
  readonly families: number;
  readonly #averageLength: number;

  constructor(tools: readonly FunctionTool[]) {
    // A server's tools name one thing alike: an example one of them gives holds for the others' same-named properties.
    const servers = new Map<string, JsonSchema[]>();
    const serverOf = (tool: FunctionTool) => splitName(tool.function.name).prefix.join(' ');
    for (const tool of tools) {
      const server = serverOf(tool);
      if (server) servers.set(server, [...(servers.get(server) ?? []), (tool.function.parameters ?? {}) as JsonSchema]);
    }
    const examples = new Map([...servers].map(([server, schemas]) => [server, sharedExamples(schemas)]));
    this.tools = tools.map((tool) => toToolSpec(tool, examples.get(serverOf(tool))));
    this.#documents = this.tools.map(documentOf);
    const counts = new Map<string, number>();
    for (const document of this.#documents) {
      for (const term of document.weights.keys()) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    // A server's tools share its domain's words ("caller", "urgency"): a word sets a server apart, then a tool within it.
    const families = new Map<string, Set<string>>();
    for (const document of this.#documents) {
      const family = document.tool.server.length > 0 ? document.tool.server.join(' ') : document.tool.name;
      for (const term of document.weights.keys()) families.set(term, (families.get(term) ?? new Set()).add(family));
    }
    this.#counts = new Map([...families].map(([term, set]) => [term, set.size]));
    this.families = new Set(this.tools.map((tool) => (tool.server.length > 0 ? tool.server.join(' ') : tool.name))).size;
    const total = this.#documents.length;
    this.#idf = new Map([...counts].map(([term, count]) => [term, Math.log(1 + (total - count + 0.5) / (count + 0.5))]));
    this.#averageLength = this.#documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, total);
  }

  /** How much a term weighs in one tool's texts (name, description, parameters); 0 when absent. */
  weightOf(tool: ToolSpec, term: string): number {
    return this.#documents.find((document) => document.tool === tool)?.weights.get(term) ?? 0;
  }

  /** How many of the tools' servers (see {@link families}) have a tool whose texts hold a term. */
  frequency(term: string): number {
    return this.#counts.get(term) ?? 0;
  }

  /** Inverse document frequency of a term; 0 for terms no tool has. */
  idf(term: string): number {
    return this.#idf.get(term) ?? 0;
  }

  /**
   * Every tool with its relevance to the query terms (weighted terms allowed), best first. A tool's
   * verb in its name counts only for a request with that verb (`verb`): "asking" is no call for `ask_agent`.
   */
  rank(query: ReadonlyMap<string, number>, verb?: string): ScoredTool[] {
    const scored = this.#documents.map((document) => {
      let relevance = 0;
      let nameHits = 0;
      let hits = 0;
      const norm = 1 - B + (B * document.length) / Math.max(1, this.#averageLength);
      for (const [asked, askedWeight] of query) {
        // A word the tool's texts hold only in another derived form ("who discovered" and discoverer_get) counts for less.
        const kin = asked.startsWith(SURFACE) ? undefined : document.roots.get(rootOf(asked));
        const own = document.weights.get(asked) ?? 0;
        const related = kin !== undefined && kin !== asked && DERIVED_WEIGHT * (document.weights.get(kin) ?? 0) > own ? kin : undefined;
        const term = related ?? asked;
        const queryWeight = related === undefined ? askedWeight : askedWeight * DERIVED_WEIGHT;
        const mismatchedVerb = verb !== undefined && term === document.tool.verb && term !== verb;
        const weight = (document.weights.get(term) ?? 0) - (mismatchedVerb ? document.verbNameWeight : 0);
        if (weight <= 0) continue;
        hits += 1;
        // The request's verb found in a name only as a noun ("toggle-subscriber-updates" for "cancel") is no name match.
        const verbAsNoun = term === verb && term !== document.tool.verb;
        if (document.nameTerms.has(term) && !mismatchedVerb && !verbAsNoun) {
          if (askedWeight >= 1) nameHits += 1;
          relevance += NAME_BOOST * queryWeight * this.idf(term);
        }
        relevance += queryWeight * this.idf(term) * ((weight * (K1 + 1)) / (weight + K1 * norm));
      }
      return { tool: document.tool, relevance, nameHits, hits };
    });
    return scored.sort((a, b) => b.relevance - a.relevance);
  }
}

/** Query terms of a request with weights (repeats count once). */
export function queryOf(text: string, weight = 1): Map<string, number> {
  const query = new Map(requestTerms(text).map((term) => [term, weight]));
  // The words as written too, where a synonym group folds them: "cancel" says cancel_order, not any update.
  for (const token of tokenize(text)) {
    if (surfaced(token.lower)) query.set(SURFACE + token.stem, weight * SURFACE_WEIGHT);
    if (plural(token.lower)) query.set(SURFACE + token.lower, weight * PLURAL_WEIGHT);
  }
  return query;
}

/** How much a written word counts beside its canonical term. */
const SURFACE_WEIGHT = 1;
/** A plural only breaks ties between a tool that gives one and one that lists ("all orders"); it says nothing of the verb. */
const PLURAL_WEIGHT = 0.3;
