/**
 * Requests that run on without a verb into what another tool does ("Calculate the GCD of 96 and 128,
 * and the least common multiple of 15 and 25"): such a part is two, cut where the tools change.
 */
import type { Choice } from './choose.ts';
import { nounJoints, type Part } from './split.ts';
import { canonical } from './tokenize.ts';
import type { ToolSpec } from './toolIndex.ts';

/**
 * Parts cut where one goes on, with no verb of its own, to what another tool does: the words before the
 * joint still choose the part's tool and give all it needs, the words after it choose another tool.
 */
export function splitByTool(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  choose: (part: Part) => Choice | undefined,
  missingOf: (part: Part, choice: Choice) => number,
  verbOf: (text: string) => string | undefined,
): Part[] {
  const out: Part[] = [];
  const cut = (part: Part, choice: Choice | undefined, depth: number): void => {
    if (!choice?.fits || depth > 3) {
      out.push(part);
      return;
    }
    const verb = verbOf(part.text);
    for (const joint of nounJoints(part.text)) {
      const head: Part = { ...part, text: part.text.slice(0, joint.start) };
      const bare: Part = { index: part.index, text: part.text.slice(joint.end), start: part.start + joint.end, sequenced: false };
      // The tail read alone, else with the part's verb ("Find ... and the waiting time": find the waiting time).
      const alone = choose(bare);
      const lent = alone?.fits || verb === undefined ? undefined : { ...bare, text: `${verb} ${bare.text}` };
      const tail = lent ?? bare;
      const second = lent ? choose(lent) : alone;
      if (!second?.fits) continue;
      const first = choose(head);
      if (!first?.fits || first.tool.name === second.tool.name || missingOf(head, first) > 0) continue;
      // One of the two keeps the whole part's tool; a head that turns to another is trusted only when the tail names its own unhelped.
      if (first.tool.name !== choice.tool.name && (second.tool.name !== choice.tool.name || lent)) continue;
      out.push(head);
      cut(tail, second, depth + 1);
      return;
    }
    out.push(part);
  };
  for (const part of parts) cut(part, choices[part.index], 0);
  return out.map((part, index) => ({ ...part, index }));
}

/**
 * Neighbouring parts that choose one tool and say nothing against each other ("You decided to name your
 * character 'DragonSlayer' ... You also want to start at level 5"): sentences about one call, read as one part.
 * Parts that give one property two values ("in New York ... Also in Los Angeles") stay two calls; so do parts
 * a line break or list marker sets apart, and parts that point back at what an earlier one finds.
 */
export function joinSameTool(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  said: (part: Part, choice: Choice) => Readonly<Record<string, unknown>>,
  apart: (before: Part, part: Part) => boolean,
  join: (a: Part, b: Part) => Part,
): Part[] {
  const out: { part: Part; choice: Choice | undefined; values: Record<string, unknown> }[] = [];
  for (const part of parts) {
    const choice = choices[part.index];
    const values = choice?.fits ? { ...said(part, choice) } : {};
    const last = out.at(-1);
    const same = last?.choice?.fits && choice?.fits && last.choice.tool.name === choice.tool.name;
    if (last && same && !apart(last.part, part) && agree(last.values, values)) {
      last.part = join(last.part, part);
      Object.assign(last.values, values);
      continue;
    }
    out.push({ part, choice, values });
  }
  return out.map(({ part }, index) => ({ ...part, index }));
}

/** Whether two sets of values never give one property two different values. */
function agree(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(b).every(([key, value]) => a[key] === undefined || JSON.stringify(a[key]) === JSON.stringify(value));
}

/** Words that join the items of a list ("temperature and humidity", "median, mode and variance"). */
const COORDINATOR = /^(?:\s*,\s*|\s*,?\s+and\s+|\s*&\s*|\s*\/\s*)(?:the\s+)?$/i;
/** Where a trailing modifier may start ("... for Rome for the next 10 days"). */
const MODIFIER_START = /\s(?=(?:for|in|on|at|from|over|during|with|within|using|between)\s)/gi;

interface Mention {
  readonly tool: string;
  readonly start: number;
  readonly end: number;
}

/**
 * "Get temperature and humidity forecast for Boston and precipitation forecast for Rome for the next 10 days":
 * a part that names what several tools of one family do, by the word that tells each apart, is one request
 * per tool: the list is read once per item, a new item after the list is its own request with the part's
 * opening words, and what only the last request says at its end ("for the next 10 days") is said for each.
 */
export function splitByToolWords(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  tools: readonly ToolSpec[],
  choose: (part: Part) => Choice | undefined,
  missingOf: (part: Part, choice: Choice) => number,
): Part[] {
  const owners = ownWords(tools);
  if (owners.size === 0) return [...parts];
  // "Analyze its sentiment and entities" when a tool takes a list of analyses: the list is that tool's argument.
  const choosable = tools.flatMap((tool) =>
    tool.props.map((prop) => new Set(prop.enumValues.map((value) => canonical(String(value).toLowerCase())))),
  );
  const oneArgument = (words: readonly string[]) => choosable.some((values) => words.filter((word) => values.has(word)).length > 1);
  const out: Part[] = [];
  for (const part of parts) {
    const split = choices[part.index]?.fits ? splitPart(part, owners, choose, missingOf, oneArgument) : undefined;
    out.push(...(split ?? [part]));
  }
  return out.map((part, index) => ({ ...part, index }));
}

