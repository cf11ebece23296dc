// The one list of model providers. Adding one is an entry here (its spec prefix, settings,
// errors, and a lazy import of the file that builds its model) plus its variables in
// src/config/env.ts and .env.example. Nothing here may import a client library: parsing a spec
// must stay cheap, so the CLI never loads the OpenAI library for the offline planner.
import { ConfigError } from '../errors.ts';
import { DEFAULT_OPENAI_BASE_URL, openAIErrors } from './openaiErrors.ts';
import { defineModelProvider, type ModelProvider } from './provider.ts';

/** The model used when `OPENAI_API_KEY` is set and neither `--model` nor `SWITCHBOARD_MODEL` names one. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/** Every model provider, in the order usage lines list them. */
export const MODEL_PROVIDERS = [
  defineModelProvider({
    id: 'offline',
    title: 'the offline planner',
    usage: 'offline',
    settings: [],
    missingSettings: () => [],
    fallback: true,
    load: async () => {
      const { OfflinePlanner } = await import('./offline/index.ts');
      return () => new OfflinePlanner();
    },
  }),
  defineModelProvider({
    id: 'openai',
    argument: 'model',
    title: 'OpenAI or an OpenAI-compatible server',
    usage: 'openai:<model>',
    example: `openai:${DEFAULT_OPENAI_MODEL}`,
    // OPENAI_BASE_URL: any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp), which needs no key.
    settings: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
    missingSettings: (env) => (env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? [] : ['OPENAI_API_KEY']),
    settingsHint: 'set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server, or use --model offline',
    defaultSpec: (env) => (env.OPENAI_API_KEY ? `openai:${DEFAULT_OPENAI_MODEL}` : undefined),
    errors: openAIErrors({
      service: 'openai',
      who: (url) => (url === DEFAULT_OPENAI_BASE_URL ? 'OpenAI' : `the model server at ${url}`),
      keyVariable: 'OPENAI_API_KEY',
      notFound: { noun: 'model', hint: 'check the model in --model or SWITCHBOARD_MODEL' },
      unreachableHint: 'set OPENAI_BASE_URL',
    }),
    load: async () => (await import('./openai.ts')).createOpenAIChatModel,
  }),
  defineModelProvider({
    id: 'azure',
    argument: 'deployment',
    title: 'Azure OpenAI',
    usage: 'azure:<deployment>',
    settings: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_API_VERSION'],
    missingSettings: (env) =>
      (['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_API_VERSION'] as const).filter((name) => !env[name]),
    // No defaultSpec: Azure needs a deployment name, which only a spec carries.
    errors: openAIErrors({
      service: 'azure-openai',
      who: (url) => `Azure OpenAI at ${url}`,
      keyVariable: 'AZURE_OPENAI_API_KEY',
      notFound: { noun: 'deployment', hint: 'check the deployment name and AZURE_OPENAI_API_VERSION' },
      unreachableHint: 'check AZURE_OPENAI_ENDPOINT',
    }),
    load: async () => (await import('./openai.ts')).createAzureChatModel,
  }),
] as const;

/** A provider of the registry. */
export type RegisteredProvider = (typeof MODEL_PROVIDERS)[number];

/** The provider whose id is `id`; a `ConfigError` listing the known ones otherwise. */
export function modelProvider(id: string): ModelProvider {
  const provider = MODEL_PROVIDERS.find((entry) => entry.id === id);
  if (!provider) throw new ConfigError(`unknown model provider "${id}"`, { hint: modelSpecUsage() });
  return provider as ModelProvider;
}

/** `use offline, openai:<model> or azure:<deployment>`, from the registry. */
export function modelSpecUsage(): string {
  const forms = MODEL_PROVIDERS.map((provider) => provider.usage);
  return `use ${forms.length > 1 ? `${forms.slice(0, -1).join(', ')} or ${forms.at(-1)}` : forms[0]}`;
}
