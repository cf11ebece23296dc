import { stem } from './stemmer.ts';

// A conventional English stop-word list plus the contractions people type without
// apostrophes ("cant", "wont") and filler common in help-desk questions.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between
  both but by can cannot could did do does doing down during each few for from further had has have having he
  her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
  now of off on once only or other our ours ourselves out over own same she should so some such than that the
  their theirs them themselves then there these they this those through to too under until up very was we were
  what when where which while who whom why will with would you your yours yourself yourselves
  cant wont dont doesnt didnt isnt arent wasnt werent couldnt shouldnt wouldnt havent hasnt im ive id youre
  also get gets got getting keep keeps kept still anymore please help hi hello thanks need want trying tried
  really just whenever every one`.split(/\s+/),
);

// Spelling variants rewritten before tokenising, on documents and queries alike, so
// "Wi-Fi", "wifi" and "wi fi" meet. Only true equivalents belong here.
const VARIANTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/['’`]/g, ''],
  [/\bwi[\s-]?fi\b/g, 'wifi'],
  [/\be-mail/g, 'email'],
  [/\b(?:log|sign)[\s-]?(?:in|on)\b|\blogon\b/g, 'signin'],
  [/\b(?:log|sign)[\s-]?(?:out|off)\b/g, 'signout'],
  [/\b(?:multi|two)[\s-]?factor\b|\b2fa\b|\btwo[\s-]step\b|\b2[\s-]step\b/g, 'mfa'],
  [/\bbsod\b/g, 'blue screen'],
  [/\bone[\s-]drive\b/g, 'onedrive'],
  [/\bshare[\s-]point\b/g, 'sharepoint'],
  [/\bbit[\s-]locker\b/g, 'bitlocker'],
  [/\bpass[\s-]word\b|\bpwd\b|\bpw\b/g, 'password'],
  [/\bcerts?\b/g, 'certificate'],
  [/\bmic\b/g, 'microphone'],
  [/\bcreds\b/g, 'credentials'],
  [/\bauth\b/g, 'authentication'],
];

// Words whose stems differ but mean the same thing to someone asking for help.
// Applied to documents and queries, so they change no term counts.
const SYNONYM_STEMS: Readonly<Record<string, string>> = {
  mail: 'email',
  wireless: 'wifi',
  notebook: 'laptop',
};

const WORD = /[\p{L}\p{N}]+/gu;

// "pop-up", "set-up", "check-in": keep the parts and add the joined form people also type. Bounded
// by letters and digits rather than `\b`, which only knows ASCII: inside a run like "aéaé…" every
// position was a word boundary, each rescanning the run (quadratic on a long document).
const HYPHENATED = /(?<![\p{L}\p{N}])(\p{L}{2,})-(\p{L}{2,})(?![\p{L}\p{N}])/gu;

/** Lower-cases, unifies spelling variants and splits into raw words (stop words included). */
export function tokenize(text: string): string[] {
  let normalised = text.toLowerCase();
  for (const [pattern, replacement] of VARIANTS) normalised = normalised.replace(pattern, replacement);
  normalised = normalised.replace(HYPHENATED, '$1 $2 $1$2');
  return normalised.match(WORD) ?? [];
}

// Stemming is the bulk of indexing time and a corpus repeats few distinct words, so results are memoised.
const MAX_MEMO_ENTRIES = 100_000;
const memo = new Map<string, string | null>();

/** Turns one word into its index term: `null` for stop words, else the (synonym-unified) stem. */
export function processTerm(word: string): string | null {
  const known = memo.get(word);
  if (known !== undefined) return known;
  let term: string | null = null;
  if (!STOP_WORDS.has(word) && (word.length > 1 || /\d/.test(word))) {
    const stemmed = stem(word);
    term = SYNONYM_STEMS[stemmed] ?? stemmed;
  }
  if (memo.size >= MAX_MEMO_ENTRIES) memo.clear();
  memo.set(word, term);
  return term;
}

/** Every index term of a text, in order. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const word of tokenize(text)) {
    const term = processTerm(word);
    if (term) terms.push(term);
  }
  return terms;
}
