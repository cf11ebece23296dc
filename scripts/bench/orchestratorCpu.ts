/**
 * The orchestrator's own CPU, in a process of its own (the agents run in another, see
 * agentsProcess.ts), for two rows of `npm run bench`:
 *
 * - per run: a three-tool request with the offline planner, run after run on fresh threads with
 *   the SQLite checkpointer; this thread's CPU per run minus the model's (`_generate`), which a
 *   real model would spend elsewhere. Tool time is the agents' process, so it is not counted.
 * - per tool call: `get_incident` through the orchestrator's client (the LangChain tool the run
 *   calls (McpTool), our connection, the SDK client), against the SDK's own `Client.callTool`
 *   on the same server; this thread's CPU per call, sequential.
 *
 *   node scripts/bench/orchestratorCpu.ts RUNS CALLS
 *
 * Prints one JSON line ({@link OrchestratorCpuResult}) on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseMessage } from '@langchain/core/messages';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runToolCall } from '../../src/agent/index.ts';
import { startBenchAgents } from './benchAgents.ts';
import { ServerEntrySchema } from '../../src/config/file.ts';
import { OfflinePlanner } from '../../src/llm/offline/index.ts';
import { McpClientPool, createOrchestrator } from '../../src/orchestrator/index.ts';
import { createCheckpointer } from '../../src/store/checkpoint/index.ts';

/** The design's compound request: three tools of three agents in one turn. */
export const THREE_TOOL_REQUEST =
  'Create a high urgency incident for the login failure affecting all users, search for known fixes for SSO login loops, ' +
  'and tell me how angry this customer is: "Nobody here can log in since 8am and I have a board meeting!"';

export interface OrchestratorCpuResult {
  readonly runs: number;
  /** This thread's CPU per run, beyond the model's, in ms: p50 and p95. */
  readonly overheadP50Ms: number;
  readonly overheadP95Ms: number;
  /** The model's own CPU per run (the offline planner), in ms, p50. */
  readonly modelP50Ms: number;
  readonly calls: number;
  /** CPU per get_incident call, µs, median of rounds: the orchestrator's client and the SDK's. */
  readonly ourClientUs: number;
  readonly sdkClientUs: number;
}

const cpuUs = () => {
  const { user, system } = process.threadCpuUsage();
  return user + system;
};
const quantile = (list: number[], q: number) =>
  [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(q * list.length))] ?? 0;

let modelUs = 0;
/** The offline planner, its CPU counted apart: what a remote model would spend on its own machine. */
class TimedPlanner extends OfflinePlanner {
  override async _generate(...args: Parameters<OfflinePlanner['_generate']>) {
    const from = cpuUs();
    try {
      return await super._generate(...args);
    } finally {
      modelUs += cpuUs() - from;
    }
  }
}

async function main(runs: number, calls: number): Promise<OrchestratorCpuResult> {
  const agents = await startBenchAgents();
  const { urls } = agents;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-orchestrator-'));
  try {
    const servers = Object.fromEntries(
      Object.entries(urls).map(([name, url]) => [name, ServerEntrySchema.parse({ url, exclude: ['ask_*_agent'] })]),
    );

    const checkpointer = await createCheckpointer({ dataDir });
    const orchestrator = createOrchestrator({ servers, model: new TimedPlanner(), checkpointer: checkpointer.saver });
    const overheads: number[] = [];
    const models: number[] = [];
    const warmup = Math.max(3, Math.ceil(runs / 5));
    for (let i = 0; i < warmup + runs; i++) {
      modelUs = 0;
      const from = cpuUs();
      const result = await orchestrator.run(THREE_TOOL_REQUEST);
      const spent = cpuUs() - from;
      if (result.toolCalls.length !== 3 || result.failedCalls.length > 0)
        throw new Error(`the three-tool run made ${result.toolCalls.length} call(s), ${result.failedCalls.length} failed`);
      if (i < warmup) continue;
      overheads.push((spent - modelUs) / 1000);
      models.push(modelUs / 1000);
    }
    await orchestrator.close();
    await checkpointer.close();

    const number = 'INC0010001'; // the first run created it
    const pool = new McpClientPool({ servers: { incident: servers['incident']! } });
    const tools = new Map((await pool.tools()).map((tool) => [tool.name, tool]));
    const sdk = new Client({ name: 'bench', version: '1.0.0' });
    await sdk.connect(new StreamableHTTPClientTransport(new URL(urls['incident']!)));
    // As a client that knows its tools: listing them gives the SDK the output schemas it then checks each result against, as ours does.
    await sdk.listTools();
    // A run calls its tools inside a LangGraph task, where the adapter reads the task's input (getCurrentTaskInput);
    // outside one that read throws and the adapter catches it, an Error with its stack per call that no run pays.
    const inTask = { configurable: { __pregel_scratchpad: { currentTaskInput: {} } } };
    const ours = async () => {
      const message = await AsyncLocalStorageProviderSingleton.runWithConfig(inTask, () =>
        runToolCall({ id: 'c1', name: 'incident__get_incident', args: { number }, type: 'tool_call' }, tools, {
          emit: () => {},
          signal: undefined,
        }),
      );
      if ((message as BaseMessage & { status?: string }).status === 'error') throw new Error(String(message.content));
    };
    const theirs = async () => {
      const result = await sdk.callTool({ name: 'get_incident', arguments: { number } });
      if (result.isError) throw new Error(JSON.stringify(result.content));
    };
    const perCall = async (call: () => Promise<void>) => {
      const from = cpuUs();
      for (let i = 0; i < calls; i++) await call();
      return (cpuUs() - from) / calls;
    };
    // Interleaved rounds, the median of each: a burst of other work on the machine decides nothing.
    const rounds: { ours: number[]; theirs: number[] } = { ours: [], theirs: [] };
    await perCall(ours);
    await perCall(theirs);
    for (let round = 0; round < 5; round++) {
      rounds.ours.push(await perCall(ours));
      rounds.theirs.push(await perCall(theirs));
    }
    await sdk.close();
    await pool.close();
    return {
      runs,
      overheadP50Ms: quantile(overheads, 0.5),
      overheadP95Ms: quantile(overheads, 0.95),
      modelP50Ms: quantile(models, 0.5),
      calls,
      ourClientUs: quantile(rounds.ours, 0.5),
      sdkClientUs: quantile(rounds.theirs, 0.5),
    };
  } finally {
    await agents.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await main(Number(process.argv[2] ?? 30), Number(process.argv[3] ?? 200));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
