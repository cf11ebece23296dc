import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type ListToolsResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { currentProgressListener } from '../agent/index.ts';
import { IDEMPOTENCY_KEY_ARG } from '../agent/idempotency.ts';
import type { ServerEntry } from '../config/file.ts';
import { SpanKind, inSpan, markSpanError, tracingActive, tracingRecordsArgs, withTraceMeta } from '../telemetry/tracing.ts';
import { McpCallError, STREAM_LOST, describeCause } from './connectionErrors.ts';
import { DEFAULT_MAX_OUTPUT_CHARS, shapeToolResult } from './toolOutput.ts';
import type { HeadlessOAuthProvider } from './oauthClient.ts';
import { ConnectAttemptsError, openClient, type WireTransport } from './transports.ts';

/** Cap on one call however often progress resets its timeout. Default 10 minutes. */
export const DEFAULT_MAX_TOTAL_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface ServerConnectionOptions {
  readonly name: string;
  readonly entry: ServerEntry;
  readonly clientInfo?: { name: string; version: string };
  readonly maxTotalTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly maxOutputChars?: number;
  /** Authenticates with this OAuth client instead of the entry's `auth`. */
  readonly oauthProvider?: HeadlessOAuthProvider;
  /** The server said its tool list changed. */
  readonly onToolsChanged?: () => void;
}

/**
 * `data.reason` of the error a kit agent answers for a call whose replica died mid-call (the client resumed its
 * stream on another replica): as a broken connection, the call may or may not have run.
 */
const REPLICA_LOST = 'replica-lost';

/** What went wrong with a session, when re-opening it may help: it expired (404), or its connection broke. */
function recoverable(error: unknown): 'session' | 'connection' | undefined {
  if (error instanceof StreamableHTTPError && error.code === 404) return 'session';
  // A balancer whose replica died with the request (or could not reach one): the call may have run.
  if (error instanceof StreamableHTTPError && (error.code === 502 || error.code === 504)) return 'connection';
  if (error instanceof McpError && (error.data as { reason?: unknown } | undefined)?.reason === REPLICA_LOST) return 'connection';
  // The legacy SSE client's POST to a session the server no longer knows.
  if (error instanceof Error && error.message.startsWith('Error POSTing to endpoint (HTTP 404)')) return 'session';
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) return 'connection';
  if (error instanceof TypeError && error.message === 'fetch failed' && !describeCause(error, '').notReached) return 'connection';
  return undefined;
}

/** Span attributes of a tool call: server and tool always, argument values only when allowed. */
function toolCallAttributes(server: string, params: { name: string; arguments?: Record<string, unknown> }): Record<string, string> {
  return {
    'mcp.method.name': 'tools/call',
    'gen_ai.tool.name': params.name,
    'switchboard.server': server,
    ...(tracingRecordsArgs() ? { 'gen_ai.tool.call.arguments': JSON.stringify(params.arguments ?? {}) } : {}),
  };
}

const AUTH_HINT = 'check the server\'s "headers" (e.g. Authorization) in the config';

/**
 * One MCP server, as the orchestrator needs it: over Streamable HTTP, or the legacy HTTP+SSE
 * transport when the entry says so or the server turns out to speak only that; calls with a
 * timeout that progress resets (under a total cap); results shaped for a model; a session that
 * expired (404) or a connection that broke re-opened transparently, the call retried only when
 * the tool is read-only or idempotent or the call carries an idempotency key, since otherwise it might run twice. Every failure names
 * the server, its URL and the cause.
 */
export class ServerConnection {
  readonly name: string;
  private readonly options: ServerConnectionOptions;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  /** The transport and endpoint that answered, so re-opening a session skips detection. */
  private wire: { transport: WireTransport; url: string } | undefined;
  private readonly annotations = new Map<string, Tool['annotations']>();
  private readonly inputSchemas = new Map<string, Tool['inputSchema']>();
  /** Calls in flight per client, so a client retired after a 404 is closed only once its last call is over. */
  private readonly callsOn = new Map<Client, number>();
  /** Legacy SSE clients closed because their stream broke, with the error that broke it. */
  private readonly brokenBy = new WeakMap<Client, SseError>();

  constructor(options: ServerConnectionOptions) {
    this.name = options.name;
    this.options = options;
  }

  /** The URL the entry names. */
  get url(): string {
    return this.options.entry.url;
  }

  /** The URL in use: the entry's, or the legacy SSE endpoint found next to it. */
  get endpoint(): string {
    return this.wire?.url ?? this.options.entry.url;
  }

