import type { BaseMessage } from '@langchain/core/messages';
import type { PropInfo } from './schema.ts';
import { findQuotes } from './split.ts';
import { canonical } from './tokenize.ts';
import { ORDINALS } from './vocabulary.ts';

/** Something the thread holds that a later request may point back at: a tool result, or a message. */
export interface Observation {
  /** The human turn it belongs to, from 1. */
  readonly turn: number;
  readonly source: 'tool' | 'human' | 'ai';
  readonly toolName: string | undefined;
  readonly callId: string | undefined;
  readonly args: Readonly<Record<string, unknown>> | undefined;
  /** Structured content when the result is JSON (MCP `structuredContent` preferred). */
  readonly data: unknown;
  readonly text: string;
  readonly isError: boolean;
}

const URL_VALUE = /^(?:https?:\/\/|www\.|data:)\S+$/i;
const EMAIL_VALUE = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/;
// INC0010001, ENG-301, and the lower-case prefixed codes APIs mint (sh_101, cus_100, pi_3Nx8).
const ID_VALUE = /^(?:[A-Z][A-Z\d]{1,9}[-_]?\d{3,}|[a-z]{1,6}_[A-Za-z\d]*\d[A-Za-z\d]*)$/;
const POINTERS = new Set(['it', 'its', "it's", 'them', 'their', 'they', 'those', 'these', 'same', 'former', 'latter', 'above']);
const DETERMINERS = new Set(['the', 'that', 'this', 'those', 'these']);
/** Words after a noun that describe which one is meant, so the noun is searched for, not pointed at. */
const QUALIFIERS = new Set([
  'about',
  'for',
  'on',
  'regarding',
  'concerning',
  'with',
  'where',
  'which',
  'that',
  'whose',
  'from',
  'in',
  'of',
]);

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** The text of message content: a string, or the text of its content blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  const blocks = Array.isArray(content) ? content : content && typeof content === 'object' ? [content] : [];
  return blocks
    .map((block) => (typeof block === 'string' ? block : block && typeof block === 'object' && 'text' in block ? String(block.text) : ''))
    .filter(Boolean)
    .join('\n');
}

function structuredOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = structuredOf(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.structuredContent !== undefined) return record.structuredContent;
    if (record.type === 'mcp_structured_content') return record.data;
  }
  return undefined;
}

/** A tool message's result: its JSON (structured content preferred), its text, and whether it failed. */
export function readToolResult(message: BaseMessage): { data: unknown; text: string; isError: boolean } {
  const content: unknown = message.content;
  let text = contentText(content);
  const parsed = parseJson(text);
  let data = structuredOf(content) ?? structuredOf((message as { artifact?: unknown }).artifact) ?? structuredOf(parsed) ?? parsed;
  if (parsed && typeof parsed === 'object' && 'content' in parsed && Array.isArray(parsed.content)) {
    text = contentText(parsed.content);
    data ??= parseJson(text);
  }
  const status = (message as { status?: string }).status;
  return { data, text, isError: status === 'error' || /^\s*error\b/i.test(text) };
}

/** Every tool result and message of a thread, in order, with the turn it belongs to. */
export function collectObservations(messages: readonly BaseMessage[]): Observation[] {
  const calls = new Map<string, { name: string; args: Record<string, unknown> }>();
  const observations: Observation[] = [];
  let turn = 0;
  for (const message of messages) {
    const type = message.getType();
    if (type === 'human') turn += 1;
    if (type === 'ai') {
      for (const call of (message as { tool_calls?: { id?: string; name: string; args: Record<string, unknown> }[] }).tool_calls ?? []) {
        if (call.id) calls.set(call.id, { name: call.name, args: call.args });
      }
    }
    if (type === 'tool') {
      const callId = (message as { tool_call_id?: string }).tool_call_id;
      const call = callId ? calls.get(callId) : undefined;
      const result = readToolResult(message);
      observations.push({ turn, source: 'tool', toolName: call?.name ?? message.name, callId, args: call?.args, ...result });
    } else if (type === 'human' || type === 'ai') {
      const text = contentText(message.content);
      if (text.trim())
        observations.push({
          turn,
          source: type === 'human' ? 'human' : 'ai',
          toolName: undefined,
          callId: undefined,
          args: undefined,
          data: undefined,
          text,
          isError: false,
        });
    }
  }
  return observations;
}

