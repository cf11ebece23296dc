import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ToolError } from '../../../src/errors.ts';
import { defineAgent, defineTool } from '../../../src/mcp/index.ts';
import { rawPost, serve } from '../../helpers/mcpClient.ts';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const agent = defineAgent({
  name: 'parity',
  version: '1.0.0',
  instructions: 'x',
  tools: [
    defineTool({
      name: 'square',
      title: 'Square',
      description: 'Squares n.',
      input: z.object({ n: z.number().int(), label: z.string().default('result') }),
      output: z.object({ value: z.number(), label: z.string() }),
      annotations: readOnly,
      handler: async ({ n, label }) => ({ structured: { value: n * n, label }, text: `${label}: ${n * n}` }),
    }),
    defineTool({
      name: 'wrong_shape',
      title: 'Wrong shape',
      description: 'Answers structured content that does not fit its output schema.',
      input: z.object({}),
      output: z.object({ count: z.number() }),
      annotations: readOnly,
      handler: async () => ({ structured: { count: 'many' } as unknown as { count: number }, text: 'many' }),
    }),
    defineTool({
      name: 'refuse',
      title: 'Refuse',
      description: 'Always fails with a tool error.',
      input: z.object({}),
      output: z.object({}),
      annotations: readOnly,
      handler: async () => {
        throw new ToolError('not today', { hint: 'try tomorrow' });
      },
    }),
  ],
});

/** The result of one stateless `tools/call`; `viaSdk` adds a parameter the kit's own path leaves to the SDK. */
async function call(url: string, name: string, args: unknown, viaSdk: boolean): Promise<unknown> {
  const params = { name, arguments: args, ...(viaSdk ? { unknownParameter: true } : {}) };
  const { status, text } = await rawPost(url, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params }), {
    'mcp-protocol-version': '2025-11-25',
  });
  assert.equal(status, 200, text);
  const body = text.startsWith('{')
    ? text
    : text
        .split('\n')
        .find((line) => line.startsWith('data: '))!
        .slice(6);
  return JSON.parse(body);
}

test("the kit's own tools/call path answers exactly what the SDK's McpServer answers", async () => {
  const server = await serve(agent, { stateless: true });
  try {
    const cases: [string, unknown][] = [
      ['square', { n: 4 }], // defaults applied
      ['square', { n: 4, label: 'four squared', extra: 'stripped' }],
      ['square', { n: 'four' }], // invalid arguments: the SDK words the refusal
      ['square', undefined],
      ['wrong_shape', {}], // output check
      ['refuse', {}], // a tool error
    ];
    for (const [name, args] of cases) {
      const direct = await call(server.url, name, args, false);
      const sdk = await call(server.url, name, args, true);
      assert.deepEqual(direct, sdk, `${name} ${JSON.stringify(args)}`);
    }
    const wrong = (await call(server.url, 'wrong_shape', {}, false)) as { result: { isError: boolean; content: { text: string }[] } };
    assert.equal(wrong.result.isError, true);
    assert.match(
      wrong.result.content[0]!.text,
      /^MCP error -32602: Output validation error: Invalid structured content for tool wrong_shape/,
    );
  } finally {
    await server.close();
  }
});
