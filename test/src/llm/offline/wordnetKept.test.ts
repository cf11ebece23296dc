import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchboard-wordnet-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'wordnet.json');

/** The offsets of `words` (nouns) in a process of its own, with keepLookups on `file` unless `keep` is false. */
function lookUp(words: string[], keep = true): Record<string, number[]> {
  const script = `const { keepLookups, senseOffsets } = await import('./src/llm/offline/lexicon/wordnet.ts');
if (${keep}) keepLookups(${JSON.stringify(file)});
console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(words)}.map((w) => [w, senseOffsets(w, 'noun')]))));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, number[]>;
}
type Stored = { key: string; entries: Record<string, number[]> };
const stored = () => JSON.parse(readFileSync(file, 'utf8')) as Stored;

describe('WordNet look-ups kept between processes (keepLookups)', () => {
  const plain = lookUp(['ticket', 'login', 'zzqx'], false);

  test('a process keeps its look-ups, misses too, and the next one is answered from them', () => {
    assert.ok(plain['ticket']!.length > 0);
    assert.deepEqual(plain['zzqx'], []);
    assert.deepEqual(lookUp(['ticket', 'login', 'zzqx']), plain);
    assert.deepEqual(stored().entries, { 'noun:ticket': plain['ticket'], 'noun:login': plain['login'], 'noun:zzqx': [] });
    // Served from the file: changed there, the next process answers what the file says.
    const changed = stored();
    changed.entries['noun:ticket'] = [42];
    writeFileSync(file, JSON.stringify(changed));
    assert.deepEqual(lookUp(['ticket'])['ticket'], [42]);
  });

  test('new look-ups are added to what earlier processes kept', () => {
    lookUp(['printer']);
    assert.deepEqual(Object.keys(stored().entries).sort(), ['noun:login', 'noun:printer', 'noun:ticket', 'noun:zzqx']);
  });

  test('a file kept for other index files (another WordNet) is not served, and is rebuilt', () => {
    writeFileSync(file, JSON.stringify({ key: 'another wordnet', entries: { 'noun:ticket': [42] } }));
    assert.deepEqual(lookUp(['ticket'])['ticket'], plain['ticket']);
    assert.notEqual(stored().key, 'another wordnet');
    assert.deepEqual(stored().entries, { 'noun:ticket': plain['ticket'] });
  });

  test('an unreadable file is rebuilt; without keepLookups nothing is written', () => {
    writeFileSync(file, '{not json');
    assert.deepEqual(lookUp(['login'])['login'], plain['login']);
    assert.deepEqual(stored().entries, { 'noun:login': plain['login'] });
    rmSync(file);
    lookUp(['login'], false);
    assert.equal(existsSync(file), false);
  });
});
