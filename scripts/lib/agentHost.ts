/**
 * A process that serves built-in agents for a CLI that found them not running (see autoStart.ts):
 * asked over the IPC channel, it serves each on a loopback port and answers with its URL or why it
 * could not start. It stops them and exits when the
 * parent says `stop` or goes away. Started through agentHost.js, which turns the compile cache on first.
 */
import { loadEnv } from '../../src/config/env.ts';
import { describeError } from '../../src/errors.ts';
import type { RunningAgentServer } from '../../src/mcp/index.ts';
import { startBuiltinAgent } from './builtinAgents.ts';

/** What the parent asks: start one agent (`id` names the request), or `stop`. */
export type AgentHostRequest = { readonly id: number; readonly agent: string } | 'stop';

/** What the host answers, once per request: the agent's URL, or why it could not start. */
export type AgentHostReply =
  { readonly id: number; readonly url: string } | { readonly id: number; readonly error: string; readonly exitCode: number | undefined };

const env = loadEnv();
const running: RunningAgentServer[] = [];
const starting = new Set<Promise<unknown>>();
let stopping: Promise<void> | undefined;
// Agents still starting are stopped too, once they listen.
const stop = () =>
  (stopping ??= Promise.all(starting)
    .then(() => Promise.all(running.map((server) => server.close(5000))))
    .then(
      () => process.exit(0),
      () => process.exit(1),
    ));

async function start(id: number, agent: string): Promise<AgentHostReply> {
  try {
    const server = await startBuiltinAgent(agent, env, { port: 0 });
    running.push(server);
    return { id, url: server.url };
  } catch (error) {
    return { id, error: describeError(error), exitCode: (error as { exitCode?: number }).exitCode };
  }
}

process.on('message', (request: AgentHostRequest) => {
  if (request === 'stop') void stop();
  else if (!stopping) {
    const started = start(request.id, request.agent).then((reply) => process.send?.(reply));
    starting.add(started);
    void started.finally(() => starting.delete(started));
  }
});
process.on('disconnect', () => void stop());
