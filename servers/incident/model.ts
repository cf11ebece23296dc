import { ToolError } from '../../src/errors.ts';

/** Incident states, in ServiceNow's order. */
export const STATES = ['New', 'In Progress', 'On Hold', 'Resolved', 'Closed', 'Canceled'] as const;
export type IncidentState = (typeof STATES)[number];

/** Which state may follow which; Closed and Canceled are final. */
export const TRANSITIONS: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
  New: ['In Progress', 'On Hold', 'Resolved', 'Canceled'],
  'In Progress': ['On Hold', 'Resolved', 'Canceled'],
  'On Hold': ['In Progress', 'Resolved', 'Canceled'],
  Resolved: ['In Progress', 'Closed'],
  Closed: [],
  Canceled: [],
};

/** States of incidents still being worked on. */
export const ACTIVE_STATES: readonly IncidentState[] = ['New', 'In Progress', 'On Hold'];

export const CATEGORIES = ['inquiry', 'software', 'hardware', 'network', 'database', 'security'] as const;
export type Category = (typeof CATEGORIES)[number];

export const HOLD_REASONS = ['Awaiting Caller', 'Awaiting Change', 'Awaiting Problem', 'Awaiting Vendor'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const RESOLUTION_CODES = [
  'Solved (Permanently)',
  'Solved (Work Around)',
  'Not Solved (Not Reproducible)',
  'Not Solved (Too Costly)',
  'Closed/Resolved by Caller',
  'Duplicate',
] as const;
export type ResolutionCode = (typeof RESOLUTION_CODES)[number];

/** Urgency and impact: 1 high, 2 medium, 3 low. */
export type Level = 1 | 2 | 3;
/** 1 Critical ... 5 Planning. */
export type Priority = 1 | 2 | 3 | 4 | 5;

export const LEVEL_LABELS: Readonly<Record<Level, string>> = { 1: 'High', 2: 'Medium', 3: 'Low' };
export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = {
  1: 'Critical',
  2: 'High',
  3: 'Moderate',
  4: 'Low',
  5: 'Planning',
};

/** ServiceNow's priority lookup: rows are urgency 1-3, columns impact 1-3. */
const PRIORITY_MATRIX: readonly (readonly Priority[])[] = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

/** Priority from urgency and impact by the ServiceNow matrix (u1/i1 = 1 Critical ... u3/i3 = 5 Planning). */
export function priorityOf(urgency: Level, impact: Level): Priority {
  const priority = PRIORITY_MATRIX[urgency - 1]?.[impact - 1];
  if (priority === undefined) throw new RangeError(`urgency ${urgency} / impact ${impact} must be 1, 2 or 3`);
  return priority;
}

const LEVEL_NAMES: Readonly<Record<string, Level>> = { '1': 1, '2': 2, '3': 3, high: 1, medium: 2, low: 3 };

/** Accepts 1/2/3, "1"/"2"/"3" or high/medium/low (any case). */
export function toLevel(value: number | string): Level {
  const level = LEVEL_NAMES[String(value).trim().toLowerCase()];
  if (level === undefined) throw new ToolError(`"${value}" is not an urgency/impact; use high, medium or low (or 1, 2, 3)`);
  return level;
}

/** Incident numbers count up from here: INC0010001, INC0010002, ... */
export const FIRST_NUMBER = 10001;

export function formatNumber(sequence: number): string {
  return `INC${String(sequence).padStart(7, '0')}`;
}

/** One incident's fields as stored, without its journal. */
export interface IncidentRecord {
  number: string;
  short_description: string;
  description: string | null;
  caller: string;
  opened_by: string;
  category: Category;
  urgency: Level;
  impact: Level;
  priority: Priority;
  state: IncidentState;
  hold_reason: HoldReason | null;
  assignment_group: string | null;
  assigned_to: string | null;
  resolution_code: ResolutionCode | null;
  resolution_note: string | null;
  /** Starts at 1, +1 on every change; for `expected_version`. */
  version: number;
  opened_at: string;
  updated_at: string;
  resolved_at: string | null;
  closed_at: string | null;
}

export interface WorkNote {
  at: string;
  author: string;
  text: string;
}

export type AuditValue = string | number | null;

export interface FieldChange {
  field: string;
  from: AuditValue;
  to: AuditValue;
}

export interface AuditEntry extends FieldChange {
  at: string;
  actor: string;
}

/** An incident with its work notes, oldest first, and its audit trail when asked for. */
export interface Incident extends IncidentRecord {
  work_notes: WorkNote[];
  audit?: AuditEntry[];
}

export interface NewIncident {
  short_description: string;
  description?: string | undefined;
  /** Who is affected; default: the actor. */
  caller?: string | undefined;
  category?: Category | undefined;
  urgency?: Level | undefined;
  impact?: Level | undefined;
  assignment_group?: string | undefined;
  assigned_to?: string | undefined;
  work_note?: string | undefined;
  idempotency_key?: string | undefined;
}

export interface IncidentChanges {
  short_description?: string | undefined;
  description?: string | null | undefined;
  caller?: string | undefined;
  category?: Category | undefined;
  urgency?: Level | undefined;
  impact?: Level | undefined;
  state?: IncidentState | undefined;
  hold_reason?: HoldReason | undefined;
  assignment_group?: string | null | undefined;
  assigned_to?: string | null | undefined;
  resolution_code?: ResolutionCode | undefined;
  resolution_note?: string | undefined;
  work_note?: string | undefined;
  /** Refuse the update unless the incident is still at this version. */
  expected_version?: number | undefined;
  /** A retried update with this key returns its first result instead of applying again. */
  idempotency_key?: string | undefined;
}
