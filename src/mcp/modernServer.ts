import { McpServer, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server';
import { SwitchboardError } from '../errors.ts';
import { ANONYMOUS, type AgentDefinition, type Identity, type ToolContext, type ToolDefinition } from './agent.ts';
import type { BuildServerHooks } from './buildServer.ts';

/**
 * What a 2026-07-28 client may cache a list for: the tool list only changes when the agent says so
 * (and then `subscriptions/listen` tells every listener), so a minute is safe; `private` because a
 * list could one day depend on who asks.
 */
export const LIST_CACHE_HINT = { ttlMs: 60_000, cacheScope: 'private' } as const;

function identityOf(ctx: ServerContext): Identity {
  const identity = ctx.http?.authInfo?.extra?.['identity'];
  return identity && typeof identity === 'object' ? (identity as Identity) : ANONYMOUS;
}

function contextFor(ctx: ServerContext): ToolContext {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  return {
    signal: ctx.mcpReq.signal,
    identity: identityOf(ctx),
    sessionId: undefined,
    async progress(done, total, message) {
      if (progressToken === undefined || ctx.mcpReq.signal.aborted) return;
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken, progress: done, ...(total === undefined ? {} : { total }), ...(message ? { message } : {}) },
      });
    },
    async log(level, message) {
      // The SDK filters by the level the request's envelope names (2026-07-28 has no logging/setLevel).
      await ctx.mcpReq.log(level, message);
    },
    // The 2026-07-28 era has no session, so no stream outside the call to send this on.
    sessionLog: async () => {},
  };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

async function callHandler(tool: ToolDefinition, args: Record<string, unknown>, ctx: ServerContext, hooks: BuildServerHooks) {
  hooks.onCallStart?.();
  try {
    const output = await tool.handler(args, contextFor(ctx));
    return {
      content: [{ type: 'text' as const, text: output.text }],
      structuredContent: output.structured as Record<string, unknown>,
    } satisfies CallToolResult;
  } catch (error) {
    if (error instanceof SwitchboardError) return errorResult(error.hint ? `${error.message} (${error.hint})` : error.message);
    if (ctx.mcpReq.signal.aborted) return errorResult(`${tool.name} was cancelled`);
    hooks.onUnexpectedError?.(tool.name, error);
    return errorResult(`${tool.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    hooks.onCallEnd?.();
  }
}

/**
 * Builds an SDK v2 server (the 2026-07-28 era) from an agent definition: the same tools, schemas,
 * annotations, instructions and error handling as {@link buildMcpServer} gives the 2025 era.
 * `createMcpHandler` asks for one per request, so this does no I/O.
 */
export function buildModernServer(agent: AgentDefinition, hooks: BuildServerHooks = {}): McpServer {
  const server = new McpServer(
    { name: agent.name, version: agent.version },
    {
      instructions: agent.instructions,
      capabilities: { logging: {}, tools: { listChanged: true } },
      cacheHints: { 'tools/list': LIST_CACHE_HINT },
    },
  );
  for (const tool of agent.tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      (args: Record<string, unknown>, ctx: ServerContext) => callHandler(tool, args, ctx, hooks),
    );
  }
  return server;
}
