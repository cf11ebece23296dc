import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadEnv } from '../../../src/config/env.ts';
import { ServerEntrySchema, type ServerEntry } from '../../../src/config/file.ts';
import { UserError } from '../../../src/errors.ts';
import { createChatModel, parseModelSpec } from '../../../src/llm/index.ts';
import { startAgentServer, type AgentDefinition, type RunningAgentServer } from '../../../src/mcp/index.ts';
import {
  createServiceApp,
  openPostgresRunStore,
  openRunQueue,
  openSqliteRunStore,
  sqliteRunStorePath,
  type ModelResolver,
  type RunQueue,
  type RunQueueOptions,
  type RunStore,
  type ServiceApp,
  type ServiceAppOptions,
} from '../../../src/service/index.ts';
import { createCheckpointer, type Checkpointer } from '../../../src/store/checkpoint/index.ts';
import { startBuiltinAgent } from '../../../scripts/lib/builtinAgents.ts';
import { Cleanup, startAll } from '../../helpers/cleanup.ts';
import { sseReader } from '../../helpers/sse.ts';
import { createResponseChecker, type ResponseChecker } from './openapiCheck.ts';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';

/** An event as clients receive it. */
export type WireEvent = Record<string, unknown> & { seq: number; type: string; runId: string };

const checker = createResponseChecker();

/** The built-in agents on port 0 with their data in `dataDir`, without their ask_*_agent tools. */
export async function startBuiltinAgents(dataDir: string): Promise<{ servers: Record<string, ServerEntry>; close: () => Promise<void> }> {
  const env = loadEnv({ SWITCHBOARD_DATA_DIR: dataDir });
  // All or none: agents left running by a failed start would keep the test process alive.
  const running: RunningAgentServer[] = await startAll(
    ['incident', 'search', 'analysis'].map((name) => startBuiltinAgent(name, env, { port: 0 })),
  );
  const servers = Object.fromEntries(
    running.map((server, i) => [
      ['incident', 'search', 'analysis'][i]!,
      ServerEntrySchema.parse({ url: server.url, exclude: ['ask_*_agent'] }),
    ]),
  );
  return { servers, close: async () => void (await Promise.all(running.map((s) => s.close()))) };
}

/** One agent served on port 0, as a server entry named `name`. */
export async function startAgent(
  agent: AgentDefinition,
  name = agent.name,
): Promise<{ servers: Record<string, ServerEntry>; close: () => Promise<void> }> {
  const server = await startAgentServer(agent, { port: 0 });
  return { servers: { [name]: ServerEntrySchema.parse({ url: server.url }) }, close: () => server.close() };
}

/** The offline planner as the only model (`offline`, or no spec). */
export function offlineModels(): ModelResolver {
  const env = loadEnv({});
  const model = createChatModel(parseModelSpec('offline', env), env);
  return (spec) => {
    if (spec !== undefined && spec !== 'offline') throw new UserError(`unknown model "${spec}"`, { hint: 'use offline' });
    return { name: 'offline', model };
  };
}

/** One model under the name `test`. */
export function fixedModel(model: BaseChatModel): ModelResolver {
  return (spec) => {
    if (spec !== undefined && spec !== 'test') throw new UserError(`unknown model "${spec}"`, { hint: 'use test' });
    return { name: 'test', model };
  };
}

export interface ServiceUnderTest {
  readonly url: string;
  readonly app: ServiceApp;
  readonly store: RunStore;
  /** The run queue (PostgreSQL only). */
  readonly queue: RunQueue | undefined;
  readonly api: Api;
  /** Shuts the app down (in-flight runs get `graceMs`), then the server and stores. */
  close(graceMs?: number): Promise<void>;
}

export type StartOptions = Partial<ServiceAppOptions> &
  Pick<ServiceAppOptions, 'servers' | 'resolveModel'> & {
    readonly dataDir: string;
    readonly databaseUrl?: string;
    readonly schema?: string;
    /** Settings of the run queue (PostgreSQL; a short takeover and retention by default), or false for none. */
    readonly queueSettings?: Partial<RunQueueOptions> | false;
    /** Connections of the PostgreSQL run store's pool (the database is shared by many suites). Default 10. */
    readonly storePoolSize?: number;
  };

