import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { AgentDefinition } from './agent.ts';
import { buildMcpServer } from './buildServer.ts';

/** Serves an agent over stdin/stdout; resolves when the client closes the pipe. */
export async function serveStdio(agent: AgentDefinition, onWarning?: (message: string) => void): Promise<void> {
  const server = buildMcpServer(
    agent,
    { logLevel: undefined },
    {
      onUnexpectedError: (tool, error) => onWarning?.(`tool ${tool} threw: ${String(error)}`),
    },
  );
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport());
  // The SDK transport does not notice the client closing stdin; without this the process would hang or exit unsettled.
  const onEnd = () => void server.close();
  process.stdin.once('end', onEnd);
  await closed;
  process.stdin.off('end', onEnd);
  await agent.close?.();
}
