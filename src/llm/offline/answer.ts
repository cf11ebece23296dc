import type { Observation } from './references.ts';
import type { PropInfo } from './schema.ts';
import { humanize, splitName } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';

/** What became of one part of a request, for the final answer. */
export type Outcome =
  | { readonly kind: 'done'; readonly part: string; readonly tool: string; readonly results: readonly Observation[] }
  | { readonly kind: 'unmatched'; readonly part: string; readonly closest: readonly ToolSpec[] }
  | { readonly kind: 'missing'; readonly part: string; readonly tool: ToolSpec; readonly missing: readonly PropInfo[] }
  | { readonly kind: 'blocked'; readonly part: string; readonly tool: string; readonly reason: string };

const ID_KEY = /^(?:number|id|key|uuid|code|[a-z]+_id|[a-z]+Id)$/;
const TITLE_KEY = /^(?:title|name|short_description|subject|headline|summary|message|conditions)$/;
const PREFERRED = [
  'state',
  'status',
  'label',
  'tone',
  'priority_label',
  'urgency_label',
  'impact_label',
  'score',
  'total',
  'created',
  'changes',
];
const SKIPPED_KEY = /(?:_at|_ms|^offset|^limit|^next_offset|^version|^start|^end|^index)$/;
const MAX_ITEMS = 3;

/** The first sentence of a description ("e.g." and "i.e." do not end one). */
function firstSentence(text: string): string {
  const match = text.match(/^.*?[.!?](?<!\be\.g\.)(?<!\bi\.e\.)(?=\s|$)/s);
  return (match?.[0] ?? text).replace(/\.$/, '').trim();
}

function label(name: string): string {
  const { prefix, words } = splitName(name);
  const text = words.join(' ');
  const head = text.charAt(0).toUpperCase() + text.slice(1);
  return prefix.length > 0 && !words.includes(prefix[prefix.length - 1] ?? '') ? `${head} (${prefix.join(' ')})` : head;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' && value.trim()) return value.length > 300 ? `${value.slice(0, 297).trimEnd()}…` : value;
  return undefined;
}

/** One line for a record: its identifier, title and a few telling fields. */
function describeRecord(record: Record<string, unknown>, room = 4): string {
  const entries = Object.entries(record);
  const id = entries.find(([key, value]) => ID_KEY.test(key) && scalar(value) !== undefined);
  const title = entries.find(([key, value]) => TITLE_KEY.test(key) && typeof value === 'string' && value !== id?.[1]);
  const url = entries.find(([key, value]) => /^(?:url|uri|link)$/.test(key) && typeof value === 'string');
  const rest = entries
    .filter(
      ([key, value]) => key !== id?.[0] && key !== title?.[0] && key !== url?.[0] && !SKIPPED_KEY.test(key) && scalar(value) !== undefined,
    )
    .filter(([, value]) => typeof value !== 'string' || value.length <= 80)
    .sort(([a], [b]) => (PREFERRED.indexOf(a) + 1 || 99) - (PREFERRED.indexOf(b) + 1 || 99))
    .slice(0, room)
    .map(([key, value]) => `${key.replace(/_/g, ' ')} ${scalar(value)}`);
  const head = [id ? scalar(id[1]) : undefined, title ? `"${scalar(title[1])}"` : undefined, url ? scalar(url[1]) : undefined]
    .filter(Boolean)
    .join(' ');
  if (!head) return rest.join(', ');
  return rest.length > 0 ? `${head} (${rest.join(', ')})` : head;
}

