import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KNOWLEDGE_BASE_URL, createLocalBackend, createSearchAgent } from '../../../servers/search/index.ts';
import type { RunningAgentServer } from '../../../src/mcp/index.ts';
import { connectStreamable, serve } from '../../helpers/mcpClient.ts';

let server: RunningAgentServer;

before(async () => {
  server = await serve(await createSearchAgent({ backend: await createLocalBackend() }));
});

after(async () => {
  await server.close();
});

test('over Streamable HTTP a model sees both tools with schemas, annotations and instructions', async () => {
  const { client } = await connectStreamable(server.url);
  try {
    assert.match(client.getInstructions() ?? '', /web_search/);
    const { tools } = await client.listTools();
    const webSearch = tools.find((tool) => tool.name === 'web_search');
    assert.ok(webSearch?.outputSchema, 'output schema listed');
    assert.deepEqual(webSearch.inputSchema.required, ['query']);
    assert.equal(webSearch.annotations?.readOnlyHint, true);
    assert.equal(webSearch.annotations?.destructiveHint, false);
    assert.ok(tools.some((tool) => tool.name === 'fetch_article'));
  } finally {
    await client.close();
  }
});

test('web_search returns structured results and streams progress; fetch_article reads one', async () => {
  const { client } = await connectStreamable(server.url);
  try {
    const seen: number[] = [];
    const result = await client.callTool({ name: 'web_search', arguments: { query: 'sso login loop', max_results: 3 } }, undefined, {
      onprogress: (progress) => void seen.push(progress.progress),
    });
    assert.equal(result.isError, undefined);
    const structured = result.structuredContent as { backend: string; results: { url: string }[] };
    assert.equal(structured.backend, 'local');
    assert.equal(structured.results.length, 3);
    assert.equal(structured.results[0]?.url, `${KNOWLEDGE_BASE_URL}sso-login-loop`);
    assert.ok(seen.length >= 1, `${seen.length} progress events`);

    const article = await client.callTool({ name: 'fetch_article', arguments: { url: structured.results[0]?.url } });
    assert.equal(article.isError, undefined);
    assert.match(JSON.stringify(article.structuredContent), /third-party cookies/);
  } finally {
    await client.close();
  }
});

test('bad arguments and unknown urls come back as error results the model can act on', async () => {
  const { client } = await connectStreamable(server.url);
  try {
    const typed = await client.callTool({ name: 'web_search', arguments: { query: 'vpn', max_results: 'five' } });
    assert.equal(typed.isError, true);
    const unknown = await client.callTool({ name: 'fetch_article', arguments: { url: 'https://kb.switchboard.local/articles/nope' } });
    assert.equal(unknown.isError, true);
    assert.match(JSON.stringify(unknown.content), /no article at https:\/\/kb\.switchboard\.local\/articles\/nope/);
  } finally {
    await client.close();
  }
});
