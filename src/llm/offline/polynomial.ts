/**
 * Coefficients read off a written polynomial: numeric properties whose descriptions say which power
 * of the variable they multiply ("Coefficient of x^2", "Coefficient of x squared", "Coefficient of x",
 * "Constant term") take the signed coefficients of "5x^2 - 7x + 3 = 0" (5, -7, 3), where reading the
 * numbers one by one would lose the signs and mix up the order.
 */
import type { PropInfo } from './schema.ts';
import type { FillState } from './values.ts';

const NUMBER = String.raw`\d+(?:\.\d+)?`;
/** One term: an optional number, then a lone variable letter with an optional power; or a bare number. */
const TERM = String.raw`(?:(?:${NUMBER})?\s*\*?\s*(?<![A-Za-z])[a-z](?![A-Za-z])(?:\s*(?:\^|\*\*)\s*\d+|[²³])?|${NUMBER}(?![\d.]))`;
const POLYNOMIAL = new RegExp(String.raw`-?\s*${TERM}(?:\s*[-+]\s*${TERM})+`, 'g');
const TERM_PARTS = new RegExp(
  String.raw`([-+])?\s*(${NUMBER})?\s*\*?\s*(?:(?<![A-Za-z])([a-z])(?![A-Za-z])(?:\s*(?:\^|\*\*)\s*(\d+)|([²³]))?)?`,
  'y',
);

const COEFFICIENT_OF =
  /\bcoefficient\s+(?:of|for)\s+(?:the\s+)?(?:term\s+)?'?([a-z])'?(?:\s*(?:\^|\*\*)\s*(\d+)|\s*([²³])|\s+(squared|cubed))?(?![a-z^*\d])/i;
const CONSTANT = /\bconstant(?:\s+term)?\b/i;

/** The power of the variable a property's description says it multiplies, or undefined. */
function powerOf(prop: PropInfo): { power: number; variable: string | undefined } | undefined {
  const coefficient = prop.description.match(COEFFICIENT_OF);
  if (coefficient) {
    const [, variable, digits, superscript, word] = coefficient;
    const power = digits
      ? Number(digits)
      : superscript
        ? superscript === '²'
          ? 2
          : 3
        : word
          ? word.toLowerCase() === 'squared'
            ? 2
            : 3
          : 1;
    return { power, variable: variable?.toLowerCase() };
  }
  return CONSTANT.test(prop.description) ? { power: 0, variable: undefined } : undefined;
}

/** The coefficient of each power in a written polynomial, or undefined if it is none (one variable, a power of 2 or more). */
function parse(text: string): { coefficients: Map<number, number>; variable: string } | undefined {
  const coefficients = new Map<number, number>();
  let variable: string | undefined;
  let at = 0;
  const compact = text.trim();
  while (at < compact.length) {
    TERM_PARTS.lastIndex = at;
    const match = TERM_PARTS.exec(compact);
    if (!match || match[0].trim() === '') return undefined;
    at = TERM_PARTS.lastIndex;
    while (compact[at] === ' ') at += 1;
    const [, sign, digits, letter, power, superscript] = match;
    if (digits === undefined && letter === undefined) return undefined;
    if (letter !== undefined) {
      if (variable !== undefined && variable !== letter) return undefined;
      variable = letter;
    }
    const exponent = letter === undefined ? 0 : power ? Number(power) : superscript ? (superscript === '²' ? 2 : 3) : 1;
    const value = (sign === '-' ? -1 : 1) * (digits === undefined ? 1 : Number(digits));
    coefficients.set(exponent, (coefficients.get(exponent) ?? 0) + value);
  }
  if (variable === undefined || Math.max(...coefficients.keys()) < 2) return undefined;
  return { coefficients, variable };
}

/** Fills coefficient properties from the first written polynomial whose powers they all name. */
export function fillPolynomialCoefficients(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props
    .filter((prop) => prop.kind === 'number' && !prop.array && state.args[prop.name] === undefined)
    .map((prop) => ({ prop, of: powerOf(prop) }))
    .filter((entry): entry is { prop: PropInfo; of: NonNullable<ReturnType<typeof powerOf>> } => entry.of !== undefined);
  const powers = new Set(props.map((entry) => entry.of.power));
  if (props.length < 2 || powers.size !== props.length) return;
  for (const match of sentence.text.matchAll(POLYNOMIAL)) {
    const start = match.index + (match[0].length - match[0].trimStart().length);
    const end = match.index + match[0].length;
    if (!sentence.isFree(start, end)) continue;
    const polynomial = parse(match[0]);
    if (!polynomial || ![...polynomial.coefficients.keys()].every((power) => powers.has(power))) continue;
    if (props.some((entry) => entry.of.variable !== undefined && entry.of.variable !== polynomial.variable)) continue;
    const values = props.map((entry) => polynomial.coefficients.get(entry.of.power) ?? 0);
    if (props.some((entry, i) => entry.prop.integer && !Number.isInteger(values[i]))) continue;
    props.forEach((entry, i) => (state.args[entry.prop.name] = values[i]));
    state.cues += 2;
    sentence.consume(start, end);
    return;
  }
}
