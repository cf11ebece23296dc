import type { ParsedText } from './engine.ts';
import { LATIN_PROFILES } from './languageProfiles.ts';
import { round } from './math.ts';

/** A language guess: ISO 639-1 code (`und` when undetermined), its name, the script and how sure. */
export interface LanguageGuess {
  readonly code: string;
  readonly name: string;
  readonly script: string;
  readonly confidence: number;
  readonly method: 'stop-words' | 'script' | 'none';
}

// Scripts that point at one language (or, marked ambiguous, at its most common user).
const SCRIPTS: readonly { script: string; pattern: RegExp; code: string; name: string; ambiguous: boolean }[] = [
  { script: 'Hangul', pattern: /\p{Script=Hangul}/gu, code: 'ko', name: 'Korean', ambiguous: false },
  { script: 'Kana', pattern: /[\p{Script=Hiragana}\p{Script=Katakana}]/gu, code: 'ja', name: 'Japanese', ambiguous: false },
  { script: 'Han', pattern: /\p{Script=Han}/gu, code: 'zh', name: 'Chinese', ambiguous: false },
  { script: 'Greek', pattern: /\p{Script=Greek}/gu, code: 'el', name: 'Greek', ambiguous: false },
  { script: 'Hebrew', pattern: /\p{Script=Hebrew}/gu, code: 'he', name: 'Hebrew', ambiguous: false },
  { script: 'Thai', pattern: /\p{Script=Thai}/gu, code: 'th', name: 'Thai', ambiguous: false },
  { script: 'Cyrillic', pattern: /\p{Script=Cyrillic}/gu, code: 'ru', name: 'Russian', ambiguous: true },
  { script: 'Arabic', pattern: /\p{Script=Arabic}/gu, code: 'ar', name: 'Arabic', ambiguous: true },
  { script: 'Devanagari', pattern: /\p{Script=Devanagari}/gu, code: 'hi', name: 'Hindi', ambiguous: true },
];
const LATIN = /\p{Script=Latin}/gu;
// The script and word counts settle long before this many characters.
const SAMPLE_CHARS = 20_000;
const MIN_WORDS = 3;

/**
 * Guesses the language. Non-Latin scripts decide by themselves (Japanese by its kana, even
 * among Han characters). For Latin script the share of running words that are stop words is
 * compared: English by wink's stop-word flags, a few other languages by a small hand-written
 * profile (see `languageProfiles.ts`).
 */
export function guessLanguage(parsed: ParsedText): LanguageGuess {
  const sample = parsed.text.slice(0, SAMPLE_CHARS);
  const latin = sample.match(LATIN)?.length ?? 0;
  const counts = SCRIPTS.map((entry) => ({ entry, count: sample.match(entry.pattern)?.length ?? 0 }));
  const kana = counts.find(({ entry }) => entry.script === 'Kana');
  const best = counts.reduce((a, b) => (b.count > a.count ? b : a));
  if (best.count > latin) {
    const chosen = kana && kana.count > 0 && best.entry.script === 'Han' ? kana : best;
    const share = chosen.count / (latin + counts.reduce((sum, { count }) => sum + count, 0));
    const { code, name, script, ambiguous } = chosen.entry;
    return { code, name, script, confidence: round(share * (ambiguous ? 0.6 : 0.95), 2), method: 'script' };
  }
  return guessLatin(parsed, latin);
}

function guessLatin(parsed: ParsedText, letters: number): LanguageGuess {
  const undetermined: LanguageGuess = { code: 'und', name: 'Undetermined', script: letters > 0 ? 'Latin' : 'none', confidence: 0, method: 'none' };
  let words = 0;
  let english = 0;
  const hits = new Map<string, number>();
  for (let index = 0; index < parsed.values.length && (parsed.starts[index] ?? 0) < SAMPLE_CHARS; index += 1) {
    if (parsed.types[index] !== 'word') continue;
    words += 1;
    if (parsed.stopWords[index]) english += 1;
    const word = (parsed.values[index] ?? '').toLowerCase();
    for (const [code, { words: profile }] of Object.entries(LATIN_PROFILES)) {
      if (profile.has(word)) hits.set(code, (hits.get(code) ?? 0) + 1);
    }
  }
  if (words < MIN_WORDS) return undetermined;
  const shares = [{ code: 'en', name: 'English', share: english / words }];
  for (const [code, { name }] of Object.entries(LATIN_PROFILES)) shares.push({ code, name, share: (hits.get(code) ?? 0) / words });
  shares.sort((a, b) => b.share - a.share);
  const [first, second] = shares;
  if (!first || first.share === 0) return undetermined;
  const margin = (first.share - (second?.share ?? 0)) / first.share;
  const confidence = round(Math.min(1, margin) * Math.min(1, words / 20), 2);
  return { code: first.code, name: first.name, script: 'Latin', confidence, method: 'stop-words' };
}
