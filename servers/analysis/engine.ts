import { createRequire } from 'node:module';
import winkNLP, { type ItsFunction, type ItsHelpers, type PartOfSpeech, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

// The model's syllable counter is the one its own readability statistics use; it ships
// without typings, so it is loaded through require with the one signature it has.
const require = createRequire(import.meta.url);
const countSyllables = require('wink-eng-lite-web-model/dist/syllables.js') as (word: string) => number;

/** A half-open character range into the analysed text: `text.slice(start, end)`. */
export interface CharSpan {
  readonly start: number;
  readonly end: number;
}

/** An entity wink's English model recognised, by token indexes (inclusive). */
export interface WinkEntity {
  readonly type: string;
  readonly first: number;
  readonly last: number;
}

/**
 * One text parsed once by wink: token attributes as parallel arrays (index = token),
 * sentences and entities as inclusive token ranges, and each token's character span.
 */
export interface ParsedText {
  readonly text: string;
  readonly values: readonly string[];
  readonly normals: readonly string[];
  readonly lemmas: readonly string[];
  readonly types: readonly string[];
  readonly pos: readonly PartOfSpeech[];
  readonly stopWords: readonly boolean[];
  readonly negated: readonly boolean[];
  readonly upperCase: readonly boolean[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly sentences: readonly (readonly [number, number])[];
  /** wink's sentiment of each sentence (-1..1), with its negation and emphasis handling. */
  readonly sentenceSentiments: readonly number[];
  readonly entities: readonly WinkEntity[];
}

/** The NLP machinery shared by every call: wink with its English model, loaded once. */
export interface AnalysisEngine {
  parse(text: string): ParsedText;
  /** Polarity of one word in wink's sentiment model (-1..1, 0 when it carries none); cached. */
  wordPolarity(normal: string): number;
  syllables(word: string): number;
  /** Character span of tokens `first..last` (inclusive). */
  span(parsed: ParsedText, first: number, last: number): CharSpan;
}

// Bounds the per-word polarity cache; a session rarely meets more distinct words.
const MAX_CACHED_WORDS = 50_000;

/** Loads wink's English model (about 0.15 s) and returns an engine to reuse for every call. */
export function createAnalysisEngine(): AnalysisEngine {
  const nlp: WinkMethods = winkNLP(model);
  const its: ItsHelpers = nlp.its;
  const polarity = new Map<string, number>();

  return {
    parse(text) {
      const doc = nlp.readDoc(breakLongRuns(text));
      const tokens = doc.tokens();
      const values = tokens.out() as string[];
      const [starts, ends] = locateTokens(text, values, tokens.out(its.precedingSpaces) as string[]);
      const entitySpans = doc.entities().out(its.span) as unknown as [number, number][];
      const details = doc.entities().out(its.detail) as unknown as { type: string }[];
      return {
        text,
        values,
        normals: tokens.out(its.normal) as string[],
        // wink's typings give `its.lemma` the model-addons parameter in the cache's place.
        lemmas: tokens.out(its.lemma as unknown as ItsFunction<string>) as string[],
        types: tokens.out(its.type) as string[],
        pos: tokens.out(its.pos) as PartOfSpeech[],
        stopWords: tokens.out(its.stopWordFlag) as unknown as boolean[],
        negated: tokens.out(its.negationFlag) as unknown as boolean[],
        upperCase: (tokens.out(its.case) as string[]).map((value) => value === 'upperCase'),
        starts,
        ends,
        sentences: doc.sentences().out(its.span) as unknown as [number, number][],
        sentenceSentiments: doc.sentences().out(its.sentiment) as unknown as number[],
        entities: entitySpans.map(([first, last], index) => ({ type: details[index]?.type ?? 'UNKNOWN', first, last })),
      };
    },
    wordPolarity(normal) {
      let value = polarity.get(normal);
      if (value === undefined) {
        value = Number(nlp.readDoc(normal).out(its.sentiment)) || 0;
        if (polarity.size >= MAX_CACHED_WORDS) polarity.clear();
        polarity.set(normal, value);
      }
      return value;
    },
    syllables: (word) => countSyllables(word.toLowerCase()),
    span: (parsed, first, last) => ({ start: parsed.starts[first] ?? 0, end: parsed.ends[last] ?? parsed.text.length }),
  };
}

// wink's tokenizer tries patterns (email, abbreviation) on each run of non-space characters in
// time quadratic in its length: one 200,000-character run (a base64 blob, a row of "!") took
// minutes. Longer runs are read as if every (MAX_RUN_CHARS + 1)th character were a space, which
// keeps every offset; a token that long is no word anyway.
const MAX_RUN_CHARS = 1_000;
const LONG_RUN = new RegExp(String.raw`(?<!\S)\S{${MAX_RUN_CHARS + 1},}`, 'g');

function breakLongRuns(text: string): string {
  return text.replace(LONG_RUN, (run) => {
    const units = run.split('');
    for (let at = MAX_RUN_CHARS; at < units.length; at += MAX_RUN_CHARS + 1) units[at] = ' ';
    return units.join('');
  });
}

// wink's tokenizer is lossless: each token follows the previous one after its preceding
// spaces. Where that does not hold verbatim (a normalised space), the token is searched for
// from the cursor; one that is not found gets an empty span rather than a wrong one.
function locateTokens(text: string, values: readonly string[], spaces: readonly string[]): [number[], number[]] {
  const starts: number[] = [];
  const ends: number[] = [];
  let cursor = 0;
  values.forEach((value, index) => {
    let at = cursor + (spaces[index]?.length ?? 0);
    if (!text.startsWith(value, at)) at = text.indexOf(value, cursor);
    if (at === -1) {
      starts.push(cursor);
      ends.push(cursor);
      return;
    }
    starts.push(at);
    ends.push(at + value.length);
    cursor = at + value.length;
  });
  return [starts, ends];
}