  /** The transport the last session was opened over (undefined before the first). */
  get transport(): WireTransport | undefined {
    return this.wire?.transport;
  }

  get entry(): ServerEntry {
    return this.options.entry;
  }

  /** Opens the session (once; concurrent callers share the attempt). */
  connect(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async listTools(params?: { cursor?: string }): Promise<ListToolsResult> {
    let result: ListToolsResult;
    try {
      result = await this.withSessionRecovery((client) => client.listTools(params), true, 'tools/list');
    } catch (error) {
      throw this.failure(`listing the tools of MCP server "${this.name}" at ${this.endpoint} failed`, error);
    }
    for (const tool of result.tools) {
      this.annotations.set(tool.name, tool.annotations);
      this.inputSchemas.set(tool.name, structuredClone(tool.inputSchema));
    }
    return result;
  }

  /** The adapter's call path: its own timeout is replaced by ours; its signal is kept. */
  async callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    _schema?: unknown,
    adapterOptions?: RequestOptions,
  ): Promise<CallToolResult> {
    const listener = currentProgressListener();
    const options: RequestOptions = {
      signal: adapterOptions?.signal,
      timeout: this.options.entry.timeoutMs,
      resetTimeoutOnProgress: true,
      maxTotalTimeout: this.options.maxTotalTimeoutMs ?? DEFAULT_MAX_TOTAL_TIMEOUT_MS,
      // Asking for progress is what makes the server's progress reset our timeout.
      onprogress: (p) => listener?.({ progress: p.progress, total: p.total, message: p.message }),
    };
    const annotations = this.annotations.get(params.name);
    // A write that carries its idempotency key is safe to repeat: the server answers a repeat with the first result.
    const retryable =
      annotations?.readOnlyHint === true ||
      annotations?.idempotentHint === true ||
      typeof params.arguments?.[IDEMPOTENCY_KEY_ARG] === 'string';
    if (!tracingActive()) return this.sendToolCall(params, options, retryable, adapterOptions);
    return inSpan(
      `tools/call ${params.name}`,
      { kind: SpanKind.CLIENT, attributes: toolCallAttributes(this.name, params) },
      async (span) => {
        // The server continues this trace from the request's _meta (W3C traceparent/tracestate).
        const meta = withTraceMeta((params as { _meta?: Record<string, unknown> })._meta);
        const sent = meta === undefined ? params : { ...params, _meta: meta };
        const result = await this.sendToolCall(sent, options, retryable, adapterOptions);
        span?.setAttribute('switchboard.tool.outcome', result.isError ? 'error' : 'ok');
        if (result.isError) markSpanError(span, 'the tool answered with an error');
        return result;
      },
    );
  }

  private async sendToolCall(
    params: { name: string; arguments?: Record<string, unknown> },
    options: RequestOptions,
    retryable: boolean,
    adapterOptions: RequestOptions | undefined,
  ): Promise<CallToolResult> {
    const call = (c: Client) => c.callTool(params, undefined, options) as Promise<CallToolResult>;
    let result: CallToolResult;
    try {
      result = await this.withSessionRecovery(call, retryable, params.name);
    } catch (error) {
      if (adapterOptions?.signal?.aborted || error instanceof McpCallError) throw error;
      // The per-call timeout (not the total cap) fires only after silence: say so.
      const timedOut =
        error instanceof McpError &&
        error.code === ErrorCode.RequestTimeout &&
        typeof (error.data as { timeout?: unknown })?.timeout === 'number';
      throw this.failure(
        `calling ${params.name} on MCP server "${this.name}" at ${this.endpoint} failed`,
        error,
        timedOut ? ' with no answer or progress' : '',
      );
    }
    return shapeToolResult(result, this.options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS);
  }

  /** The input schema a tool was listed with, before any adapter rewrote it. */
  inputSchemaOf(tool: string): Tool['inputSchema'] | undefined {
    return this.inputSchemas.get(tool);
  }

