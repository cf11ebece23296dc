import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ConfigError, ToolError } from '../../../src/errors.ts';
import type { SearchHit } from '../../../servers/search/backend.ts';
import { createLocalBackend, type LocalBackend } from '../../../servers/search/index.ts';

const GUIDE = `---
title: Provisioning the Quokka badge printer
updated: 2026-11-01
tags: [badges, reception]
---
# Ignored heading

Reception prints visitor badges on the Quokka printer. Load the sticker roll label side up.
`;

const PAGE = `<!doctype html><html><head><title>Wombat &amp; Co. lab access</title>
<style>.hidden { color: red }</style><script>var secretToken = "zebracorn";</script></head>
<body><h1>Lab access</h1><p>Ask the wombat lab manager for a key&nbsp;card &#8211; allow two days.</p></body></html>`;

const NOTES = `Numbat backup rota
The numbat server is backed up nightly at 02:00.
`;

// Writes beside the target, then renames, as editors do: a watcher never sees half a file.
async function writeAtomically(path: string, content: string): Promise<void> {
  await writeFile(`${path}.partial`, content);
  await rename(`${path}.partial`, path);
}

describe('SEARCH_CORPUS_DIR: local files indexed at start and refreshed on change', () => {
  let dir: string;
  let backend: LocalBackend;
  const find = (query: string): Promise<SearchHit[]> =>
    backend.search({ query, maxResults: 5, topic: 'general', includeDomains: [], excludeDomains: [] });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-corpus-'));
    await mkdir(join(dir, 'guides'));
    await mkdir(join(dir, '.git'));
    await mkdir(join(dir, 'node_modules'));
    await writeFile(join(dir, 'guides', 'quokka.md'), GUIDE);
    await writeFile(join(dir, 'lab.html'), PAGE);
    await writeFile(join(dir, 'numbat.txt'), NOTES);
    await writeFile(join(dir, 'data.json'), '{"quokka": true}');
    await writeFile(join(dir, '.git', 'quokka.md'), '# Quokka in a hidden folder');
    await writeFile(join(dir, 'node_modules', 'quokka.md'), '# Quokka in node_modules');
    backend = await createLocalBackend({ corpusDir: dir, debounceMs: 25 });
  });
  after(async () => {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('indexes Markdown, text and HTML files found at start, skipping hidden folders and node_modules', async () => {
    const readiness = await backend.readiness();
    assert.equal(readiness.corpusFiles, 3);
    assert.equal(readiness.documents, (readiness.articles as number) + 3);

    const [quokka, ...others] = await find('quokka sticker roll');
    assert.equal(quokka?.title, 'Provisioning the Quokka badge printer');
    assert.equal(quokka?.url, pathToFileURL(join(dir, 'guides', 'quokka.md')).href);
    assert.equal(quokka?.publishedDate, '2026-11-01');
    assert.ok(!others.some((hit) => hit.title.includes('Quokka')), 'hidden and node_modules copies are not indexed');

    const [lab] = await find('wombat key card');
    assert.equal(lab?.title, 'Wombat & Co. lab access');
    assert.match(lab?.content ?? '', /key card – allow two days/);
    assert.deepEqual(await find('zebracorn'), [], 'script text is not indexed');

    const [numbat] = await find('numbat backups');
    assert.equal(numbat?.title, 'Numbat backup rota');
    assert.match(numbat?.publishedDate ?? '', /^\d{4}-\d{2}-\d{2}$/);
  });

  test("fetch_article returns a corpus file's text by its file url", async () => {
    const article = await backend.fetchArticle(pathToFileURL(join(dir, 'lab.html')).href);
    assert.equal(article.title, 'Wombat & Co. lab access');
    assert.match(article.content, /Ask the wombat lab manager/);
    assert.doesNotMatch(article.content, /secretToken|color: red/);
  });

  test('a new file is picked up without a restart', async () => {
    const refreshed = backend.nextRefresh(AbortSignal.timeout(10_000));
    await writeAtomically(
      join(dir, 'guides', 'platypus.md'),
      '# Platypus parking permits\n\nPermits for the platypus car park are issued by facilities.\n',
    );
    const event = await refreshed;
    assert.equal(event.corpusFiles, 4);
    const [hit] = await find('platypus parking');
    assert.equal(hit?.title, 'Platypus parking permits');
  });

  test('a changed file is re-read, and its old text no longer matches', async () => {
    const refreshed = backend.nextRefresh(AbortSignal.timeout(10_000));
    await writeAtomically(join(dir, 'numbat.txt'), 'Numbat backup rota\nBackups moved to the echidna server in December.\n');
    await refreshed;
    assert.equal((await find('echidna'))[0]?.title, 'Numbat backup rota');
    const numbatUrl = pathToFileURL(join(dir, 'numbat.txt')).href;
    assert.ok(!(await find('nightly')).some((hit) => hit.url === numbatUrl), 'old text still indexed');
    assert.doesNotMatch((await backend.fetchArticle(numbatUrl)).content, /nightly/);
  });

  test('a deleted file leaves the index, and fetching it is a ToolError', async () => {
    const refreshed = backend.nextRefresh(AbortSignal.timeout(10_000));
    const path = join(dir, 'guides', 'platypus.md');
    await rm(path);
    const event = await refreshed;
    assert.equal(event.corpusFiles, 3);
    assert.deepEqual(await find('platypus'), []);
    await assert.rejects(backend.fetchArticle(pathToFileURL(path).href), ToolError);
  });

  test('refresh() rescans on demand and reports whether anything changed', async () => {
    // The first call settles whatever the watcher has not yet picked up (a loaded machine delays its events).
    await backend.refresh();
    assert.equal(await backend.refresh(), false, 'nothing changed since the last scan');
    await writeAtomically(join(dir, 'quokka.txt'), 'Quokka visitor badges\nBadges are printed at reception.\n');
    // true unless the watcher's own rescan (150 ms after the event) got there first; either way it is indexed now.
    const changed = await backend.refresh();
    assert.equal(typeof changed, 'boolean');
    assert.equal((await find('quokka'))[0]?.title, 'Quokka visitor badges');
  });
});

