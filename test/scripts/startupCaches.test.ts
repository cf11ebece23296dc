import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchboard-startup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[], env: Record<string, string>, cwd = root) {
  const run = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
}

describe('the resolve cache (scripts/lib/resolveCache.js)', () => {
  // A project of its own: one package in node_modules, and an entry that turns the cache on and imports it.
  const project = join(dir, 'project');
  const cache = join(dir, 'cache');
  const pkg = join(project, 'node_modules', 'dep');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'dep', type: 'module', exports: './real.js' }));
  writeFileSync(join(pkg, 'real.js'), "export default 'real';\n");
  writeFileSync(join(pkg, 'other.js'), "export default 'other';\n");
  writeFileSync(join(project, 'node_modules', '.package-lock.json'), '{}');
  const entry = join(project, 'main.mjs');
  writeFileSync(
    entry,
    `import { enableResolveCache } from ${JSON.stringify(pathToFileURL(join(root, 'scripts/lib/resolveCache.js')).href)};
enableResolveCache(new URL('./', import.meta.url));
console.log((await import('dep')).default);\n`,
  );
  const run = () => node([entry], { XDG_CACHE_HOME: cache }, project);
  const cacheFile = () => join(cache, 'switchboard', readdirSync(join(cache, 'switchboard'))[0]!);

  type Stored = { key: string; entries: string[] };
  const stored = () => JSON.parse(readFileSync(cacheFile(), 'utf8')) as Stored;
  /** Where the url of each id whose specifier is `specifier` is in the flat [id, url, format, ...] list. */
  const urlsOf = (entries: string[], specifier: string) =>
    entries.flatMap((id, i) => (i % 3 === 0 && id.startsWith(`${specifier}\0`) ? [i + 1] : []));

  test('keeps what a run resolved into node_modules, and serves it to the next run', () => {
    assert.deepEqual(run(), { code: 0, stdout: 'real', stderr: '' });
    const kept = stored();
    const at = urlsOf(kept.entries, 'dep');
    assert.equal(at.length, 1);
    assert.equal(kept.entries[at[0]!], pathToFileURL(join(pkg, 'real.js')).href);
    // Served from the file: pointed elsewhere, the next run imports what the cache says.
    kept.entries[at[0]!] = pathToFileURL(join(pkg, 'other.js')).href;
    writeFileSync(cacheFile(), JSON.stringify(kept));
    assert.equal(run().stdout, 'other');
  });

  test('a run that adds resolutions writes back those it used, and drops those no run uses any more', () => {
    // A second package, and an entry that imports both.
    const pkg2 = join(project, 'node_modules', 'dep2');
    mkdirSync(pkg2, { recursive: true });
    writeFileSync(join(pkg2, 'package.json'), JSON.stringify({ name: 'dep2', type: 'module', exports: './index.js' }));
    writeFileSync(join(pkg2, 'index.js'), "export default 'two';\n");
    const both = join(project, 'both.mjs');
    writeFileSync(both, `${readFileSync(entry, 'utf8')}console.log((await import('dep2')).default);\n`);
    const kept = stored();
    const at = urlsOf(kept.entries, 'dep')[0]!;
    kept.entries[at] = pathToFileURL(join(pkg, 'real.js')).href;
    // dep (which the run uses), and one nobody asks for; dep2 the run adds.
    writeFileSync(
      cacheFile(),
      JSON.stringify({ key: kept.key, entries: [...kept.entries.slice(at - 1, at + 2), 'gone\0nowhere\0\0', 'file:///gone.js', 'module'] }),
    );
    assert.deepEqual(node([both], { XDG_CACHE_HOME: cache }, project), { code: 0, stdout: 'real\ntwo', stderr: '' });
    const ids = stored().entries.filter((_, i) => i % 3 === 0);
    assert.equal(ids.filter((id) => id.startsWith('dep\0')).length, 1, 'the one used kept');
    assert.equal(ids.filter((id) => id.startsWith('dep2\0')).length, 1, 'the one resolved added');
    assert.ok(!ids.includes('gone\0nowhere\0\0'), 'the one no run used dropped');
  });

  test('is dropped when npm installs something (node_modules/.package-lock.json changes)', () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(project, 'node_modules', '.package-lock.json'), later, later);
    assert.equal(run().stdout, 'real');
  });
});

