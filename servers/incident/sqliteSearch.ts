import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { nextOffset, pageOf, type IncidentPage, type IncidentQuery } from './repository.ts';
import { toRecord } from './rows.ts';
import { filterClauses, incidentCount, orderClause, scoreExpression, searchPlanOf, termWeights } from './searchSql.ts';
import { FIELD_TOKEN_LIMITS, indexTokens, type Form, type SearchField, type SearchPlan } from './searchText.ts';

/**
 * The SQL function the FTS triggers call to index a field (see the v2 migration): it is
 * registered on every connection the repository opens, so a write from a client without it
 * (the sqlite3 shell) fails instead of leaving the incident unindexed.
 */
export const SEARCH_TEXT_FUNCTION = 'incident_search_text';

/** Registers {@link SEARCH_TEXT_FUNCTION}(field, text): the field's tokens, space-separated. */
export function registerSearchFunction(db: DatabaseSync): void {
  db.function(SEARCH_TEXT_FUNCTION, { deterministic: true }, (field, text) => {
    const limit = FIELD_TOKEN_LIMITS[field as SearchField];
    if (limit === undefined) throw new Error(`${SEARCH_TEXT_FUNCTION}: unknown field ${String(field)}`);
    return indexTokens(typeof text === 'string' ? text : null, limit).join(' ');
  });
}

// Tokens are letters and digits only, so quoting them is all FTS5 needs: no query syntax gets through.
const phrase = (form: Form) => `"${form.join(' ')}"`;
const anyOf = (forms: readonly Form[]) => `(${forms.map(phrase).join(' OR ')})`;

/** An FTS5 query for the incidents a plan with terms matches. */
function candidates(plan: SearchPlan): string {
  const positive = [
    anyOf(plan.terms.flatMap((term) => term.forms)),
    ...plan.terms.filter((term) => term.required).map((term) => anyOf(term.forms)),
  ];
  const match = `(${positive.join(' AND ')})`;
  return plan.excluded.length === 0 ? match : `${match} NOT ${anyOf(plan.excluded)}`;
}

/** One search on the SQLite store, in the caller's transaction. */
export function searchSqlite(db: DatabaseSync, query: IncidentQuery): IncidentPage {
  const { limit, offset } = pageOf(query);
  const plan = searchPlanOf(query);
  const scored = plan !== undefined && plan.terms.length > 0;
  const matchIds = (bind: (value: SQLInputValue) => string, match: string) =>
    `i.id IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ${bind(match)})`;

  const whereParams: SQLInputValue[] = [];
  const bindWhere = (value: SQLInputValue) => (whereParams.push(value), '?');
  const where: string[] = [];
  if (plan !== undefined) where.push(scored ? matchIds(bindWhere, candidates(plan)) : `NOT ${matchIds(bindWhere, anyOf(plan.excluded))}`);
  where.push(...filterClauses(query, bindWhere));
  const whereSql = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;

  const scoreParams: SQLInputValue[] = [];
  let score = 'NULL';
  if (scored) {
    const counted = db.prepare('SELECT count(*) AS n FROM incident_fts WHERE incident_fts MATCH ?');
    const matching = plan.terms.map((term) => Number(counted.get(anyOf(term.forms))?.n ?? 0));
    const total = incidentCount(db.prepare("SELECT value FROM counters WHERE name = 'incident'").get()?.value);
    const bindScore = (value: SQLInputValue) => (scoreParams.push(value), '?');
    score = scoreExpression(
      plan,
      termWeights(plan.terms, total, matching),
      (term, field) => matchIds(bindScore, `{${field}} : ${anyOf(term.forms)}`),
      bindScore,
    );
  }

  const total = Number(db.prepare(`SELECT count(*) AS total FROM incidents i ${whereSql}`).get(...whereParams)?.total ?? 0);
  const rows = db
    .prepare(`SELECT i.*, ${score} AS score FROM incidents i ${whereSql} ORDER BY ${orderClause(query, scored)} LIMIT ? OFFSET ?`)
    .all(...scoreParams, ...whereParams, limit, offset);
  const incidents = rows.map((row) => ({ ...toRecord(row), score: row.score === null ? null : Number(row.score) }));
  return { total, offset, limit, next_offset: nextOffset(offset, incidents.length, total), incidents };
}
