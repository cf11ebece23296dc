import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, realpathSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

// Says, when the entry imports its first TypeScript file, whether Node had loaded its type stripper (amaro) by then.
const probe = `import { registerHooks } from 'node:module';
registerHooks({
  load(url, context, next) {
    if (url.endsWith('/scripts/lib/orchestrateCli.ts')) process.stdout.write('stripper loaded: ' + process.moduleLoadList.some((m) => m.includes('amaro')) + '\\n');
    return next(url, context);
  },
});`;

// An entry with types is stripped before it can turn the compile cache on, so every run would load
// the stripper (about 200 ms): the entry is plain JavaScript behind the name scripts/orchestrate.ts.
test('starting scripts/orchestrate.ts loads no TypeScript stripper for the entry itself', () => {
  const entry = `${root}scripts/orchestrate.ts`;
  assert.ok(lstatSync(entry).isSymbolicLink());
  assert.match(realpathSync(entry), /orchestrate\.js$/);
  const env = { ...process.env };
  delete env['NODE_COMPILE_CACHE'];
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(probe)}`, 'scripts/orchestrate.ts'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  assert.equal(run.status, 2, run.stderr); // no question: usage
  assert.match(run.stderr, /ask a question/);
  assert.equal(run.stdout.trim(), 'stripper loaded: false');
});
