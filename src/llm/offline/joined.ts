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

/** Small words inside a place's or a firm's name ("Gare du Nord", "Rio de Janeiro", "Bank of America"). */
const NAME_PARTICLES = new Set([
  'of',
  'du',
  'de',
  'des',
  'del',
  'della',
  'di',
  'da',
  'do',
  'dos',
  'das',
  'la',
  'le',
  'van',
  'von',
  'der',
  'den',
  'y',
  'al',
  'el',
]);

/** Where a capitalised name's words stop: at the first lower-case word that is no particle between two capitalised words. */
export function nameEnd(words: readonly string[]): number {
  const capital = (word: string | undefined) => word !== undefined && /^[\p{Lu}\p{N}]/u.test(word);
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i]!;
    if (capital(word)) continue;
    if (NAME_PARTICLES.has(word) && capital(words[i + 1])) continue;
    return i;
  }
  return -1;
}

const FILLED_TAIL = /\s+(?:in|into|inside|to|under|at|on|from|with)\s+(?:the\s+|a\s+|an\s+|my\s+|our\s+|your\s+)?(\p{L}+)[\s.!?]*$/u;

/**
 * A leftover text without the phrase a filled property's value stood in ("Vendors in the folder" once
 * `folder` took "Finance"): the preposition, article and the property's own noun are no part of the rest.
 */
export function withoutFilledTail(text: string, props: readonly PropInfo[], args: Readonly<Record<string, unknown>>): string {
  const named = new Set(
    props.filter((prop) => args[prop.name] !== undefined).flatMap((prop) => prop.words.map((word) => word.toLowerCase())),
  );
  let rest = text;
  for (let match = FILLED_TAIL.exec(rest); match && named.has(match[1]!.toLowerCase()); match = FILLED_TAIL.exec(rest)) {
    rest = rest.slice(0, match.index);
  }
  return rest.trim() ? rest : text;
}
