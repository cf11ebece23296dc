import type { PostgresStore, SqlClient } from '../../src/store/index.ts';
import { nextOffset, pageOf, type IncidentPage, type IncidentQuery } from './repository.ts';
import { toRecord } from './rows.ts';
import { filterClauses, incidentCount, orderClause, scoreExpression, searchPlanOf, termWeights } from './searchSql.ts';
import { FIELD_TOKEN_LIMITS, SEARCH_FIELDS, indexTokens, type Form, type SearchField, type SearchPlan } from './searchText.ts';

const WEIGHT_LETTERS: Readonly<Record<SearchField, string>> = { short_description: 'A', description: 'B', notes: 'C' };

/** The text of each searchable field of an incident. */
export interface SearchableText {
  readonly short_description: string;
  readonly description: string | null;
  readonly notes_text: string;
}

/**
 * The incident's `search_vector` as a tsvector literal, built from the same tokens SQLite
 * indexes: each field weighted (A summary, B description, C notes) and one position apart from
 * the next, so a phrase never spans two fields. Tokens are letters and digits, so need no escaping.
 */
export function searchVector(text: SearchableText): string {
  const values: Record<SearchField, string | null> = {
    short_description: text.short_description,
    description: text.description,
    notes: text.notes_text,
  };
  const positions = new Map<string, string[]>();
  let next = 1;
  for (const field of SEARCH_FIELDS) {
    const tokens = indexTokens(values[field], FIELD_TOKEN_LIMITS[field]);
    tokens.forEach((token, index) => {
      const list = positions.get(token) ?? [];
      list.push(`${next + index}${WEIGHT_LETTERS[field]}`);
      positions.set(token, list);
    });
    next += tokens.length + 1;
  }
  return [...positions].map(([token, at]) => `'${token}':${at.join(',')}`).join(' ');
}

const phrase = (form: Form, field?: SearchField) => {
  const weight = field === undefined ? '' : `:${WEIGHT_LETTERS[field]}`;
  return `(${form.map((token) => `'${token}'${weight}`).join(' <-> ')})`;
};
const anyOf = (forms: readonly Form[], field?: SearchField) => `(${forms.map((form) => phrase(form, field)).join(' | ')})`;

/** A tsquery for the incidents a plan with terms matches: as the SQLite store's FTS5 query. */
function candidates(plan: SearchPlan): string {
  const positive = [
    anyOf(plan.terms.flatMap((term) => term.forms)),
    ...plan.terms.filter((term) => term.required).map((term) => anyOf(term.forms)),
  ];
  const match = positive.join(' & ');
  return plan.excluded.length === 0 ? match : `(${match}) & !${anyOf(plan.excluded)}`;
}

/** One search on the PostgreSQL store, in the caller's (repeatable read) transaction. */
export async function searchPostgres(client: SqlClient, columns: string, query: IncidentQuery): Promise<IncidentPage> {
  const { limit, offset } = pageOf(query);
  const plan = searchPlanOf(query);
  const scored = plan !== undefined && plan.terms.length > 0;

  const whereParams: unknown[] = [];
  const bindWhere = (value: string | number) => `$${whereParams.push(value)}`;
  const where: string[] = [];
  if (plan !== undefined) {
    where.push(
      scored
        ? `i.search_vector @@ ${bindWhere(candidates(plan))}::tsquery`
        : `NOT (i.search_vector @@ ${bindWhere(anyOf(plan.excluded))}::tsquery)`,
    );
  }
  where.push(...filterClauses(query, bindWhere));
  const whereSql = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  const count = await client.query<{ total: number }>(`SELECT count(*)::int AS total FROM incidents i ${whereSql}`, whereParams);
  const total = count.rows[0]?.total ?? 0;

  // The score's parameters follow the filters' in one list, numbered on from them.
  const params = [...whereParams];
  const bind = (value: unknown) => `$${params.push(value)}`;
  let score = 'NULL::float8';
  if (scored) {
    const counts = await client.query<{ n: number }>(
      'SELECT (SELECT count(*)::int FROM incidents WHERE search_vector @@ q::tsquery) AS n FROM unnest($1::text[]) WITH ORDINALITY AS t(q, ord) ORDER BY ord',
      [plan.terms.map((term) => anyOf(term.forms))],
    );
    const counter = await client.query<{ value: string }>("SELECT value FROM counters WHERE name = 'incident'");
    score = scoreExpression(
      plan,
      termWeights(
        plan.terms,
        incidentCount(counter.rows[0]?.value),
        counts.rows.map((row) => row.n),
      ),
      (term, field) => `i.search_vector @@ ${bind(anyOf(term.forms, field))}::tsquery`,
      (value) => `${bind(value)}::float8`,
    );
  }
  const rows = await client.query(
    `SELECT ${columns}, ${score} AS score FROM incidents i ${whereSql}
     ORDER BY ${orderClause(query, scored)} LIMIT ${bind(limit)} OFFSET ${bind(offset)}`,
    params,
  );
  const incidents = rows.rows.map((row) => ({ ...toRecord(row), score: row.score === null ? null : Number(row.score) }));
  return { total, offset, limit, next_offset: nextOffset(offset, incidents.length, total), incidents };
}

const BACKFILL_BATCH = 500;

/**
 * Writes the search vector of incidents that have none: those of a database migrated from
 * version 1, whose generated vector the v2 migration replaced. Idempotent; safe to run from
 * several replicas at once (they write the same values). Returns how many it indexed.
 */
export async function indexUnindexed(store: PostgresStore): Promise<number> {
  let indexed = 0;
  for (;;) {
    const batch = await store.query<SearchableText & { id: number }>(
      'SELECT id, short_description, description, notes_text FROM incidents WHERE search_vector IS NULL ORDER BY id LIMIT $1',
      [BACKFILL_BATCH],
    );
    if (batch.rows.length === 0) return indexed;
    await store.query(
      `UPDATE incidents i SET search_vector = v.vector::tsvector FROM unnest($1::int[], $2::text[]) AS v(id, vector)
       WHERE i.id = v.id AND i.search_vector IS NULL`,
      [batch.rows.map((row) => row.id), batch.rows.map(searchVector)],
    );
    indexed += batch.rows.length;
  }
}
