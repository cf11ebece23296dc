import type { FillState } from './values.ts';

/** What follows "in": one lower-case noun ("in forest") or a run of capitalised words ("in La Liga"). */
const IN_PHRASE =
  /\bin\s+(?:the\s+)?((?:\p{Lu}[\p{L}'-]*)(?:\s+\p{Lu}[\p{L}'-]*){0,3}|\p{Ll}{3,})(?=\s*(?:[.,;!?]|$|\s+(?:for|and|with|that|which|who|over|during|since|from)\b))/gu;

/**
 * The one required text property still empty, when every other value is found, takes the one
 * thing the request puts "in" ("a small green bird in forest": habitat forest; "in La Liga": league).
 */
export function fillInPhrase(state: FillState): void {
  const { sentence, tool } = state;
  const empty = tool.props.filter((prop) => prop.required && state.args[prop.name] === undefined);
  const [prop, other] = empty;
  if (!prop || other || prop.kind !== 'text' || prop.array) return;
  const said = [...sentence.text.matchAll(IN_PHRASE)].filter((match) => sentence.isFree(match.index, match.index + match[0].length));
  const [only, second] = said;
  if (!only?.[1] || second) return;
  // Words another value already holds were read as something else; a tool that needs only this one has no other evidence.
  const value = only[1].toLowerCase();
  const others = Object.values(state.args).filter((held): held is string => typeof held === 'string');
  if (
    others.some((held) => held.toLowerCase().includes(value)) ||
    !tool.props.some((candidate) => candidate.required && candidate !== prop)
  )
    return;
  state.args[prop.name] = only[1];
  state.cues += 0.5;
  sentence.consume(only.index, only.index + only[0].length);
}

/** A site's name as written: "Foodnetwork.com", "www.allrecipes.com". */
const SITE = /\b[\p{L}\d][\p{L}\d-]*(?:\.[\p{L}\d-]+)*\.[a-z]{2,6}\b/giu;
const SITE_WORDS = /^(?:website|site|domain|webpage)$/;

/** A text property for a website takes the one site the request names, whole ("from Foodnetwork.com"). */
export function fillWebsite(state: FillState): void {
  const { sentence, tool } = state;
  const prop = tool.props.find(
    (candidate) =>
      candidate.kind === 'text' &&
      !candidate.array &&
      state.args[candidate.name] === undefined &&
      candidate.words.some((word) => SITE_WORDS.test(word)),
  );
  if (!prop) return;
  const said = [...sentence.text.matchAll(SITE)].filter(
    (match) => !/^\d+(?:\.\d+)+$/.test(match[0]) && sentence.isFree(match.index, match.index + match[0].length),
  );
  const [only, other] = said;
  if (!only || other) return;
  state.args[prop.name] = only[0];
  state.cues += 1;
  sentence.consume(only.index, only.index + only[0].length);
}
