import { ToolError } from '../../src/errors.ts';
import type {
  Category,
  FieldChange,
  Incident,
  IncidentChanges,
  IncidentRecord,
  IncidentState,
  Level,
  NewIncident,
  Priority,
} from './model.ts';

export const SORT_KEYS = ['relevance', 'opened_at', 'updated_at', 'priority'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

/** Filters are ANDed; absent ones do not filter. */
export interface IncidentQuery {
  /**
   * Full text over short description, description and work notes: loose words (any may match),
   * "quoted phrases" (must match), -exclusions; see `planSearch` in searchText.ts.
   */
  text?: string | undefined;
  states?: readonly IncidentState[] | undefined;
  urgency?: Level | undefined;
  impact?: Level | undefined;
  priorities?: readonly Priority[] | undefined;
  category?: Category | undefined;
  /** Case-insensitive exact matches. */
  caller?: string | undefined;
  assignment_group?: string | undefined;
  assigned_to?: string | undefined;
  /**
   * ISO date-times, both inclusive. A date alone (YYYY-MM-DD) means its midnight UTC as
   * `opened_since` and its whole day as `opened_until`.
   */
  opened_since?: string | undefined;
  opened_until?: string | undefined;
  /** Default: relevance with text, else opened_at. Relevance without text sorts by opened_at. */
  sort?: SortKey | undefined;
  /** Default: desc (newest or best first), but asc (1 - Critical first) for priority. */
  order?: 'asc' | 'desc' | undefined;
  /** Default {@link DEFAULT_LIMIT}, at most {@link MAX_LIMIT}. */
  limit?: number | undefined;
  offset?: number | undefined;
}

/** A search result: the record without its journal, and its relevance (0 to 1) when searching text. */
export interface IncidentHit extends IncidentRecord {
  score: number | null;
}

export interface IncidentPage {
  /** How many incidents match in all, across pages. */
  total: number;
  offset: number;
  limit: number;
  /** The offset of the next page, or null on the last one. */
  next_offset: number | null;
  incidents: IncidentHit[];
}

export interface CreateResult {
  incident: Incident;
  /** False when an incident with the same idempotency key already existed and was returned instead. */
  created: boolean;
}

export interface UpdateResult {
  incident: Incident;
  changes: FieldChange[];
  work_note_added: boolean;
}

/**
 * Where incidents live. Every write is one transaction: number assignment, the record, its work
 * note and its audit rows commit together or not at all, and concurrent writers never lose changes.
 * Rule violations (unknown number, invalid transition, ...) throw a `ToolError`.
 */
export interface IncidentRepository {
  readonly kind: 'sqlite' | 'postgres';
  /** Assigns the next number; with an idempotency key already used, returns that incident instead. */
  create(input: NewIncident, actor: string): Promise<CreateResult>;
  get(number: string, options?: { includeAudit?: boolean }): Promise<Incident | undefined>;
  /** Applies changes and/or appends a work note (author `actor`), auditing each changed field. */
  update(number: string, changes: IncidentChanges, actor: string): Promise<UpdateResult>;
  search(query: IncidentQuery): Promise<IncidentPage>;
  /** Throws unless the store answers a trivial query. */
  ping(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Options both implementations take. */
export interface RepositoryOptions {
  /** Clock for timestamps; default `() => new Date()`. */
  readonly now?: () => Date;
}

export function notFound(number: string): ToolError {
  return new ToolError(`no incident ${number}; check the number (they look like INC0010001) or find it with search_incidents`);
}

/** The limit and offset a query asks for, clamped to what is allowed. */
export function pageOf(query: IncidentQuery): { limit: number; offset: number } {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)));
  return { limit, offset: Math.max(0, Math.trunc(query.offset ?? 0)) };
}

export function nextOffset(offset: number, count: number, total: number): number | null {
  return offset + count < total && count > 0 ? offset + count : null;
}
