import type { IncidentQuery } from './repository.ts';

/** Binds a value and returns its placeholder (`?` for SQLite, `$n` for Postgres). */
export type Bind = (value: string | number) => string;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** WHERE conditions (over alias `i`) for every filter but the text, shared by both stores. */
export function filterClauses(query: IncidentQuery, bind: Bind): string[] {
  const clauses: string[] = [];
  const list = (values: readonly (string | number)[]) => values.map(bind).join(', ');
  if (query.states !== undefined) {
    clauses.push(query.states.length === 0 ? '1 = 0' : `i.state IN (${list(query.states)})`);
  }
  if (query.priorities !== undefined) {
    clauses.push(query.priorities.length === 0 ? '1 = 0' : `i.priority IN (${list(query.priorities)})`);
  }
  if (query.urgency !== undefined) clauses.push(`i.urgency = ${bind(query.urgency)}`);
  if (query.impact !== undefined) clauses.push(`i.impact = ${bind(query.impact)}`);
  if (query.category !== undefined) clauses.push(`i.category = ${bind(query.category)}`);
  for (const field of ['caller', 'assignment_group', 'assigned_to'] as const) {
    const value = query[field];
    if (value !== undefined) clauses.push(`lower(i.${field}) = lower(${bind(value)})`);
  }
  // Times are stored as toISOString() text in SQLite, so normalise before comparing.
  if (query.opened_since !== undefined) clauses.push(`i.opened_at >= ${bind(isoOf(query.opened_since))}`);
  if (query.opened_until !== undefined) {
    // A date alone takes in the whole day: "until 2025-01-31" includes incidents opened on the 31st.
    clauses.push(
      DATE_ONLY.test(query.opened_until)
        ? `i.opened_at < ${bind(new Date(Date.parse(`${query.opened_until}T00:00:00Z`) + DAY_MS).toISOString())}`
        : `i.opened_at <= ${bind(isoOf(query.opened_until))}`,
    );
  }
  return clauses;
}

/** ORDER BY items; `score` must be a selected column (higher = more relevant) when text is searched. */
export function orderClause(query: IncidentQuery, searchingText: boolean): string {
  const sort = query.sort === 'relevance' && !searchingText ? 'opened_at' : (query.sort ?? (searchingText ? 'relevance' : 'opened_at'));
  const direction = (fallback: 'asc' | 'desc') => (query.order ?? fallback).toUpperCase();
  switch (sort) {
    case 'relevance':
      return `score ${direction('desc')}, i.id DESC`;
    case 'priority':
      return `i.priority ${direction('asc')}, i.opened_at DESC, i.id DESC`;
    case 'opened_at':
    case 'updated_at':
      return `i.${sort} ${direction('desc')}, i.id ${direction('desc')}`;
  }
}

/** Whether text has anything searchable; text of only punctuation is treated as no text. */
export function hasSearchableText(text: string | undefined): text is string {
  return text !== undefined && /[\p{L}\p{N}]/u.test(text);
}

/**
 * Translates web-search syntax (words, "quoted phrases", OR, -exclusions; words ANDed) into an
 * FTS5 query with every term quoted, so user text can never be an FTS5 syntax error. Undefined
 * when nothing is asked for but exclusions: see {@link toFts5Exclusions}.
 */
export function toFts5Query(text: string): string | undefined {
  const parts = fts5Groups(text)
    .filter((group) => group.include.length > 0)
    .map((group) => {
      const positive = `(${group.include.join(' AND ')})`;
      return group.exclude.length === 0 ? positive : `(${positive} NOT (${group.exclude.join(' OR ')}))`;
    });
  return parts.length === 0 ? undefined : parts.join(' OR ');
}

/**
 * For text of exclusions only ("-printer"), which FTS5 cannot match on its own: an FTS5 query of
 * the excluded terms, whose matches are to be left out. Undefined when the text asks for any term.
 */
export function toFts5Exclusions(text: string): string | undefined {
  const groups = fts5Groups(text);
  if (groups.some((group) => group.include.length > 0)) return undefined;
  const excluded = groups.flatMap((group) => group.exclude);
  return excluded.length === 0 ? undefined : excluded.join(' OR ');
}

function fts5Groups(text: string): { include: string[]; exclude: string[] }[] {
  const groups: { include: string[]; exclude: string[] }[] = [{ include: [], exclude: [] }];
  for (const match of text.matchAll(/(-?)"([^"]*)"?|(\S+)/gu)) {
    const [, minus, phrase, bare] = match;
    if (bare !== undefined && bare.toUpperCase() === 'OR') {
      groups.push({ include: [], exclude: [] });
      continue;
    }
    const negated = minus === '-' || (bare?.startsWith('-') ?? false);
    const words = (phrase ?? bare ?? '').match(/[\p{L}\p{N}_]+/gu) ?? [];
    if (words.length === 0) continue;
    const term = `"${words.join(' ')}"`;
    const group = groups[groups.length - 1]!;
    (negated ? group.exclude : group.include).push(term);
  }
  return groups;
}

function isoOf(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
