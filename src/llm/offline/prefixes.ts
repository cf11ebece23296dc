/**
 * SI prefixes: "100µF" to a property "in farads (F)" is 0.0001, "50mH" to one "in henries (H)"
 * is 0.05. A number's unit written as a prefix and a unit symbol the property's description names
 * on its own ("(F)", "in F") is scaled by the prefix; a description that names the prefixed unit
 * itself ("(mH)") or no symbol keeps the number as written. Symbols are case-sensitive, as SI writes them.
 */
const PREFIXES: Readonly<Record<string, number>> = {
  T: 1e12,
  G: 1e9,
  M: 1e6,
  k: 1e3,
  c: 1e-2,
  m: 1e-3,
  µ: 1e-6,
  μ: 1e-6,
  u: 1e-6,
  n: 1e-9,
  p: 1e-12,
};

/** A unit symbol after a number, as written ("µF", "mH", "kPa"): the prefix and the symbol. */
const PREFIXED = /^\s?([TGMkcmµμunp])([A-Z][a-z]?|[a-z])(?![\p{L}])/u;

const names = (description: string, symbol: string) => new RegExp(`\\(${symbol}\\)|\\bin ${symbol}(?![\\p{L}])`, 'u').test(description);

/** The number scaled to the unit the description names, where the text writes it with an SI prefix of that unit. */
export function siScaled(value: number, after: string, description: string): number {
  const match = PREFIXED.exec(after);
  if (!match) return value;
  const [written, prefix = '', symbol = ''] = match;
  const factor = PREFIXES[prefix];
  if (factor === undefined || !names(description, symbol) || names(description, written.trim())) return value;
  return Number((value * factor).toPrecision(12));
}
