import { describeError } from '../errors.ts';
import { oneLine } from './openaiErrors.ts';
import type { ModelEndpoint, ModelProvider } from './provider.ts';
import { MODEL_PROVIDERS } from './providers.ts';

/**
 * Turns a failure of a model request into the provider's one-line `UpstreamError` with a hint
 * (see each provider's `errors` in `MODEL_PROVIDERS`). Anything it does not recognise, aborts
 * included, and any error of a provider without a mapper, comes back unchanged.
 */
export function toModelError(error: unknown, endpoint: ModelEndpoint): unknown {
  const provider = (MODEL_PROVIDERS as readonly ModelProvider[]).find((entry) => entry.id === endpoint.provider);
  return provider?.errors ? provider.errors(error, endpoint) : error;
}

/**
 * One line for a person about a failed model call, never a stack trace. Errors thrown by
 * `createChatModel`'s models are already `UpstreamError`s; pass `endpoint` to describe a raw
 * client error.
 */
export function describeModelError(error: unknown, endpoint?: ModelEndpoint): string {
  const mapped = endpoint ? toModelError(error, endpoint) : error;
  return oneLine(describeError(mapped));
}