describe('the start-up snapshot (scripts/lib/nlpSnapshot.js)', () => {
  const cache = join(dir, 'snapshot-cache');
  const tagger = createRequire(import.meta.url).resolve('compromise/two');
  const blob = join(cache, 'switchboard', 'test.blob');
  const sentence = 'Ugh, please reset the VPN token for Anna before Friday';
  // Term ids end in a random character (compromise's own Math.random), in any two runs: left out.
  const tagsOf = (args: string[]) =>
    node(
      [
        ...args,
        '--input-type=module',
        '-e',
        `const { nlp } = await import('./src/llm/offline/lexicon/tagger.ts');
const preloaded = globalThis[Symbol.for('switchboard.compromise-two')];
const sets = (key, value) => (value instanceof Set ? [...value] : value);
const { createHash } = await import('node:crypto');
const model = () => createHash('sha256').update(JSON.stringify(nlp.world().model, sets)).digest('hex');
const before = model();
const tags = nlp(${JSON.stringify(sentence)}).json();
console.log(JSON.stringify({ preloaded: preloaded?.nlp === nlp, before, after: model(), tags }, (key, value) => (key === 'id' ? undefined : value)));`,
      ],
      {},
    );

  test('is built aside and checked, and gives the tagger the state a plain load has after its first use', { timeout: 120_000 }, () => {
    // Another checkout's snapshots: one no run has started from for a month, one in use.
    mkdirSync(join(cache, 'switchboard'), { recursive: true });
    const month = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
    writeFileSync(join(cache, 'switchboard', 'nlp-stale.blob'), 'x');
    utimesSync(join(cache, 'switchboard', 'nlp-stale.blob'), month, month);
    writeFileSync(join(cache, 'switchboard', 'nlp-used.blob'), 'x');
    const built = node(['scripts/lib/nlpSnapshotBuild.js', tagger, blob], {});
    assert.equal(built.code, 0, built.stderr);
    assert.ok(existsSync(blob));
    // No lock or partial file left, and the stale snapshot is gone.
    assert.deepEqual(readdirSync(join(cache, 'switchboard')).sort(), ['nlp-used.blob', 'test.blob']);
    rmSync(join(cache, 'switchboard', 'nlp-used.blob'));
    const fromSnapshot = tagsOf(['--snapshot-blob', blob]);
    const plain = tagsOf([]);
    assert.equal(fromSnapshot.code, 0, fromSnapshot.stderr);
    type Seen = { preloaded: boolean; before: string; after: string; tags: unknown };
    const a = JSON.parse(fromSnapshot.stdout) as Seen;
    const b = JSON.parse(plain.stdout) as Seen;
    assert.equal(a.preloaded, true);
    assert.equal(b.preloaded, false);
    assert.deepEqual(a.tags, b.tags);
    // The snapshot was taken after one use (the tagger compiles its patterns into its model then):
    // it starts as a plain load is after its first use, and both end the same.
    assert.equal(a.before, b.after);
    assert.equal(a.after, b.after);
    assert.notEqual(b.before, b.after);
  });

  test('orchestrate runs again from it, with its exit code and output', { timeout: 120_000 }, () => {
    // The snapshot under the name the entry looks for: built by the entry itself, then waited for.
    const env = { XDG_CACHE_HOME: cache, NODE_COMPILE_CACHE: '' };
    const first = node(['scripts/orchestrate.js'], env);
    assert.equal(first.code, 2, first.stderr);
    const named = () => readdirSync(join(cache, 'switchboard')).filter((name) => name.startsWith('nlp-') && name.endsWith('.blob'));
    const deadline = Date.now() + 100_000;
    while (named().length === 0 && Date.now() < deadline) spawnSync('sleep', ['0.5']);
    assert.equal(named().length, 1);
    const probe = `process.on('exit', () => process.stderr.write('snapshot: ' + Boolean(globalThis[Symbol.for('switchboard.compromise-two')]) + '\\n'));`;
    const again = node(['--import', `data:text/javascript,${encodeURIComponent(probe)}`, 'scripts/orchestrate.js'], env);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /ask a question/);
    // The --import runs in both processes: this one (no snapshot) and the one it started from it.
    assert.match(again.stderr, /snapshot: true/);
    assert.match(again.stderr, /snapshot: false/);
    // Turned off, the entry goes on itself: one process, without the snapshot.
    const off = node(['--import', `data:text/javascript,${encodeURIComponent(probe)}`, 'scripts/orchestrate.js'], {
      ...env,
      SWITCHBOARD_START_CACHES: 'off',
    });
    assert.equal(off.code, 2, off.stderr);
    assert.doesNotMatch(off.stderr, /snapshot: true/);
    assert.match(off.stderr, /snapshot: false/);
  });
});