/** A service app on 127.0.0.1:0 with its own store and checkpointer (SQLite in dataDir, or PostgreSQL in `schema`). */
export async function startService(options: StartOptions): Promise<ServiceUnderTest> {
  const { dataDir, databaseUrl, schema, queueSettings, storePoolSize, ...appOptions } = options;
  // Whatever a failed start had opened is closed again: a listening server or an open pool
  // would keep the test process alive after the failure.
  const opened = new Cleanup();
  let store: RunStore, checkpointer: Checkpointer, app: ServiceApp, server: Server;
  let queue: RunQueue | undefined;
  try {
    store = await opened.start(
      databaseUrl
        ? openPostgresRunStore({ connectionString: databaseUrl, schema, max: storePoolSize })
        : openSqliteRunStore({ path: sqliteRunStorePath(dataDir) }),
    );
    checkpointer = await opened.start(createCheckpointer({ databaseUrl, dataDir, schema }));
    if (databaseUrl && queueSettings !== false) {
      queue = await openRunQueue({
        connectionString: databaseUrl,
        runsSchema: schema,
        takeoverSeconds: 10,
        retentionSeconds: 7 * 24 * 3600,
        runTimeoutMs: appOptions.runTimeoutMs ?? 5 * 60_000,
        livenessPollMs: 250,
        ...queueSettings,
      });
      const opening = queue;
      opened.defer(() => opening.close(0));
    }
    app = createServiceApp({ checkpointer: checkpointer.saver, store, queue, heartbeatMs: 200, followPollMs: 250, ...appOptions });
    server = createServer(app);
    opened.defer(() => (server.close(), server.closeAllConnections()));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    opened.defer(() => app.shutdown(0));
    await app.start();
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    store,
    queue,
    api: new Api(url),
    close(graceMs = 1000) {
      closing ??= (async () => {
        server.close();
        server.closeIdleConnections();
        await app.shutdown(graceMs);
        server.closeAllConnections();
        await store.close();
        await checkpointer.close();
      })();
      return closing;
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is (bad JSON, huge bodies). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/** An open event stream: events one at a time (each checked against the OpenAPI document). */
export interface OpenStream {
  readonly status: number;
  readonly headers: Headers;
  next(): Promise<WireEvent | undefined>;
  /** Every event until the server ends the stream. */
  rest(): Promise<WireEvent[]>;
  close(): Promise<void>;
}

/** A client of the API that checks every response against the OpenAPI document. */
export class Api {
  readonly base: string;
  readonly key: string | undefined;
  readonly checker: ResponseChecker = checker;

  constructor(base: string, key?: string) {
    this.base = base;
    this.key = key;
  }

  as(key: string | undefined): Api {
    return new Api(this.base, key);
  }

  private headers(options: RequestOptions, accept: string): Record<string, string> {
    return {
      accept,
      ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
      ...options.headers,
    };
  }

  async request<T = Record<string, unknown>>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: this.headers(options, 'application/json'),
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const type = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const body = type.startsWith('application/json') ? (JSON.parse(text) as T) : (text as T);
    if (response.status >= 400) assert.match(type, /^application\/json/, `errors are JSON, not ${type}`);
    assert.doesNotMatch(text, /at .*\.ts:\d+:\d+/, 'no stack traces');
    this.checker.check(method, path, response.status, type, body);
    return { status: response.status, headers: response.headers, body };
  }

  get<T = Record<string, unknown>>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }

  delete<T = Record<string, unknown>>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Opens an event stream (POST /v1/runs, POST approval, GET events); a non-stream answer is checked and thrown. */
  async stream(method: string, path: string, options: RequestOptions = {}): Promise<OpenStream> {
    const controller = new AbortController();
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: this.headers(options, 'text/event-stream'),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: controller.signal,
    });
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) {
      const body = JSON.parse(await response.text()) as unknown;
      this.checker.check(method, path, response.status, type, body);
      throw Object.assign(new Error(`expected a stream, got ${response.status}: ${JSON.stringify(body)}`), {
        status: response.status,
        body,
      });
    }
    this.checker.check(method, path, response.status, type, []);
    const reader = sseReader(response.body!);
    let previous = 0;
    const next = async (): Promise<WireEvent | undefined> => {
      for (;;) {
        const event = await reader.next().catch(() => undefined);
        if (!event) return undefined;
        if (event.id === undefined) continue; // the retry hint
        const data = JSON.parse(event.data) as WireEvent;
        assert.equal(String(data.seq), event.id, 'the SSE id is the seq');
        assert.equal(data.type, event.event, 'the SSE event name is the type');
        assert.ok(data.seq > previous, `ids increase (${previous} then ${data.seq})`);
        previous = data.seq;
        this.checker.check(method, path, response.status, type, [data]);
        return data;
      }
    };
    return {
      status: response.status,
      headers: response.headers,
      next,
      async rest() {
        const out: WireEvent[] = [];
        for (let event = await next(); event; event = await next()) out.push(event);
        return out;
      },
      async close() {
        controller.abort();
        await reader.cancel().catch(() => undefined);
      },
    };
  }

  /** Every event of a run after `after` until the stream ends. */
  async events(runId: string, after = 0): Promise<WireEvent[]> {
    const stream = await this.stream('GET', `/v1/runs/${runId}/events`, { headers: after ? { 'last-event-id': String(after) } : {} });
    return stream.rest();
  }

  /** Waits (on the event stream, no polling) until the run settles, then returns it. */
  async settled(runId: string): Promise<Record<string, unknown> & { status: string }> {
    const last = (await this.get<{ lastEventId: number }>(`/v1/runs/${runId}`)).body.lastEventId;
    await this.events(runId, last);
    return (await this.get<Record<string, unknown> & { status: string }>(`/v1/runs/${runId}`)).body;
  }
}

export const dataDirOf = (dir: string) => join(dir, 'data');
