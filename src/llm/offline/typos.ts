/**
 * Typing slips in a request ("cna you open a tiket"): a lower-case word that neither the dictionary
 * nor the tools' own texts know, one slip (a letter left out, added, changed, or two swapped) away
 * from exactly one word the tools' texts or general English function words know, is read as that
 * word. Names (capitalised inside a sentence), codes and words with digits are left as written.
 */
import { isInterjection, isWord } from './lexicon/index.ts';
import { nlp } from './lexicon/tagger.ts';
import { BoundedMap, WORD_MEMO_SIZE } from './memo.ts';
import type { ToolSpec } from './toolIndex.ts';
import { findQuotes } from './split.ts';
import { STOPWORDS } from './vocabulary.ts';

/** Shorter words have too many neighbours one slip away to guess from. */
const MIN_TYPO_LENGTH = 3;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

const vocabularies = new WeakMap<readonly ToolSpec[], ReadonlySet<string>>();

function textsOf(tool: ToolSpec): string[] {
  return [
    tool.name.replace(/[_.-]+/g, ' '),
    tool.description,
    ...tool.props.flatMap((prop) => [prop.name.replace(/[_.-]+/g, ' '), prop.description, ...prop.enumValues.map(String)]),
  ];
}

/** The lower-case words of the tools' names, descriptions, property names, descriptions and enum values. */
function vocabularyOf(tools: readonly ToolSpec[]): ReadonlySet<string> {
  let known = vocabularies.get(tools);
  if (!known) {
    const words = new Set<string>();
    for (const text of tools.flatMap(textsOf)) {
      for (const match of text.toLowerCase().matchAll(WORD)) if (/^\p{L}+$/u.test(match[0])) words.add(match[0]);
    }
    known = words;
    vocabularies.set(tools, known);
  }
  return known;
}

/** Whether two words are one slip apart (Damerau: insert, delete, substitute, or swap two neighbours). */
export function oneSlipApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i);
}

const dictionary = new BoundedMap<string, boolean>(WORD_MEMO_SIZE);

let lexicon: Readonly<Record<string, unknown>> | undefined;

/** Whether general English knows the word (WordNet in any inflection, compromise's lexicon with its irregular forms, a function word). */
function isEnglish(lower: string): boolean {
  let known = dictionary.get(lower);
  if (known === undefined) {
    lexicon ??= (nlp.model() as { one: { lexicon: Record<string, unknown> } }).one.lexicon;
    known =
      STOPWORDS.has(lower) ||
      lexicon[lower] !== undefined ||
      (['noun', 'verb', 'adj', 'adv'] as const).some((pos) => isWord(lower, pos)) ||
      isInterjection(lower);
    dictionary.set(lower, known);
  }
  return known;
}

/** The one known word a slip away from an unknown one, else undefined. */
function correction(lower: string, tools: ReadonlySet<string>): string | undefined {
  if (lower.length < MIN_TYPO_LENGTH || tools.has(lower) || isEnglish(lower)) return undefined;
  const found = new Set<string>();
  // The first letter is seldom the slip; keeping it keeps the guesses few.
  for (const candidate of [...tools, ...STOPWORDS]) {
    if (candidate.length >= MIN_TYPO_LENGTH && candidate[0] === lower[0] && oneSlipApart(lower, candidate)) found.add(candidate);
    if (found.size > 1) return undefined;
  }
  const [meant] = found;
  // A three-letter word is a slip only of a function word ("cna" for "can"): of a word of the tools it is as
  // likely a name written small ("api", not "app").
  return meant !== undefined && (lower.length > MIN_TYPO_LENGTH || STOPWORDS.has(meant)) ? meant : undefined;
}

/** Punctuation that may stand around a word in prose. */
const PROSE_MARK = /[\s()[\]{}"'“”‘’,;:!?]/u;

/** Whether a word is one of prose: what stands around it, up to the spaces, is punctuation or a sentence's full stop. */
function standsAlone(text: string, start: number, end: number): boolean {
  let before = start;
  while (before > 0 && !/\s/u.test(text.charAt(before - 1))) {
    if (!PROSE_MARK.test(text.charAt(before - 1))) return false;
    before -= 1;
  }
  for (let after = end; after < text.length && !/\s/u.test(text.charAt(after)); after += 1) {
    if (!PROSE_MARK.test(text.charAt(after)) && !(text.charAt(after) === '.' && !/[\p{L}\p{N}]/u.test(text.charAt(after + 1))))
      return false;
  }
  return true;
}

/** A request with its typing slips read as the words meant; unchanged when it has none. Quoted text is given as written. */
export function withoutTypos(text: string, tools: readonly ToolSpec[]): string {
  const known = vocabularyOf(tools);
  const quotes = findQuotes(text);
  return text.replace(WORD, (word, offset: number) => {
    if (quotes.some((quote) => offset >= quote.start && offset < quote.end)) return word;
    // A word of a path, a file name, an address or a code ("old-notes.txt", "fix/typo") is written as meant.
    if (!standsAlone(text, offset, offset + word.length)) return word;
    // Lower-case words, or a capitalised one opening a sentence ("Cna you ..."); never names or codes.
    const opens = offset === 0 || /[.!?\n]\s*$/.test(text.slice(Math.max(0, offset - 3), offset));
    if (!/^\p{Ll}+$/u.test(opens ? word.charAt(0).toLowerCase() + word.slice(1) : word)) return word;
    const meant = correction(word.toLowerCase(), known);
    if (!meant) return word;
    return /^\p{Lu}/u.test(word) ? meant.charAt(0).toUpperCase() + meant.slice(1) : meant;
  });
}
