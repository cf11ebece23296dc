import type { Env } from '../config/env.ts';
import { ConfigError } from '../errors.ts';
import type { ModelProvider, SpecFor } from './provider.ts';
import { MODEL_PROVIDERS, modelProvider, modelSpecUsage, type RegisteredProvider } from './providers.ts';

export { DEFAULT_OPENAI_MODEL } from './providers.ts';

type SpecOf<P> = P extends ModelProvider<infer Id, infer Arg> ? SpecFor<Id, Arg> : never;

/**
 * Which chat model to run, one shape per provider of `MODEL_PROVIDERS`: `{ provider: 'offline' }`,
 * `{ provider: 'openai', model }`, `{ provider: 'azure', deployment }`.
 */
export type ModelSpec = SpecOf<RegisteredProvider>;

/**
 * Reads a model spec: `offline`, `openai:<model>` or `azure:<deployment>` (one form per provider
 * of the registry).
 *
 * `spec` is the `--model` flag; when it is absent `SWITCHBOARD_MODEL` is used, and when that is
 * absent too the default is `openai:gpt-4o-mini` if `OPENAI_API_KEY` is set, otherwise `offline`.
 * Azure is never the default: it needs a deployment name, which only a spec carries.
 *
 * Checks the settings the provider needs, so a bad setup fails at start-up: `openai:` needs
 * `OPENAI_API_KEY` unless `OPENAI_BASE_URL` points at a server of your own (Ollama, vLLM, ...);
 * `azure:` needs `AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_API_KEY` and `AZURE_OPENAI_API_VERSION`.
 * Throws a one-line `ConfigError` that says what to change.
 */
export function parseModelSpec(spec: string | undefined, env: Env): ModelSpec {
  const flag = spec?.trim() || undefined;
  const text = flag ?? env.SWITCHBOARD_MODEL;
  if (text === undefined) return readSpec(defaultSpec(env), 'the default model');
  const source = flag === undefined ? `SWITCHBOARD_MODEL="${text}"` : `--model "${text}"`;
  const parsed = readSpec(text, source);
  assertModelSettings(parsed, env, source);
  return parsed;
}

/** `offline`, `openai:<model>` or `azure:<deployment>`: the spec as a user writes it. */
export function formatModelSpec(spec: ModelSpec): string {
  const { argument } = modelProvider(spec.provider);
  return argument ? `${spec.provider}:${(spec as Record<string, string>)[argument]}` : spec.provider;
}

/** Throws a `ConfigError` when `env` lacks a setting the spec's provider needs. */
export function assertModelSettings(spec: ModelSpec, env: Env, source = formatModelSpec(spec)): void {
  const provider = modelProvider(spec.provider);
  const missing = provider.missingSettings(env);
  if (missing.length === 0) return;
  throw new ConfigError(`${source} needs ${missing.join(', ')}`, {
    hint: provider.settingsHint ?? `set ${missing.length > 1 ? 'them' : 'it'} or use --model offline`,
  });
}

/** The first default a configured provider offers, else the fallback provider (the offline planner). */
function defaultSpec(env: Env): string {
  for (const provider of MODEL_PROVIDERS as readonly ModelProvider[]) {
    const spec = provider.defaultSpec?.(env);
    if (spec) return spec;
  }
  return MODEL_PROVIDERS.find((provider) => 'fallback' in provider && provider.fallback)!.id;
}

/** Splits `provider:name` and checks it against the provider's entry; settings are checked by the caller. */
function readSpec(text: string, source: string): ModelSpec {
  const colon = text.indexOf(':');
  const id = (colon < 0 ? text : text.slice(0, colon)).trim().toLowerCase();
  const name = colon < 0 ? undefined : text.slice(colon + 1).trim();
  const provider = (MODEL_PROVIDERS as readonly ModelProvider[]).find((entry) => entry.id === id);
  if (!provider) {
    if (colon < 0) throw new ConfigError(`${source} is not a model spec`, { hint: `${modelSpecUsage()}, e.g. openai:${text}` });
    throw new ConfigError(`${source}: unknown model provider "${id}"`, { hint: modelSpecUsage() });
  }
  if (!provider.argument) {
    if (name) throw new ConfigError(`${source}: ${provider.title} takes no model name`, { hint: `write ${provider.id}` });
    return { provider: provider.id } as ModelSpec;
  }
  if (!name) {
    throw new ConfigError(`${source} names no ${provider.argument}`, { hint: `write ${provider.example ?? provider.usage}` });
  }
  return { provider: provider.id, [provider.argument]: name } as ModelSpec;
}
