import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { connectLegacySse, connectStreamable, serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

type CallResult = { content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

/** What every transport must do the same way. */
async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), ['big', 'boom', 'count', 'echo', 'fail', 'note', 'sleep', 'whoami']);
  const echo = tools.find((t) => t.name === 'echo')!;
  assert.equal(echo.annotations?.readOnlyHint, true);
  assert.equal(echo.inputSchema.type, 'object');
  assert.ok(echo.outputSchema, 'output schema is published');

  const ok = (await client.callTool({ name: 'echo', arguments: { text: 'héllo' } })) as CallResult;
  assert.deepEqual(ok.structuredContent, { text: 'héllo' });
  assert.equal(ok.content[0]?.text, 'héllo');

  const progress: number[] = [];
  // Steps 50 ms apart: the SDK client runs notification handlers a microtask late but answers at once, so a
  // notification read in the same chunk as the result is dropped (stdio reads many lines at once). Only the
  // last step shares the result's chunk; the wire order itself is checked in stdio.test.ts.
  const counted = (await client.callTool({ name: 'count', arguments: { n: 3, delay_ms: 50 } }, undefined, {
    onprogress: (p) => progress.push(p.progress),
  })) as CallResult;
  assert.deepEqual(counted.structuredContent, { counted: 3 });
  assert.deepEqual(progress.slice(0, 2), [1, 2], `progress notifications arrived in order (${progress.join(', ')})`);

  const failed = (await client.callTool({ name: 'fail', arguments: {} })) as CallResult;
  assert.equal(failed.isError, true);
  assert.match(failed.content[0]?.text ?? '', /always fails \(do not call it\)/);

  const boom = (await client.callTool({ name: 'boom', arguments: {} })) as CallResult;
  assert.equal(boom.isError, true);
  assert.match(boom.content[0]?.text ?? '', /boom failed unexpectedly/);
  assert.doesNotMatch(boom.content[0]?.text ?? '', /at .*\.ts:\d+/, 'no stack trace reaches the client');

  const invalid = (await client.callTool({ name: 'echo', arguments: { text: 42 } })) as CallResult;
  assert.equal(invalid.isError, true);
  assert.match(invalid.content[0]?.text ?? '', /text/);

  const unknown = (await client.callTool({ name: 'nope', arguments: {} })) as CallResult;
  assert.equal(unknown.isError, true);
}

describe('every transport serves the same agent', () => {
  let stateful: RunningAgentServer;
  let stateless: RunningAgentServer;
  before(async () => {
    stateful = await serve(createTestAgent());
    stateless = await serve(createTestAgent(), { stateless: true });
  });
  after(async () => {
    await stateful.close();
    await stateless.close();
  });

  test('Streamable HTTP, stateful', async () => {
    const { client, transport } = await connectStreamable(stateful.url);
    assert.match(transport.sessionId ?? '', /^[0-9a-f]{32}$/, 'a 128-bit random session id');
    await exercise(client);
    await transport.terminateSession();
    await client.close();
    assert.equal(stateful.app.sessionCount(), 0, 'DELETE closed the session');
  });

  test('Streamable HTTP, stateless', async () => {
    const { client, transport } = await connectStreamable(stateless.url);
    assert.equal(transport.sessionId, undefined);
    await exercise(client);
    await client.close();
    const get = await fetch(stateless.url, { headers: { accept: 'text/event-stream' } });
    assert.equal(get.status, 405);
  });

  test('legacy HTTP+SSE', async () => {
    const client = await connectLegacySse(stateful.url.replace(/\/mcp$/, ''));
    await exercise(client);
    await client.close();
  });

  test('stdio', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['test/helpers/stdioTestAgent.ts'],
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    try {
      await client.connect(transport);
      await exercise(client);
    } finally {
      await client.close(); // ends the child too, so a failed check cannot leave it running and hang the file
    }
  });

  test('the built-in incident agent over stdio (npm run agent -- incident --stdio)', async (t) => {
    const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/switchboard-stdio-'));
    t.after(() => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true })));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['scripts/agent.ts', 'incident', '--stdio'],
      env: { ...(process.env as Record<string, string>), SWITCHBOARD_DATA_DIR: dir, DATABASE_URL: '' },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'create_incident'));
    } finally {
      await client.close();
    }
  });
});

test('stdio child exits when its client closes the pipe', async () => {
  const child = spawn(process.execPath, ['test/helpers/stdioTestAgent.ts'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
});
