import { francAll } from 'franc-min';
import { expressions } from 'franc-min/expressions.js';
import { round } from './math.ts';

/** A language guess: ISO 639-1 code (639-3 where there is none, `und` when undetermined), its name, the script and how sure. */
export interface LanguageGuess {
  readonly code: string;
  readonly name: string;
  readonly script: string;
  readonly confidence: number;
  readonly method: 'trigrams' | 'script' | 'none';
}

/** Shortest text franc-min will judge (its own default), in characters; shorter is `und`. */
export const MIN_LANGUAGE_CHARS = 10;
// franc reads at most this many characters; the script share is counted over the same sample.
const SAMPLE_CHARS = 2048;
// A gap this large between franc's best and second-best normalised trigram scores is certainty.
const CERTAIN_GAP = 0.25;
const LETTER = /\p{L}/gu;

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const SCRIPT_NAMES = new Intl.DisplayNames(['en'], { type: 'script', fallback: 'none' });

/**
 * Guesses the language with franc-min: trigram profiles of the 82 languages with 8 million or
 * more speakers, among those written in the text's dominant script; a script only one of them
 * uses (Greek, Hangul, Thai, ...) decides by itself. Codes are canonicalised by `Intl` (ISO
 * 639-3 `deu` becomes 639-1 `de`; a language without a 639-1 code keeps its 639-3 code) and
 * named by CLDR. Confidence is the trigram margin over the runner-up (certain from a margin of
 * 0.25), or for a script decision the share of letters in that script. Short Cyrillic text is a
 * known weak spot: Russian, Bulgarian and Serbian score close together, so confidence is low.
 */
export function guessLanguage(text: string): LanguageGuess {
  const sample = text.slice(0, SAMPLE_CHARS);
  const dominant = dominantScript(sample);
  const [best, second] = francAll(sample, { minLength: MIN_LANGUAGE_CHARS });
  if (!best || best[0] === 'und') {
    return { code: 'und', name: 'Undetermined', script: dominant?.name ?? 'none', confidence: 0, method: 'none' };
  }
  const code = canonicalCode(best[0]);
  const name = LANGUAGE_NAMES.of(code) ?? LANGUAGE_NAMES.of(best[0]) ?? best[0];
  const script = dominant?.name ?? 'none';
  if (!second) return { code, name, script, confidence: round(dominant?.share ?? 0, 2), method: 'script' };
  const confidence = round(Math.min(1, (best[1] - second[1]) / CERTAIN_GAP), 2);
  return { code, name, script, confidence, method: 'trigrams' };
}

function canonicalCode(iso6393: string): string {
  try {
    return Intl.getCanonicalLocales(iso6393)[0] ?? iso6393;
  } catch {
    return iso6393;
  }
}

// franc's own script expressions: keys are script names (Latin, Cyrillic, ...) or, for a script
// only one language uses, that language's code, named here by its usual script in CLDR.
function dominantScript(sample: string): { name: string; share: number } | undefined {
  let top: { key: string; count: number } | undefined;
  for (const [key, expression] of Object.entries(expressions)) {
    const count = sample.match(expression)?.length ?? 0;
    if (count > (top?.count ?? 0)) top = { key, count };
  }
  if (!top) return undefined;
  const letters = sample.match(LETTER)?.length ?? top.count;
  return { name: scriptName(top.key), share: Math.min(1, top.count / Math.max(1, letters)) };
}

function scriptName(key: string): string {
  if (/^\p{Lu}/u.test(key)) return key;
  const script = new Intl.Locale(canonicalCode(key)).maximize().script;
  // ISO 15924 Hans and Hant are the two forms of Han; the characters alone only tell Han.
  const unicodeScript = script === 'Hans' || script === 'Hant' ? 'Hani' : script;
  return (unicodeScript && SCRIPT_NAMES.of(unicodeScript)) ?? key;
}
