/**
 * The small fakes behind the unseen-tools evaluation's tool sets: each tool's behaviour is a few
 * lines of JSON (`fakes` in the set's file) over records (`data`), so chained and follow-up cases
 * get real, deterministic results (a created id, the first hit of a search, a moved file).
 *
 * Operations:
 * - `get`: the record whose fields equal the arguments named in `match` (`{ "arg": "field" }`).
 * - `list`: records passing `filters` (`{ "arg": { "field", "how" } }`, how: eq, contains,
 *   within (the argument contains the field), prefix, gte, lte, in, has, atLeast (with `order`);
 *   `onlyWhen` for flags) and matching the free-text `text` (`{ "arg", "fields" }`: any word in one
 *   of the fields, most words first), at most `limit` (`{ "arg", "default" }`), keeping `pick` fields.
 * - `create`: a record from the arguments (renamed by `fields`), `defaults`, and a new id
 *   (`{ "field", "format": "evt_{n}", "start" }`; the format may name arguments too: `{project}-{n}`).
 * - `put`: create or replace the record `match` finds; replacing needs the boolean argument `guard`.
 * - `update`: the record `match` finds gets the other arguments (renamed by `fields`).
 * - `delete`: removes the record `match` finds.
 * - `append`: pushes `item` onto the array `field` of the record `match` finds.
 * - `static`: answers `result`.
 * Every operation but `static` answers the record(s) under `wrap` when given; `result`, when given,
 * is answered instead, with `{arg}`, `{n}` and `{record.field}` filled in. `defaults` fill arguments
 * left out; a missing record is an error result naming what was looked for (`notFound` overrides it).
 */
import type { Json, ToolSet } from './plannerEvalCases.ts';
import { valuesAt } from './plannerEvalMatch.ts';

type Rec = Record<string, Json>;

export class FakeToolError extends Error {}

interface Filter {
  readonly field: string;
  readonly how?: 'eq' | 'contains' | 'within' | 'prefix' | 'gte' | 'lte' | 'in' | 'has' | 'atLeast';
  /** For `atLeast`: the values from lowest to highest (log levels, severities). */
  readonly order?: readonly string[];
  /** Filter only when the argument has this value (a flag such as unreadOnly: true). */
  readonly onlyWhen?: Json;
}

interface FakeSpec {
  readonly op: 'get' | 'list' | 'create' | 'put' | 'update' | 'delete' | 'append' | 'static';
  readonly collection?: string;
  readonly match?: Readonly<Record<string, string>>;
  readonly filters?: Readonly<Record<string, Filter>>;
  readonly text?: { readonly arg: string; readonly fields: readonly string[] };
  readonly limit?: { readonly arg?: string; readonly default: number };
  readonly pick?: readonly string[];
  readonly sort?: { readonly field: string; readonly order?: 'asc' | 'desc' };
  readonly fields?: Readonly<Record<string, string>>;
  readonly id?: { readonly field: string; readonly format: string; readonly start: number };
  readonly defaults?: Rec;
  readonly guard?: string;
  readonly field?: string;
  readonly item?: Json;
  readonly wrap?: string;
  readonly result?: Json;
  readonly notFound?: string;
}

const norm = (value: unknown) => String(value).trim().toLowerCase();

/** Words too common to find anything by. */
const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'of',
  'to',
  'in',
  'on',
  'at',
  'for',
  'with',
  'from',
  'about',
  'my',
  'me',
  'is',
  'are',
  'any',
]);

function queryWords(query: string): string[] {
  return norm(query)
    .split(/[^\p{L}\p{N}.@-]+/u)
    .map((word) => word.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word));
}

function compare(a: unknown, b: unknown): number {
  const ta = typeof a === 'string' ? Date.parse(a) : NaN;
  const tb = typeof b === 'string' ? Date.parse(b) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return norm(a) < norm(b) ? -1 : norm(a) > norm(b) ? 1 : 0;
}

