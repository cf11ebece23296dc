import { defineTool, type ToolDefinition } from '../../src/mcp/index.ts';
import { ToolError } from '../../src/errors.ts';
import { ACTIVE_STATES, STATES, toLevel, type IncidentState, type Priority } from './model.ts';
import type { IncidentRepository } from './repository.ts';
import {
  CreateIncidentInputSchema,
  CreateIncidentOutputSchema,
  GetIncidentInputSchema,
  GetIncidentOutputSchema,
  SearchIncidentsInputSchema,
  SearchIncidentsOutputSchema,
  UpdateIncidentInputSchema,
  UpdateIncidentOutputSchema,
} from './schemas.ts';
import { renderChanges, renderIncident, renderLine, toIncidentView, toSummaryView } from './view.ts';

const levelOrUndefined = (value: string | number | undefined) => (value === undefined ? undefined : toLevel(value));
const asList = <T>(value: T | readonly T[] | undefined): readonly T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value as T];

/** The four incident tools over one repository. */
export function createIncidentTools(repository: IncidentRepository): ToolDefinition[] {
  const create = defineTool({
    name: 'create_incident',
    title: 'Create incident',
    description:
      'Open (log, raise, file) a new IT incident, also called a ticket or case, for a problem someone reports: ' +
      'something down, broken, offline, crashing, failing or not working. Set urgency (how urgent, how fast) and impact ' +
      '(how many affected) as high/medium/low; priority is derived from them. Returns the record with its new ' +
      'number (INC0010001 style). Pass an idempotency_key to make retries safe: the same key returns the same ' +
      'incident with created=false.',
    input: CreateIncidentInputSchema,
    output: CreateIncidentOutputSchema,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async handler(args, context) {
      const { urgency, impact, ...rest } = args;
      const result = await repository.create(
        { ...rest, urgency: levelOrUndefined(urgency), impact: levelOrUndefined(impact) },
        context.identity.subject,
      );
      const view = toIncidentView(result.incident);
      const verb = result.created ? 'created' : 'already existed for this idempotency_key; nothing new was created';
      return { structured: { created: result.created, incident: view }, text: `${view.number} ${verb}\n${renderIncident(view)}` };
    },
  });

  const update = defineTool({
    name: 'update_incident',
    title: 'Update incident',
    description:
      'Change (edit, set, assign, escalate) fields of an existing incident or ticket and/or add a work note: state transitions (start work, put on ' +
      'hold with hold_reason, resolve with resolution_code and resolution_note, reopen, close, cancel), urgency, ' +
      'impact, assignment, descriptions. Fields not given stay as they are; every change is audited. Returns the ' +
      'updated incident and the list of changed fields. Closed and Canceled incidents cannot be changed.',
    input: UpdateIncidentInputSchema,
    output: UpdateIncidentOutputSchema,
    // Overwrites fields (destructive). Not idempotent: a repeated call appends its work note again.
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async handler(args, context) {
      const { number, urgency, impact, ...rest } = args;
      const result = await repository.update(
        number.toUpperCase(),
        { ...rest, urgency: levelOrUndefined(urgency), impact: levelOrUndefined(impact) },
        context.identity.subject,
      );
      const view = toIncidentView(result.incident);
      const what = [
        result.changes.length > 0 ? `changed ${renderChanges(result.changes)}` : 'no field changed',
        result.work_note_added ? 'work note added' : '',
      ].filter(Boolean);
      return {
        structured: { incident: view, changes: result.changes, work_note_added: result.work_note_added },
        text: `${view.number} updated: ${what.join('; ')}\n${renderLine(view)}`,
      };
    },
  });

  const get = defineTool({
    name: 'get_incident',
    title: 'Get incident',
    description:
      'Read (look up, check, show) one incident or ticket by its number (e.g. INC0010001): its status, who it is assigned to, ' +
      'all other fields, its work notes, and with include_audit the history of field changes. Use it before updating to ' +
      'see the current state and version.',
    input: GetIncidentInputSchema,
    output: GetIncidentOutputSchema,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      const number = args.number.toUpperCase();
      const incident = await repository.get(number, { includeAudit: args.include_audit });
      if (incident === undefined) {
        throw new ToolError(`no incident ${number}; find the right number with search_incidents`);
      }
      const view = toIncidentView(incident);
      return { structured: { incident: view }, text: renderIncident(view) };
    },
  });

  const search = defineTool({
    name: 'search_incidents',
    title: 'Search incidents',
    description:
      'Find (search, list, look for) incidents or tickets by full text (summary, description, work notes) and/or filters: state, active, urgency, ' +
      'impact, priority, category, caller, assignment group, assignee, opened date range. Sort by relevance, ' +
      'opened_at, updated_at or priority. Returns a page of summaries with their numbers, the total count and ' +
      'next_offset for the next page. Use it to find duplicates before creating, or a number you do not know.',
    input: SearchIncidentsInputSchema,
    output: SearchIncidentsOutputSchema,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      let states = asList<IncidentState>(args.state);
      if (args.active !== undefined) {
        const wanted = STATES.filter((state) => ACTIVE_STATES.includes(state) === args.active);
        states = (states ?? wanted).filter((state) => wanted.includes(state));
      }
      const page = await repository.search({
        text: args.query,
        states,
        urgency: levelOrUndefined(args.urgency),
        impact: levelOrUndefined(args.impact),
        priorities: asList(args.priority) as readonly Priority[] | undefined,
        category: args.category,
        caller: args.caller,
        assignment_group: args.assignment_group,
        assigned_to: args.assigned_to,
        opened_since: args.opened_since,
        opened_until: args.opened_until,
        sort: args.sort,
        order: args.order,
        limit: args.limit,
        offset: args.offset,
      });
      const incidents = page.incidents.map(toSummaryView);
      const shown = incidents.length === 0 ? 'none' : `${page.offset + 1}-${page.offset + incidents.length}`;
      const more = page.next_offset === null ? '' : ` (next_offset ${page.next_offset})`;
      const text = [`${page.total} incident(s) match; showing ${shown}${more}`, ...incidents.map(renderLine)].join('\n');
      return { structured: { ...page, incidents }, text };
    },
  });

  return [create, update, get, search];
}
