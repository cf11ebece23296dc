import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startMissingAgents } from '../../scripts/lib/autoStart.ts';
import { loadEnv } from '../../src/config/env.ts';
import { ServerEntrySchema } from '../../src/config/file.ts';
import { freePort } from '../helpers/everything.ts';

describe('built-in agents started in a child process', () => {
  let dir: string;
  const saved = process.env['SWITCHBOARD_DATA_DIR'];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-autostart-'));
    // The child reads its settings from this process's environment, as the CLI's own do.
    process.env['SWITCHBOARD_DATA_DIR'] = join(dir, 'data');
  });
  after(async () => {
    if (saved === undefined) delete process.env['SWITCHBOARD_DATA_DIR'];
    else process.env['SWITCHBOARD_DATA_DIR'] = saved;
    await rm(dir, { recursive: true, force: true });
  });

  test('serve over loopback until stopped, and the process is gone after stop()', async () => {
    const configured = `http://127.0.0.1:${await freePort()}/mcp`;
    const entry = ServerEntrySchema.parse({ url: configured, agent: 'analysis', autoStart: true });
    const messages: string[] = [];
    const agents = await startMissingAgents({ analysis: entry }, loadEnv(), (m) => messages.push(m), { childProcess: true });
    try {
      const url = agents.servers['analysis']!.url;
      assert.notEqual(url, configured);
      assert.deepEqual(agents.started, ['analysis']);
      assert.match(messages[0] ?? '', /^started built-in agent "analysis" on http:\/\/127\.0\.0\.1:\d+\/mcp \(nothing answered at /);
      const health = (await (await fetch(new URL('/healthz', url))).json()) as { agent?: string };
      assert.equal(health.agent, 'analysis');
    } finally {
      await agents.stop();
    }
    await assert.rejects(fetch(new URL('/healthz', agents.servers['analysis']!.url)));
  });

  test('an agent that cannot start fails the call with its own message, as in process', async () => {
    const entry = ServerEntrySchema.parse({ url: `http://127.0.0.1:${await freePort()}/mcp`, agent: 'no-such-agent', autoStart: true });
    await assert.rejects(
      startMissingAgents({ ghost: entry }, loadEnv(), () => {}, { childProcess: true }),
      (error: Error & { exitCode?: number }) => {
        assert.match(error.message, /^no agent named "no-such-agent": built-in agents are /);
        return true;
      },
    );
  });
});
