import type { DynamicStructuredTool } from '@langchain/core/tools';
import { loadMcpTools } from '@langchain/mcp-adapters';
import type { ServerEntry } from '../config/file.ts';
import { describeError } from '../errors.ts';
import { McpTool } from './mcpTool.ts';
import { restoreScalarUnions } from './schemaRepair.ts';
import type { ServerConnection } from './serverConnection.ts';
import { leaseConnection, type ConnectionLease } from './sharedConnections.ts';
import { assignToolNames, toolKey } from './toolNames.ts';
import type { HeadlessOAuthProvider } from './oauthClient.ts';
import { cleartextWarning } from './tlsFetch.ts';
import { toolMatcher } from './toolPattern.ts';

export interface ClientPoolOptions {
  readonly servers: Readonly<Record<string, ServerEntry>>;
  /** `server__tool` (default) or the bare tool name (prefixed only where names would collide). */
  readonly prefixToolNames?: boolean;
  readonly maxOutputChars?: number;
  readonly maxTotalTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** A server could not be reached (it is skipped and tried again at the next `tools()`), or a tool was left out. */
  readonly onWarning?: (message: string) => void;
  /** server name -> the OAuth client it authenticates with, instead of its entry's `auth` (an embedding app's own flow). */
  readonly oauthProviders?: Readonly<Record<string, HeadlessOAuthProvider>>;
}

/** A configured server that offers no tools right now, and why. */
export interface UnavailableServer {
  readonly server: string;
  readonly url: string;
  /** False when it could not be reached; true when it answered but offers no (kept) tools. */
  readonly reachable: boolean;
  readonly reason: string;
}

interface ServerState {
  readonly connection: ServerConnection;
  readonly lease: ConnectionLease;
  tools: DynamicStructuredTool[] | undefined;
  /** Set by `notifications/tools/list_changed`: reload before the next use. */
  stale: boolean;
  /** The last attempt failed; retried only when a caller asks (once per run, not per model turn). */
  failed: boolean;
  /** Why the last attempt failed, or why the server offers no tools. */
  problem: string | undefined;
}

/** What the pool records about each tool in `tool.metadata` (besides the adapter's `annotations`). */
export interface PoolToolMetadata {
  readonly server: string;
  /** The tool's name on its server (the model sees a model-safe name). */
  readonly mcpName: string;
  /** The server entry's `approve` setting as it applies to this tool. */
  readonly approval: 'always' | 'never' | undefined;
}

/** The entry's `approve` setting for one tool: `never` for a tool its list names. */
function approvalFor(entry: ServerEntry, tool: string): PoolToolMetadata['approval'] {
  const approve = entry.approve;
  if (approve === undefined || typeof approve === 'string') return approve;
  return toolMatcher(approve)(tool) ? 'never' : undefined;
}

/**
 * The orchestrator's view of every configured MCP server: one connection each (shared with the
 * process's other pools, see {@link leaseConnection}; `close` releases them), their tools
 * loaded through @langchain/mcp-adapters under model-safe names (`server__tool`, see
 * {@link assignToolNames}) and called by their real names. A server that cannot be reached is
 * skipped with a warning and tried again at the next `tools()`; a tool list the server says
 * changed is reloaded. No tool name fails a run: a collision no name can break leaves one tool
 * out, with a warning naming both.
 */
export class McpClientPool {
  private readonly options: ClientPoolOptions;
  private readonly servers = new Map<string, ServerState>();
  /** Every tool under its model-facing name, rebuilt when a server's list changes. */
  private assembled: { tools: DynamicStructuredTool[]; warnings: readonly string[] } | undefined;
  /** Servers already warned about getting their headers over plain HTTP: once per pool is enough. */
  private readonly warnedCleartext = new Set<string>();

  constructor(options: ClientPoolOptions) {
    this.options = options;
    for (const [name, entry] of Object.entries(options.servers)) {
      if (!entry.enabled) continue;
      const lease = leaseConnection(
        {
          name,
          entry,
          maxOutputChars: options.maxOutputChars,
          maxTotalTimeoutMs: options.maxTotalTimeoutMs,
          connectTimeoutMs: options.connectTimeoutMs,
          oauthProvider: options.oauthProviders?.[name],
        },
        () => {
          const state = this.servers.get(name);
          if (state) state.stale = true;
        },
      );
      this.servers.set(name, {
        connection: lease.connection,
        lease,
        tools: undefined,
        stale: false,
        failed: false,
        problem: undefined,
      });
    }
  }

