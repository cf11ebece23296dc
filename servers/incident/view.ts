import { LEVEL_LABELS, PRIORITY_LABELS, type FieldChange, type Incident } from './model.ts';
import type { IncidentHit } from './repository.ts';
import type { IncidentSummaryView, IncidentView } from './schemas.ts';

/** The record as tools return it: numbers with their labels beside them. */
export function toIncidentView(incident: Incident): IncidentView {
  const { audit, ...rest } = incident;
  return {
    ...rest,
    urgency_label: LEVEL_LABELS[incident.urgency],
    impact_label: LEVEL_LABELS[incident.impact],
    priority_label: priorityLabel(incident.priority),
    ...(audit === undefined ? {} : { audit }),
  };
}

export function toSummaryView(hit: IncidentHit): IncidentSummaryView {
  return {
    number: hit.number,
    short_description: hit.short_description,
    state: hit.state,
    priority: hit.priority,
    priority_label: priorityLabel(hit.priority),
    urgency: hit.urgency,
    impact: hit.impact,
    category: hit.category,
    caller: hit.caller,
    assignment_group: hit.assignment_group,
    assigned_to: hit.assigned_to,
    opened_at: hit.opened_at,
    updated_at: hit.updated_at,
    score: hit.score,
  };
}

function priorityLabel(priority: keyof typeof PRIORITY_LABELS): string {
  return `${priority} - ${PRIORITY_LABELS[priority]}`;
}

/** `INC0010001 [In Progress, 1 - Critical] Login fails (group Service Desk)`. */
export function renderLine(
  incident: Pick<IncidentView, 'number' | 'state' | 'priority_label' | 'short_description' | 'assignment_group'>,
): string {
  const group = incident.assignment_group === null ? '' : ` (group ${incident.assignment_group})`;
  return `${incident.number} [${incident.state}, ${incident.priority_label}] ${incident.short_description}${group}`;
}

export function renderIncident(view: IncidentView): string {
  const lines = [
    renderLine(view),
    `caller ${view.caller}, urgency ${view.urgency_label}, impact ${view.impact_label}, version ${view.version}`,
  ];
  if (view.hold_reason !== null) lines.push(`on hold: ${view.hold_reason}`);
  if (view.resolution_code !== null) lines.push(`resolution: ${view.resolution_code}: ${view.resolution_note ?? ''}`);
  if (view.work_notes.length > 0) {
    lines.push(`${view.work_notes.length} work note(s); latest: ${view.work_notes.at(-1)?.text ?? ''}`);
  }
  if (view.audit !== undefined) lines.push(`${view.audit.length} audited change(s)`);
  return lines.join('\n');
}

export function renderChanges(changes: readonly FieldChange[]): string {
  return changes.map((change) => `${change.field}: ${String(change.from)} -> ${String(change.to)}`).join('; ');
}
