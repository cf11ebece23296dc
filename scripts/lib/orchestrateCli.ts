/**
 * The `orchestrate` command itself, loaded by scripts/orchestrate.ts (a link to orchestrate.js)
 * once Node's compile cache is on.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { ApprovalRequest, ApprovalResume } from '../../src/agent/index.ts';
import { loadEnv, processEnv, tracingSettings } from '../../src/config/env.ts';
import { startTracing } from '../../src/telemetry/otel.ts';
import { loadConfigFile, parseServerFlag } from '../../src/config/file.ts';
import { UserError } from '../../src/errors.ts';
import { loadChatModel } from '../../src/llm/load.ts';
import { parseModelSpec } from '../../src/llm/spec.ts';
import type { Orchestrator, RunResult } from '../../src/orchestrator/index.ts';
import type { Checkpointer } from '../../src/store/checkpoint/index.ts';
import { keepLookups } from '../../src/llm/offline/lexicon/wordnet.ts';
import { startMissingAgentsAside } from './autoStart.ts';
import { runMain } from './cli.ts';
import { createProgressRenderer } from './progress.ts';
import { fnv, startCacheDir, startCachesOff } from './startCaches.js';

const USAGE =
  'usage: npm run orchestrate -- "your request" [--json] [--thread ID] [--server NAME=URL] [--config FILE] [--model SPEC] [--yes]';

/** Exit codes; README's table lists them. Existing ones never change meaning. */
const EXIT = { answered: 0, failed: 1, usage: 2, refused: 3, nothingToDo: 4, allCallsFailed: 5 } as const;

function usageError(message: string): UserError {
  return Object.assign(new UserError(message), { exitCode: EXIT.usage });
}

/** Every call that ran failed outranks refusals: it says the servers are broken, not that approval was missing. */
function exitCodeOf(result: RunResult): number {
  if (result.toolCalls.length > 0 && result.failedCalls.length === result.toolCalls.length) return EXIT.allCallsFailed;
  return result.refused > 0 ? EXIT.refused : EXIT.answered;
}

async function askOnTerminal(calls: readonly ApprovalRequest[], describe: (call: ApprovalRequest) => string): Promise<ApprovalResume> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const decisions: Record<string, { approve: boolean }> = {};
    for (const call of calls) {
      const answer = await rl.question(`approve ${describe(call)}? [y/N] `);
      decisions[call.id] = { approve: /^y(es)?$/i.test(answer.trim()) };
    }
    return decisions;
  } finally {
    rl.close();
  }
}

runMain(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        thread: { type: 'string' },
        server: { type: 'string', multiple: true, default: [] },
        config: { type: 'string' },
        model: { type: 'string' },
        yes: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw usageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const question = positionals.join(' ').trim();
  if (!question) throw usageError(`ask a question: ${USAGE}`);

  const render = createProgressRenderer(process.stderr);

  let env, servers, modelSpec;
  try {
    env = loadEnv();
    const configPath = values.config ?? env.SWITCHBOARD_CONFIG;
    const config = await loadConfigFile(configPath, processEnv()).catch((error: unknown) => {
      if (values.config === undefined && (error as Error).message.includes('ENOENT')) return { servers: {} };
      throw error;
    });
    servers = { ...config.servers, ...Object.fromEntries(values.server.map(parseServerFlag)) };
    if (Object.keys(servers).length === 0)
      throw new UserError(`no MCP servers configured: add some to ${configPath} or pass --server NAME=URL`);
    modelSpec = parseModelSpec(values.model ?? env.SWITCHBOARD_MODEL, env);
  } catch (error) {
    throw Object.assign(error as Error, { exitCode: EXIT.usage });
  }

  // First the agents: those that must start do so in a process of their own, on the other core,
  // while this one loads the orchestrator (LangGraph, the SDK) and the model's code (the offline
  // planner's NLP libraries). All awaited in the `try` below; a failure before that is not left unhandled.
  const starting = await startMissingAgentsAside(servers, env, (message) => render.info(message));
  // The offline planner's WordNet look-ups (its tools' words, the same every run) from earlier runs.
  if (!startCachesOff()) keepLookups(join(startCacheDir(), `wordnet-${fnv(import.meta.dirname)}.json`));
  const code = Promise.all([import('../../src/orchestrator/index.ts'), import('../../src/store/checkpoint/index.ts')]);
  code.catch(() => {});
  const model = loadChatModel(modelSpec, env);
  model.catch(() => {});
  let tracing;
  try {
    tracing = await startTracing(tracingSettings(env, 'switchboard-orchestrator'));
  } catch (error) {
    await (await starting.ready.catch(() => undefined))?.stop();
    throw error;
  }
  const agents = await starting.ready;
  // Everything opened from here on is closed in `finally`: an agent left listening would keep the process alive after an error.
  let checkpointer: Checkpointer | undefined;
  let orchestrator: Orchestrator | undefined;
  try {
    const [{ NoToolsError, createOrchestrator }, { createCheckpointer }] = await code;
    checkpointer = await createCheckpointer({ databaseUrl: env.DATABASE_URL, dataDir: env.SWITCHBOARD_DATA_DIR });
    orchestrator = createOrchestrator({
      servers: agents.servers,
      model: await model,
      checkpointer: checkpointer.saver,
      onWarning: (message) => render.warning(message),
    });
    const streamTokens = !values.json && process.stdout.isTTY === true;
    let streamed = false;
    const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
    const result = await orchestrator
      .run(question, {
        threadId: values.thread,
        requireTools: true,
        autoApprove: values.yes,
        approvals: interactive && !values.yes ? (calls) => askOnTerminal(calls, render.describeApproval) : 'refuse',
        refusalHint: 'pass --yes to approve, or trust the server with "approve" in the config',
        onEvent: (event) => render.event(event),
        onToken: streamTokens
          ? (text) => {
              streamed = true;
              process.stdout.write(text);
            }
          : undefined,
      })
      .catch((error: unknown) => {
        throw error instanceof NoToolsError ? Object.assign(error, { exitCode: EXIT.nothingToDo }) : error;
      });
    if (values.json) {
      const toolCalls = result.toolCalls.map(({ name, server, args, ok, durationMs, result: output }) => ({
        name,
        server,
        args,
        ok,
        durationMs,
        result: output,
      }));
      const failedCalls = result.failedCalls.map(({ name, server, error }) => ({ name, server, error }));
      process.stdout.write(
        `${JSON.stringify({ answer: result.answer, threadId: result.threadId, toolCalls, failedCalls, warnings: result.warnings })}\n`,
      );
    } else {
      process.stdout.write(streamed ? '\n' : `${result.answer}\n`);
      render.info(`thread ${result.threadId} (continue it with --thread ${result.threadId})`);
    }
    if (result.failedCalls.length > 0 && !values.json)
      render.warning(
        `${result.failedCalls.length} of ${result.toolCalls.length} tool calls failed: ${result.failedCalls.map((c) => c.name).join(', ')}`,
      );
    return exitCodeOf(result);
  } finally {
    await orchestrator?.close();
    await checkpointer?.close();
    await tracing.shutdown();
    await agents.stop();
  }
});
