import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// In a process of its own: which modules have loaded is a fact about the whole process.
test('the agent is built and lists its tools before its NLP libraries load; and a call waits for them to load', () => {
  const script = `import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.add(specifier); return r; } });
const heavy = () => ['compromise', 'wink-nlp', 'franc-min'].filter((name) => loaded.has(name));
const { createAnalysisAgent, warmUp } = await import('./servers/analysis/index.ts');
const { recordingContext } = await import('./test/helpers/toolContext.ts');
const agent = createAnalysisAgent();
const names = agent.tools.map((tool) => tool.name);
const before = heavy();
const sentiment = agent.tools.find((tool) => tool.name === 'analyze_sentiment');
const output = await sentiment.handler(sentiment.input.parse({ text: 'This is the third outage this week, I am furious!' }), recordingContext());
const afterCall = heavy();
await warmUp();
console.log(JSON.stringify({ names, before, afterCall, after: heavy(), label: output.structured.label }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const seen = JSON.parse(run.stdout) as { names: string[]; before: string[]; afterCall: string[]; after: string[]; label: string };
  assert.equal(seen.names.length, 4);
  assert.deepEqual(seen.before, []);
  assert.deepEqual(seen.afterCall.sort(), ['compromise', 'franc-min', 'wink-nlp']);
  assert.deepEqual(seen.after.sort(), ['compromise', 'franc-min', 'wink-nlp']);
  assert.equal(seen.label, 'negative');
});
