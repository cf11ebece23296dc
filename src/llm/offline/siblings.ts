/**
 * A part that fits no tool on its own words, beside a part that fits one ("What was the Treaty of Paris about?
 * Also, what was the importance of Magna Carta in history?"): when it asks something and gives, in its own words,
 * every value that tool needs, it is one more request of that tool, not half of its neighbour.
 */
import type { Choice } from './choose.ts';
import type { Part } from './split.ts';

/** "Treaty of Paris", "Magna Carta": a text value that names something, not leftover words ("information", "U.S"). */
const NAMING = /(?:^|[^\p{L}])\p{Lu}\p{Ll}{2,}/u;

/** Whether a value read from a part's own words is one it says outright: a number, a choice, a name. */
export function ownValue(value: unknown): boolean {
  return typeof value !== 'string' || NAMING.test(value);
}

/** What {@link liftedSiblings} needs to know of a part read with a tool. */
export interface SiblingReader {
  /** Whether the part asks or tells to do something (a question, a verb of the tools), not a statement of context. */
  readonly asks: (part: Part) => boolean;
  /** Required values the part leaves out when read alone with the tool, and how many it gives. */
  readonly fill: (part: Part, choice: Choice) => { readonly missing: number; readonly given: number };
}

/** The choices with such parts counted as fitting their neighbour's tool; the same array when none is. */
export function liftedSiblings(
  parts: readonly Part[],
  choices: readonly (Choice | undefined)[],
  reader: SiblingReader,
): (Choice | undefined)[] {
  const fitting = new Set(choices.flatMap((choice) => (choice?.fits ? [choice.tool.name] : [])));
  if (fitting.size === 0) return [...choices];
  return choices.map((choice, at) => {
    const part = parts[at];
    // Only a whole sentence: a list item or a clause ("- urgency: low") is half of the request beside it.
    if (!choice || choice.fits || !part || !/[.?!]\s*$/.test(part.text) || !fitting.has(choice.tool.name) || !reader.asks(part)) {
      return choice;
    }
    const { missing, given } = reader.fill(part, choice);
    return missing === 0 && given > 0 ? { ...choice, fits: true } : choice;
  });
}

/**
 * Whether two neighbouring parts of one tool are two calls: each, read alone, gives every value the tool needs,
 * and they give a required one two different values ("the Treaty of Paris ... Also, ... Magna Carta").
 */
export function twoCalls(
  a: { readonly missing: readonly unknown[]; readonly args: Readonly<Record<string, unknown>> },
  b: { readonly missing: readonly unknown[]; readonly args: Readonly<Record<string, unknown>> },
  required: readonly string[],
): boolean {
  if (a.missing.length > 0 || b.missing.length > 0 || required.length === 0) return false;
  const given = (args: Readonly<Record<string, unknown>>) => required.every((key) => args[key] !== undefined && ownValue(args[key]));
  if (!given(a.args) || !given(b.args)) return false;
  return required.some((key) => JSON.stringify(a.args[key]) !== JSON.stringify(b.args[key]));
}
