import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT, SORT_KEYS } from './repository.ts';
import { CATEGORIES, HOLD_REASONS, RESOLUTION_CODES, STATES } from './model.ts';
import { textProblem } from '../../src/text.ts';
import { TEXT_RULE } from './textRules.ts';

// Strings built here refuse control characters (see TEXT_RULE); withTextRule says so in their descriptions.
const textRule = z.superRefine((value: string, context) => {
  const problem = textProblem(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: `text ${problem}` });
});
const clean = (schema: z.ZodString) => schema.check(textRule);
const text = (max: number) => clean(z.string().trim().min(1).max(max));

// The check survives .describe() and .optional(), which copy or wrap the schema.
function isCleanText(schema: z.ZodType): boolean {
  const def = (schema as { _zod: { def: { checks?: unknown[]; innerType?: z.ZodType } } })._zod.def;
  return (def.checks?.includes(textRule) ?? false) || (def.innerType !== undefined && isCleanText(def.innerType));
}

const sentences = (first: string | undefined, second: string) =>
  first === undefined || first === '' ? second : `${first}${/[.!?]$/.test(first) ? '' : '.'} ${second}`;

/** The object with {@link TEXT_RULE} appended to the description of each text field. */
function withTextRule<T extends z.ZodObject>(schema: T): T {
  const described = Object.entries(schema.shape)
    .filter(([, field]) => isCleanText(field))
    .map(([name, field]) => [name, field.describe(sentences(field.description, TEXT_RULE))]);
  return schema.extend(Object.fromEntries(described)) as unknown as T;
}

export const NumberSchema = z
  .string()
  .regex(/^INC\d{7}$/i, 'incident numbers look like INC0010001')
  .describe('Incident number, e.g. INC0010001');

const LevelInputSchema = z.union([z.enum(['high', 'medium', 'low', 'High', 'Medium', 'Low', '1', '2', '3']), z.int().min(1).max(3)]);
const urgencyInput = () => LevelInputSchema.describe('How fast it needs fixing: high, medium or low (or 1, 2, 3; 1 = high). Default low');
const impactInput = () =>
  LevelInputSchema.describe(
    'How many people/systems are affected: high (many, e.g. all users, a whole team, everyone), medium (several people) or low (one person). Default low',
  );
const StateSchema = z.enum(STATES);

const createIncidentInput = z.object({
  short_description: text(160).describe('One-line summary of the problem, e.g. "Login fails for all users via SSO"'),
  description: text(4000).optional().describe('Details: symptoms, since when, error messages, what was tried'),
  caller: text(100).optional().describe('The affected person reporting it; default: you (the authenticated caller)'),
  category: z.enum(CATEGORIES).optional().describe('Kind of problem; default inquiry'),
  urgency: urgencyInput().optional(),
  impact: impactInput().optional(),
  assignment_group: text(100)
    .optional()
    .describe('Team to work on it (the group it is assigned or routed to), e.g. "Service Desk", "Network"'),
  assigned_to: text(100).optional().describe('Person to work on it'),
  work_note: text(4000).optional().describe('A first internal work note'),
  idempotency_key: text(200)
    .optional()
    .describe(
      'Any unique string for this request; repeating a call with the same key and arguments returns the incident it created instead of a duplicate (the same key with other arguments is refused)',
    ),
});
export const CreateIncidentInputSchema = withTextRule(createIncidentInput);

