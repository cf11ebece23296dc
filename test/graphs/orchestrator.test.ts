import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { graph } from '../../graphs/orchestrator.ts';

test('a graph that failed to build is built again at the next run, once the config is fixed (regression: the failure was cached)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-graph-'));
  const config = join(dir, 'switchboard.config.json');
  const saved = { SWITCHBOARD_CONFIG: process.env['SWITCHBOARD_CONFIG'], SWITCHBOARD_MODEL: process.env['SWITCHBOARD_MODEL'] };
  t.after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });
  process.env['SWITCHBOARD_CONFIG'] = config;
  process.env['SWITCHBOARD_MODEL'] = 'offline';
  await assert.rejects(graph(), /cannot read config file .*ENOENT/);
  await writeFile(config, JSON.stringify({ servers: { local: { url: 'http://127.0.0.1:9/mcp' } } }));
  const built = await graph();
  assert.equal(typeof built.invoke, 'function');
});
