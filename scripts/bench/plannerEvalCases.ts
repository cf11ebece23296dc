/**
 * The planner evaluation's case format (see test/fixtures/planner-eval/README.md): what a
 * request is, what a correct assistant does with it, and how the fixture files are loaded.
 */
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { candidateNames } from '../../src/orchestrator/index.ts';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What one argument must be. A bare value means "equals" (strings compared trimmed and
 * case-insensitively, `"1"` equal to `1`, arrays as sets). An object combines checks, all of
 * which must hold.
 */
export type ArgMatcher = string | number | boolean | Json[] | MatcherSpec;

export interface MatcherSpec {
  /** Equal to this value (as above). */
  readonly equals?: Json;
  /** Equal to one of these values. */
  readonly oneOf?: readonly Json[];
  /** A string containing every one of these (case-insensitive), or an array containing every one of these elements. */
  readonly includes?: readonly string[];
  /** A string containing at least one of these, or an array with at least one of these elements. */
  readonly includesAny?: readonly string[];
  /** None of these words or phrases (whole words, case-insensitive): leftovers that do not belong in the value. */
  readonly excludes?: readonly string[];
  /** A date or date-time within [from, to] (both inclusive, ISO 8601). */
  readonly dateIn?: readonly [string, string];
  /** A number within [min, max]. */
  readonly between?: readonly [number, number];
  /** The argument must not be passed. */
  readonly absent?: true;
  /** The argument may be left out; when it is passed the other checks apply. */
  readonly optional?: true;
  /** What the oracle passes when the checks above do not say (fixture self-check only). */
  readonly example?: Json;
}

export interface ExpectedCall {
  /** The tool as the model sees it: `server__tool`. */
  readonly tool: string;
  /** Checks on arguments, by name or dotted path (`amount.value`, `attendees.0.email`). */
  readonly args?: Readonly<Record<string, ArgMatcher>>;
  /** The call may pass no arguments but these (an update that must touch only the named fields). */
  readonly only?: readonly string[];
}

/** Either one call, or one of several ways of doing the same thing (each a call or a sequence of calls). */
export type ExpectedItem = ExpectedCall | { readonly anyOf: readonly (ExpectedCall | readonly ExpectedCall[])[] };

/**
 * A named expectation of the file's templates, with its `$name` placeholders filled:
 * `{ "use": "sentiment", "text": { "includes": ["third outage"] } }`.
 */
export interface TemplateUse {
  readonly use: string;
  readonly [placeholder: string]: ArgMatcher;
}

/** Values the answer must repeat from what the tools returned in this turn. */
export interface FromResults {
  /** Tool -> paths into its result (`label`, `results.0.title`, `people.*.text`). */
  readonly paths: Readonly<Record<string, readonly string[]>>;
  /** `any` (default): at least one of the values found; `all`: every value found. */
  readonly mode?: 'any' | 'all';
  /** Says what is being checked, in failure reasons. */
  readonly what?: string;
}

export interface AnswerExpect {
  /** Names of the file's answer templates (FromResults) the answer must satisfy: `["sentiment", "tone"]`. */
  readonly report?: readonly string[];
  /** Each item must appear (case-insensitive); an array item is a list of alternatives. */
  readonly includes?: readonly (string | readonly string[])[];
  /** None of these may appear (case-insensitive). */
  readonly excludes?: readonly string[];
  readonly fromResults?: readonly FromResults[];
}

export interface TurnExpect {
  readonly calls?: readonly (ExpectedItem | TemplateUse)[];
  /** Matched calls must come in the listed order. Default false. */
  readonly ordered?: boolean;
  /**
   * Calls besides the expected ones: `reads` (default) allows up to two extra calls of read-only
   * tools; `none` allows none at all.
   */
  readonly others?: 'reads' | 'none';
  /** `answer` (default); `clarify`: asks for a missing value and writes nothing; `refuse`: says no tool fits and calls nothing. */
  readonly kind?: 'answer' | 'clarify' | 'refuse';
  readonly answer?: AnswerExpect;
}

/** A turn's expectation with its templates spelled out: what the judge reads. */
export type ResolvedExpect = Omit<TurnExpect, 'calls'> & { readonly calls: readonly ExpectedItem[] };

export interface Turn {
  readonly user: string;
  /** A turn without `expect` is context only (an earlier message of the thread); it is run but not judged. */
  readonly expect?: TurnExpect;
}

export const CATEGORIES = ['single', 'compound', 'chain', 'followup', 'clarify', 'refuse'] as const;
export type Category = (typeof CATEGORIES)[number];

export const STYLES = ['terse', 'plain', 'email', 'list', 'question', 'casual'] as const;
export type Style = (typeof STYLES)[number];

export interface EvalCase {
  readonly id: string;
  readonly category: Category;
  readonly style: Style;
  /** What the case exercises (read-only, dates, people, groups, hold, quoted text, analysis, ...). */
  readonly tags?: readonly string[];
  /** Unseen-tools cases: the tool sets bound for this case. */
  readonly sets?: readonly string[];
  readonly turns: readonly Turn[];
  /** Why the expectation is what it is, for a reader. */
  readonly note?: string;
}