  async readResource(params: { uri: string }) {
    const client = await this.connect();
    return client.readResource(params);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.transport instanceof StreamableHTTPClientTransport) await client.transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }

  /** `what` failed because of `error`: one error naming the server, its URL and the cause. */
  private failure(what: string, error: unknown, note = ''): McpCallError {
    if (error instanceof McpCallError) return error;
    const cause = describeCause(error, this.endpoint);
    const auth = cause.status === 401 || cause.status === 403;
    return new McpCallError(this.name, `${what}: ${cause.text}${note}`, {
      cause: error,
      status: cause.status,
      hint: auth ? AUTH_HINT : undefined,
    });
  }

  private async open(): Promise<Client> {
    const { entry } = this.options;
    let opened;
    try {
      opened = await openClient({
        entry,
        clientInfo: this.options.clientInfo ?? { name: 'switchboard', version: '0.1.0' },
        timeoutMs: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        known: this.wire,
        oauthProvider: this.options.oauthProvider,
      });
    } catch (error) {
      this.wire = undefined; // the server may have changed transports: detect again next time
      const attempts = error instanceof ConnectAttemptsError ? error.attempts : [];
      const status = attempts.map((a) => a.cause.status).find((s) => s !== undefined);
      const unreachable = attempts.length > 0 && attempts.every((a) => a.cause.notReached && a.cause.status === undefined);
      const verb = unreachable ? 'is unreachable' : status !== undefined ? 'refused the connection' : 'could not be connected';
      const hint =
        status === 401 || status === 403
          ? AUTH_HINT
          : status === 404 || status === 405
            ? `check that url is the server's MCP endpoint${entry.transport === 'auto' ? '' : `, and its "transport" (${entry.transport})`}`
            : undefined;
      throw new McpCallError(this.name, `MCP server "${this.name}" at ${entry.url} ${verb}: ${(error as Error).message}`, {
        cause: error,
        status,
        hint,
      });
    }
    const { client } = opened;
    this.wire = { transport: opened.transport, url: opened.url };
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => this.options.onToolsChanged?.());
    // Stream hiccups surface as call errors; keep them off stderr. A legacy SSE stream that broke
    // is not resumed: close the client, which fails its pending calls at once, and re-open on the next.
    client.onerror = (error) => {
      if (!(error instanceof SseError) || this.brokenBy.has(client)) return;
      this.brokenBy.set(client, error);
      if (this.client === client) this.client = undefined;
      void client.close().catch(() => undefined);
    };
    client.onclose = () => {
      if (this.client === client) this.client = undefined;
    };
    this.client = client;
    return client;
  }

  /**
   * Runs `work` on the session; when the session expired or its connection broke, re-opens it
   * and runs `work` again if allowed (`retryable`), else says why it was not.
   */
  private async withSessionRecovery<T>(work: (client: Client) => Promise<T>, retryable: boolean, what: string): Promise<T> {
    try {
      return await this.using(work);
    } catch (error) {
      const kind = recoverable(error);
      if (!kind) throw error;
      if (kind === 'connection' && !retryable) {
        throw this.failure(
          `calling ${what} on MCP server "${this.name}" at ${this.endpoint} failed`,
          error,
          `; not retried, since it may have run: the tool is not marked read-only or idempotent`,
        );
      }
      try {
        await this.connect();
      } catch (reopen) {
        const lost = kind === 'session' ? 'the session had expired' : describeCause(error, this.endpoint).text;
        const why =
          (reopen as { cause?: unknown }).cause instanceof ConnectAttemptsError ? ((reopen as Error).cause as Error) : (reopen as Error);
        throw new McpCallError(
          this.name,
          `calling ${what} on MCP server "${this.name}" at ${this.endpoint} failed: ${lost}, and re-opening the session failed: ${why.message}`,
          { cause: reopen },
        );
      }
      if (!retryable) {
        throw new McpCallError(
          this.name,
          `the session with MCP server "${this.name}" at ${this.endpoint} had expired; it was re-opened, but ${what} was not retried because it is not marked read-only or idempotent (call it again if it should run)`,
          { cause: error },
        );
      }
      return this.using(work);
    }
  }

  /**
   * Runs `work` on the current client. A call that finds the session gone retires the client
   * but leaves it open: closing it would abort the parallel calls still waiting on it, which
   * must see their own 404 to recover. The last call out closes it.
   */
  private async using<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.connect();
    this.callsOn.set(client, (this.callsOn.get(client) ?? 0) + 1);
    try {
      return await work(client);
    } catch (error) {
      if (recoverable(error) && this.client === client) this.client = undefined;
      const broken = this.brokenBy.get(client);
      if (broken && error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
        const lost = `the legacy SSE stream broke: ${describeCause(broken, this.endpoint).text}`;
        throw new McpError(ErrorCode.ConnectionClosed, lost, { [STREAM_LOST]: lost });
      }
      throw error;
    } finally {
      const left = this.callsOn.get(client)! - 1;
      if (left > 0) {
        this.callsOn.set(client, left);
      } else {
        this.callsOn.delete(client);
        if (this.client !== client) await client.close().catch(() => undefined);
      }
    }
  }
}
