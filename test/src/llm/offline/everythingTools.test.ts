import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
// @ts-expect-error: the package ships JavaScript without type declarations for this path.
import { createServer } from '@modelcontextprotocol/server-everything/dist/server/index.js';
import { everythingTools } from './catalogue.ts';

interface EverythingServer {
  readonly server: { connect(transport: unknown): Promise<void> };
  readonly cleanup: (sessionId?: string) => void;
}

test('the server-everything fixture is what the pinned package lists', async () => {
  const { server, cleanup } = (createServer as () => EverythingServer)();
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'fixture-check', version: '0' }, { capabilities: { sampling: {}, elicitation: {}, roots: {} } });
  try {
    await client.connect(clientSide);
    const { tools } = await client.listTools();
    const live = tools.map((tool) => ({
      name: `everything__${tool.name}`,
      description: tool.description ?? '',
      parameters: tool.inputSchema,
    }));
    assert.deepEqual(
      everythingTools().map((tool) => tool.function),
      live,
      'regenerate test/fixtures/planner/everything-tools.json from tools/list (see its "source")',
    );
  } finally {
    cleanup();
    await client.close();
  }
});
