import type { PropInfo } from './schema.ts';
import { stem } from './tokenize.ts';
import { propStems } from './values.ts';

/**
 * "without any acceleration", "with no fee", "did not pay any dividends": a thing the text says there is
 * none of. The word after it names what is absent.
 */
const NEGATED =
  /\b(?:without(?:\s+any)?|with\s+no|(?:did|does|do|has|have|had|will|would)\s*(?:not|n['’]t)\s+\p{L}+\s+any|zero)\s+(\p{L}+)/giu;

/**
 * Numeric properties a clause says there is none of ("a third car ... travels for 8 seconds without any
 * acceleration"): each is 0, read from the property's own name words, never for a property that takes
 * only positive values.
 */
export function negatedZeros(text: string, props: readonly PropInfo[]): Record<string, number> {
  const zeros: Record<string, number> = {};
  for (const match of text.matchAll(NEGATED)) {
    const word = stem((match[1] ?? '').toLowerCase());
    const prop = props.find(
      (candidate) => candidate.kind === 'number' && !candidate.array && (candidate.minimum ?? 0) <= 0 && propStems(candidate).has(word),
    );
    if (prop && !(prop.name in zeros)) zeros[prop.name] = 0;
  }
  return zeros;
}
