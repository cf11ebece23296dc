import { stem } from './tokenize.ts';
import type { FillState } from './values.ts';

/** A hyphenated modifier: "gas-fueled", "diesel-powered", "solar-charged". */
const MODIFIER = /\b([\p{L}]{2,})-([\p{L}]{3,})\b/gu;

/**
 * A text property named for what a modifier's second half says takes its first half: "a gas-fueled
 * car" and fuel_type: gas. The second half is the property's own word, made a participle.
 */
export function fillModifiers(state: FillState): void {
  const { sentence, tool } = state;
  for (const match of sentence.text.matchAll(MODIFIER)) {
    const end = match.index + match[0].length;
    if (!sentence.isFree(match.index, end)) continue;
    const said = stem(match[2] ?? '');
    const prop = tool.props.find(
      (candidate) =>
        candidate.kind === 'text' &&
        !candidate.array &&
        state.args[candidate.name] === undefined &&
        candidate.words.some((word) => word.length >= 3 && stem(word) === said),
    );
    if (!prop) continue;
    state.args[prop.name] = match[1];
    state.cues += 1;
    sentence.consume(match.index, end);
  }
}
