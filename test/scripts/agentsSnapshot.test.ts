import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchboard-agents-snapshot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[]) {
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
}

const TEXTS = [
  'Nobody here can log in since 8am and I have a board meeting!',
  'Thanks a lot, Maria Lopez from Globex fixed the VPN on Tuesday; it was not bad at all. Send $40 to ops@example.com.',
];

/** What the analysis agent's pipeline answers for TEXTS, in a process with `args`; the hooks on first, as in agentsChild.js. */
const analysesWith = (args: string[]) =>
  node([
    ...args,
    '--input-type=module',
    '-e',
    `const { usePreloadedNlp } = await import('./scripts/lib/agentsPreload.js');
const preloaded = usePreloadedNlp();
const { createAnalysisEngine } = await import('./servers/analysis/engine.ts');
const { runAnalyses } = await import('./servers/analysis/pipeline.ts');
const engine = createAnalysisEngine();
const context = { progress: async () => {}, log: async () => {}, sessionLog: async () => {}, signal: new AbortController().signal };
const reports = [];
for (const text of ${JSON.stringify(TEXTS)})
  reports.push(await runAnalyses(engine, text, ['sentiment', 'entities', 'keywords', 'summary', 'language', 'readability'], { maxSentences: 3, maxKeywords: 10 }, context));
console.log(JSON.stringify({ preloaded, reports }));`,
  ]);

describe("the built-in agents' start-up snapshot (agentsSnapshotEntry.cjs, agentsPreload.js)", () => {
  test('is built and checked, and the analysis agent answers from it as it does without it', { timeout: 120_000 }, () => {
    const blob = join(dir, 'agents.blob');
    const require = createRequire(import.meta.url);
    const inputs = ['compromise', 'wink-nlp', 'wink-eng-lite-web-model'].map((name) => require.resolve(name));
    const built = node(['scripts/lib/nlpSnapshotBuild.js', '--agents', blob, ...inputs]);
    assert.equal(built.code, 0, built.stderr);
    assert.ok(existsSync(blob));
    assert.ok(!existsSync(`${blob}.failed`));
    const fromSnapshot = analysesWith(['--snapshot-blob', blob]);
    const plain = analysesWith([]);
    assert.equal(fromSnapshot.code, 0, fromSnapshot.stderr);
    assert.equal(plain.code, 0, plain.stderr);
    type Seen = { preloaded: boolean; reports: unknown[] };
    const a = JSON.parse(fromSnapshot.stdout) as Seen;
    const b = JSON.parse(plain.stdout) as Seen;
    assert.equal(a.preloaded, true);
    assert.equal(b.preloaded, false);
    assert.deepEqual(a.reports, b.reports);
  });
});
