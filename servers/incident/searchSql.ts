import { FIRST_NUMBER } from './model.ts';
import type { IncidentQuery } from './repository.ts';
import { SEARCH_FIELDS, planSearch, type SearchField, type SearchPlan, type SearchTerm } from './searchText.ts';

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

/** How much a term found in each field counts; the best field found counts. */
export const FIELD_WEIGHTS: Readonly<Record<SearchField, number>> = { short_description: 1, description: 0.4, notes: 0.1 };

/**
 * The weight of each term, summing to 1: its own weight times BM25's inverse document frequency
 * (a word in few incidents counts much, a word in nearly all of them next to nothing), from how
 * many of the `total` incidents contain each term.
 */
export function termWeights(terms: readonly SearchTerm[], total: number, matching: readonly number[]): number[] {
  const idf = matching.map(
    (count, index) => (terms[index]?.weight ?? 1) * Math.log(1 + (Math.max(total, count) - count + 0.5) / (count + 0.5)),
  );
  const sum = idf.reduce((a, b) => a + b, 0);
  return idf.map((value) => value / sum);
}

/**
 * The relevance of an incident, 0 to 1, as one SQL expression both stores evaluate alike: per
 * term, its weight times the weight of the best field it is found in, summed. The products are
 * computed here and bound, so both databases add the same numbers in the same order.
 */
export function scoreExpression(
  plan: SearchPlan,
  weights: readonly number[],
  foundIn: (term: SearchTerm, field: SearchField) => string,
  bindNumber: (value: number) => string,
): string {
  return plan.terms
    .map((term, index) => {
      const cases = SEARCH_FIELDS.map((field) => `WHEN ${foundIn(term, field)} THEN ${bindNumber(FIELD_WEIGHTS[field] * weights[index]!)}`);
      return `(CASE ${cases.join(' ')} ELSE 0 END)`;
    })
    .join(' + ');
}

/** The query's text read for searching; undefined when it has nothing to search for. */
export function searchPlanOf(query: IncidentQuery): SearchPlan | undefined {
  return query.text === undefined ? undefined : planSearch(query.text);
}

/** Incidents counted for term weights: the counter, gap-free in both stores, so no table scan. */
export function incidentCount(counterValue: unknown): number {
  return Math.max(0, Number(counterValue) - (FIRST_NUMBER - 1));
}

function isoOf(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
