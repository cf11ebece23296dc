import type { PropInfo } from './schema.ts';
import { stem } from './tokenize.ts';
import type { FillState } from './values.ts';

/** A clause that gives a cause: "because the parcel arrived damaged", "due to a billing error". */
const CAUSE = /\b(?:because(?:\s+of)?|due\s+to|as\s+a\s+result\s+of|owing\s+to|since)\s+([^,.;!?]+)/gi;

/** A property that holds why something is done: named for a reason or cause, or described as "Why ...". */
function isReason(prop: PropInfo): boolean {
  return (
    prop.kind === 'text' &&
    !prop.array &&
    (prop.words.some((word) => ['reason', 'cause', 'why', 'justification', 'rationale'].includes(word)) ||
      /^\s*(?:why|the\s+reason)\b/i.test(prop.description))
  );
}

/** A reason property takes the clause that gives a cause ("Refund ORD-1002 because it arrived damaged"). */
export function fillReasons(state: FillState): void {
  const { sentence, tool } = state;
  const prop = tool.props.find((candidate) => isReason(candidate) && state.args[candidate.name] === undefined);
  if (!prop) return;
  for (const match of sentence.text.matchAll(CAUSE)) {
    const value = match[1]?.trim();
    const end = match.index + match[0].length;
    if (!value || value.split(/\s+/).length < 2 || !sentence.isFree(match.index, end)) continue;
    state.args[prop.name] = value;
    state.cues += 1;
    sentence.consume(match.index, end);
    return;
  }
}

const NAME_WORD = /^(?:\p{Lu}[\p{L}'-]*|\p{Ll}[\p{L}'-]*)$/u;
const STOP_BEFORE = new Set([
  'the',
  'a',
  'an',
  'my',
  'our',
  'your',
  'this',
  'that',
  'on',
  'in',
  'to',
  'at',
  'for',
  'from',
  'with',
  'of',
  'by',
]);

/**
 * A text property whose example is a short name with a head noun ("e.g. Kitchen speaker") takes the
 * request's phrase with that head ("on the Living room speaker"): up to three words before it, back to an article or preposition.
 */
export function fillExampleHeads(state: FillState): void {
  const { sentence, tool } = state;
  for (const prop of tool.props) {
    if (prop.kind !== 'text' || prop.array || state.args[prop.name] !== undefined) continue;
    const head = prop.exampleHead;
    if (!head) continue;
    const tokens = sentence.tokens;
    const at = tokens.findIndex((token) => token.stem === stem(head) && sentence.isFree(token.start, token.end));
    if (at <= 0) continue;
    let from = at;
    while (from > 0 && at - from < 3) {
      const before = tokens[from - 1]!;
      if (STOP_BEFORE.has(before.lower) || !NAME_WORD.test(before.text) || !sentence.isFree(before.start, before.end)) break;
      from -= 1;
    }
    if (from === at) continue;
    const start = tokens[from]!.start;
    const end = tokens[at]!.end;
    state.args[prop.name] = sentence.text.slice(start, end);
    state.cues += 1;
    sentence.consume(start, end);
  }
}
