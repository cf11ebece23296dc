/**
 * The orchestrator graph for `langgraph.json` (`npx @langchain/langgraph-cli dev`): the same
 * ReAct graph `npm run orchestrate` runs, over the servers of switchboard.config.json (start
 * them first with `npm run agents`). The LangGraph server brings its own checkpointer and
 * handles the approval interrupts. Built on first use, not at import.
 */
import { loadEnv, processEnv } from '../src/config/env.ts';
import { loadConfigFile } from '../src/config/file.ts';
import { createChatModel, parseModelSpec } from '../src/llm/index.ts';
import { createOrchestrator, type Orchestrator } from '../src/orchestrator/index.ts';

let orchestrator: Promise<Orchestrator> | undefined;

async function build(): Promise<Orchestrator> {
  const env = loadEnv();
  const config = await loadConfigFile(env.SWITCHBOARD_CONFIG, processEnv());
  const model = createChatModel(parseModelSpec(env.SWITCHBOARD_MODEL, env), env);
  return createOrchestrator({ servers: config.servers, model, onWarning: (message) => process.stderr.write(`switchboard: ${message}\n`) });
}

/**
 * A graph factory: LangGraph's server calls it per run; the orchestrator behind it is built once.
 * A failed build is not kept, so fixing the config is picked up by the next run.
 */
export const graph = async () => {
  orchestrator ??= build().catch((error: unknown) => {
    orchestrator = undefined;
    throw error;
  });
  return (await orchestrator).graph;
};
