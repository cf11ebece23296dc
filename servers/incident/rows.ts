import type { AuditEntry, AuditValue, FieldChange, IncidentRecord, WorkNote } from './model.ts';

/** Columns of `incidents` that hold an {@link IncidentRecord}, in insert order. */
export const RECORD_COLUMNS = [
  'number',
  'short_description',
  'description',
  'caller',
  'opened_by',
  'category',
  'urgency',
  'impact',
  'priority',
  'state',
  'hold_reason',
  'assignment_group',
  'assigned_to',
  'resolution_code',
  'resolution_note',
  'version',
  'opened_at',
  'updated_at',
  'resolved_at',
  'closed_at',
] as const satisfies readonly (keyof IncidentRecord)[];

/** Columns an update may rewrite (number and opening are fixed). */
export const MUTABLE_COLUMNS = RECORD_COLUMNS.filter((column) => column !== 'number' && column !== 'opened_by' && column !== 'opened_at');

type Row = Record<string, unknown>;

/** A stored row as a record; timestamps may come as Date (pg) or ISO text (SQLite). */
export function toRecord(row: Row): IncidentRecord {
  const record: Row = {};
  for (const column of RECORD_COLUMNS) record[column] = row[column] ?? null;
  for (const column of ['opened_at', 'updated_at', 'resolved_at', 'closed_at'] as const) {
    record[column] = isoOrNull(row[column]);
  }
  for (const column of ['urgency', 'impact', 'priority', 'version'] as const) record[column] = Number(row[column]);
  return record as unknown as IncidentRecord;
}

/** Values bound for `columns` of a record, in that order; times as ISO text. */
export function recordValues(record: IncidentRecord, columns: readonly (keyof IncidentRecord)[]): (string | number | null)[] {
  return columns.map((column) => record[column]);
}

export function toWorkNote(row: Row): WorkNote {
  return { at: isoOrNull(row.created_at) ?? '', author: String(row.author), text: String(row.body) };
}

export function toAuditEntry(row: Row): AuditEntry {
  return {
    at: isoOrNull(row.changed_at) ?? '',
    actor: String(row.actor),
    field: String(row.field),
    from: decodeValue(row.old_value),
    to: decodeValue(row.new_value),
  };
}

/** Audit values are stored as JSON so numbers stay numbers. */
export function encodeChange(change: FieldChange): [string, string] {
  return [JSON.stringify(change.from), JSON.stringify(change.to)];
}

function decodeValue(value: unknown): AuditValue {
  if (typeof value !== 'string') return null;
  const parsed: unknown = JSON.parse(value);
  return typeof parsed === 'string' || typeof parsed === 'number' ? parsed : null;
}

function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Appended to `notes_text`, the searchable copy of the journal. */
export function appendNoteText(existing: string, note: string): string {
  return existing === '' ? note : `${existing}\n${note}`;
}
