import type { AgentDefinition } from './agent.ts';
import { buildMcpServer } from './buildServer.ts';
import { StdioTransport } from './stdioTransport.ts';

/** Serves an agent over stdin/stdout, answering every line; resolves when the client closes the pipe. */
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
  await server.connect(new StdioTransport({ stdin: process.stdin, stdout: process.stdout }));
  // The SDK transport does not notice the client closing stdin; without this the process would hang or exit unsettled.
  const onEnd = () => void server.close();
  process.stdin.once('end', onEnd);
  await closed;
  process.stdin.off('end', onEnd);
  await agent.close?.();
}
