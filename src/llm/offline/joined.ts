import type { PropInfo } from './schema.ts';
import type { FillState } from './values.ts';

/**
 * A code joined by a colon, letters and digits on both sides ("A1:B10", "Sheet1!C3:D4", "chr7:5530601"):
 * one value, where words split it in two at the colon.
 */
const COLON_CODE =
  /(?<![\p{L}\p{N}_:!-])((?:[\p{L}\p{N}_]+!)?(?=[\p{L}\p{N}]*\p{L})(?=[\p{L}\p{N}]*\d)[\p{L}\p{N}]+:(?=[\p{L}\p{N}]*\d)[\p{L}\p{N}]+)(?![\p{L}\p{N}_:-])/gu;

function takesCode(prop: PropInfo): boolean {
  return prop.kind === 'text' && !prop.array && prop.enumValues.length === 0 && prop.types.has('string');
}

/**
 * The one open text property, required before any other, takes a colon-joined code written in the
 * request: left to word-based fillers, "A1:B10" would lose its first half.
 */
export function fillColonCodes(state: FillState): void {
  const { sentence, tool } = state;
  const open = tool.props.filter((prop) => takesCode(prop) && state.args[prop.name] === undefined);
  const required = open.filter((prop) => prop.required);
  const prop = open.length === 1 ? open[0] : required.length === 1 ? required[0] : undefined;
  if (!prop) return;
  const matches = [...sentence.text.matchAll(COLON_CODE)].filter((match) => sentence.isFree(match.index, match.index + match[0].length));
  if (matches.length !== 1) return;
  const match = matches[0]!;
  state.args[prop.name] = match[1];
  state.cues += 1;
  sentence.consume(match.index, match.index + match[0].length);
}
