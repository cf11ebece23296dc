import type { Env } from '../config/env.ts';
import { ConfigError } from '../errors.ts';

/** The model used when `OPENAI_API_KEY` is set and neither `--model` nor `SWITCHBOARD_MODEL` names one. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/** Which chat model to run: the offline planner, an OpenAI(-compatible) model, or an Azure OpenAI deployment. */
export type ModelSpec = { provider: 'offline' } | { provider: 'openai'; model: string } | { provider: 'azure'; deployment: string };

const USAGE = 'use offline, openai:<model> or azure:<deployment>';

/**
 * Reads a model spec: `offline`, `openai:<model>` or `azure:<deployment>`.
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
  if (text === undefined) return env.OPENAI_API_KEY ? { provider: 'openai', model: DEFAULT_OPENAI_MODEL } : { provider: 'offline' };
  const source = flag === undefined ? `SWITCHBOARD_MODEL="${text}"` : `--model "${text}"`;

  const colon = text.indexOf(':');
  const provider = (colon < 0 ? text : text.slice(0, colon)).trim().toLowerCase();
  const name = colon < 0 ? undefined : text.slice(colon + 1).trim();
  let parsed: ModelSpec;
  if (provider === 'offline') {
    if (name) throw new ConfigError(`${source}: the offline planner takes no model name`, { hint: 'write offline' });
    parsed = { provider: 'offline' };
  } else if (provider === 'openai' || provider === 'azure') {
    if (!name) {
      const example = provider === 'openai' ? `openai:${DEFAULT_OPENAI_MODEL}` : 'azure:<deployment>';
      throw new ConfigError(`${source} names no ${provider === 'openai' ? 'model' : 'deployment'}`, { hint: `write ${example}` });
    }
    parsed = provider === 'openai' ? { provider, model: name } : { provider, deployment: name };
  } else if (colon < 0) {
    throw new ConfigError(`${source} is not a model spec`, { hint: `${USAGE}, e.g. openai:${text}` });
  } else {
    throw new ConfigError(`${source}: unknown model provider "${provider}"`, { hint: USAGE });
  }
  assertModelSettings(parsed, env, source);
  return parsed;
}

/** `offline`, `openai:<model>` or `azure:<deployment>`: the spec as a user writes it. */
export function formatModelSpec(spec: ModelSpec): string {
  if (spec.provider === 'openai') return `openai:${spec.model}`;
  if (spec.provider === 'azure') return `azure:${spec.deployment}`;
  return 'offline';
}

/** Throws a `ConfigError` when `env` lacks a setting the spec's provider needs. */
export function assertModelSettings(spec: ModelSpec, env: Env, source = formatModelSpec(spec)): void {
  if (spec.provider === 'openai' && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    throw new ConfigError(`${source} needs OPENAI_API_KEY`, {
      hint: 'set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server, or use --model offline',
    });
  }
  if (spec.provider === 'azure') {
    const missing = (['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_API_VERSION'] as const).filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigError(`${source} needs ${missing.join(', ')}`, {
        hint: `set ${missing.length > 1 ? 'them' : 'it'} or use --model offline`,
      });
    }
  }
}