const updateIncidentInput = z.object({
  number: NumberSchema,
  short_description: text(160).optional().describe('New one-line summary'),
  description: text(4000).nullable().optional().describe('New details; null clears them'),
  caller: text(100).optional().describe('New affected person'),
  category: z.enum(CATEGORIES).optional().describe('New category'),
  urgency: urgencyInput().optional(),
  impact: impactInput().optional(),
  state: StateSchema.optional().describe(
    'New state: In Progress (start work, begin work, working on it, reopen), On Hold, Resolved, Closed or Canceled. New -> In Progress/On Hold/Resolved/Canceled; In Progress -> On Hold/Resolved/Canceled; On Hold -> In Progress/Resolved/Canceled; Resolved -> In Progress (reopen)/Closed; Closed and Canceled are final',
  ),
  hold_reason: z
    .enum(HOLD_REASONS)
    .optional()
    .describe(
      'Required with state "On Hold": what it waits for: Awaiting Caller (the person who reported it to reply, send, confirm or test), Awaiting Vendor (a supplier or third party), Awaiting Change (a planned change or release), Awaiting Problem (a root-cause investigation)',
    ),
  assignment_group: text(100).nullable().optional().describe('New team (the group it is assigned or routed to); null clears it'),
  assigned_to: text(100).nullable().optional().describe('New assignee; null clears it'),
  resolution_code: z.enum(RESOLUTION_CODES).optional().describe('Required with state "Resolved": how it ended'),
  resolution_note: text(4000).optional().describe('Required with state "Resolved": what was done to fix it'),
  work_note: text(4000).optional().describe('Internal note appended to the journal (never edits earlier notes)'),
  expected_version: z
    .int()
    .min(1)
    .optional()
    .describe('The version you last read; the update is refused if someone changed the incident since'),
  idempotency_key: text(200)
    .optional()
    .describe(
      'Any unique string for this update; repeating it with the same key and arguments returns the first result instead of applying it (and its work note) again',
    ),
});
export const UpdateIncidentInputSchema = withTextRule(updateIncidentInput);

export const GetIncidentInputSchema = z.object({
  number: NumberSchema,
  include_audit: z.boolean().default(false).describe('Also return the change history: who changed which field from what to what, and when'),
});

const PriorityInputSchema = z.int().min(1).max(5);

