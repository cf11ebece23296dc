import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startAgentServer, type AgentDefinition, type AgentServerOptions, type RunningAgentServer } from '../../src/mcp/index.ts';

/** Starts an agent on 127.0.0.1:0; remember to `close()` it. */
export function serve(agent: AgentDefinition, options: Partial<AgentServerOptions> = {}): Promise<RunningAgentServer> {
  return startAgentServer(agent, { port: 0, ...options });
}

export async function connectStreamable(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

export async function connectLegacySse(baseUrl: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  const transport = new SSEClientTransport(new URL('/sse', baseUrl), {
    requestInit: { headers },
    eventSourceInit: {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }),
    },
  });
  await client.connect(transport);
  return client;
}

/** A raw POST to /mcp with sensible defaults; returns status, headers and text. */
export async function rawPost(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
