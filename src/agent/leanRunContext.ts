import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';

/** Where LangChain keeps a step's config in its async-local store (`getRunnableConfig` reads it there). */
const LC_CHILD_KEY = Symbol.for('lc:child_config');
const CONTEXT_VARIABLES_KEY = Symbol.for('lc:context_variables');
const INSTALLED = Symbol.for('switchboard:lean-run-context');

type Callbacks = Parameters<typeof CallbackManager._configureSync>[0];

/** Set in the config of every task of a LangGraph run (`CONFIG_KEY_READ`). */
const PREGEL_READ = '__pregel_read';

/**
 * Whether a step with this config has a callback handler. Inside a LangGraph run the answer is
 * the config's callbacks alone: the run configured its callback manager when it started, adding
 * what the environment asked for (LangSmith tracing, verbose), and hands its tasks no manager
 * when that left none. Outside a run the environment and configure hooks decide, as
 * `CallbackManager._configureSync` would.
 */
export function hasHandlers(config: { callbacks?: Callbacks; configurable?: Record<string, unknown> } | undefined): boolean {
  const callbacks = config?.callbacks;
  if (callbacks instanceof CallbackManager) return callbacks.handlers.length > 0;
  if (Array.isArray(callbacks) && callbacks.length > 0) return true;
  if (config?.configurable?.[PREGEL_READ] !== undefined) return false;
  // A stream's config comes back (copied, its `configurable` the same object) at every step it
  // yields: the environment is asked once per stream, not per step.
  const key = config?.configurable ?? config;
  const known = key === undefined ? undefined : decided.get(key);
  if (known !== undefined) return known;
  const manager = CallbackManager._configureSync(undefined);
  const answer = manager !== undefined && manager.handlers.length > 0;
  if (key !== undefined) decided.set(key, answer);
  return answer;
}

const decided = new WeakMap<object, boolean>();

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
    if (hasHandlers(config)) return original(config, callback, avoidCreatingRootRunTree);
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