/** Each term of a tool's name that no other tool's name has (its verb aside), with the tool it tells apart. */
function ownWords(tools: readonly ToolSpec[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const tool of tools) for (const term of new Set(tool.nameTerms)) count.set(term, (count.get(term) ?? 0) + 1);
  const owners = new Map<string, string>();
  for (const tool of tools) {
    for (const term of tool.nameTerms) if (count.get(term) === 1 && term !== tool.verb && term.length > 2) owners.set(term, tool.name);
  }
  return owners;
}

function splitPart(
  part: Part,
  owners: ReadonlyMap<string, string>,
  choose: (part: Part) => Choice | undefined,
  missingOf: (part: Part, choice: Choice) => number,
  oneArgument: (words: readonly string[]) => boolean,
): Part[] | undefined {
  const text = part.text;
  const mentions: Mention[] = [];
  for (const match of text.matchAll(/[\p{L}]+/gu)) {
    const tool = owners.get(canonical(match[0].toLowerCase()));
    if (tool) mentions.push({ tool, start: match.index, end: match.index + match[0].length });
  }
  if (new Set(mentions.map((mention) => mention.tool)).size < 2) return undefined;
  // Mentions joined only by "and" or commas are one list.
  const groups: Mention[][] = [];
  for (const mention of mentions) {
    const group = groups.at(-1);
    const last = group?.at(-1);
    if (group && last && COORDINATOR.test(text.slice(last.end, mention.start))) {
      if (!group.some((other) => other.tool === mention.tool)) group.push(mention);
      continue;
    }
    groups.push([mention]);
  }
  if (groups.length === 1 && groups[0]!.length < 2) return undefined;
  const termsOf = (group: readonly Mention[]) => group.map((mention) => canonical(text.slice(mention.start, mention.end).toLowerCase()));
  if (groups.some((group) => group.length > 1 && oneArgument(termsOf(group)))) return undefined;
  // A later list starts a new request where the "and" or comma before it is.
  const segments: { text: string; offset: number; group: Mention[] }[] = [];
  let from = 0;
  groups.forEach((group, i) => {
    const next = groups[i + 1];
    if (!next) {
      segments.push({ text: text.slice(from), offset: from, group });
      return;
    }
    const between = text.slice(group.at(-1)!.end, next[0]!.start);
    const joint = [...between.matchAll(/\s*,\s*(?:and\s+)?|\s+and\s+/g)].at(-1);
    if (!joint) return;
    const cut = group.at(-1)!.end + joint.index;
    segments.push({ text: text.slice(from, cut), offset: from, group });
    from = cut + joint[0].length;
  });
  if (segments.length === 1 && segments[0]!.group.length < 2) return undefined;
  const opening = text.slice(0, segments[0]!.group[0]!.start - segments[0]!.offset);
  const tail = segments.at(-1)!.text;
  const out: Part[] = [];
  for (const [i, segment] of segments.entries()) {
    const first = segment.group[0]!.start - segment.offset;
    const last = segment.group.at(-1)!.end - segment.offset;
    for (const mention of segment.group) {
      const word = text.slice(mention.start, mention.end);
      const own = segment.text.slice(0, first) + word + segment.text.slice(last);
      // A later request without words of its own before the list takes the part's opening ("Get ... and precipitation forecast").
      const lent = `${opening.replace(/\b(?:the|an?)\s+$/i, '')}${own.replace(/^(?:the|an?)\s+/i, '')}`;
      const readings = i === 0 ? [own] : first === 0 ? [lent] : [own, lent];
      const later = i < segments.length - 1 ? tail : undefined;
      const read = readings.map((said) => readAs(part, said, segment.offset, mention.tool, later, choose, missingOf)).find(Boolean);
      if (!read) return undefined;
      out.push(read);
    }
  }
  return out;
}

/** A part's text read for one tool: it must choose that tool and need nothing more, with the last request's end if it helps. */
function readAs(
  part: Part,
  text: string,
  offset: number,
  tool: string,
  tail: string | undefined,
  choose: (part: Part) => Choice | undefined,
  missingOf: (part: Part, choice: Choice) => number,
): Part | undefined {
  const candidates = [
    text,
    ...[...(tail ?? '').matchAll(MODIFIER_START)].reverse().map((match) => `${text} ${tail!.slice(match.index + 1)}`),
  ];
  for (const candidate of candidates) {
    const read: Part = { index: part.index, text: candidate, start: part.start + offset, sequenced: part.sequenced };
    const choice = choose(read);
    if (choice?.fits && choice.tool.name === tool && missingOf(read, choice) === 0) return read;
  }
  return undefined;
}
