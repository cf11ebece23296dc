import { describeProps, type JsonSchema, type PropInfo } from './schema.ts';
import { ACTIONS, canonical, requestTerms, splitName, terms } from './tokenize.ts';

/** A tool as the planner sees it: the OpenAI function format a remote MCP tool converts to. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  /** Words of the server prefix (`incident__create_incident` -> incident). */
  readonly server: readonly string[];
  /** Canonical terms of the name without its prefix. */
  readonly nameTerms: readonly string[];
  /** The action of the tool: the first action word of its name, else of its description. */
  readonly verb: string | undefined;
  readonly props: readonly PropInfo[];
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

const FIELD_WEIGHTS = { name: 3, server: 1, description: 1, paramName: 1.5, paramText: 0.5, enumValue: 1 } as const;
const K1 = 1.2;
/** Extra weight of a query term found in the tool's name, on top of BM25 (names are what tools are chosen by). */
const NAME_BOOST = 1;
const B = 0.5;

/** Builds the planner's view of a tool. */
export function toToolSpec(tool: FunctionTool): ToolSpec {
  const { name, description = '', parameters } = tool.function;
  const schema = (parameters ?? {}) as JsonSchema;
  const split = splitName(name);
  const nameTerms = split.words.map(canonical);
  const lead = terms(description)[0];
  // A name starting with the description's first word starts with a verb ("multiply": "Multiplies two numbers").
  const verb =
    nameTerms.find((term) => ACTIONS.has(term)) ?? (lead !== undefined && (ACTIONS.has(lead) || lead === nameTerms[0]) ? lead : undefined);
  return { name, description, parameters: schema, server: split.prefix.map(canonical), nameTerms, verb, props: describeProps(schema) };
}

interface Document {
  readonly tool: ToolSpec;
  readonly weights: ReadonlyMap<string, number>;
  /** Weight the tool's verb gets from the name alone; it counts only when the request has the same verb. */
  readonly verbNameWeight: number;
  readonly nameTerms: ReadonlySet<string>;
  readonly length: number;
}

function documentOf(tool: ToolSpec): Document {
  const weights = new Map<string, number>();
  const add = (list: readonly string[], weight: number) => {
    for (const term of list) weights.set(term, (weights.get(term) ?? 0) + weight);
  };
  add(tool.nameTerms, FIELD_WEIGHTS.name);
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
  return { tool, weights, verbNameWeight, nameTerms: new Set([...tool.nameTerms, ...tool.server]), length };
}

/** BM25F-style ranking of tools for a query, over their names, descriptions and parameters. */
export class ToolIndex {
  readonly tools: readonly ToolSpec[];
  readonly #documents: readonly Document[];
  readonly #idf: ReadonlyMap<string, number>;
  readonly #averageLength: number;

  constructor(tools: readonly FunctionTool[]) {
    this.tools = tools.map(toToolSpec);
    this.#documents = this.tools.map(documentOf);
    const counts = new Map<string, number>();
    for (const document of this.#documents) {
      for (const term of document.weights.keys()) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    const total = this.#documents.length;
    this.#idf = new Map([...counts].map(([term, count]) => [term, Math.log(1 + (total - count + 0.5) / (count + 0.5))]));
    this.#averageLength = this.#documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, total);
  }

  /** How much a term weighs in one tool's texts (name, description, parameters); 0 when absent. */
  weightOf(tool: ToolSpec, term: string): number {
    return this.#documents.find((document) => document.tool === tool)?.weights.get(term) ?? 0;
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
      for (const [term, queryWeight] of query) {
        const mismatchedVerb = verb !== undefined && term === document.tool.verb && term !== verb;
        const weight = (document.weights.get(term) ?? 0) - (mismatchedVerb ? document.verbNameWeight : 0);
        if (weight <= 0) continue;
        hits += 1;
        // The request's verb found in a name only as a noun ("toggle-subscriber-updates" for "cancel") is no name match.
        const verbAsNoun = term === verb && term !== document.tool.verb;
        if (document.nameTerms.has(term) && !mismatchedVerb && !verbAsNoun) {
          if (queryWeight >= 1) nameHits += 1;
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
  return new Map(requestTerms(text).map((term) => [term, weight]));
}
