/**
 * Converting a number to the unit a property's description asks for ("Length of the track in
 * seconds" and "3 minutes" -> 180). Only common units of time, length and mass, whose factors are
 * general knowledge; a unit not listed, or of another quantity, leaves the number as written.
 */

type Quantity = 'time' | 'length' | 'mass';

/** Each unit's quantity and its size in that quantity's base unit (second, metre, kilogram). */
const UNITS: Readonly<Record<string, readonly [Quantity, number]>> = {};
const define = (quantity: Quantity, size: number, ...names: string[]) => {
  for (const name of names) (UNITS as Record<string, readonly [Quantity, number]>)[name] = [quantity, size];
};
define('time', 1, 'second', 'seconds', 'sec', 'secs');
define('time', 60, 'minute', 'minutes', 'min', 'mins');
define('time', 3600, 'hour', 'hours', 'hr', 'hrs');
define('time', 86_400, 'day', 'days');
define('time', 604_800, 'week', 'weeks');
define('length', 0.001, 'millimeter', 'millimeters', 'millimetre', 'millimetres', 'mm');
define('length', 0.01, 'centimeter', 'centimeters', 'centimetre', 'centimetres', 'cm');
define('length', 1, 'meter', 'meters', 'metre', 'metres');
define('length', 1000, 'kilometer', 'kilometers', 'kilometre', 'kilometres', 'km');
define('length', 0.0254, 'inch', 'inches');
define('length', 0.3048, 'foot', 'feet', 'ft');
define('length', 1609.344, 'mile', 'miles');
define('mass', 0.001, 'gram', 'grams', 'g');
define('mass', 1, 'kilogram', 'kilograms', 'kg');
define('mass', 0.45359237, 'pound', 'pounds', 'lb', 'lbs');
define('mass', 0.028349523125, 'ounce', 'ounces', 'oz');

/** "in seconds", "in inches": the unit a description says its values are in. */
const IN_UNIT = /\bin\s+([a-z]+)\b/gi;

const targetCache = new Map<string, string | undefined>();

/** The listed unit a description asks for, or undefined. */
function targetUnit(description: string): string | undefined {
  if (targetCache.has(description)) return targetCache.get(description);
  let found: string | undefined;
  for (const match of description.matchAll(IN_UNIT)) {
    const word = match[1]?.toLowerCase() ?? '';
    if (UNITS[word] && word.length > 2) {
      found = word;
      break;
    }
  }
  if (targetCache.size > 4096) targetCache.clear();
  targetCache.set(description, found);
  return found;
}

/** A number written with `unit`, in the unit the description asks for when both are listed units of one quantity. */
export function inDescribedUnit(value: number, unit: string, description: string): number {
  const from = UNITS[unit.toLowerCase()];
  const target = targetUnit(description);
  const to = target ? UNITS[target] : undefined;
  if (!from || !to || from[0] !== to[0] || from[1] === to[1]) return value;
  return Number(((value * from[1]) / to[1]).toPrecision(6));
}

/** The quantity of the listed unit a description asks for ("in seconds" -> time), or undefined. */
export function describedQuantity(description: string): Quantity | undefined {
  const target = targetUnit(description);
  return target ? UNITS[target]?.[0] : undefined;
}

/** "5ft 10in", "1 hour 30 minutes": an amount in a larger unit followed by one in a smaller unit of the same quantity, as the smaller one; undefined otherwise. */
export function combined(first: number, firstUnit: string, second: number, secondUnit: string): number | undefined {
  const a = UNITS[firstUnit.toLowerCase()];
  const b = UNITS[secondUnit.toLowerCase()] ?? (secondUnit.toLowerCase() === 'in' ? UNITS.inch : undefined);
  if (!a || !b || a[0] !== b[0] || a[1] <= b[1]) return undefined;
  return Number(((first * a[1]) / b[1] + second).toPrecision(6));
}

/** A unit's name as {@link inDescribedUnit} reads it ("in" after a number glued on, "10in", is inches). */
export function unitName(unit: string): string {
  return unit.toLowerCase() === 'in' ? 'inches' : unit;
}
