/**
 * "The car starts from rest", "a ball initially at rest": an object at rest has no speed, so the property of
 * its starting velocity or speed is 0, read from the property's own name and description.
 */
import type { PropInfo } from './schema.ts';
import { stem } from './tokenize.ts';
import type { FillState } from './values.ts';

const AT_REST = /\b(?:from|at)\s+rest\b/i;
const MOTION = new Set(['velocity', 'speed'].map(stem));
const START = /\b(?:initial|initially|starting|start)\b/i;

/** The property of a starting velocity or speed ("initial_velocity", "v0: the initial speed"), if one. */
function startingMotion(props: readonly PropInfo[]): PropInfo | undefined {
  const found = props.filter(
    (prop) =>
      prop.kind === 'number' &&
      !prop.array &&
      (prop.minimum ?? 0) <= 0 &&
      prop.words.some((word) => MOTION.has(stem(word))) &&
      START.test(`${prop.words.join(' ')} ${prop.description}`),
  );
  return found.length === 1 ? found[0] : undefined;
}

/** The zero a text that says "from rest" gives the starting velocity, as the values of a clause. */
export function restZeros(text: string, props: readonly PropInfo[]): Record<string, number> {
  const prop = AT_REST.test(text) ? startingMotion(props) : undefined;
  return prop ? { [prop.name]: 0 } : {};
}

/** Fills the starting velocity of a part that says its object starts from rest. */
export function fillRest(state: FillState): void {
  for (const [name, value] of Object.entries(restZeros(state.sentence.text, state.tool.props))) {
    if (state.args[name] !== undefined) continue;
    state.args[name] = value;
    state.cues += 1;
  }
}
