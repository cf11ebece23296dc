import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { defineAgent, defineTool } from '../../../src/mcp/index.ts';
import { connectStreamable } from '../../helpers/mcpClient.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../../helpers/postgres.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';
import { fixedModel, startAgent, startService } from './harness.ts';

// A tool that answers with a NUL and a lone surrogate, as any third-party MCP server may.
const binaryish = defineAgent({
  name: 'binaryish',
  version: '1.0.0',
  instructions: 'Returns odd text.',
  tools: [
    defineTool({
      name: 'dump',
      title: 'Dump',
      description: 'Returns a register dump.',
      input: z.object({}),
      output: z.object({ dump: z.string().describe('the dump') }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      handler: async () => ({ structured: { dump: 'r0=\u0000 r1=\ud800' }, text: 'r0=\u0000 r1=\ud800' }),
    }),
  ],
});

interface Run {
  id: string;
  status: string;
  answer: string | null;
  error: { message: string } | null;
  toolCalls: { name: string; ok: boolean; result: unknown }[];
}

for (const store of ['SQLite', 'PostgreSQL'] as const) {
  describe(`control characters in the service on ${store}`, () => {
    const open = async (t: { after: (fn: () => unknown) => void }) => {
      const dir = await mkdtemp(join(tmpdir(), 'switchboard-nul-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const schema = store === 'PostgreSQL' ? freshSchema('svc_nul') : undefined;
      if (schema !== undefined) t.after(() => dropSchema(schema));
      const agent = await startAgent(binaryish);
      t.after(() => agent.close());
      const model = new ScriptedChatModel(callThenAnswer([{ name: 'binaryish__dump', args: {} }], () => 'The dump reads r0=\u0000.'));
      const service = await startService({
        dataDir: join(dir, 'service'),
        servers: agent.servers,
        resolveModel: fixedModel(model),
        ...(schema === undefined ? {} : { databaseUrl: TEST_DATABASE_URL, schema }),
      });
      t.after(() => service.close(100));
      return service;
    };

    test('regression: a run input with a NUL is refused with 400 naming the input, on both faces, storing nothing', async (t) => {
      const service = await open(t);
      const refused = await service.api.post<{ error: { code: string; message: string } }>('/v1/runs', { input: 'dump\u0000 it' });
      assert.equal(refused.status, 400);
      assert.match(
        refused.body.error.message,
        /^input contains the control character U\+0000 at character 5 \(only tab, newline and carriage return are allowed\)/,
      );
      const lone = await service.api.post<{ error: { message: string } }>('/v1/runs', { input: 'dump \ud800' });
      assert.equal(lone.status, 400);
      assert.match(lone.body.error.message, /^input is not well-formed Unicode/);
      assert.deepEqual((await service.api.get<{ runs: unknown[] }>('/v1/runs')).body.runs, []);

      const { client } = await connectStreamable(`${service.url}/mcp`);
      t.after(() => client.close());
      const viaMcp = (await client.callTool({ name: 'orchestrate', arguments: { request: 'dump\u0000 it' } })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      assert.equal(viaMcp.isError, true);
      assert.match(viaMcp.content[0]?.text ?? '', /^input contains the control character U\+0000/);
    });

    test('regression: a NUL in a tool result or an answer is stored as U+FFFD: the run completes with its tool call', async (t) => {
      const service = await open(t);
      const { status, body } = await service.api.post<Run>('/v1/runs', { input: 'dump the registers' });
      assert.equal(status, 200);
      assert.equal(body.status, 'completed', JSON.stringify(body.error));
      assert.equal(body.answer, 'The dump reads r0=\uFFFD.');
      assert.deepEqual(
        body.toolCalls.map((call) => [call.name, call.ok]),
        [['binaryish__dump', true]],
      );
      assert.match(JSON.stringify(body.toolCalls[0]?.result), /r0=\uFFFD r1=\uFFFD/);
      const events = await service.api.get<{ events: { type: string }[] }>(`/v1/runs/${body.id}/events`);
      assert.deepEqual(
        events.body.events.map((event) => event.type).filter((type) => type.startsWith('tool')),
        ['tool_start', 'tool_end'],
      );
    });
  });
}
