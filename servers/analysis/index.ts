import { defineAgent, type AgentDefinition, type AgentFactory } from '../../src/mcp/index.ts';
import type { AnalysisEngine } from './engine.ts';
import { MAX_TEXT_CHARS } from './schemas.ts';
import { createAnalysisTools, loadAnalyses } from './tools.ts';

export { MAX_TEXT_CHARS } from './schemas.ts';

/** What the agent tells a model about using its tools (the MCP server's `instructions`). */
export const ANALYSIS_INSTRUCTIONS = `Text analysis of English text, offline (wink-nlp, compromise, VADER and franc-min; nothing leaves this server).
- analyze_sentiment: how the writer feels. For "how angry/upset is this customer" read label, tone and intensity; per-sentence scores show where the feeling sits.
- extract_entities: people, organisations, places, dates, emails, urls and money, each with start/end offsets into the text you sent.
- summarize: the most central sentences in their original order; set max_sentences.
- analyze_text: several of the above plus key phrases, a language guess and reading statistics in one call; pass only the analyses you need.
Pass the user's text verbatim (quotes included only if they are part of it). Texts may be up to ${MAX_TEXT_CHARS} characters; split longer ones. Results are statistical: say "appears" rather than "is" when reporting sentiment, and other languages than English are only identified (by franc-min, with a confidence), not analysed well.`;

let engine: Promise<AnalysisEngine> | undefined;

/** wink with its English model (about 0.15 s to load), once per process, shared by the agents built here. */
const sharedEngine = (): Promise<AnalysisEngine> =>
  (engine ??= import('./engine.ts')
    .then((module) => module.createAnalysisEngine())
    .catch((error: unknown) => {
      engine = undefined; // the next call tries again
      throw error;
    }));

/**
 * Loads what the tools need (wink and its model, compromise, VADER, franc-min) ahead of the
 * first call: a process that starts agents for a client calls it once they listen, so that the
 * client connects and lists the tools meanwhile. Without it, the first call loads them.
 */
export async function warmUp(): Promise<void> {
  await Promise.all([sharedEngine(), loadAnalyses()]);
}

/**
 * Builds the analysis agent. Its NLP libraries load with the first call (or {@link warmUp}),
 * once per process, and serve every call; the agent holds no other resources.
 */
export function createAnalysisAgent(): AgentDefinition {
  return defineAgent({
    name: 'analysis',
    version: '0.1.0',
    instructions: ANALYSIS_INSTRUCTIONS,
    tools: createAnalysisTools(sharedEngine),
    readiness: async () => ({ ready: true, model: 'wink-eng-lite-web-model' }),
  });
}

/** `npm run agent -- analysis`: the analysis agent needs no configuration. */
const createAgent: AgentFactory = async () => createAnalysisAgent();
export default createAgent;
