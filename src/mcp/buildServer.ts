import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { getParseErrorMessage } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  ErrorCode,
  McpError,
  SetLevelRequestSchema,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { SpanKind, inSpan, markSpanError, traceContextOf, tracingActive, tracingRecordsArgs } from '../telemetry/index.ts';
import { SwitchboardError } from '../errors.ts';
import {
  ANONYMOUS,
  LOG_LEVELS,
  type AgentDefinition,
  type Identity,
  type LogLevel,
  type ToolContext,
  type ToolDefinition,
} from './agent.ts';

/** Per-session state the tools' contexts read. */
export interface SessionState {
  /** Set by `logging/setLevel`; messages below it are not sent. Default: everything. */
  logLevel: LogLevel | undefined;
  /**
   * 2026-07-28: each request names its own level in `_meta` (`io.modelcontextprotocol/logLevel`), and a
   * request that names none gets no log messages. Default false (the 2025 rules above).
   */
  readonly logLevelPerRequest?: boolean;
  /** Where a level the client sets is kept beyond this process (sessions shared between replicas). */
  persistLogLevel?: (level: LogLevel) => Promise<void>;
}

/** The `_meta` key a 2026-07-28 request names its log level with. */
export const LOG_LEVEL_META_KEY = 'io.modelcontextprotocol/logLevel';

export interface BuildServerHooks {
  /** An unexpected (non-Switchboard) error escaped a handler: a bug worth logging server-side. */
  readonly onUnexpectedError?: (tool: string, error: unknown) => void;
  /** Bracket every handler run, so a shutdown can wait for the calls in flight. */
  readonly onCallStart?: () => void;
  readonly onCallEnd?: () => void;
}

const severity = new Map<LogLevel, number>(LOG_LEVELS.map((level, index) => [level, index]));

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
/** What a tool's context reads of a request: the SDK's `extra`, or the same fields from the kit's own call path. */
export type CallExtra = Pick<Extra, 'signal' | 'sessionId' | '_meta' | 'authInfo' | 'sendNotification'>;

/** Carries the caller's identity through the SDK's `authInfo` (which the transport fills). */
export function authInfoFor(identity: Identity): AuthInfo {
  // Every call of a server without authentication carries this one: made once, frozen so no handler can change it.
  if (identity === ANONYMOUS) return ANONYMOUS_AUTH_INFO;
  return { token: '', clientId: identity.subject, scopes: [], extra: { identity } };
}

const ANONYMOUS_AUTH_INFO: AuthInfo = Object.freeze({
  token: '',
  clientId: ANONYMOUS.subject,
  scopes: Object.freeze([]) as unknown as string[],
  extra: Object.freeze({ identity: ANONYMOUS }),
});

function identityOf(extra: CallExtra): Identity {
  const identity = extra.authInfo?.extra?.['identity'];
  return identity && typeof identity === 'object' ? (identity as Identity) : ANONYMOUS;
}

function contextFor(server: McpServer, extra: CallExtra, state: SessionState): ToolContext {
  const below = (level: LogLevel) => {
    if (!state.logLevelPerRequest) return state.logLevel !== undefined && severity.get(level)! < severity.get(state.logLevel)!;
    const minimum = extra._meta?.[LOG_LEVEL_META_KEY] as LogLevel | undefined;
    return minimum === undefined || !severity.has(minimum) || severity.get(level)! < severity.get(minimum)!;
  };
  const progressToken = extra._meta?.progressToken;
  return {
    // Read on demand: the kit's own call path makes the signal only when something asks for it.
    get signal() {
      return extra.signal;
    },
    identity: identityOf(extra),
    sessionId: extra.sessionId,
    async progress(done, total, message) {
      if (progressToken === undefined || extra.signal.aborted) return;
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: done, ...(total === undefined ? {} : { total }), ...(message ? { message } : {}) },
      });
    },
    async log(level, message) {
      if (below(level)) return;
      await extra.sendNotification({ method: 'notifications/message', params: { level, data: message } });
    },
    async sessionLog(level, message) {
      if (below(level)) return;
      // Related to no request, so the transport hands it to the session's GET stream.
      await server.server.notification({ method: 'notifications/message', params: { level, data: message } });
    },
  };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function register(server: McpServer, tool: ToolDefinition, state: SessionState, hooks: BuildServerHooks): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input,
      outputSchema: tool.output,
      annotations: { title: tool.title, ...tool.annotations },
    },
    (args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> => invoke(server, tool, args, extra, state, hooks, false),
  );
}

function invoke(
  server: McpServer,
  tool: ToolDefinition,
  args: Record<string, unknown>,
  extra: CallExtra,
  state: SessionState,
  hooks: BuildServerHooks,
  /** Check the result against the tool's output schema (the kit's own path; the SDK checks its own). */
  checked: boolean,
): Promise<CallToolResult> {
  const context = contextFor(server, extra, state);
  if (!tracingActive()) return callHandler(tool, args, context, hooks, checked);
  // A caller that sent W3C trace context in _meta gets this call as a child span of its own.
  return inSpan(
    `tools/call ${tool.name}`,
    { kind: SpanKind.SERVER, parent: traceContextOf(extra._meta), attributes: serverSpanAttributes(tool.name, args) },
    async (span) => {
      const result = await callHandler(tool, args, context, hooks, checked);
      span?.setAttribute('switchboard.tool.outcome', result.isError ? 'error' : 'ok');
      if (result.isError) markSpanError(span, 'the tool answered with an error');
      return result;
    },
  );
}