const searchIncidentsInput = z.object({
  query: clean(z.string().max(500))
    .optional()
    .describe(
      'Full text over summary, description and work notes. Any word may match, best matches first (no need for words like "related" or "incidents"); "quoted phrase" must appear; -word or -"phrase" leaves out incidents containing it. Wi-Fi = wifi = wi fi',
    ),
  state: z
    .union([StateSchema, z.array(StateSchema).min(1).max(STATES.length)])
    .optional()
    .describe('Only these states (one or a list)'),
  active: z.boolean().optional().describe('true: only New/In Progress/On Hold; false: only Resolved/Closed/Canceled'),
  urgency: LevelInputSchema.optional().describe('Only this urgency: high, medium, low (or 1, 2, 3)'),
  impact: LevelInputSchema.optional().describe('Only this impact: high, medium, low (or 1, 2, 3)'),
  priority: z
    .union([PriorityInputSchema, z.array(PriorityInputSchema).min(1).max(5)])
    .optional()
    .describe('Only these priorities (1 Critical, 2 High, 3 Moderate, 4 Low, 5 Planning), one or a list'),
  category: z.enum(CATEGORIES).optional().describe('Only this category'),
  caller: text(100).optional().describe('Only incidents of this caller (exact, case-insensitive)'),
  assignment_group: text(100).optional().describe('Only this team (exact, case-insensitive)'),
  assigned_to: text(100).optional().describe('Only this assignee (exact, case-insensitive)'),
  opened_since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .describe('Opened at or after this ISO date-time (e.g. 2025-01-31T08:00:00Z) or date (midnight UTC)'),
  opened_until: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .describe('Opened at or before this ISO date-time, or on or before this date (the whole day, UTC)'),
  sort: z.enum(SORT_KEYS).optional().describe('Default: relevance when query is given, else opened_at'),
  order: z
    .enum(['asc', 'desc'])
    .optional()
    .describe('Default desc (newest/most relevant first); for priority default asc (1 - Critical first)'),
  limit: z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Results per page, 1-${MAX_LIMIT}`),
  offset: z.int().min(0).default(0).describe('Results to skip: pass next_offset of the previous page'),
});
export const SearchIncidentsInputSchema = withTextRule(searchIncidentsInput);

const WorkNoteSchema = z.object({
  at: z.string().describe('When it was written (ISO 8601)'),
  author: z.string().describe('Who wrote it'),
  text: z.string().describe('The note'),
});

const ValueSchema = z.union([z.string(), z.number(), z.null()]);

export const FieldChangeSchema = z.object({
  field: z.string().describe('Field name'),
  from: ValueSchema.describe('Value before'),
  to: ValueSchema.describe('Value after'),
});

const AuditEntrySchema = FieldChangeSchema.extend({
  at: z.string().describe('When (ISO 8601)'),
  actor: z.string().describe('Who changed it'),
});

const nullableText = (what: string) => z.string().nullable().describe(what);

export const IncidentSchema = z.object({
  number: z.string().describe('Incident number, e.g. INC0010001'),
  short_description: z.string().describe('One-line summary'),
  description: nullableText('Details'),
  caller: z.string().describe('Affected person'),
  opened_by: z.string().describe('Who opened it'),
  category: z.enum(CATEGORIES).describe('Category'),
  urgency: z.int().describe('1 high, 2 medium, 3 low'),
  urgency_label: z.string().describe('Urgency as a word'),
  impact: z.int().describe('1 high, 2 medium, 3 low'),
  impact_label: z.string().describe('Impact as a word'),
  priority: z.int().describe('1 Critical ... 5 Planning, derived from urgency and impact'),
  priority_label: z.string().describe('e.g. "1 - Critical"'),
  state: StateSchema.describe('Current state'),
  hold_reason: nullableText('What it waits for, when On Hold'),
  assignment_group: nullableText('Team working on it'),
  assigned_to: nullableText('Person working on it'),
  resolution_code: nullableText('How it was resolved'),
  resolution_note: nullableText('What was done'),
  version: z.int().describe('Increases with every change; pass as expected_version to update safely'),
  opened_at: z.string().describe('ISO 8601'),
  updated_at: z.string().describe('ISO 8601'),
  resolved_at: nullableText('ISO 8601, when it was last resolved'),
  closed_at: nullableText('ISO 8601, when it was closed or canceled'),
  work_notes: z.array(WorkNoteSchema).describe('Journal, oldest first'),
  audit: z.array(AuditEntrySchema).optional().describe('Field changes, oldest first (when include_audit)'),
});

export const IncidentSummarySchema = IncidentSchema.pick({
  number: true,
  short_description: true,
  state: true,
  priority: true,
  priority_label: true,
  urgency: true,
  impact: true,
  category: true,
  caller: true,
  assignment_group: true,
  assigned_to: true,
  opened_at: true,
  updated_at: true,
}).extend({
  score: z
    .number()
    .nullable()
    .describe('Relevance to the query, 0 to 1 (1: every word found in the summary; rare words count more); null without a query'),
});

export const CreateIncidentOutputSchema = z.object({
  created: z.boolean().describe('false: the idempotency key was used before and the existing incident is returned'),
  incident: IncidentSchema.describe('The incident'),
});

export const UpdateIncidentOutputSchema = z.object({
  incident: IncidentSchema.describe('The incident after the update'),
  changes: z.array(FieldChangeSchema).describe('Fields that changed (empty if none did)'),
  work_note_added: z.boolean().describe('Whether a work note was appended'),
});

export const GetIncidentOutputSchema = z.object({ incident: IncidentSchema.describe('The incident') });

export const SearchIncidentsOutputSchema = z.object({
  total: z.int().describe('Matches in all, across pages'),
  offset: z.int().describe('Offset of this page'),
  limit: z.int().describe('Page size'),
  next_offset: z.int().nullable().describe('Offset of the next page; null on the last page'),
  incidents: z.array(IncidentSummarySchema).describe('This page of matches'),
});

export type IncidentView = z.infer<typeof IncidentSchema>;
export type IncidentSummaryView = z.infer<typeof IncidentSummarySchema>;
