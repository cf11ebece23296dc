import type { Observation } from './references.ts';
import type { PropInfo } from './schema.ts';
import { humanize, splitName, terms } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';

/** What became of one part of a request, for the final answer. */
export type Outcome =
  | { readonly kind: 'done'; readonly part: string; readonly tool: string; readonly results: readonly Observation[] }
  | { readonly kind: 'unmatched'; readonly part: string; readonly closest: readonly ToolSpec[] }
  | { readonly kind: 'missing'; readonly part: string; readonly tool: ToolSpec; readonly missing: readonly PropInfo[] }
  | { readonly kind: 'blocked'; readonly part: string; readonly tool: string; readonly reason: string };

const ID_KEY = /^(?:number|id|key|uuid|code|[a-z]+_id|[a-z]+Id)$/;
/** Keys that title a record, best first: any schema's names for a one-line heading. */
const TITLE_KEYS: readonly RegExp[] = [
  /^(?:title|name|subject|headline)$/i,
  /(?:^|_)(?:title|name|subject)$/i,
  /(?:^|_)(?:description|summary|message|conditions)$/i,
];
/** Single-word keys that tell a record's standing in any domain. */
const TELLING = ['state', 'status', 'label', 'tone', 'score', 'total', 'result', 'value', 'answer'];
const SKIPPED_KEY = /(?:_at|_ms|^offset|^limit|^next_offset|^version|^start|^end|^index|^created|^backend|^query)$/;
/** A short proper name as a value ("Marc Dubois", "Hardware Support", "Awaiting Change"): who or what holds a record. */
const PROPER_NAME = /^\p{Lu}[\p{L}'’.-]*(?: (?:\p{Lu}[\p{L}'’.-]*|&|of|and|de|van|von)){1,3}$/u;
const MAX_ITEMS = 3;
const MAX_LISTED = 8;

/** Which keys a request asks about: the request's words found in a key ("who is it assigned to" -> assigned_to). */
export type Asked = (key: string) => boolean;
const NOTHING_ASKED: Asked = () => false;

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

function titleOf(entries: readonly [string, unknown][], id: string | undefined): [string, unknown] | undefined {
  for (const pattern of TITLE_KEYS) {
    const found = entries.find(([key, value]) => pattern.test(key) && typeof value === 'string' && value.trim() !== '' && value !== id);
    if (found) return found;
  }
  return undefined;
}

/** Suffixes of a field that spells out another's code in words ("urgency": 1, "urgency_label": "1 - High"). */
const LABEL_SUFFIX = /^(.+?)_?(?:label|name|display|text|description)$/i;

/** A record's fields with a coded value replaced by its label in words, and the label's own field dropped. */
function withLabels(entries: readonly [string, unknown][]): [string, unknown][] {
  const labels = new Map<string, string>();
  for (const [key, value] of entries) {
    const base = LABEL_SUFFIX.exec(key)?.[1];
    if (base && typeof value === 'string' && entries.some(([other, coded]) => other === base && typeof coded === 'number'))
      labels.set(base, key);
  }
  const dropped = new Set(labels.values());
  return entries
    .filter(([key]) => !dropped.has(key))
    .map(([key, value]): [string, unknown] => {
      const label = labels.get(key);
      return label === undefined ? [key, value] : [key, entries.find(([other]) => other === label)?.[1]];
    });
}

/**
 * One line for a record: its identifier, title and link, the fields the request asks about (named
 * in words), and a few one-word fields that tell its standing. Other multi-word fields are left out:
 * a person wants the facts, not the record's field names.
 */
