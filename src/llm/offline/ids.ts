import type { PropInfo } from './schema.ts';
import type { FillState } from './values.ts';

/** A lower-case code as APIs mint them: a short prefix, an underscore, a number or token ("sh_101", "trk_2", "evt_9f3"). */
const PREFIXED_CODE = /(?<![\p{L}\p{N}_-])([a-z]{1,6})_([a-z\d]*\d[a-z\d]*)(?![\p{L}\p{N}_-])/gu;

/** Whether a prefix's letters come, in order, from the start of a word ("sh" of spreadsheet, "trk" of track, "pl" of playlist). */
function abbreviates(prefix: string, word: string): boolean {
  if (word[0] !== prefix[0]) return false;
  let at = 0;
  for (const letter of word) if (letter === prefix[at]) at += 1;
  return at >= prefix.length;
}

/** The identifier property a code's prefix abbreviates, when exactly one does. */
function ownerOf(prefix: string, props: readonly PropInfo[]): PropInfo | undefined {
  const owners = props.filter((prop) =>
    prop.words.some((word) => word.length > prefix.length && abbreviates(prefix, word) && !['id', 'ids'].includes(word)),
  );
  return owners.length === 1 ? owners[0] : undefined;
}

/**
 * Identifier properties without a pattern take the lower-case prefixed codes whose prefix abbreviates
 * the property's own noun ("add trk_2 and trk_3 to pl_1": track_ids and playlist_id); with a single
 * identifier property, any such code is its value.
 */
export function fillPrefixedCodes(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'identifier' || (prop.kind === 'list' && /\bids?\b/.test(prop.words.join(' '))));
  const open = props.filter((prop) => !prop.pattern && state.args[prop.name] === undefined);
  if (open.length === 0) return;
  const found = new Map<PropInfo, { values: string[]; spans: [number, number][] }>();
  for (const match of sentence.text.matchAll(PREFIXED_CODE)) {
    const end = match.index + match[0].length;
    if (!sentence.isFree(match.index, end)) continue;
    const owner = ownerOf(match[1]!, open) ?? (props.length === 1 ? open[0] : undefined);
    if (!owner) continue;
    const entry = found.get(owner) ?? { values: [], spans: [] };
    if (!entry.values.includes(match[0])) entry.values.push(match[0]);
    entry.spans.push([match.index, end]);
    found.set(owner, entry);
  }
  for (const [prop, { values, spans }] of found) {
    // One code per property that takes one: a second would be a second call, which this does not guess.
    if (!prop.array && values.length > 1) continue;
    state.args[prop.name] = prop.array ? values : values[0];
    state.cues += 2;
    for (const [start, end] of spans) sentence.consume(start, end);
  }
}