function passes(record: Rec, filter: Filter, wanted: unknown): boolean {
  const values = valuesAt(record, filter.field);
  const wants = Array.isArray(wanted) ? wanted : [wanted];
  const test = (value: unknown, want: unknown): boolean => {
    switch (filter.how ?? 'eq') {
      case 'eq':
        return norm(value) === norm(want);
      case 'contains':
        return norm(value).includes(norm(want));
      case 'within':
        return norm(want).includes(norm(value));
      case 'prefix':
        return norm(value).startsWith(norm(want));
      case 'gte':
        return compare(value, want) >= 0;
      case 'lte':
        return compare(value, want) <= 0;
      case 'in':
      case 'has':
        return norm(value) === norm(want);
      case 'atLeast': {
        const order = (filter.order ?? []).map(norm);
        return order.indexOf(norm(value)) >= order.indexOf(norm(want)) && order.includes(norm(want));
      }
    }
  };
  const flat = values.flatMap((v) => (Array.isArray(v) ? v : [v]));
  if (filter.how === 'has') return wants.every((want) => flat.some((value) => test(value, want)));
  return wants.some((want) => flat.some((value) => test(value, want)));
}

function fillTemplate(template: Json, args: Rec, record: Rec | undefined, n: number): Json {
  if (typeof template === 'string') {
    const whole = /^\{([\w.]+)\}$/.exec(template);
    const lookup = (name: string): Json | undefined =>
      name === 'n' ? n : name.startsWith('record.') ? (valuesAt(record, name.slice(7))[0] as Json | undefined) : args[name];
    if (whole) return lookup(whole[1]!) ?? null;
    return template.replace(/\{([\w.]+)\}/g, (_m, name: string) => {
      const value = lookup(name);
      return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
  }
  if (Array.isArray(template)) return template.map((t) => fillTemplate(t, args, record, n));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillTemplate(v, args, record, n)]));
  }
  return template;
}

/** One tool set's fakes over a private copy of its data. */
export class FakeSet {
  private data: Record<string, Rec[]> = {};
  private counter = 0;
  /** Records created so far per collection: ids count up from `start` in each. */
  private createdCount = new Map<string, number>();
  readonly set: ToolSet;

  constructor(set: ToolSet) {
    this.set = set;
    this.reset();
  }

  /** Back to the set's data, as every case starts. */
  reset(): void {
    this.data = structuredClone(this.set.data) as Record<string, Rec[]>;
    this.counter = 0;
    this.createdCount = new Map();
  }

