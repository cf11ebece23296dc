import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { Env } from '../config/env.ts';
import type { ServerEntry } from '../config/file.ts';
import { UserError } from '../errors.ts';
import { createChatModel, formatModelSpec, parseModelSpec } from '../llm/index.ts';
import { createOrchestrator, type Orchestrator } from '../orchestrator/index.ts';

/** Orchestrators (one per model and server set) kept at most; the least recently used idle one goes first. Default 16. */
export const DEFAULT_MAX_ORCHESTRATORS = 16;
/** Models a resolver keeps; requests name models, so the set must not grow with them. */
const MAX_CACHED_MODELS = 32;

/**
 * Turns a request's model spec (undefined: the service's default) into a model and the name
 * runs record, so a resumed run gets the same model. Throws a `UserError` for a bad spec.
 */
export type ModelResolver = (spec: string | undefined) => { readonly name: string; readonly model: BaseChatModel };

/**
 * Models from specs, as the CLI reads them (`offline`, `openai:<model>`, `azure:<deployment>`),
 * with `defaultSpec` (else `SWITCHBOARD_MODEL`, else openai with a key, else offline) when a
 * request names none. The most recently used models (32) are kept, one per spec.
 */
export function createEnvModelResolver(env: Env, defaultSpec?: string): ModelResolver {
  const models = new Map<string, BaseChatModel>();
  return (spec) => {
    let parsed;
    try {
      parsed = parseModelSpec(spec ?? defaultSpec, env);
    } catch (error) {
      // parseModelSpec names the CLI flag; a request's spec is not one.
      if (spec !== undefined && error instanceof UserError)
        throw new UserError(error.message.replace(/^--model /, ''), { hint: error.hint, cause: error });
      throw error;
    }
    const name = formatModelSpec(parsed);
    const model = models.get(name) ?? createChatModel(parsed, env);
    models.delete(name);
    models.set(name, model);
    if (models.size > MAX_CACHED_MODELS) models.delete(models.keys().next().value!);
    return { name, model };
  };
}

export interface OrchestratorCacheOptions {
  readonly servers: Readonly<Record<string, ServerEntry>>;
  readonly checkpointer: BaseCheckpointSaver;
  readonly resolveModel: ModelResolver;
  readonly maxOrchestrators?: number;
  readonly onWarning?: (message: string) => void;
}

interface Entry {
  readonly orchestrator: Orchestrator;
  users: number;
  lastUsed: number;
}

/**
 * Orchestrators per (model, servers) pair, sharing one checkpointer so any of them can continue
 * any thread. Validates what a request asks for before a run is recorded.
 */
export class OrchestratorCache {
  private readonly options: OrchestratorCacheOptions;
  private readonly entries = new Map<string, Entry>();
  readonly serverNames: readonly string[];

  constructor(options: OrchestratorCacheOptions) {
    this.options = options;
    this.serverNames = Object.entries(options.servers)
      .filter(([, entry]) => entry.enabled)
      .map(([name]) => name)
      .sort();
  }

  /** The model name and server names a request resolves to; a `UserError` naming what is valid otherwise. */
  resolve(model: string | undefined, servers: readonly string[] | undefined): { model: string; servers: string[] } {
    let name: string;
    try {
      name = this.options.resolveModel(model).name;
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`model: ${error.message}`, { hint: error.hint, cause: error });
      throw error;
    }
    if (servers === undefined) return { model: name, servers: [...this.serverNames] };
    const unknown = servers.filter((server) => !this.serverNames.includes(server));
    if (unknown.length > 0) {
      throw new UserError(
        `servers: unknown server${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}; valid: ${this.serverNames.join(', ') || '(none configured)'}`,
      );
    }
    return { model: name, servers: [...new Set(servers)].sort() };
  }

  /** An orchestrator for the pair; call `release` when the run is done with it. */
  acquire(model: string, servers: readonly string[]): { orchestrator: Orchestrator; release: () => void } {
    const key = `${model}\u0000${servers.join(',')}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const chosen = Object.fromEntries(
        servers.flatMap((name) => (this.options.servers[name] ? [[name, this.options.servers[name]]] : [])),
      );
      const orchestrator = createOrchestrator({
        servers: chosen,
        model: this.options.resolveModel(model).model,
        checkpointer: this.options.checkpointer,
        onWarning: this.options.onWarning,
      });
      entry = { orchestrator, users: 0, lastUsed: Date.now() };
      this.entries.set(key, entry);
      this.evict();
    }
    const used = entry;
    used.users++;
    used.lastUsed = Date.now();
    let released = false;
    return {
      orchestrator: used.orchestrator,
      release: () => {
        if (released) return;
        released = true;
        used.users--;
        used.lastUsed = Date.now();
      },
    };
  }

  /** The orchestrator of the default model over every server (reading a thread needs any one). */
  acquireDefault(): { orchestrator: Orchestrator; release: () => void } {
    const { model, servers } = this.resolve(undefined, undefined);
    return this.acquire(model, servers);
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((entry) => entry.orchestrator.close()));
  }

  private evict(): void {
    const max = this.options.maxOrchestrators ?? DEFAULT_MAX_ORCHESTRATORS;
    const idle = [...this.entries].filter(([, entry]) => entry.users === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    while (this.entries.size > max && idle.length > 0) {
      const [key, entry] = idle.shift()!;
      this.entries.delete(key);
      void entry.orchestrator.close();
    }
  }
}
