import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';

/** Where LangChain keeps a step's config in its async-local store (`getRunnableConfig` reads it there). */
const LC_CHILD_KEY = Symbol.for('lc:child_config');
const CONTEXT_VARIABLES_KEY = Symbol.for('lc:context_variables');
const INSTALLED = Symbol.for('switchboard:lean-run-context');

type Callbacks = Parameters<typeof CallbackManager._configureSync>[0];

/**
 * Whether a step with these callbacks has a handler, as `CallbackManager._configureSync` would
 * give it: the config's own handlers, else those the environment or a configure hook adds
 * (tracing, verbose). Without handlers of its own the config's manager is not copied to find out.
 */
function hasHandlers(callbacks: Callbacks): boolean {
  if (Array.isArray(callbacks) ? callbacks.length > 0 : (callbacks?.handlers.length ?? 0) > 0) return true;
  const manager = CallbackManager._configureSync(undefined);
  return manager !== undefined && manager.handlers.length > 0;
}

type Provider = typeof AsyncLocalStorageProviderSingleton & { [INSTALLED]?: true };
type RunWithConfig = Provider['runWithConfig'];

/**
 * Makes LangChain's async-local run context cheap when nothing traces. For every graph step,
 * tool and model call, `runWithConfig` builds a LangSmith `RunTree` (a UUIDv7, timestamps, its
 * client's defaults) only to carry the step's config; with no callback handler and no LangSmith
 * tracing nobody reads that tree, only the config, so a plain holder carries it instead. With a
 * handler (a tracer, token streaming) the original runs unchanged. Idempotent, process-wide.
 */
export function installLeanRunContext(): void {
  const provider = AsyncLocalStorageProviderSingleton as Provider;
  if (provider[INSTALLED]) return;
  const original: RunWithConfig = provider.runWithConfig.bind(provider);
  provider.runWithConfig = ((config, callback, avoidCreatingRootRunTree) => {
    if (hasHandlers(config?.callbacks)) return original(config, callback, avoidCreatingRootRunTree);
    const storage = provider.getInstance();
    const previous = storage.getStore() as Record<symbol, unknown> | undefined;
    let store: Record<string | symbol, unknown> | undefined = avoidCreatingRootRunTree ? undefined : { extra: { [LC_CHILD_KEY]: config } };
    if (previous?.[CONTEXT_VARIABLES_KEY] !== undefined) {
      store ??= {};
      store[CONTEXT_VARIABLES_KEY] = previous[CONTEXT_VARIABLES_KEY];
    }
    return storage.run(store, callback);
  }) as RunWithConfig;
  provider[INSTALLED] = true;
}