/** Whether a part points back at something earlier: "it", "its", "that incident", "the first result". */
export function refersBack(text: string, nouns: ReadonlySet<string>): boolean {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  return words.some((word, i) => {
    if (POINTERS.has(word)) return true;
    if (!DETERMINERS.has(word)) return false;
    const next = words.slice(i + 1, i + 3);
    const at = next.findIndex(
      (after: string) => ['result', 'results', 'one', 'ones', 'same', 'above', 'previous'].includes(after) || nouns.has(canonical(after)),
    );
    // "the incident about the payroll backup" describes what to look for; "that incident" points back.
    const after = i + 2 + at;
    return at >= 0 && !(QUALIFIERS.has(words[after] ?? '') && after + 1 < words.length);
  });
}

/** Which item a part means: "the second one" -> 1, "the last" -> -1; default 0. */
export function ordinalIn(text: string): number {
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const ordinal = ORDINALS[word];
    if (ordinal !== undefined) return ordinal;
  }
  return 0;
}

function accepts(prop: PropInfo, value: string): boolean {
  if (prop.pattern) return [...value.matchAll(prop.pattern)].some((match) => match[0] === value);
  if (prop.kind === 'url') return URL_VALUE.test(value);
  if (prop.kind === 'email') return EMAIL_VALUE.test(value);
  if (prop.kind === 'enum') return prop.enumValues.map(String).includes(value);
  return ID_VALUE.test(value);
}

function walk(value: unknown, visit: (key: string, value: unknown) => void, key = ''): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit, key);
  else if (value && typeof value === 'object') for (const [name, inner] of Object.entries(value)) walk(inner, visit, name);
  else visit(key, value);
}

const CONTENT_KEY = /^(?:content|text|body|summary|description|snippet|message|raw_content|answer)$/i;

/** The main text of a record: its content-like field, else its longest prose string (not a url). */
function mainText(record: unknown): string | undefined {
  let best: string | undefined;
  let bestContent: string | undefined;
  walk(record, (key, value) => {
    if (typeof value !== 'string' || value.length < 20 || URL_VALUE.test(value)) return;
    if (CONTENT_KEY.test(key) && (bestContent === undefined || value.length > bestContent.length)) bestContent = value;
    if (best === undefined || value.length > best.length) best = value;
  });
  return bestContent ?? best;
}

function firstList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value.some((item) => item && typeof item === 'object') ? value : undefined;
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) {
      const found = firstList(inner);
      if (found) return found;
    }
  }
  return undefined;
}

/** A whole number that names a record (`monitor_id`, `ticket_id`), pointed back at as identifiers are. */
export function numericIdentifier(prop: PropInfo): boolean {
  return prop.kind === 'number' && prop.integer && prop.words.at(-1) === 'id';
}

