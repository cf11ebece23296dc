import type { FillState } from './values.ts';

/** A description that counts money in its smallest unit: "Amount in cents", "in the smallest currency unit". */
const MINOR_UNITS = /\b(?:cents|pence|smallest\s+(?:currency\s+)?unit|minor\s+units?|lowest\s+denomination)\b/i;
/** An amount of money as written: "$25", "€3.50", "25 dollars", "12.99 EUR". */
const MONEY = /[$€£]\s?(\d+(?:\.\d{1,2})?)(?![\d.])|(?<![\d.])(\d+(?:\.\d{1,2})?)\s?(?:dollars?|bucks|euros?|pounds?|usd|eur|gbp)\b/gi;

/**
 * Numeric properties counted in a currency's smallest unit take a sum said in its main unit times
 * 100 ("Refund $25" is 2500 cents): the number as written is dollars, the property wants cents.
 */
export function fillMinorUnits(state: FillState): void {
  const { sentence, tool } = state;
  const props = tool.props.filter(
    (prop) => (prop.types.has('integer') || prop.types.has('number')) && !prop.array && MINOR_UNITS.test(prop.description),
  );
  if (props.length === 0) return;
  const amounts = [...sentence.text.matchAll(MONEY)].map((match) => Number(match[1] ?? match[2]));
  for (const prop of props) {
    const value = state.args[prop.name];
    if (typeof value !== 'number' || !amounts.includes(value)) continue;
    state.args[prop.name] = Math.round(value * 100);
  }
}
