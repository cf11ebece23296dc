import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type ListToolsResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { currentProgressListener } from '../agent/index.ts';
import type { ServerEntry } from '../config/file.ts';
import { ToolError, UpstreamError, describeError } from '../errors.ts';
import { DEFAULT_MAX_OUTPUT_CHARS, shapeToolResult } from './toolOutput.ts';

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
  /** The server said its tool list changed. */
  readonly onToolsChanged?: () => void;
}

function isSessionGone(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code === 404;
}

/**
 * One MCP server over Streamable HTTP, as the orchestrator needs it: calls with a timeout
 * that progress resets (under a total cap), results shaped for a model, and a session that
 * expired (404) re-opened transparently — the call retried only when the tool is read-only
 * or idempotent, since otherwise it might run twice.
 */
export class ServerConnection {
  readonly name: string;
  private readonly options: ServerConnectionOptions;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private readonly annotations = new Map<string, Tool['annotations']>();
  private readonly inputSchemas = new Map<string, Tool['inputSchema']>();
  /** Calls in flight per client, so a client retired after a 404 is closed only once its last call is over. */
  private readonly callsOn = new Map<Client, number>();

  constructor(options: ServerConnectionOptions) {
    this.name = options.name;
    this.options = options;
  }

  get url(): string {
    return this.options.entry.url;
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
    const result = await this.withSessionRecovery((client) => client.listTools(params), true);
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
    const retryable = annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
    const call = (c: Client) => c.callTool(params, undefined, options) as Promise<CallToolResult>;
    const result = await this.withSessionRecovery(call, retryable, params.name);
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
    const transport = client.transport as StreamableHTTPClientTransport | undefined;
    await transport?.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }

  private async open(): Promise<Client> {
    const { entry } = this.options;
    const client = new Client(this.options.clientInfo ?? { name: 'switchboard', version: '0.1.0' });
    const transport = new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } });
    try {
      await client.connect(transport, { timeout: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new UpstreamError(
        this.name,
        `MCP server "${this.name}" at ${entry.url} is unreachable: ${describeError((error as { cause?: unknown }).cause ?? error)}`,
        { cause: error },
      );
    }
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => this.options.onToolsChanged?.());
    client.onerror = () => undefined; // stream hiccups surface as call errors; keep them off stderr
    this.client = client;
    return client;
  }

  /** Runs `work` on the session; on "session not found" re-opens the session and runs it again if allowed. */
  private async withSessionRecovery<T>(work: (client: Client) => Promise<T>, retryable: boolean, tool?: string): Promise<T> {
    try {
      return await this.using(work);
    } catch (error) {
      if (!isSessionGone(error)) throw error;
      await this.connect();
      if (!retryable) {
        throw new ToolError(
          `the session with MCP server "${this.name}" had expired; it was re-opened, but ${tool} was not retried because it is not marked read-only or idempotent`,
          {
            hint: 'call it again if it should run',
          },
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
      if (isSessionGone(error) && this.client === client) this.client = undefined;
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