  call(tool: string, given: Rec): Json {
    const spec = this.set.fakes[tool] as unknown as FakeSpec | undefined;
    if (!spec) throw new FakeToolError(`${tool} is not implemented by this fake`);
    const args: Rec = { ...spec.defaults, ...given };
    const n = ++this.counter;
    if (spec.op === 'static') return fillTemplate(spec.result ?? {}, args, undefined, n);
    const rows = (this.data[spec.collection ?? ''] ??= []);
    const answer = (value: Json, record?: Rec): Json => {
      if (spec.result !== undefined) return fillTemplate(spec.result, args, record, n);
      return spec.wrap ? { [spec.wrap]: value } : value;
    };
    switch (spec.op) {
      case 'get':
        return answer(this.pick(spec, this.find(spec, rows, args).record));
      case 'list': {
        let found = rows.filter((row) =>
          Object.entries(spec.filters ?? {}).every(([arg, filter]) => {
            const wanted = args[arg];
            if (wanted === undefined || wanted === null) return true;
            if (filter.onlyWhen !== undefined && norm(wanted) !== norm(filter.onlyWhen)) return true;
            return passes(row, filter, filter.onlyWhen !== undefined ? filter.onlyWhen : wanted);
          }),
        );
        const query = spec.text && args[spec.text.arg];
        const words = typeof query === 'string' ? queryWords(query) : [];
        const score = new Map<Rec, number>();
        if (words.length > 0) {
          const haystack = (row: Rec) => norm(spec.text!.fields.flatMap((f) => valuesAt(row, f).map((v) => JSON.stringify(v))).join(' '));
          for (const row of found) score.set(row, words.filter((word) => haystack(row).includes(word)).length);
          found = found.filter((row) => score.get(row)! > 0);
        }
        if (spec.sort) {
          const sign = spec.sort.order === 'desc' ? -1 : 1;
          found = [...found].sort((a, b) => sign * compare(valuesAt(a, spec.sort!.field)[0], valuesAt(b, spec.sort!.field)[0]));
        }
        // Like a search engine: rows matching more of the words first, the sort order among equals.
        if (words.length > 0) found = [...found].sort((a, b) => score.get(b)! - score.get(a)!);
        const limit = spec.limit ? Number((spec.limit.arg && args[spec.limit.arg]) ?? spec.limit.default) : found.length;
        const page = found.slice(0, Math.max(0, limit)).map((row) => this.pick(spec, row));
        return spec.result !== undefined ? answer(page) : { [spec.wrap ?? 'results']: page, total: found.length };
      }
      case 'create': {
        const record = this.fromArgs(spec, args);
        rows.push(record);
        return answer(record, record);
      }
      case 'put': {
        const existing = this.find(spec, rows, args, true);
        const record = this.fromArgs(spec, args);
        if (existing.index >= 0) {
          if (spec.guard && args[spec.guard] !== true) {
            throw new FakeToolError(`${this.describeMatch(spec, args)} already exists; pass ${spec.guard}: true to replace it`);
          }
          rows[existing.index] = { ...existing.record, ...record };
        } else rows.push(record);
        return answer(record, record);
      }
      case 'update': {
        const { record } = this.find(spec, rows, args);
        for (const [arg, value] of Object.entries(given)) {
          if (spec.match && arg in spec.match) continue;
          record[spec.fields?.[arg] ?? arg] = value;
        }
        return answer(record, record);
      }
      case 'delete': {
        const { index, record } = this.find(spec, rows, args);
        rows.splice(index, 1);
        return answer(record, record);
      }
      case 'append': {
        const { record } = this.find(spec, rows, args);
        const list = (record[spec.field ?? 'items'] ??= []) as Json[];
        const item = fillTemplate(spec.item ?? args, args, record, n);
        list.push(item);
        return spec.result !== undefined ? answer(item, record) : { ...(item as Rec) };
      }
    }
  }

  private find(spec: FakeSpec, rows: Rec[], args: Rec, mayMiss = false): { index: number; record: Rec } {
    const index = rows.findIndex((row) =>
      Object.entries(spec.match ?? {}).every(([arg, field]) => norm(valuesAt(row, field)[0]) === norm(args[arg])),
    );
    if (index < 0 && !mayMiss)
      throw new FakeToolError(
        spec.notFound ? String(fillTemplate(spec.notFound, args, undefined, 0)) : `no ${this.describeMatch(spec, args)}`,
      );
    return { index, record: rows[index] ?? {} };
  }

  private describeMatch(spec: FakeSpec, args: Rec): string {
    const what = Object.entries(spec.match ?? {}).map(([arg, field]) => `${field} ${JSON.stringify(args[arg] ?? null)}`);
    return `${(spec.collection ?? 'record').replace(/s$/, '')} with ${what.join(' and ')}`;
  }

  private fromArgs(spec: FakeSpec, args: Rec): Rec {
    const record: Rec = {};
    if (spec.id) {
      const key = spec.collection ?? '';
      const count = this.createdCount.get(key) ?? 0;
      this.createdCount.set(key, count + 1);
      record[spec.id.field] = fillTemplate(spec.id.format, args, undefined, spec.id.start + count);
    }
    for (const [arg, value] of Object.entries(args)) record[spec.fields?.[arg] ?? arg] = value;
    return record;
  }

  private pick(spec: FakeSpec, record: Rec): Rec {
    if (!spec.pick) return record;
    return Object.fromEntries(spec.pick.filter((field) => field in record).map((field) => [field, record[field]!]));
  }
}