export type Part = 'dev' | 'heldout';

/** Expectations a file's cases share by name. */
export interface Templates {
  readonly calls?: Readonly<Record<string, ExpectedItem>>;
  readonly answers?: Readonly<Record<string, FromResults>>;
}

export interface CaseFile {
  readonly part: Part;
  readonly frozen: boolean;
  readonly templates?: Templates;
  readonly cases: readonly EvalCase[];
}

/** One MCP tool as a server lists it (`tools/list`). */
export interface ToolSpec {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Record<string, Json>;
  readonly annotations?: Record<string, Json>;
}

/** A tool set of the unseen-tools evaluation: an invented MCP server with a small fake behind it. */
export interface ToolSet {
  readonly server: string;
  readonly about: string;
  readonly tools: readonly ToolSpec[];
  /** Records the fakes read and write, per collection; copied fresh for every case. */
  readonly data: Readonly<Record<string, readonly Record<string, Json>[]>>;
  /** Tool name -> how its fake answers (see plannerEvalFakes.ts). */
  readonly fakes: Readonly<Record<string, Record<string, Json>>>;
}

export const FIXTURES_DIR = fileURLToPath(new URL('../../test/fixtures/planner-eval/', import.meta.url));

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The help-desk cases, dev part, held-out part and the dev part's second batch (tagged "fresh",
 * tallied on its own), with the templates of helpdesk-templates.json.
 */
export async function loadHelpdeskFiles(dir = FIXTURES_DIR): Promise<CaseFile[]> {
  const shared = await readJson<Templates>(`${dir}helpdesk-templates.json`);
  const files = await Promise.all(
    ['helpdesk-dev.json', 'helpdesk-heldout.json', 'helpdesk-dev2.json'].map((name) => readJson<CaseFile>(`${dir}${name}`)),
  );
  return files.map((file) => ({
    ...file,
    templates: {
      calls: { ...shared.calls, ...file.templates?.calls },
      answers: { ...shared.answers, ...file.templates?.answers },
    },
  }));
}

/** The unseen-tools cases and their tool sets. */
export async function loadUnseen(dir = FIXTURES_DIR): Promise<{ cases: CaseFile; sets: ToolSet[] }> {
  const setDir = `${dir}unseen/`;
  const names = (await readdir(setDir)).filter((name) => name.endsWith('.json') && name !== 'cases.json').sort();
  const sets = await Promise.all(names.map((name) => readJson<ToolSet>(`${setDir}${name}`)));
  return { cases: await readJson<CaseFile>(`${setDir}cases.json`), sets };
}

export interface SeedIncident {
  readonly number: string;
  readonly opened_at: string;
  readonly create: Record<string, Json>;
  readonly then?: readonly { readonly at: string; readonly changes: Record<string, Json> }[];
}

export interface Seed {
  /** The fixed clock of every run: the planner's and the agents' "now". */
  readonly now: string;
  /** Who opened and changed the seeded incidents. */
  readonly actor: string;
  readonly incidents: readonly SeedIncident[];
}

export function loadSeed(dir = FIXTURES_DIR): Promise<Seed> {
  return readJson<Seed>(`${dir}seed-incidents.json`);
}

/** The calls an item may be satisfied with: one list per alternative. */
export function alternativesOf(item: ExpectedItem): (readonly ExpectedCall[])[] {
  if ('anyOf' in item) return item.anyOf.map((alt) => (Array.isArray(alt) ? alt : [alt as ExpectedCall]));
  return [[item]];
}

function fill(value: unknown, given: Readonly<Record<string, unknown>>, use: string): unknown {
  if (Array.isArray(value)) return value.map((v) => fill(v, given, use));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string' && inner.startsWith('$')) {
      const name = inner.slice(1);
      if (name in given) out[key] = given[name];
      continue; // a placeholder left unfilled drops its argument
    }
    out[key] = fill(inner, given, use);
  }
  return out;
}

/** A turn's expectation with its template uses and answer reports spelled out. */
export function resolveExpect(expect: TurnExpect, templates: Templates = {}): ResolvedExpect {
  const calls = (expect.calls ?? []).map((item): ExpectedItem => {
    if (!('use' in item)) return item as ExpectedItem;
    const { use, ...given } = item as TemplateUse;
    const template = templates.calls?.[use];
    if (!template) throw new Error(`no call template named "${use}"`);
    return fill(template, given, use) as ExpectedItem;
  });
  const reports = (expect.answer?.report ?? []).map((name) => {
    const template = templates.answers?.[name];
    if (!template) throw new Error(`no answer template named "${name}"`);
    return template;
  });
  const answer = expect.answer && { ...expect.answer, fromResults: [...(expect.answer.fromResults ?? []), ...reports] };
  return { ...expect, calls, ...(answer ? { answer } : {}) };
}

/**
 * The name a model sees for `tool` of `server`: the orchestrator's own mapping (`server__tool`,
 * characters models refuse such as dots turned into `_`, a digest where it must be cut).
 */
export function modelToolName(server: string, tool: string): string {
  return candidateNames({ server, tool }, true)[0]!;
}
