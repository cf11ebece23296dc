/**
 * The SQLite checkpointer's own CPU per three-tool run, apart from the rest of a run (whose
 * LangGraph, MCP and planner CPU make `orchestratorCpu.ts` too noisy on a shared machine to show
 * a saver change): records the `put`/`putWrites` calls of one run with the offline planner and
 * the commits they went into, then replays them on fresh threads, each call of a commit issued
 * together as LangGraph issued them, with fresh message objects each time (so each message is
 * encoded once per run, as in a run).
 *
 *   node scripts/bench/saverReplay.ts [RUNS]
 *
 * Prints one JSON line: calls and commits per run, the saver's thread CPU per run (µs), mean and
 * mean of the fastest 90% (this thread's CPU clock is coarse here: single runs read 0 or a tick).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { isBaseMessage } from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import { JsonPlusSerializer } from '@langchain/langgraph-checkpoint';
import { startBenchAgents } from './benchAgents.ts';
import { THREE_TOOL_REQUEST } from './orchestratorCpu.ts';
import { ServerEntrySchema } from '../../src/config/file.ts';
import { OfflinePlanner } from '../../src/llm/offline/index.ts';
import { createOrchestrator } from '../../src/orchestrator/index.ts';
import { SqliteSaver } from '../../src/store/checkpoint/index.ts';

type Method = 'put' | 'putWrites';
interface Recorded {
  readonly method: Method;
  /** The call's arguments, its config reduced to the ids a saver reads. */
  readonly args: unknown[];
  /** The commit it went into, counted from the start of the recorded run. */
  readonly commit: number;
}

const cpuUs = () => {
  const { user, system } = process.threadCpuUsage();
  return user + system;
};

async function record(dir: string): Promise<Recorded[]> {
  const agents = await startBenchAgents();
  const saver = SqliteSaver.open(join(dir, 'record.sqlite'));
  const calls: Recorded[] = [];
  let recording = false;
  let commits = 0;
  const exec = DatabaseSync.prototype.exec;
  DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
    if (recording && sql === 'BEGIN IMMEDIATE') commits++;
    return exec.call(this, sql);
  };
  for (const method of ['put', 'putWrites'] as const) {
    const original = saver[method].bind(saver) as (...args: unknown[]) => Promise<unknown>;
    (saver as unknown as Record<Method, unknown>)[method] = (config: RunnableConfig, ...rest: unknown[]) => {
      const { thread_id, checkpoint_ns, checkpoint_id } = config.configurable ?? {};
      const ids = { configurable: { thread_id, checkpoint_ns: checkpoint_ns ?? '', checkpoint_id } };
      // Queued now, committed at the next flush: the commit after those counted so far.
      if (recording) calls.push({ method, args: [ids, ...rest], commit: commits });
      return original(config, ...rest);
    };
  }
  try {
    const servers = Object.fromEntries(
      Object.entries(agents.urls).map(([name, url]) => [name, ServerEntrySchema.parse({ url, exclude: ['ask_*_agent'] })]),
    );
    const orchestrator = createOrchestrator({ servers, model: new OfflinePlanner(), checkpointer: saver });
    await orchestrator.run(THREE_TOOL_REQUEST); // warm: tools listed, connections up
    recording = true;
    await orchestrator.run(THREE_TOOL_REQUEST);
    recording = false;
    await orchestrator.close();
  } finally {
    DatabaseSync.prototype.exec = exec;
    saver.close();
    await agents.stop();
  }
  return calls;
}

/** The recorded arguments as new objects on a new thread; a message shared by several calls stays one object. */
async function freshArgs(serde: JsonPlusSerializer, encoded: Uint8Array): Promise<unknown[][]> {
  const args = (await serde.loadsTyped('json', encoded)) as unknown[][];
  const messages = new Map<string, unknown>();
  const threadId = randomUUID();
  const relink = (value: unknown): unknown => {
    if (isBaseMessage(value) && typeof value.id === 'string') {
      if (!messages.has(value.id)) messages.set(value.id, value);
      return messages.get(value.id);
    }
    if (Array.isArray(value)) return value.map(relink);
    if (value !== null && typeof value === 'object' && value.constructor === Object) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, relink(inner)]));
    }
    return value;
  };
  return args.map((list) => {
    const [config, ...rest] = relink(list) as [RunnableConfig, ...unknown[]];
    return [{ configurable: { ...config.configurable, thread_id: threadId } }, ...rest];
  });
}

async function main(runs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-saver-'));
  try {
    const calls = await record(dir);
    const serde = new JsonPlusSerializer();
    const [, encoded] = await serde.dumpsTyped(calls.map((call) => call.args));
    const saver = SqliteSaver.open(join(dir, 'replay.sqlite'));
    const commits = [...new Set(calls.map((call) => call.commit))];
    const spent: number[] = [];
    for (let i = 0; i < runs; i++) {
      const args = await freshArgs(serde, encoded);
      const from = cpuUs();
      for (const commit of commits) {
        await Promise.all(
          calls.map((call, j) =>
            call.commit === commit ? (saver[call.method] as (...a: unknown[]) => Promise<unknown>).apply(saver, args[j]!) : undefined,
          ),
        );
      }
      spent.push(cpuUs() - from);
    }
    saver.close();
    spent.sort((a, b) => a - b);
    const mean = (list: number[]) => Math.round(list.reduce((sum, n) => sum + n, 0) / list.length);
    return {
      calls: calls.length,
      commits: commits.length,
      runs,
      meanUs: mean(spent),
      fastest90MeanUs: mean(spent.slice(0, Math.ceil(runs * 0.9))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await main(Number(process.argv[2] ?? 600)))}\n`);
}
