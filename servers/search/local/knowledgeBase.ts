import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemError } from '../../../src/errors.ts';
import { parseMarkdown, type LocalDocument } from './documents.ts';

/** Where shipped articles live on the web of the help desk; `<slug>` is the file name. */
export const KNOWLEDGE_BASE_URL = 'https://kb.switchboard.local/articles/';

/** The folder of Markdown articles shipped with the agent. */
export function defaultKnowledgeBaseDir(): string {
  return fileURLToPath(new URL('../kb/', import.meta.url));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Loads every `*.md` article of `dir`. Each needs front matter with `title`,
 * `updated` (YYYY-MM-DD) and `tags`; a malformed article is a bug in shipped data
 * and fails start-up with the file named.
 */
export async function loadKnowledgeBase(dir: string): Promise<LocalDocument[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  return Promise.all(
    files.map(async (name) => {
      const parsed = parseMarkdown(await readFile(join(dir, name), 'utf8'));
      const slug = basename(name, '.md');
      if (!parsed.title || !parsed.updated || !DATE.test(parsed.updated) || parsed.tags.length === 0) {
        throw new SystemError(`knowledge-base article ${join(dir, name)} needs front matter with title, updated (YYYY-MM-DD) and tags`);
      }
      return {
        url: `${KNOWLEDGE_BASE_URL}${slug}`,
        title: parsed.title,
        tags: parsed.tags,
        content: parsed.content,
        text: parsed.text,
        updated: parsed.updated,
      };
    }),
  );
}
