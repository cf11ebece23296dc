/**
 * The worker thread the built-in agents started on demand run in (see autoStart.ts): their start
 * (the kit, Express, SQLite, each agent's models and indexes) takes a second core instead of
 * delaying the command that needed them, and their requests are served beside its work.
 *
 * workerData: {@link AgentWorkerData}. Posts one {@link AgentWorkerReport} once every agent has
 * started or failed; on the message "stop" it closes them, and the thread ends.
 */
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { Env } from '../../src/config/env.ts';

export interface AgentWorkerData {
  readonly env: Env;
  /** Server entry name -> built-in agent name. */
  readonly agents: Readonly<Record<string, string>>;
}

export type AgentWorkerReport =
  | { readonly ok: true; readonly urls: Readonly<Record<string, string>> }
  /** The first failure, as one line; `user` when it is the configuration's fault (a UserError). */
  | { readonly ok: false; readonly message: string; readonly user: boolean };

// Before the kit loads: a worker keeps its own module state, the compile cache included.
enableCompileCache?.();
const [{ tracingSettings }, { startTracing }, { describeError, UserError }, { startBuiltinAgent }] = await Promise.all([
  import('../../src/config/env.ts'),
  import('../../src/telemetry/otel.ts'),
  import('../../src/errors.ts'),
  import('./builtinAgents.ts'),
]);

const { env, agents } = workerData as AgentWorkerData;
const port = parentPort!;
// This thread has its own tracer provider: the agents' spans would otherwise go nowhere.
const tracing = await startTracing(tracingSettings(env, 'switchboard-agents'));
const entries = Object.entries(agents);
const outcomes = await Promise.allSettled(entries.map(([, agent]) => startBuiltinAgent(agent, env, { port: 0 })));
const running = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));

port.once('message', () => {
  void Promise.all(running.map((server) => server.close(5000)))
    .then(() => tracing.shutdown())
    .finally(() => port.close());
});

const failed = outcomes.find((outcome) => outcome.status === 'rejected');
const report: AgentWorkerReport = failed
  ? { ok: false, message: describeError(failed.reason), user: failed.reason instanceof UserError }
  : { ok: true, urls: Object.fromEntries(entries.map(([name], i) => [name, running[i]!.url])) };
port.postMessage(report);
