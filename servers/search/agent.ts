import { defineAgent, type AgentDefinition } from '../../src/mcp/index.ts';
import type { SearchBackend } from './backend.ts';
import { createLocalBackend, type LocalBackendOptions } from './local/backend.ts';
import { createTavilyBackend } from './tavily/backend.ts';
import { createFetchArticleTool, createWebSearchTool } from './tools.ts';

/** Version reported by the search agent. */
export const SEARCH_AGENT_VERSION = '0.1.0';

export interface SearchBackendOptions {
  /** `TAVILY_API_KEY`: when set, searches go to Tavily; otherwise to the local index. */
  readonly tavilyApiKey?: string | undefined;
  /** `TAVILY_BASE_URL`; default `https://api.tavily.com`. */
  readonly tavilyBaseUrl?: string | undefined;
  /** Per-request Tavily timeout; default 20 s. */
  readonly tavilyTimeoutMs?: number | undefined;
  /** Wait before retrying once after a Tavily 429; default 1 s. */
  readonly tavilyRateLimitRetryMs?: number | undefined;
  /** Options of the local backend, including `corpusDir` (`SEARCH_CORPUS_DIR`). */
  readonly local?: LocalBackendOptions | undefined;
}

export interface SearchAgentOptions extends SearchBackendOptions {
  /** Use this backend instead of building one from the other options. */
  readonly backend?: SearchBackend | undefined;
}

/** Tavily when an API key is given, else the local knowledge-base index (loaded and watched). */
export async function createSearchBackend(options: SearchBackendOptions = {}): Promise<SearchBackend> {
  if (options.tavilyApiKey) {
    return createTavilyBackend({
      apiKey: options.tavilyApiKey,
      baseUrl: options.tavilyBaseUrl,
      timeoutMs: options.tavilyTimeoutMs,
      rateLimitRetryMs: options.tavilyRateLimitRetryMs,
    });
  }
  return createLocalBackend(options.local);
}

function instructionsFor(backend: SearchBackend): string {
  const source =
    backend.name === 'tavily'
      ? 'Searches go to the public web through Tavily.'
      : 'Searches go to the IT help-desk knowledge base (VPN, sign-in and MFA, email, printers, Wi-Fi, devices, security, ...) and any local documents; there is no internet access.';
  return [
    `This agent finds known fixes, how-to steps and notices. ${source}`,
    'Call web_search with a short description of the symptom in plain words, or the exact error message or code; leave out names, dates and greetings.',
    'Results come best first with a 0-1 score; when the best score is low or the titles do not fit, search again with other words (the product, the error text, what the user was doing).',
    'Use topic "news" and time_range for recent outages and announcements; include_domains and exclude_domains to pick sources.',
    'Before giving someone steps to follow, call fetch_article on the best url and use its full text; cite the urls you relied on.',
  ].join('\n');
}

/** Builds the search agent: `web_search` and `fetch_article` over the given or chosen backend. */
export async function createSearchAgent(options: SearchAgentOptions = {}): Promise<AgentDefinition> {
  const backend = options.backend ?? (await createSearchBackend(options));
  return defineAgent({
    name: 'search',
    version: SEARCH_AGENT_VERSION,
    instructions: instructionsFor(backend),
    tools: [createWebSearchTool(backend), createFetchArticleTool(backend)],
    readiness: () => backend.readiness(),
    close: () => backend.close(),
  });
}