describe('SEARCH_CORPUS_DIR problems', () => {
  test('a missing directory fails start-up with a ConfigError naming the variable', async () => {
    await assert.rejects(createLocalBackend({ corpusDir: join(tmpdir(), 'switchboard-no-such-dir-4821') }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /SEARCH_CORPUS_DIR/);
      return true;
    });
  });

  // Regression: every file was opened at once, so a directory of a few thousand files (a few
  // hundred under macOS's default limit of 256) failed start-up with EMFILE.
  test('a directory of more files than the process may open at once is indexed', async (t) => {
    if (process.platform === 'win32') return t.skip('needs a POSIX shell for ulimit');
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-corpus-'));
    try {
      await Promise.all(Array.from({ length: 400 }, (_, i) => writeFile(join(dir, `note-${i}.md`), `# Note ${i}\n`)));
      const corpus = new URL('../../../servers/search/local/corpus.ts', import.meta.url).href;
      const script = `import { scanCorpus } from ${JSON.stringify(corpus)}; console.log((await scanCorpus(${JSON.stringify(dir)})).snapshot.size);`;
      const { stdout } = await promisify(execFile)('sh', [
        '-c',
        'ulimit -n 128 && exec "$@"',
        'sh',
        process.execPath,
        '--input-type=module',
        '-e',
        script,
      ]);
      assert.equal(stdout.trim(), '400');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('close() stops watching and can be called twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-corpus-'));
    try {
      const backend = await createLocalBackend({ corpusDir: dir, debounceMs: 10 });
      await backend.close();
      await backend.close();
      await writeFile(join(dir, 'late.md'), '# Late file');
      assert.equal((await backend.readiness()).corpusFiles, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
