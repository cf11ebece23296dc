import type { DynamicStructuredTool } from '@langchain/core/tools';
import { loadMcpTools } from '@langchain/mcp-adapters';
import type { ServerEntry } from '../config/file.ts';
import { ConfigError, describeError } from '../errors.ts';
import { restoreScalarUnions } from './schemaRepair.ts';
import { ServerConnection, type ServerConnectionOptions } from './serverConnection.ts';

/** `exclude` patterns of a server entry: exact names, `*` for any run of characters. */
function excludeMatcher(patterns: readonly string[]): (tool: string) => boolean {
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return (tool) => regexes.some((r) => r.test(tool));
}

/** OpenAI-compatible models refuse other tool names; so do many others. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface ClientPoolOptions {
  readonly servers: Readonly<Record<string, ServerEntry>>;
  /** `server__tool` (default) or the bare tool name. */
  readonly prefixToolNames?: boolean;
  readonly maxOutputChars?: number;
  readonly maxTotalTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** A server could not be reached (it is skipped and tried again at the next `tools()`). */
  readonly onWarning?: (message: string) => void;
}

interface ServerState {
  readonly connection: ServerConnection;
  tools: DynamicStructuredTool[] | undefined;
  /** Set by `notifications/tools/list_changed`: reload before the next use. */
  stale: boolean;
  /** The last attempt failed; retried only when a caller asks (once per run, not per model turn). */
  failed: boolean;
}

/**
 * The orchestrator's view of every configured MCP server: one connection each, their tools
 * loaded through @langchain/mcp-adapters and named `server__tool`. A server that cannot be
 * reached is skipped with a warning and tried again at the next `tools()`; a tool list the
 * server says changed is reloaded; two tools with one name are an error at start-up.
 */
export class McpClientPool {
  private readonly options: ClientPoolOptions;
  private readonly servers = new Map<string, ServerState>();

  constructor(options: ClientPoolOptions) {
    this.options = options;
    for (const [name, entry] of Object.entries(options.servers)) {
      if (!entry.enabled) continue;
      const connectionOptions: ServerConnectionOptions = {
        name,
        entry,
        maxOutputChars: options.maxOutputChars,
        maxTotalTimeoutMs: options.maxTotalTimeoutMs,
        connectTimeoutMs: options.connectTimeoutMs,
        onToolsChanged: () => {
          const state = this.servers.get(name);
          if (state) state.stale = true;
        },
      };
      this.servers.set(name, { connection: new ServerConnection(connectionOptions), tools: undefined, stale: false, failed: false });
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

  /**
   * Every reachable server's tools. Connects servers not tried yet and reloads lists a server
   * said changed; servers that failed before are tried again only with `retryFailed` (a run
   * passes it once at its start, so a dead server costs one attempt per run, not per turn).
   */
  async tools(options: { retryFailed?: boolean; onWarning?: (message: string) => void } = {}): Promise<DynamicStructuredTool[]> {
    const due = [...this.servers].filter(([, state]) => (state.failed ? options.retryFailed === true : !state.tools || state.stale));
    await Promise.all(due.map(([name, state]) => this.load(name, state, options.onWarning ?? this.options.onWarning)));
    const all: DynamicStructuredTool[] = [];
    const owner = new Map<string, string>();
    for (const [name, state] of this.servers) {
      for (const tool of state.tools ?? []) {
        const other = owner.get(tool.name);
        if (other !== undefined) {
          throw new ConfigError(`tool name "${tool.name}" is offered by both "${other}" and "${name}"`, {
            hint:
              this.options.prefixToolNames === false
                ? 'turn tool-name prefixes back on, or disable one server'
                : 'rename one of the servers in the config',
          });
        }
        if (!TOOL_NAME.test(tool.name)) {
          throw new ConfigError(
            `tool name "${tool.name}" of server "${name}" is not usable by models (letters, digits, _ and -, at most 64)`,
            { hint: 'give the server a shorter name in the config' },
          );
        }
        owner.set(tool.name, name);
        all.push(tool);
      }
    }
    return all;
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((state) => state.connection.close()));
  }

  private async load(name: string, state: ServerState, onWarning: ((message: string) => void) | undefined): Promise<void> {
    try {
      state.stale = false;
      // The adapter takes our connection as its client: it calls listTools/callTool on it.
      const tools = await loadMcpTools(name, state.connection as unknown as Parameters<typeof loadMcpTools>[1], {
        prefixToolNameWithServerName: this.options.prefixToolNames ?? true,
        throwOnLoadError: true,
      });
      const excluded = excludeMatcher(state.connection.entry.exclude);
      const prefix = this.options.prefixToolNames === false ? '' : `${name}__`;
      const kept = tools.filter((tool) => !excluded(tool.name.slice(prefix.length)));
      for (const tool of kept) {
        tool.metadata = { ...tool.metadata, server: name };
        const original = state.connection.inputSchemaOf(tool.name.slice(prefix.length));
        if (original) tool.schema = restoreScalarUnions(tool.schema as Record<string, unknown>, original) as typeof tool.schema;
      }
      state.tools = kept;
      state.failed = false;
    } catch (error) {
      state.tools = undefined;
      state.failed = true;
      await state.connection.close();
      onWarning?.(`skipping server "${name}": ${describeError(error)} (it will be tried again next time)`);
    }
  }
}