function candidates(prop: PropInfo, observation: Observation, ordinal: number): unknown[] {
  const fromArgs = observation.args?.[prop.name];
  if (prop.kind === 'text') {
    if (observation.source !== 'tool') return [];
    if (typeof fromArgs === 'string') return [fromArgs];
    const list = firstList(observation.data);
    const item = list ? list.at(ordinal) : observation.data;
    const text = item === undefined ? undefined : typeof item === 'string' ? item : mainText(item);
    return text ? [text] : observation.data === undefined && observation.text.trim() ? [observation.text.trim()] : [];
  }
  if (numericIdentifier(prop)) {
    // "Mute it": a record's number under the property's own name, or under `id` for `monitor_id`.
    const numbers: number[] = [];
    walk(observation.data, (key, value) => {
      if (typeof value === 'number' && Number.isInteger(value) && (key === prop.name || prop.words.includes(key.toLowerCase())))
        numbers.push(value);
    });
    if (typeof fromArgs === 'number') numbers.push(fromArgs);
    return [...new Set(numbers)];
  }
  if (!['identifier', 'url', 'email', 'enum'].includes(prop.kind)) return [];
  const keyed: string[] = [];
  const loose: string[] = [];
  walk(observation.data, (key, value) => {
    if (typeof value !== 'string' || !accepts(prop, value)) return;
    const sameKey = key === prop.name || prop.words.includes(key.toLowerCase());
    (sameKey ? keyed : loose).push(value);
  });
  const values = keyed.length > 0 ? keyed : prop.pattern || prop.kind === 'url' || prop.kind === 'email' ? loose : [];
  if (values.length === 0 && prop.kind !== 'enum') {
    for (const word of observation.text.split(/[\s,;()"'<>]+/)) {
      const cleaned = word.replace(/[.:!?]+$/, '');
      if (cleaned && accepts(prop, cleaned)) values.push(cleaned);
    }
  }
  if (typeof fromArgs === 'string' && accepts(prop, fromArgs)) values.push(fromArgs);
  return [...new Set(values)];
}

/** The value a property points back at: the newest observation holding one, by ordinal. */
export function resolveFrom(prop: PropInfo, newestFirst: readonly Observation[], ordinal: number): unknown {
  for (const observation of newestFirst) {
    if (observation.isError) continue;
    const found = candidates(prop, observation, ordinal);
    if (found.length === 0) continue;
    const value = prop.kind === 'text' ? found[0] : found.at(ordinal);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Words that name a piece of text one can point back at ("that text", "this complaint", "the email above"). */
const TEXT_NOUNS = 'text|email|e-mail|message|complaint|note|comment|paragraph|feedback|review|quote|passage|reply|wording';
const TEXT_POINTER = new RegExp(
  `(?:\\b(?:that|this|said|the\\s+same|the\\s+above)\\s+(?:(?:customer|user|original)\\s+)?(?:${TEXT_NOUNS})\\b` +
    // "the email about the outage" says which to look for; "this message from a customer" points all the same.
    `|\\bthe\\s+(?:(?:customer|user|original)\\s+)?(?:${TEXT_NOUNS})\\b(?!\\s+(?:about|for|on|from|of|to|with)\\b)` +
    `|\\b(?:add|put|paste|post|copy|log|use|save|include)\\s+(?:that|this|it)\\s+(?:as|in|into|to|on)\\b)`,
  'i',
);

/** Whether a part points back at a piece of text said or used earlier: "sentiment of that text", "add that as a work note". */
export function pointsAtText(text: string): boolean {
  return TEXT_POINTER.test(text);
}

/** "Pull out the names in it", "the sentiment of this": a part that ends pointing at something it holds words of. */
const IT_HELD = /\b(?:in|of|from|on)\s+(?:it|this|that)\s*[?.!]*$/i;

/** Whether a part ends pointing at the thing it reads words in ("the names in it"); a quoted text is what that is. */
export function pointsAtIt(text: string): boolean {
  return IT_HELD.test(text.trim());
}

/**
 * The text an earlier turn was about, newest turn first: what its message quoted (or gave after a
 * colon), else the longest text its tools were called with.
 */
export function earlierText(newestFirst: readonly Observation[]): string | undefined {
  const turns = [...new Set(newestFirst.map((observation) => observation.turn))];
  for (const turn of turns) {
    const ofTurn = newestFirst.filter((observation) => observation.turn === turn);
    for (const message of ofTurn.filter((observation) => observation.source === 'human')) {
      const quotes = findQuotes(message.text)
        .map((quote) => quote.text.trim())
        .filter((quote) => quote.split(/\s+/).length >= 3);
      const longest = quotes.sort((a, b) => b.length - a.length)[0];
      if (longest) return longest;
    }
    const used = ofTurn
      .filter((observation) => observation.source === 'tool' && !observation.isError)
      .flatMap((observation) => Object.values(observation.args ?? {}))
      .filter((value): value is string => typeof value === 'string' && value.split(/\s+/).length >= 4 && !URL_VALUE.test(value));
    const longest = used.sort((a, b) => b.length - a.length)[0];
    if (longest) return longest;
  }
  return undefined;
}

/** "add its link as a work note", "the link to the article": a part that points at the address of what was found. */
const LINK_POINTER = /\b(?:its|the|that|this|their|article'?s|page'?s|result'?s)\s+(?:link|url|web\s+address|address)\b/i;

/** The address a part points back at ("its link", "the url"): the first one in the newest result that holds one. */
export function pointedLink(text: string, newestFirst: readonly Observation[]): string | undefined {
  if (!LINK_POINTER.test(text)) return undefined;
  for (const observation of newestFirst) {
    if (observation.isError || observation.source !== 'tool') continue;
    let found: string | undefined;
    walk(observation.data, (key, value) => {
      if (found === undefined && typeof value === 'string' && /^https?:\/\//i.test(value) && URL_VALUE.test(value)) found = value;
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What the newest earlier turn was about: the longest text (two words or more, no address) its tools were called with. */
export function earlierSubject(newestFirst: readonly Observation[]): string | undefined {
  const turn = newestFirst.find((observation) => observation.source === 'tool' && !observation.isError)?.turn;
  if (turn === undefined) return undefined;
  return newestFirst
    .filter((observation) => observation.turn === turn && observation.source === 'tool' && !observation.isError)
    .flatMap((observation) => Object.values(observation.args ?? {}))
    .filter((value): value is string => typeof value === 'string' && /\S\s+\S/.test(value) && !URL_VALUE.test(value))
    .sort((a, b) => b.length - a.length)[0];
}

const NEWEST = /\b(?:latest|last|newest|most\s+recent|recent)\b/i;
const MIN_RECORD_WORDS = 3;

/** The words of a field's name, singular ("work_notes" -> work, note). */
function fieldWords(key: string): string[] {
  return key
    .toLowerCase()
    .split(/[_\s-]+|(?<=[a-z])(?=[A-Z])/)
    .map((word) => word.replace(/s$/, ''));
}

function longestString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return undefined;
  return Object.values(value)
    .filter((entry): entry is string => typeof entry === 'string')
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * "tell me whether its latest note sounds positive": the text of the field of the record just read that the part
 * names (the newest entry of a list, "its latest note"), from the newest result that has such a field.
 */
export function pointedField(text: string, newestFirst: readonly Observation[]): string | undefined {
  const words = new Set((text.toLowerCase().match(/\p{L}{3,}/gu) ?? []).map((word) => word.replace(/s$/, '')));
  for (const observation of newestFirst) {
    if (observation.source !== 'tool' || observation.isError) continue;
    const record = (value: unknown): value is Record<string, unknown> =>
      value !== null && typeof value === 'object' && !Array.isArray(value);
    if (!record(observation.data)) continue;
    // A result that wraps the one record it returns ({ incident: {...} }) is read inside.
    const values = Object.values(observation.data);
    const data = values.length === 1 && record(values[0]) ? values[0] : observation.data;
    for (const [key, value] of Object.entries(data)) {
      const named = fieldWords(key);
      if (!named.some((word) => word.length > 2 && words.has(word))) continue;
      const entries = Array.isArray(value) ? value : [value];
      const found = longestString(NEWEST.test(text) || Array.isArray(value) ? entries.at(-1) : entries[0]);
      if (found !== undefined && found.split(/\s+/).length >= MIN_RECORD_WORDS) return found;
    }
  }
  return undefined;
}