function describeRecord(record: Record<string, unknown>, asked: Asked, room = 3): string {
  const entries = withLabels(Object.entries(record));
  const id = entries.find(([key, value]) => ID_KEY.test(key) && scalar(value) !== undefined);
  const title = titleOf(entries, typeof id?.[1] === 'string' ? id[1] : undefined);
  const url = entries.find(([key, value]) => /^(?:url|uri|link|href)$/.test(key) && typeof value === 'string');
  const used = new Set([id?.[0], title?.[0], url?.[0]]);
  const shown = (key: string, value: unknown) => !used.has(key) && !SKIPPED_KEY.test(key) && scalar(value) !== undefined;
  const wanted = entries
    .filter(([key, value]) => asked(key) && shown(key, value))
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${scalar(value)}`);
  // Who or what holds the record (people, teams, what it waits for) tells its standing too, whatever the field is called.
  const named = (value: unknown) => typeof value === 'string' && PROPER_NAME.test(value.trim());
  const rank = ([key, value]: [string, unknown]) => TELLING.indexOf(key) + 1 || (named(value) ? 50 : 99);
  const telling = entries
    .filter(([key, value]) => (named(value) || (!key.includes('_') && !/[A-Z]/.test(key))) && !asked(key) && shown(key, value))
    // A flag nobody asked about ("truncated no") tells nothing.
    .filter(([, value]) => typeof value !== 'boolean' && (typeof value !== 'string' || value.length <= 80))
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, Math.max(0, room - wanted.length))
    .map(([key, value]) => `${key.replace(/_/g, ' ')} ${scalar(value)}`);
  const rest = [...wanted, ...telling];
  const head = [id ? scalar(id[1]) : undefined, title ? `"${scalar(title[1])}"` : undefined, url ? scalar(url[1]) : undefined]
    .filter(Boolean)
    .join(' ');
  if (!head) return rest.join(', ');
  return rest.length > 0 ? `${head} (${rest.join(', ')})` : head;
}

function isRecordList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => item && typeof item === 'object' && !Array.isArray(item));
}

/** The words of a found item: its text, value or name (an entity, a keyword). */
function itemWords(item: Record<string, unknown>): string | undefined {
  for (const key of ['text', 'value', 'name', 'phrase', 'term', 'title']) if (typeof item[key] === 'string') return item[key];
  return undefined;
}

/** An item's identifier, when it has one. */
function idOf(item: Record<string, unknown>): string | undefined {
  const found = Object.entries(item).find(([key, value]) => ID_KEY.test(key) && scalar(value) !== undefined);
  return found ? scalar(found[1]) : undefined;
}

function listLines(list: readonly Record<string, unknown>[], asked: Asked): string {
  const items = list.slice(0, MAX_ITEMS).map((item) => `\n   - ${describeRecord(item, asked, 2)}`);
  const rest = list.slice(MAX_ITEMS);
  if (rest.length === 0) return items.join('');
  // The others by their identifiers, so the person can ask for any of them.
  const ids = rest.map(idOf);
  const named = ids.every(Boolean) ? `: ${ids.slice(0, MAX_LISTED).join(', ')}${ids.length > MAX_LISTED ? ', …' : ''}` : '';
  return `${items.join('')}\n   - … and ${rest.length} more${named}`;
}

/** "1 result", "3 results": a count with its noun in the number it takes. */
function counted(count: number, noun: string): string {
  if (count !== 1) return `${count} ${noun}`;
  return `1 ${noun.replace(/ies$/, 'y').replace(/(?<=[^s])s$/, '')}`;
}

const OLD_KEY = /^(?:old|from|previous|before)(?:_?value)?$|^(?:old|previous)_/i;
const NEW_KEY = /^(?:new|to|after)(?:_?value)?$|^new_/i;
const WHAT_KEY = /^(?:field|property|attribute|key|name|column|path)$/i;
const WHEN_KEY = /(?:_at|^at|^date|^time|^when|timestamp)$/i;

/** A record's history: a list whose items each say which field changed, what it was before and after. */
function isChangeList(value: unknown): boolean {
  const has = (item: object, pattern: RegExp) => Object.keys(item).some((key) => pattern.test(key));
  return isRecordList(value) && value.every((item) => has(item, WHAT_KEY) && has(item, OLD_KEY) && has(item, NEW_KEY));
}

/** "state New → In Progress (2026-11-18), state In Progress → On Hold (2026-11-19)": the latest changes, oldest first. */
function describeChanges(list: readonly Record<string, unknown>[]): string {
  const shown = list.slice(-MAX_LISTED).map((item) => {
    const entries = Object.entries(item);
    const pick = (pattern: RegExp) => entries.find(([key]) => pattern.test(key))?.[1];
    const what = scalar(pick(WHAT_KEY));
    const before = scalar(pick(OLD_KEY)) ?? '(none)';
    const after = scalar(pick(NEW_KEY)) ?? '(none)';
    const when = scalar(pick(WHEN_KEY));
    return `${what ? `${what.replace(/_/g, ' ')} ` : ''}${before} → ${after}${when ? ` (${when.slice(0, 10)})` : ''}`;
  });
  return `${list.length > MAX_LISTED ? '… ' : ''}${shown.join(', ')}`;
}

/** A readable summary of structured content: the record, its findings by kind, or a count and the first items of a list. */
export function describeData(data: unknown, asked: Asked = NOTHING_ASKED, depth = 0): string {
  if (Array.isArray(data)) {
    if (isRecordList(data)) return `${data.length} item(s)${listLines(data, asked)}`;
    return data
      .map((item) => scalar(item))
      .filter(Boolean)
      .join(', ');
  }
  if (!data || typeof data !== 'object') return scalar(data) ?? '';
  const record = data as Record<string, unknown>;
  const entries = Object.entries(record);
  const nested = entries.filter(([, value]) => value && typeof value === 'object' && !Array.isArray(value));
  const lists = entries.filter(([, value]) => isRecordList(value));
  const main = nested.find(([, value]) =>
    Object.keys(value as object).some((key) => ID_KEY.test(key) || TITLE_KEYS.some((p) => p.test(key))),
  );
  const parts: string[] = [];
  const own = describeRecord(Object.fromEntries(entries.filter(([, value]) => !value || typeof value !== 'object')), asked);
  if (main) parts.push(describeRecord(main[1] as Record<string, unknown>, asked, 5));
  for (const [key, list] of [...entries, ...(main ? Object.entries(main[1] as object) : [])].filter(([, value]) => isChangeList(value))) {
    parts.push(`${key.replace(/_/g, ' ')}: ${describeChanges(list as Record<string, unknown>[])}`);
  }
  if (own) parts.push(own);
  // Sections of a result that ran several things ("sentiment": {...}, "entities": {...}): each told by its name, once deep.
  if (depth === 0) {
    for (const [key, value] of nested) {
      if (value === main?.[1]) continue;
      const told = describeData(value, asked, depth + 1);
      if (told) parts.push(`${key.replace(/_/g, ' ')}: ${told}`);
    }
  }
  // Findings by kind (people, places, dates ...): every kind that has any, by their words.
  const words = lists.filter(([, list]) =>
    (list as Record<string, unknown>[]).every((item) => itemWords(item) !== undefined && !ID_KEY.test(Object.keys(item)[0] ?? '')),
  );
  const byKind =
    words.length >= 2 ||
    (words.length === 1 &&
      lists.length === 1 &&
      !main &&
      !(words[0]?.[1] as Record<string, unknown>[]).some((item) => 'url' in item || Object.keys(item).some((key) => ID_KEY.test(key))));
  if (byKind) {
    for (const [key, list] of words) {
      const texts = [...new Set((list as Record<string, unknown>[]).map(itemWords))].slice(0, MAX_LISTED);
      parts.push(`${key.replace(/_/g, ' ')}: ${texts.join(', ')}`);
    }
  } else if (lists.length > 0 && !main) {
    const [listKey, list] = lists[0] ?? [];
    const items = list as Record<string, unknown>[];
    parts.push(`${counted(items.length, String(listKey).replace(/_/g, ' '))}${listLines(items, asked)}`);
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
export function describeResult(observation: Observation, asked: Asked = NOTHING_ASKED): string {
  if (observation.isError) {
    const reason = observation.text
      .replace(/^\s*error:?\s*/i, '')
      .replace(/\s*Please fix your mistakes\.?\s*$/i, '')
      .trim();
    return `failed: ${reason || 'the tool reported an error'}`;
  }
  const fromData = observation.data === undefined ? '' : describeData(observation.data, asked);
  return fromData || describeText(observation.text) || 'done (no output)';
}

function describeProp(prop: PropInfo): string {
  const choices = prop.enumValues.filter((value) => typeof value === 'string' && !/^\d+$/.test(value));
  const lowerSeen = new Set<string>();
  const unique = choices.filter((value) => !lowerSeen.has(String(value).toLowerCase()) && lowerSeen.add(String(value).toLowerCase()));
  const described = firstSentence(prop.description);
  const options = unique.length > 0 ? `one of ${unique.join(', ')}` : '';
  const detail = described && options ? `${described}: ${options}` : described || options;
  // The person reads words, not a schema's key: "hold_reason" is asked for as "the hold reason".
  const spoken =
    prop.name
      .replace(/([a-z\d])([A-Z])/g, '$1 $2')
      .replace(/[_-]+/g, ' ')
      .trim()
      .toLowerCase() || prop.name;
  const name = spoken === prop.name ? prop.name : `the ${spoken}`;
  return detail ? `${name} (${detail})` : name;
}

/** The question to ask for one part that could not be done. */
export function clarification(outcome: Exclude<Outcome, { kind: 'done' }>): string {
  if (outcome.kind === 'unmatched') {
    const closest = outcome.closest.map((tool) => `${tool.name} (${firstSentence(tool.description)})`);
    const hint = closest.length > 0 ? ` The closest I have: ${closest.join('; ')}.` : '';
    // The offline planner only maps requests onto tools; a model reads free-form ones.
    return `I have no tool for "${outcome.part}".${hint} Free-form requests need a model key (OPENAI_API_KEY, or any OpenAI-compatible server through OPENAI_BASE_URL). Could you rephrase it, or tell me which tool to use?`;
  }
  if (outcome.kind === 'missing') {
    return `To ${humanize(outcome.tool.name)} for "${outcome.part}" I need ${outcome.missing.map(describeProp).join(' and ')}. What should ${outcome.missing.length > 1 ? 'they' : 'it'} be?`;
  }
  return `I did not run ${label(outcome.tool)} for "${outcome.part}": ${outcome.reason}. Should I try again with other details?`;
}

/** The keys a request asks about: those with a word of the request ("assigned to" -> assigned_to, "priority" -> priority_label). */
export function askedBy(request: string): Asked {
  const wanted = new Set(terms(request));
  return (key) => terms(key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2')).some((term) => wanted.has(term));
}

/** The final answer: what each part's tool returned, then questions for the parts that could not be done. */
export function composeAnswer(outcomes: readonly Outcome[]): string {
  const done = outcomes.filter((outcome) => outcome.kind === 'done');
  const questions = outcomes.filter((outcome) => outcome.kind !== 'done').map(clarification);
  const lines = done.flatMap((outcome) =>
    outcome.results.length === 0
      ? [`${label(outcome.tool)}: no result came back.`]
      : outcome.results.map((result) => `${label(outcome.tool)}: ${describeResult(result, askedBy(outcome.part))}`),
  );
  if (lines.length === 0) return questions.join('\n');
  const failed = done.some((outcome) => outcome.results.some((result) => result.isError));
  const intro = failed ? 'Here is what I did (not everything worked):' : 'Here is what I found:';
  const body = lines.length === 1 ? [lines[0] ?? ''] : [intro, ...lines.map((line, i) => `${i + 1}. ${line}`)];
  return [...body, ...(questions.length > 0 ? ['', ...questions] : [])].join('\n');
}
