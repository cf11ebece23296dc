import type { PropInfo } from './schema.ts';
import type { FillState } from './values.ts';

/**
 * A time said by a relative or named period, not a calendar date: "this weekend", "next month",
 * "the 19th century". A string property that takes a time in words keeps it as written.
 */
const TIME_FRAME =
  /\b(?:(?:this|next|last|coming|upcoming|past)\s+(?:weekend|week|month|year|decade|season|summer|winter|spring|fall|autumn)|today|tonight|tomorrow|\d{1,2}(?:st|nd|rd|th)\s+century)\b/gi;

/** Words of a property that holds when: its name or what its description says it is. */
const WHEN_WORDS = /^(?:date|time|when|period|frame|timeframe|era|century)$/;

/** A string property for a time that no layout binds ("Date of the concert, e.g. this weekend, today"). */
function takesTimeInWords(prop: PropInfo): boolean {
  if (prop.array || prop.dateLayout !== undefined || prop.format !== undefined) return false;
  if (!prop.types.has('string') && prop.types.size > 0) return false;
  if (prop.kind !== 'date' && prop.kind !== 'text') return false;
  return prop.words.some((word) => WHEN_WORDS.test(word));
}

/** Fills such properties, still empty, with the period the request names (only where exactly one is said). */
export function fillTimeFrames(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => state.args[prop.name] === undefined && takesTimeInWords(prop));
  if (props.length !== 1) return;
  const said = [...sentence.text.matchAll(TIME_FRAME)].filter((match) => sentence.isFree(match.index, match.index + match[0].length));
  const [only, other] = said;
  if (!only || other) return;
  const prop = props[0]!;
  // "'weekend' for the coming weekend": a word the description quotes is how the property writes it.
  const quoted = [...prop.description.matchAll(/['"‘“]([\p{L}\s]+)['"’”]/gu)].map((match) => (match[1] ?? '').toLowerCase());
  const head = only[0].toLowerCase().split(/\s+/).at(-1) ?? '';
  state.args[prop.name] = quoted.includes(head) ? head : only[0];
  state.cues += 1;
  sentence.consume(only.index, only.index + only[0].length);
}
