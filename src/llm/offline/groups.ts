/**
 * One call per bracketed list: a tool that takes one list of numbers, given several lists ("the first set is
 * [12, 15, 11] and the second set is [32, 35, 31]", "four lists of numbers: [45, 12], [34, 78] and [23, 45]"),
 * is asked once for each list.
 */
import type { PropInfo } from './schema.ts';
import { groupValues, type FillState } from './values.ts';

/** "[12, 15, 11]": a flat list written in square brackets (a pair in round ones is a point, not a list). */
const SQUARE_GROUP = /\[\s*[-−]?\d[\d.]*(?:\s*,\s*[-−]?\d[\d.]*)+\s*\]/g;

/** The one property that takes a flat list of numbers, if the tool has exactly one. */
function listProp(props: readonly PropInfo[]): PropInfo | undefined {
  const lists = props.filter(
    (prop) => prop.arrayOnly && prop.kind !== 'list' && [...prop.types].every((type) => ['number', 'integer', 'array'].includes(type)),
  );
  return lists.length === 1 ? lists[0] : undefined;
}

/** The square-bracketed lists of a text, in order; none unless two or more. */
function squareGroups(text: string): { at: number; end: number; values: unknown[] }[] {
  const found = [...text.matchAll(SQUARE_GROUP)].flatMap((match) => {
    const values = groupValues(match[0]);
    return values ? [{ at: match.index, end: match.index + match[0].length, values }] : [];
  });
  return found.length > 1 ? found : [];
}

/** Gives the tool's one list property the first of several bracketed lists, and keeps the others out of other values. */
export function fillFirstGroup(state: FillState): void {
  const prop = listProp(state.tool.props);
  if (!prop || state.args[prop.name] !== undefined) return;
  const groups = squareGroups(state.sentence.text).filter((group) => state.sentence.isFree(group.at, group.end));
  if (groups.length < 2) return;
  state.args[prop.name] = groups[0]?.values;
  state.cues += 1.5;
  for (const group of groups) state.sentence.consume(group.at, group.end);
}

/** One argument set per bracketed list when the part gave the tool's one list property the first of them. */
export function groupCalls(
  text: string,
  props: readonly PropInfo[],
  args: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] | undefined {
  const prop = listProp(props);
  const groups = squareGroups(text);
  if (!prop || groups.length < 2 || JSON.stringify(args[prop.name]) !== JSON.stringify(groups[0]?.values)) return undefined;
  return groups.map((group) => ({ ...args, [prop.name]: group.values }));
}
