import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchboard-search-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cache = join(dir, 'cache');

const doc = (slug: string, title: string, text: string) => ({
  url: `https://kb.example/${slug}`,
  title,
  tags: [],
  content: text,
  text,
  updated: '2026-01-01',
});
const vpn = doc('vpn', 'Reset the VPN token', 'When the VPN token expires, reset it from the portal.');
const printer = doc('printer', 'Printer jams', 'Open the tray and remove the jammed paper.');

/** The urls `query` finds in an index of `documents` built in a process of its own, with the cache in `cache` unless `keep` is false. */
function search(documents: object[], query: string, keep = true): string[] {
  const script = `const { buildSearchIndex, keepIndexesIn } = await import('./servers/search/local/searchIndex.ts');
if (${keep}) keepIndexesIn(${JSON.stringify(cache)});
const index = buildSearchIndex(${JSON.stringify(documents)});
console.log(JSON.stringify(index.rank(${JSON.stringify(query)}, { limit: 5 }).map((hit) => hit.document.url)));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as string[];
}
const files = () => (existsSync(cache) ? readdirSync(cache) : []);
const [keyOf, indexOf] = [(text: string) => text.slice(0, text.indexOf('\n')), (text: string) => text.slice(text.indexOf('\n') + 1)];

describe('the search index kept between processes (keepIndexesIn)', () => {
  test('without keepIndexesIn nothing is written', () => {
    assert.deepEqual(search([vpn, printer], 'vpn token', false), [vpn.url]);
    assert.deepEqual(files(), []);
  });

  test('a process keeps its index, and the next one with the same documents loads it instead of building', () => {
    assert.deepEqual(search([vpn, printer], 'vpn token'), [vpn.url]);
    assert.equal(files().length, 1);
    const file = join(cache, files()[0]!);
    const kept = readFileSync(file, 'utf8');
    // Served from the file: an index of other documents under this key is what the next process searches.
    search([doc('vpn', 'Paper', 'paper paper')], 'paper');
    const other = readFileSync(file, 'utf8');
    assert.notEqual(keyOf(other), keyOf(kept));
    writeFileSync(file, `${keyOf(kept)}\n${indexOf(other)}`);
    assert.deepEqual(search([vpn, printer], 'paper'), [vpn.url]);
    assert.deepEqual(search([vpn, printer], 'vpn token'), []);
  });

  test('an edited document makes the kept index stale: it is built anew and replaces it', () => {
    const edited = { ...printer, text: 'The VPN token printer is out of toner.' };
    assert.deepEqual(search([vpn, edited], 'toner'), [printer.url]);
    assert.equal(files().length, 1);
    assert.deepEqual(search([vpn, edited], 'toner'), [printer.url]);
  });

  test('an unreadable file is built anew', () => {
    writeFileSync(join(cache, files()[0]!), 'garbage');
    assert.deepEqual(search([vpn, printer], 'jammed paper'), [printer.url]);
    assert.deepEqual(search([vpn, printer], 'jammed paper'), [printer.url]);
  });
});
