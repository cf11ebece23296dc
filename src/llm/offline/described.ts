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

/** Who a message goes to: a property named or described for its recipient. */
function isRecipient(prop: PropInfo): boolean {
  if (prop.array || !['text', 'email', 'identifier'].includes(prop.kind)) return false;
  return (
    prop.words.some((word) => ['to', 'recipient', 'recipients', 'recipient_id'].includes(word)) ||
    /\brecipients?\b|\bsend\s+(?:it\s+)?to\b|\bwho\s+(?:receives|gets)\b/i.test(prop.description)
  );
}

const MESSAGE_WORDS = new Set(['text', 'message', 'body', 'content']);
/** "to ana", "to @sam", "to Lena Fischer": the one a message is sent to, before what it says. */
const TO_SOMEONE = /\bto\s+(@?[\p{L}][\p{L}\d_.'-]*(?:\s+\p{Lu}[\p{L}'-]*)?)/gu;
/** "saying the review is done", "that says we are late", "telling her to wait": what the message says. */
const SAYING =
  /\b(?:saying|that\s+says|which\s+says|telling\s+(?:him|her|them|everyone|everybody)|to\s+say)\s+(?:that\s+)?(.+?)\s*[.!]?$/iu;
const NOT_A_NAME = new Set([
  'the',
  'a',
  'an',
  'my',
  'our',
  'your',
  'their',
  'his',
  'her',
  'them',
  'him',
  'me',
  'us',
  'everyone',
  'all',
  'say',
]);

/**
 * A message tool's recipient and text from the way people ask for one: "Send a DM to ana saying the
 * review is done" -> user "ana", text "the review is done". Only where no quote gives the text.
 */
export function fillMessage(state: FillState): void {
  const { sentence, tool } = state;
  const recipient = tool.props.find((prop) => isRecipient(prop) && state.args[prop.name] === undefined);
  const body = tool.props.find(
    (prop) =>
      prop.kind === 'text' && !prop.array && prop.words.some((word) => MESSAGE_WORDS.has(word)) && state.args[prop.name] === undefined,
  );
  if (!recipient || !body) return;
  const saying = sentence.quotes.length === 0 ? SAYING.exec(sentence.text) : null;
  for (const match of sentence.text.matchAll(TO_SOMEONE)) {
    const name = match[1]!;
    const end = match.index + match[0].length;
    if (NOT_A_NAME.has(name.toLowerCase()) || !sentence.isFree(match.index, end)) continue;
    if (saying && match.index > saying.index) break;
    state.args[recipient.name] = name;
    state.cues += 1;
    sentence.consume(match.index, end);
    break;
  }
  if (saying?.[1] && sentence.isFree(saying.index, saying.index + saying[0].length)) {
    state.args[body.name] = saying[1];
    state.cues += 1;
    sentence.consume(saying.index, saying.index + saying[0].length);
  }
}

/** Street types of English addresses. */
const STREET_TYPES =
  'street|st|road|rd|avenue|ave|lane|ln|boulevard|blvd|drive|dr|way|place|pl|square|sq|court|ct|terrace|crescent|close|row|parkway|highway|hwy|alley|quay|embankment';
/** "221B Baker Street, London", "10 Downing Street", "1600 Amphitheatre Parkway, Mountain View, CA": a number, a name, a street type, then places. */
const STREET_ADDRESS = new RegExp(
  `\\b\\d+[A-Za-z]?\\s+(?:\\p{Lu}[\\p{L}'-]*\\s+){1,3}(?:${STREET_TYPES})\\b\\.?(?:,\\s*(?:\\p{Lu}[\\p{L}'-]*)(?:\\s+\\p{Lu}[\\p{L}'-]*)*|,\\s*\\d{4,5}(?:-\\d{4})?)*`,
  'giu',
);

/** A text property for a street address (`address`, "Street address") takes one written out whole. */
export function fillStreetAddress(state: FillState): void {
  const { sentence, tool } = state;
  const prop = tool.props.find(
    (candidate) =>
      candidate.kind === 'text' &&
      !candidate.array &&
      state.args[candidate.name] === undefined &&
      (candidate.words.includes('address') || /\b(?:street\s+)?address\b/i.test(candidate.description)) &&
      !/\be-?mail\b|\bip\b|\bweb\b/i.test(`${candidate.name} ${candidate.description}`),
  );
  if (!prop) return;
  for (const match of sentence.text.matchAll(STREET_ADDRESS)) {
    const end = match.index + match[0].length;
    if (!sentence.isFree(match.index, end)) continue;
    state.args[prop.name] = match[0].replace(/[.,]+$/, '');
    state.cues += 2;
    sentence.consume(match.index, end);
    return;
  }
}
