import type { AgentFactory } from '../../src/mcp/index.ts';
import { createSearchAgent } from './agent.ts';

export {
  SEARCH_AGENT_VERSION,
  createSearchAgent,
  createSearchBackend,
  type SearchAgentOptions,
  type SearchBackendOptions,
} from './agent.ts';
export {
  TIME_RANGES,
  TOPICS,
  type Article,
  type BackendName,
  type BackendReadiness,
  type CallOptions,
  type SearchBackend,
  type SearchHit,
  type SearchQuery,
  type TimeRange,
  type Topic,
} from './backend.ts';
export { createLocalBackend, type LocalBackend, type LocalBackendOptions, type RefreshEvent } from './local/backend.ts';
export { KNOWLEDGE_BASE_URL } from './local/knowledgeBase.ts';
export { createTavilyBackend, type TavilyBackendOptions } from './tavily/backend.ts';
export {
  FetchArticleInputSchema,
  FetchArticleOutputSchema,
  WebSearchInputSchema,
  WebSearchOutputSchema,
  type FetchArticleInput,
  type FetchArticleOutput,
  type SearchResult,
  type WebSearchInput,
  type WebSearchOutput,
} from './schemas.ts';

/** The search agent from the environment: Tavily when `TAVILY_API_KEY` is set, else the local index plus `SEARCH_CORPUS_DIR`. */
const createAgent: AgentFactory = async (env) =>
  createSearchAgent({
    tavilyApiKey: env.TAVILY_API_KEY,
    tavilyBaseUrl: env.TAVILY_BASE_URL,
    local: { corpusDir: env.SEARCH_CORPUS_DIR },
  });

export default createAgent;
