import { stem } from './tokenize.ts';
import type { FillState } from './values.ts';

/** One example a description gives, as an identifier of lower-case words joined by dots or underscores ("e.g. lock.front_door"). */
const SPELLED_EXAMPLE = /\b(?:e\.g\.?|eg\.|for example|such as)[:,]?\s+["'‘“`]?([a-z]+(?:[._][a-z]+)+)["'’”`]?(?=[\s,;)]|\.?$)/;

/**
 * An identifier property whose description's example is spelled from words ("Entity ID, e.g.
 * lock.front_door") takes that example when the request says its words ("Lock the front door"): the
 * server named the very record. What stands before a dot is the record's kind, which a request may
 * leave out ("the heating in the hallway": climate.hallway); the words after it must all be said.
 */
export function fillSpelledExamples(state: FillState): void {
  const { sentence, tool } = state;
  for (const prop of tool.props) {
    if (state.args[prop.name] !== undefined || prop.array || !prop.types.has('string') || prop.enumValues.length > 0) continue;
    if (prop.kind !== 'identifier' && prop.kind !== 'text') continue;
    const example = SPELLED_EXAMPLE.exec(prop.description)?.[1];
    if (!example) continue;
    const dot = example.indexOf('.');
    const named = (dot > 0 ? example.slice(dot + 1) : example).split(/[._]/).filter((word) => word.length > 1);
    if (named.length === 0) continue;
    const free = sentence.freeTokens();
    const found = named.map((word) => free.find((token) => stem(token.lower) === stem(word)));
    if (found.some((token) => token === undefined)) continue;
    state.args[prop.name] = example;
    state.cues += 1;
    for (const token of found) sentence.consume(token!.start, token!.end);
  }
}

/** A code of lower-case words joined by dots, two parts or more ("system.cpu.user", "trace.http.request.errors"). */
const DOTTED_CODE = /(?<![\w.@/:-])[a-z][a-z\d_]*(?:\.[a-z][a-z\d_]*)+(?![\w@/-]|\.[a-z\d])/g;

/**
 * A property whose description's example is such a dotted code ("Metric name, e.g. system.disk.in_use")
 * takes the one dotted code the request writes ("... on trace.http.request.errors"): the same notation
 * names the same kind of thing, whatever its words.
 */
export function fillDottedCodes(state: FillState): void {
  const { sentence, tool } = state;
  for (const prop of tool.props) {
    if (state.args[prop.name] !== undefined || prop.array || !prop.types.has('string') || prop.enumValues.length > 0) continue;
    if (prop.kind !== 'identifier' && prop.kind !== 'text') continue;
    const example = SPELLED_EXAMPLE.exec(prop.description)?.[1];
    if (!example?.includes('.')) continue;
    const codes = [...sentence.text.matchAll(DOTTED_CODE)].filter((match) => sentence.isFree(match.index, match.index + match[0].length));
    if (codes.length !== 1) continue;
    const [code] = codes;
    state.args[prop.name] = code![0];
    state.cues += 1;
    sentence.consume(code!.index, code!.index + code![0].length);
  }
}
