import nlp from 'compromise';
import type { AnalysisEngine, ParsedText } from './engine.ts';

/** Entity kinds this agent reports. */
export const ENTITY_TYPES = ['people', 'organizations', 'places', 'dates', 'emails', 'urls', 'money'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** One occurrence: `text === source.slice(start, end)`. Dates carry wink's kind (date, time, duration). */
export interface FoundEntity {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly kind?: string;
}

/** Occurrences by kind, each list in text order. */
export type EntityGroups = Record<EntityType, FoundEntity[]>;

export function emptyGroups(): EntityGroups {
  return { people: [], organizations: [], places: [], dates: [], emails: [], urls: [], money: [] };
}

const WINK_TYPES: Readonly<Record<string, EntityType>> = {
  DATE: 'dates',
  TIME: 'dates',
  DURATION: 'dates',
  EMAIL: 'emails',
  URL: 'urls',
  MONEY: 'money',
};

// wink's URL pattern swallows the sentence's closing punctuation ("…/madrid.").
const TRAILING_URL_PUNCTUATION = /[.,;:!?)\]'"]+$/;

/** Dates, times, durations, emails, urls and money from wink's entity recogniser. */
export function winkEntities(engine: AnalysisEngine, parsed: ParsedText, into: EntityGroups): void {
  for (const entity of parsed.entities) {
    const group = WINK_TYPES[entity.type];
    if (!group) continue;
    const { start } = engine.span(parsed, entity.first, entity.last);
    let { end } = engine.span(parsed, entity.first, entity.last);
    if (group === 'urls') end -= TRAILING_URL_PUNCTUATION.exec(parsed.text.slice(start, end))?.[0].length ?? 0;
    if (end <= start) continue;
    const found: FoundEntity = { text: parsed.text.slice(start, end), start, end };
    into[group].push(group === 'dates' ? { ...found, kind: entity.type.toLowerCase() } : found);
  }
}

// compromise's term, with the offset `compute('offset')` adds (not in its typings).
interface OffsetTerm {
  readonly text: string;
  readonly post: string;
  readonly offset?: { readonly start: number; readonly length: number };
}

type Doc = ReturnType<typeof nlp>;
// Any compromise selection: each match is a list of terms.
interface Matches {
  readonly docs: unknown;
}

/**
 * People, organisations and places that compromise finds in `text.slice(from, to)`, with
 * offsets into the whole text. `from..to` should hold whole sentences (compromise never
 * matches across one); an entity cut by a range boundary inside a sentence is missed.
 */
export function namedEntities(text: string, from: number, to: number, into: EntityGroups): void {
  const doc = nlp(text.slice(from, to));
  doc.compute('offset');
  collect(doc.people(), text, from, into.people);
  collect(organizations(doc), text, from, into.organizations);
  // compromise keeps "Dublin, Ireland" as one place; each part is a place of its own.
  collect(doc.places(), text, from, into.places, true);
}

// compromise's organisations plus proper nouns it left unclassified that sit where only an
// organisation fits: coordinated with one ("Walmart and Target") or after a person and a
// preposition ("Rachel Green from Deloitte").
function organizations(doc: Doc): Matches {
  const unclassified = '(#Person|#Place|#Date|#Value|#Organization)';
  const coordinated = doc.match('#Organization+ #Conjunction [#ProperNoun+]', 0).not(unclassified);
  const coordinatedBefore = doc.match('[#ProperNoun+] #Conjunction #Organization', 0).not(unclassified);
  const affiliated = doc.match('#Person+ #Preposition [#ProperNoun+]', 0).not(unclassified);
  return doc.organizations().concat(coordinated).concat(coordinatedBefore).concat(affiliated);
}

function collect(view: Matches, text: string, base: number, into: FoundEntity[], splitAtCommas = false): void {
  const seen = new Set(into.map((entity) => entity.start));
  for (const terms of view.docs as unknown as OffsetTerm[][]) {
    for (const part of splitAtCommas ? splitAtComma(terms) : [terms]) {
      const found = locate(part, text, base);
      if (found && !seen.has(found.start)) {
        seen.add(found.start);
        into.push(found);
      }
    }
  }
  into.sort((a, b) => a.start - b.start);
}

function splitAtComma(terms: readonly OffsetTerm[]): OffsetTerm[][] {
  const parts: OffsetTerm[][] = [[]];
  terms.forEach((term, index) => {
    parts.at(-1)?.push(term);
    if (term.post.includes(',') && index < terms.length - 1) parts.push([]);
  });
  return parts.filter((part) => part.length > 0);
}

// Character span of a run of terms, checked against the text; `undefined` when it does not match.
function locate(terms: readonly OffsetTerm[], text: string, base: number): FoundEntity | undefined {
  const first = terms[0];
  const last = terms.at(-1);
  if (!first?.offset || !last?.offset) return undefined;
  const start = base + first.offset.start;
  const end = base + last.offset.start + last.offset.length;
  if (!text.startsWith(first.text, start) || !text.startsWith(last.text, end - last.text.length)) return undefined;
  return { text: text.slice(start, end), start, end };
}
