import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Env } from '../config/env.ts';

/** Per-request timeout of a model call unless `timeoutMs` says otherwise. */
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
/** Retries after a first failed attempt unless `maxRetries` says otherwise. */
export const DEFAULT_MODEL_MAX_RETRIES = 2;

/** How a chat model talks to its server; the offline planner ignores all of it. */
export interface ChatModelOptions {
  /** Per-request timeout in ms; default {@link DEFAULT_MODEL_TIMEOUT_MS} (60 s). */
  timeoutMs?: number;
  /**
   * Retries after the first attempt, with 1-2 s then 2-4 s backoff; default
   * {@link DEFAULT_MODEL_MAX_RETRIES} (2). Only timeouts, network failures, 5xx and 429s with a
   * short `retry-after` are retried; 400/401/403/404 and a 429 without one fail at once.
   */
  maxRetries?: number;
  /**
   * Stream tokens when the caller streams (`.stream()`, `streamEvents`, LangGraph
   * `streamMode: "messages"`); default true. With false every call is one JSON answer, for
   * servers that cannot stream.
   */
  streaming?: boolean;
}

/** Where a model's requests go, so its failures can name what to check. */
export interface ModelEndpoint {
  /** The provider's id in the registry (`openai`, `azure`, ...). */
  provider: string;
  /** The model name, or the Azure deployment. */
  model: string;
  /** The base URL or endpoint requests go to. */
  url: string;
  timeoutMs: number;
}

/**
 * Turns a failed model request into the error a user reads (an `UpstreamError` with a hint);
 * what it does not recognise, aborts included, it returns unchanged.
 */
export type ModelErrorMapper = (error: unknown, endpoint: ModelEndpoint) => unknown;

/** Builds a provider's chat model; `toError` is the provider's own {@link ModelProvider.errors}. */
export type ChatModelFactory<S> = (spec: S, env: Env, options: ChatModelOptions, toError: ModelErrorMapper) => BaseChatModel;

/** The spec a provider reads: `{ provider: id }`, plus `{ [argument]: name }` when it takes one. */
export type SpecFor<Id extends string, Arg extends string | undefined> = { provider: Id } & (Arg extends string
  ? { [K in Arg]: string }
  : unknown);

/**
 * One model provider: everything Switchboard knows about it, so adding one is one entry in
 * `MODEL_PROVIDERS` (src/llm/providers.ts) plus the file that builds its model. Its variables
 * are parsed with the rest of the environment in src/config/env.ts.
 */
export interface ModelProvider<Id extends string = string, Arg extends string | undefined = string | undefined> {
  /** The spec prefix: `openai` in `openai:gpt-4o-mini`. Lower-case. */
  readonly id: Id;
  /** The spec field named by what follows the colon (`model`, `deployment`); absent: the spec is the bare id. */
  readonly argument?: Arg;
  /** What it is, for messages: `the offline planner`, `OpenAI`. */
  readonly title: string;
  /** How the spec is written in usage lines: `openai:<model>`. */
  readonly usage: string;
  /** A spec to suggest when the name is missing (`openai:gpt-4o-mini`); default {@link usage}. */
  readonly example?: string;
  /** The variables of `Env` the provider reads (documented in .env.example). */
  readonly settings: readonly (keyof Env)[];
  /** The variables still to set before a model can be built; empty when the provider is ready. */
  missingSettings(env: Env): readonly string[];
  /** What to tell the user when settings are missing; default: set them or use the offline planner. */
  readonly settingsHint?: string;
  /** The spec to use when none is given and this provider is set up (`openai:gpt-4o-mini` with a key). */
  defaultSpec?(env: Env): string | undefined;
  /** The spec used when no spec is given and no provider offers a default: exactly one provider, the offline planner. */
  readonly fallback?: boolean;
  /** How its failures read: a rejected key, an unknown model, rate limits, an unreachable server. */
  readonly errors?: ModelErrorMapper;
  /** Imports what builds the model (its client library) only when called, then returns the factory. */
  load(): Promise<ChatModelFactory<SpecFor<Id, Arg>>>;
}

/** Keeps an entry's spec type tied to its `id` and `argument` (`azure` + `deployment` reads `{ provider: 'azure', deployment }`). */
export function defineModelProvider<const Id extends string, const Arg extends string | undefined = undefined>(
  provider: ModelProvider<Id, Arg>,
): ModelProvider<Id, Arg> {
  return Object.freeze(provider);
}
