import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAnalysisAgent } from '../../../servers/analysis/index.ts';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { connectStreamable, serve } from '../../helpers/mcpClient.ts';

let server: RunningAgentServer;

before(async () => {
  server = await serve(createAnalysisAgent());
});

after(async () => {
  await server.close();
});

test('over Streamable HTTP a model sees the tools, their schemas and annotations', async () => {
  const { client } = await connectStreamable(server.url);
  try {
    assert.match(client.getInstructions() ?? '', /analyze_sentiment/);
    const { tools } = await client.listTools();
    const sentiment = tools.find((tool) => tool.name === 'analyze_sentiment');
    assert.ok(sentiment?.outputSchema, 'output schema listed');
    assert.equal(sentiment.annotations?.readOnlyHint, true);
    assert.deepEqual(sentiment.inputSchema.required, ['text']);
  } finally {
    await client.close();
  }
});

test('a call returns structured content and streams progress', async () => {
  const { client } = await connectStreamable(server.url);
  try {
    const seen: number[] = [];
    const text = 'Nobody here can log in since 8am and I have a board meeting! '.repeat(400);
    const result = await client.callTool({ name: 'analyze_text', arguments: { text, analyses: ['sentiment', 'entities'] } }, undefined, {
      onprogress: (progress) => void seen.push(progress.progress),
    });
    assert.equal(result.isError, undefined);
    const structured = result.structuredContent as { sentiment: { label: string; tone: string } };
    assert.equal(structured.sentiment.label, 'negative');
    assert.equal(structured.sentiment.tone, 'angry');
    assert.ok(seen.length >= 3, `${seen.length} progress events`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
  } finally {
    await client.close();
  }
});

test('bad arguments come back as an error result the model can act on', async () => {
  const { client } = await connectStreamable(server.url);
  try {
    const empty = await client.callTool({ name: 'analyze_sentiment', arguments: { text: '' } });
    assert.equal(empty.isError, true);
    assert.match(JSON.stringify(empty.content), /text is empty/);
    const typed = await client.callTool({ name: 'summarize', arguments: { text: 'Fine.', max_sentences: 'three' } });
    assert.equal(typed.isError, true);
  } finally {
    await client.close();
  }
});
