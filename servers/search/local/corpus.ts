import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHtml, parseMarkdown, parsePlainText, type LocalDocument, type ParsedText } from './documents.ts';

/** Files larger than this are skipped: they are data dumps, not documents. */
export const MAX_CORPUS_FILE_BYTES = 2 * 1024 * 1024;
/** Files read at once while scanning. */
const SCAN_CONCURRENCY = 16;

const PARSERS: Readonly<Record<string, (source: string) => ParsedText>> = {
  '.md': parseMarkdown,
  '.markdown': parseMarkdown,
  '.txt': parsePlainText,
  '.html': parseHtml,
  '.htm': parseHtml,
};

/** A file of the corpus directory as last read. */
export interface CorpusEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly document: LocalDocument;
}

/** Absolute path -> entry. */
export type CorpusSnapshot = ReadonlyMap<string, CorpusEntry>;

function isIndexable(entry: Dirent, root: string): boolean {
  if (!entry.isFile() || !(extname(entry.name).toLowerCase() in PARSERS)) return false;
  const parts = relative(root, join(entry.parentPath, entry.name)).split(sep);
  return !parts.some((part) => part.startsWith('.') || part === 'node_modules');
}

function isoDay(value: string | undefined, fallbackMs: number): string {
  const time = value ? Date.parse(value) : Number.NaN;
  return new Date(Number.isNaN(time) ? fallbackMs : time).toISOString().slice(0, 10);
}

async function readDocument(path: string, mtimeMs: number): Promise<LocalDocument> {
  const extension = extname(path).toLowerCase();
  const parsed = (PARSERS[extension] ?? parsePlainText)(await readFile(path, 'utf8'));
  const fileName = path.slice(path.lastIndexOf(sep) + 1, -extension.length);
  return {
    url: pathToFileURL(path).href,
    title: parsed.title || fileName.replace(/[-_]+/g, ' '),
    tags: parsed.tags,
    content: parsed.content,
    text: parsed.text,
    updated: isoDay(parsed.updated, mtimeMs),
  };
}

/**
 * Reads the Markdown, text and HTML files under `root` (hidden folders and
 * `node_modules` skipped), reusing entries of `previous` whose size and mtime are
 * unchanged. `changed` says whether anything was added, modified or removed.
 */
export async function scanCorpus(
  root: string,
  previous: CorpusSnapshot = new Map(),
): Promise<{ snapshot: CorpusSnapshot; changed: boolean }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries.filter((entry) => isIndexable(entry, root)).map((entry) => join(entry.parentPath, entry.name));
  const snapshot = new Map<string, CorpusEntry>();
  let changed = false;
  const scanFile = async (path: string): Promise<void> => {
    try {
      const info = await stat(path);
      if (info.size > MAX_CORPUS_FILE_BYTES) return;
      const known = previous.get(path);
      if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) {
        snapshot.set(path, known);
        return;
      }
      snapshot.set(path, { mtimeMs: info.mtimeMs, size: info.size, document: await readDocument(path, info.mtimeMs) });
      changed = true;
    } catch (error) {
      // Deleted between listing and reading: the next scan settles it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  // SCAN_CONCURRENCY readers take the files in turn: reading them all at once ran out of file descriptors
  // (EMFILE) on a directory of a few thousand files, or a few hundred under macOS's default limit.
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < paths.length) await scanFile(paths[next++] as string);
  };
  await Promise.all(Array.from({ length: Math.min(SCAN_CONCURRENCY, paths.length) }, reader));
  if (!changed) changed = [...previous.keys()].some((path) => !snapshot.has(path));
  return { snapshot, changed };
}
