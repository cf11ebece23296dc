import { ToolError } from '../../src/errors.ts';
import {
  HOLD_REASONS,
  RESOLUTION_CODES,
  TRANSITIONS,
  priorityOf,
  type FieldChange,
  type IncidentChanges,
  type IncidentRecord,
  type NewIncident,
} from './model.ts';

/** The record a create stores (defaults: category inquiry, urgency and impact 3). */
export function newIncidentRecord(input: NewIncident, actor: string, number: string, now: string): IncidentRecord {
  const urgency = input.urgency ?? 3;
  const impact = input.impact ?? 3;
  return {
    number,
    short_description: input.short_description,
    description: input.description ?? null,
    caller: input.caller ?? actor,
    opened_by: actor,
    category: input.category ?? 'inquiry',
    urgency,
    impact,
    priority: priorityOf(urgency, impact),
    state: 'New',
    hold_reason: null,
    assignment_group: input.assignment_group ?? null,
    assigned_to: input.assigned_to ?? null,
    resolution_code: null,
    resolution_note: null,
    version: 1,
    opened_at: now,
    updated_at: now,
    resolved_at: null,
    closed_at: null,
  };
}

const PLAIN_FIELDS = [
  'short_description',
  'description',
  'caller',
  'category',
  'urgency',
  'impact',
  'assignment_group',
  'assigned_to',
] as const;

/** Fields whose changes are audited, in the order they are reported. */
export const AUDITED_FIELDS = [
  ...PLAIN_FIELDS,
  'priority',
  'state',
  'hold_reason',
  'resolution_code',
  'resolution_note',
] as const satisfies readonly (keyof IncidentRecord)[];

export interface UpdatePlan {
  readonly next: IncidentRecord;
  readonly changes: FieldChange[];
}

/**
 * Applies `changes` to `current` by the incident rules (transitions, hold reason, resolution),
 * returning the new record and the audited field changes; throws a `ToolError` saying what to do
 * instead when a rule is broken. `version`/`updated_at` move only when something changed.
 */
export function planUpdate(current: IncidentRecord, changes: IncidentChanges, now: string): UpdatePlan {
  const { number } = current;
  const given = Object.entries(changes).filter(([key, value]) => value !== undefined && key !== 'expected_version');
  if (given.length === 0) {
    throw new ToolError(`nothing to update on ${number}: give at least one field to change or a work_note`);
  }
  if (TRANSITIONS[current.state].length === 0) {
    throw new ToolError(
      `${number} is ${current.state}, which is final; it cannot be changed. Open a new incident that refers to ${number} instead`,
    );
  }
  if (changes.expected_version !== undefined && changes.expected_version !== current.version) {
    throw new ToolError(
      `${number} was changed by someone else: it is at version ${current.version}, not ${changes.expected_version}. ` +
        'Call get_incident, check the changes, then retry with the new expected_version',
    );
  }
  const next: IncidentRecord = { ...current };
  for (const field of PLAIN_FIELDS) {
    if (changes[field] !== undefined) (next as unknown as Record<string, unknown>)[field] = changes[field];
  }
  next.priority = priorityOf(next.urgency, next.impact);

  const target = changes.state ?? current.state;
  if (target !== current.state) {
    const allowed = TRANSITIONS[current.state];
    if (!allowed.includes(target)) {
      throw new ToolError(`${number} cannot go from ${current.state} to ${target}; allowed next states: ${allowed.join(', ')}`);
    }
    next.state = target;
  }
  applyHold(next, current, changes);
  applyResolution(next, current, changes, now);

  const fieldChanges: FieldChange[] = [];
  for (const field of AUDITED_FIELDS) {
    if (current[field] !== next[field]) fieldChanges.push({ field, from: current[field], to: next[field] });
  }
  if (fieldChanges.length > 0 || changes.work_note !== undefined) {
    next.version = current.version + 1;
    next.updated_at = now;
  }
  return { next, changes: fieldChanges };
}

function applyHold(next: IncidentRecord, current: IncidentRecord, changes: IncidentChanges): void {
  if (next.state !== 'On Hold') {
    if (changes.hold_reason !== undefined) {
      throw new ToolError(`hold_reason applies only when putting ${current.number} On Hold; pass state "On Hold" with it`);
    }
    next.hold_reason = null;
    return;
  }
  next.hold_reason = changes.hold_reason ?? current.hold_reason;
  if (next.hold_reason === null) {
    throw new ToolError(`putting ${current.number} On Hold needs hold_reason: one of ${HOLD_REASONS.join(', ')}`);
  }
}

function applyResolution(next: IncidentRecord, current: IncidentRecord, changes: IncidentChanges, now: string): void {
  const resolvedOrClosed = next.state === 'Resolved' || next.state === 'Closed';
  const givesResolution = changes.resolution_code !== undefined || changes.resolution_note !== undefined;
  if (!resolvedOrClosed) {
    if (givesResolution) {
      throw new ToolError(
        `resolution_code and resolution_note are set when resolving; pass state "Resolved" with them for ${current.number}`,
      );
    }
    next.resolution_code = null;
    next.resolution_note = null;
    next.resolved_at = null;
  } else {
    next.resolution_code = changes.resolution_code ?? current.resolution_code;
    next.resolution_note = changes.resolution_note ?? current.resolution_note;
    const missing = [
      next.resolution_code === null ? `resolution_code (one of ${RESOLUTION_CODES.join(', ')})` : undefined,
      next.resolution_note === null ? 'resolution_note (what was done to fix it)' : undefined,
    ].filter(Boolean);
    if (missing.length > 0) throw new ToolError(`resolving ${current.number} needs ${missing.join(' and ')}`);
  }
  if (next.state === 'Resolved' && current.state !== 'Resolved') next.resolved_at = now;
  if ((next.state === 'Closed' || next.state === 'Canceled') && current.state !== next.state) next.closed_at = now;
}