function serverSpanAttributes(tool: string, args: Record<string, unknown>): Record<string, string> {
  return {
    'mcp.method.name': 'tools/call',
    'gen_ai.tool.name': tool,
    ...(tracingRecordsArgs() ? { 'gen_ai.tool.call.arguments': JSON.stringify(args) } : {}),
  };
}

async function callHandler(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  context: ToolContext,
  hooks: BuildServerHooks,
  checked: boolean,
): Promise<CallToolResult> {
  hooks.onCallStart?.();
  let result: CallToolResult;
  try {
    const output = await tool.handler(args, context);
    result = { content: [{ type: 'text', text: output.text }], structuredContent: output.structured as Record<string, unknown> };
  } catch (error) {
    if (error instanceof SwitchboardError) return errorResult(error.hint ? `${error.message} (${error.hint})` : error.message);
    if (context.signal.aborted) return errorResult(`${tool.name} was cancelled`);
    hooks.onUnexpectedError?.(tool.name, error);
    const message = error instanceof Error ? error.message : String(error);
    return errorResult(`${tool.name} failed unexpectedly: ${message}`);
  } finally {
    hooks.onCallEnd?.();
  }
  // Here rather than in a `then` of the caller's: one promise fewer per call.
  return checked ? checkOutput(tool, result) : result;
}

/**
 * Builds an SDK server for one session (or, in stateless mode, for all requests) from an
 * agent definition: tools with schemas and annotations, the agent's instructions, logging.
 */
export function buildMcpServer(agent: AgentDefinition, state: SessionState, hooks: BuildServerHooks = {}): McpServer {
  const server = new McpServer(
    { name: agent.name, version: agent.version },
    { instructions: agent.instructions, capabilities: { logging: {}, tools: { listChanged: false } } },
  );
  for (const tool of agent.tools) register(server, tool, state, hooks);
  // The SDK keys levels by session id in a map that is never emptied; the level lives with the session instead.
  server.server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    state.logLevel = request.params.level;
    await state.persistLogLevel?.(request.params.level);
    return {};
  });
  return server;
}

/**
 * Answers a `tools/call` the way the SDK's McpServer does (same handler, same input and output
 * checks, same error texts) without its per-request machinery, which costs more than the SQLite
 * read behind a typical tool: the request and result schemas re-parsed, async schema parses,
 * the handler wrapped three times. Undefined for anything but a plain call of one of the agent's
 * tools with valid arguments: the SDK answers those (and words every refusal) as before.
 */
export type DirectToolCall = (params: Record<string, unknown> | undefined, extra: CallExtra) => Promise<CallToolResult> | undefined;

/** The `_meta` key of task-augmented requests (the SDK's tasks, which the kit does not serve itself). */
const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';
const CALL_PARAM_KEYS = new Set(['name', 'arguments', '_meta']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The tool a request calls when it is a plain call (no task, no unknown parameters), else undefined. */
function plainCallOf(params: Record<string, unknown> | undefined, tools: ReadonlyMap<string, ToolDefinition>): ToolDefinition | undefined {
  if (!isPlainObject(params)) return undefined;
  for (const key in params) if (!CALL_PARAM_KEYS.has(key)) return undefined;
  const { name, arguments: args, _meta: meta } = params;
  if (typeof name !== 'string' || (args !== undefined && !isPlainObject(args))) return undefined;
  if (meta !== undefined) {
    if (!isPlainObject(meta) || RELATED_TASK_META_KEY in meta) return undefined;
    const token = meta['progressToken'];
    if (token !== undefined && typeof token !== 'string' && !Number.isSafeInteger(token)) return undefined;
  }
  return tools.get(name);
}

/** The SDK's output check: a result of a tool with an output schema carries structured content that fits it. */
function checkOutput(tool: ToolDefinition, result: CallToolResult): CallToolResult {
  if (result.isError) return result;
  let problem: string | undefined;
  if (!result.structuredContent) problem = `Tool ${tool.name} has an output schema but no structured content was provided`;
  else {
    const parsed = tool.output.safeParse(result.structuredContent);
    if (!parsed.success) problem = `Invalid structured content for tool ${tool.name}: ${getParseErrorMessage(parsed.error)}`;
  }
  return problem === undefined ? result : errorResult(new McpError(ErrorCode.InvalidParams, `Output validation error: ${problem}`).message);
}

/** The kit's own `tools/call` path for a server built by {@link buildMcpServer} (see {@link DirectToolCall}). */
export function directToolCalls(
  server: McpServer,
  agent: AgentDefinition,
  state: SessionState,
  hooks: BuildServerHooks = {},
): DirectToolCall {
  const tools = new Map(agent.tools.map((tool) => [tool.name, tool]));
  return (params, extra) => {
    const tool = plainCallOf(params, tools);
    if (tool === undefined) return undefined;
    let parsed: ReturnType<ToolDefinition['input']['safeParse']>;
    try {
      parsed = tool.input.safeParse(params!['arguments'] ?? {});
    } catch {
      return undefined; // a schema with async checks: the SDK's async parse serves it
    }
    if (!parsed.success) return undefined; // the SDK words the refusal
    return invoke(server, tool, parsed.data, extra, state, hooks, true);
  };
}