/** A readable summary of structured content: the record, or a count and the first items of a list. */
export function describeData(data: unknown): string {
  if (Array.isArray(data)) {
    const items = data
      .slice(0, MAX_ITEMS)
      .map((item) => `\n   - ${item && typeof item === 'object' ? describeRecord(item as Record<string, unknown>, 2) : scalar(item)}`);
    return `${data.length} item(s)${items.join('')}${data.length > MAX_ITEMS ? `\n   - … and ${data.length - MAX_ITEMS} more` : ''}`;
  }
  if (!data || typeof data !== 'object') return scalar(data) ?? '';
  const record = data as Record<string, unknown>;
  const nested = Object.entries(record).filter(([, value]) => value && typeof value === 'object' && !Array.isArray(value));
  const lists = Object.entries(record).filter(
    ([, value]) => Array.isArray(value) && value.some((item) => item && typeof item === 'object'),
  );
  const main = nested.find(([, value]) => Object.keys(value as object).some((key) => ID_KEY.test(key) || TITLE_KEY.test(key)));
  const parts: string[] = [];
  const own = describeRecord(Object.fromEntries(Object.entries(record).filter(([, value]) => !value || typeof value !== 'object')));
  if (main) parts.push(describeRecord(main[1] as Record<string, unknown>));
  if (own) parts.push(own);
  const [listKey, list] = lists[0] ?? [];
  if (Array.isArray(list) && (!main || list.length > 0)) {
    const items = list.slice(0, MAX_ITEMS).map((item) => `\n   - ${describeRecord(item as Record<string, unknown>, 2)}`);
    const more = list.length > MAX_ITEMS ? `\n   - … and ${list.length - MAX_ITEMS} more` : '';
    parts.push(`${list.length} ${String(listKey).replace(/_/g, ' ')}${items.join('')}${more}`);
  }
  return parts.join('; ');
}

function describeText(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim());
  const shown = lines.slice(0, 4).join('\n   ');
  const clipped = shown.length > 500 ? `${shown.slice(0, 497)}…` : shown;
  return lines.length > 4 ? `${clipped}\n   …` : clipped;
}

/** One result in a sentence or a few lines; errors say so plainly. */
export function describeResult(observation: Observation): string {
  if (observation.isError) {
    const reason = observation.text
      .replace(/^\s*error:?\s*/i, '')
      .replace(/\s*Please fix your mistakes\.?\s*$/i, '')
      .trim();
    return `failed: ${reason || 'the tool reported an error'}`;
  }
  const fromData = observation.data === undefined ? '' : describeData(observation.data);
  return fromData || describeText(observation.text) || 'done (no output)';
}

function describeProp(prop: PropInfo): string {
  const choices = prop.enumValues.filter((value) => typeof value === 'string' && !/^\d+$/.test(value));
  const lowerSeen = new Set<string>();
  const unique = choices.filter((value) => !lowerSeen.has(String(value).toLowerCase()) && lowerSeen.add(String(value).toLowerCase()));
  const detail = unique.length > 0 ? `one of ${unique.join(', ')}` : firstSentence(prop.description);
  return detail ? `${prop.name} (${detail})` : prop.name;
}

/** The question to ask for one part that could not be done. */
export function clarification(outcome: Exclude<Outcome, { kind: 'done' }>): string {
  if (outcome.kind === 'unmatched') {
    const closest = outcome.closest.map((tool) => `${tool.name} (${firstSentence(tool.description)})`);
    const hint = closest.length > 0 ? ` The closest I have: ${closest.join('; ')}.` : '';
    return `I have no tool for "${outcome.part}".${hint} Could you rephrase it, or tell me which tool to use?`;
  }
  if (outcome.kind === 'missing') {
    return `To ${humanize(outcome.tool.name)} for "${outcome.part}" I need ${outcome.missing.map(describeProp).join(' and ')}. What should ${outcome.missing.length > 1 ? 'they' : 'it'} be?`;
  }
  return `I did not run ${label(outcome.tool)} for "${outcome.part}": ${outcome.reason}. Should I try again with other details?`;
}

/** The final answer: what each part's tool returned, then questions for the parts that could not be done. */
export function composeAnswer(outcomes: readonly Outcome[]): string {
  const done = outcomes.filter((outcome) => outcome.kind === 'done');
  const questions = outcomes.filter((outcome) => outcome.kind !== 'done').map(clarification);
  const lines = done.flatMap((outcome) =>
    outcome.results.length === 0
      ? [`${label(outcome.tool)}: no result came back.`]
      : outcome.results.map((result) => `${label(outcome.tool)}: ${describeResult(result)}`),
  );
  if (lines.length === 0) return questions.join('\n');
  const failed = done.some((outcome) => outcome.results.some((result) => result.isError));
  const intro = failed ? 'Here is what I did (not everything worked):' : 'Here is what I found:';
  const body = lines.length === 1 ? [lines[0] ?? ''] : [intro, ...lines.map((line, i) => `${i + 1}. ${line}`)];
  return [...body, ...(questions.length > 0 ? ['', ...questions] : [])].join('\n');
}
