import type { PropInfo } from './schema.ts';
import { isStopword, stem } from './tokenize.ts';
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
  // "in the same city" points at a city said before; it names none.
  'same',
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

/** A code as written: it holds a mark or a digit ("feature/dark-mode", "v2.4.1", "release_7"). */
const CODE_AFTER = /^\s*(?:[:=]\s*|called\s+|named\s+)?((?=[\p{L}\p{N}]*[/_.\d-])[\p{L}\p{N}][\p{L}\p{N}/_.-]*[\p{L}\p{N}])/u;

/** The noun a property's description opens with ("Branch with the changes": branch), when it is not the name's own. */
function describedNoun(prop: PropInfo): string | undefined {
  const first = /^\s*(?:the\s+|a\s+|an\s+)?([A-Za-z]+)/i.exec(prop.description)?.[1]?.toLowerCase();
  if (!first || isStopword(first) || prop.words.includes(first)) return undefined;
  return first;
}

/**
 * A property whose description calls it by another noun ("head": "Branch with the changes") takes
 * the code written right after that noun ("from branch feature/dark-mode"). Where several
 * properties share the noun, only a lone required one does.
 */
export function fillDescribedCodes(state: FillState): void {
  const { sentence, tool } = state;
  const open = tool.props.filter(
    (prop) => (prop.kind === 'text' || prop.kind === 'identifier') && !prop.array && state.args[prop.name] === undefined,
  );
  // A noun another property is named for is that one's ("branch called hotfix/x" is `branch`, not `from_ref`).
  const named = new Set(tool.props.flatMap((prop) => prop.words.map(stem)));
  const byNoun = new Map<string, PropInfo[]>();
  for (const prop of open) {
    const noun = describedNoun(prop);
    if (noun && !named.has(stem(noun))) byNoun.set(noun, [...(byNoun.get(noun) ?? []), prop]);
  }
  for (const [noun, props] of byNoun) {
    const required = props.filter((prop) => prop.required);
    const prop = props.length === 1 ? props[0] : required.length === 1 ? required[0] : undefined;
    if (!prop) continue;
    const token = sentence.tokens.find((candidate) => candidate.stem === stem(noun) && sentence.isFree(candidate.start, candidate.end));
    if (!token) continue;
    const match = CODE_AFTER.exec(sentence.text.slice(token.end));
    const value = match?.[1];
    // The mark must be the value's own, not the full stop after it.
    if (!match || !value || /^\d+$/.test(value) || !/[/_.\d-]/.test(value)) continue;
    const end = token.end + match[0].length;
    if (!sentence.isFree(token.start, end)) continue;
    state.args[prop.name] = value;
    state.cues += 1;
    sentence.consume(token.start, end);
  }
}

/** "under 30 euros", "at most 5", "no more than $20": an upper bound; "over 4", "at least 3.5": a lower one. */
const BOUND =
  /\b(?:(under|below|less\s+than|cheaper\s+than|at\s+most|up\s+to|no\s+more\s+than|max(?:imum)?(?:\s+of)?)|(over|above|more\s+than|at\s+least|no\s+less\s+than|min(?:imum)?(?:\s+of)?))\s+(?:[$€£]\s*)?(\d+(?:[.,]\d+)?)/gi;

/** Whether a number property bounds from above (`max_price`, "Highest price") or below (`min_rating`, "Minimum rating"). */
function boundOf(prop: PropInfo): 'max' | 'min' | undefined {
  const said = `${prop.words.join(' ')} ${prop.description}`.toLowerCase();
  if (/\b(?:max|maximum|highest|most|upper|ceiling|cap)\b/.test(said)) return 'max';
  if (/\b(?:min|minimum|lowest|least|lower|floor)\b/.test(said)) return 'min';
  return undefined;
}

/** A number property that bounds a search takes the number a bound phrase gives, of its direction ("under 30 euros": max_price 30). */
export function fillBounds(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter((prop) => prop.kind === 'number' && !prop.array && state.args[prop.name] === undefined);
  if (props.length === 0) return;
  for (const match of sentence.text.matchAll(BOUND)) {
    const direction = match[1] ? 'max' : 'min';
    const owners = props.filter((prop) => boundOf(prop) === direction && state.args[prop.name] === undefined);
    const end = match.index + match[0].length;
    if (owners.length !== 1 || !sentence.isFree(match.index, end)) continue;
    const prop = owners[0]!;
    const said = Number(match[3]!.replace(',', '.'));
    // Within the schema's own bounds, as any number it takes.
    const value = Math.min(prop.maximum ?? Infinity, Math.max(prop.minimum ?? -Infinity, said));
    state.args[prop.name] = prop.integer ? Math.round(value) : value;
    state.cues += 1.5;
    // The unit after it ("euros", "stars") goes with the number.
    const unit = /^\s+(?:euros?|eur|dollars?|usd|pounds?|gbp|stars?|points?)\b/i.exec(sentence.text.slice(end));
    sentence.consume(match.index, end + (unit?.[0].length ?? 0));
  }
}