  get serverNames(): string[] {
    return [...this.servers.keys()];
  }

  /** Which servers answered at the last load. */
  status(): Record<string, 'connected' | 'unreachable' | 'not loaded'> {
    const out: Record<string, 'connected' | 'unreachable' | 'not loaded'> = {};
    for (const [name, state] of this.servers) out[name] = state.tools ? 'connected' : state.failed ? 'unreachable' : 'not loaded';
    return out;
  }

  /** The servers that offered no tools at the last load (unreachable, or nothing left after `exclude`), with why. */
  unavailable(): UnavailableServer[] {
    return [...this.servers]
      .filter(([, state]) => state.problem !== undefined)
      .map(([server, state]) => ({ server, url: state.connection.url, reachable: !state.failed, reason: state.problem! }));
  }

  /**
   * Every reachable server's tools. Connects servers not tried yet and reloads lists a server
   * said changed; servers that failed before are tried again only with `retryFailed` (a run
   * passes it once at its start, so a dead server costs one attempt per run, not per turn).
   * Tools left out over their names are reported to `onWarning` then, and when the set changes.
   */
  async tools(options: { retryFailed?: boolean; onWarning?: (message: string) => void } = {}): Promise<DynamicStructuredTool[]> {
    const warn = options.onWarning ?? this.options.onWarning;
    const due = [...this.servers].filter(([, state]) => (state.failed ? options.retryFailed === true : !state.tools || state.stale));
    await Promise.all(due.map(([name, state]) => this.load(name, state, warn)));
    const rebuilt = this.assembled === undefined;
    this.assembled ??= this.assemble();
    if (rebuilt || options.retryFailed) for (const warning of this.assembled.warnings) warn?.(warning);
    return this.assembled.tools;
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((state) => state.lease.release()));
  }

  /** Names every loaded tool for the model, across servers, and lists those that got a name. */
  private assemble(): { tools: DynamicStructuredTool[]; warnings: readonly string[] } {
    const loaded = [...this.servers.values()].flatMap((state) => state.tools ?? []);
    const refs = loaded.map((tool) => {
      const meta = tool.metadata as unknown as PoolToolMetadata;
      return { server: meta.server, tool: meta.mcpName };
    });
    const { names, warnings } = assignToolNames(refs, { prefix: this.options.prefixToolNames ?? true });
    const tools: DynamicStructuredTool[] = [];
    loaded.forEach((tool, i) => {
      const name = names.get(toolKey(refs[i]!));
      if (name === undefined) return;
      tool.name = name;
      tools.push(tool);
    });
    return { tools, warnings };
  }

  private async load(name: string, state: ServerState, onWarning: ((message: string) => void) | undefined): Promise<void> {
    const { entry } = state.connection;
    const cleartext = this.warnedCleartext.has(name) ? undefined : cleartextWarning(name, entry);
    if (cleartext && onWarning) {
      this.warnedCleartext.add(name);
      onWarning(cleartext);
    }
    try {
      state.stale = false;
      // The adapter lists the tools through our connection and simplifies their schemas for a model.
      const tools = await loadMcpTools(name, state.connection as unknown as Parameters<typeof loadMcpTools>[1], {
        prefixToolNameWithServerName: false,
        throwOnLoadError: true,
      });
      const excluded = toolMatcher(entry.exclude);
      const kept = tools.filter((tool) => !excluded(tool.name));
      // Ours call them, by their real names whatever name the model sees.
      state.tools = kept.map((tool) => {
        const mcpName = tool.name;
        const meta: PoolToolMetadata = { server: name, mcpName, approval: approvalFor(entry, mcpName) };
        const original = state.connection.inputSchemaOf(mcpName);
        const simplified = tool.schema as Record<string, unknown>;
        return new McpTool({
          name: mcpName,
          description: tool.description,
          schema: original ? restoreScalarUnions(simplified, original) : simplified,
          metadata: { ...tool.metadata, ...meta },
          server: name,
          mcpName,
          client: state.connection,
        });
      });
      state.failed = false;
      state.problem =
        kept.length > 0
          ? undefined
          : tools.length > 0
            ? `all ${tools.length} of its tools are left out by its exclude list`
            : 'it offers no tools';
    } catch (error) {
      state.tools = undefined;
      state.failed = true;
      state.problem = describeError(error);
      await state.connection.close();
      onWarning?.(`skipping server "${name}": ${state.problem} (it will be tried again next time)`);
    } finally {
      this.assembled = undefined;
    }
  }
}
