import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a streamed tool call arrives: `fragments`, its arguments split mid-token over several
 * chunks (OpenAI, vLLM, llama.cpp's server); `whole`, each call complete in one chunk (Ollama).
 */
export type ToolCallDeltas = 'fragments' | 'whole';

/** One tool call the fake model makes; `arguments` is sent as JSON unless it is already a string. */
export interface FakeToolCall {
  id?: string;
  name: string;
  arguments: unknown;
}

/** What the fake answers to the next chat completion request. */
export type FakeReply = (
  | { kind: 'text'; text: string; chunks?: string[] }
  | { kind: 'tool_calls'; calls: FakeToolCall[]; text?: string; deltas?: ToolCallDeltas }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }
) & { delayMs?: number };

/** Builders for scripted replies. */
export const reply = {
  /** A plain answer; streamed as `chunks` (default: word by word). */
  text: (text: string, options: { chunks?: string[]; delayMs?: number } = {}): FakeReply => ({ kind: 'text', text, ...options }),
  /** One or several (parallel) tool calls; streamed as `deltas` (default `fragments`). */
  toolCalls: (calls: FakeToolCall[], options: { text?: string; delayMs?: number; deltas?: ToolCallDeltas } = {}): FakeReply => ({
    kind: 'tool_calls',
    calls,
    ...options,
  }),
  /** An HTTP error with an OpenAI-shaped body `{ error: { message, type, param, code } }`. */
  error: (
    status: number,
    message: string,
    options: { type?: string; code?: string | null; headers?: Record<string, string>; delayMs?: number } = {},
  ): FakeReply => ({
    kind: 'error',
    status,
    body: { error: { message, type: options.type ?? errorType(status), param: null, code: options.code ?? null } },
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  }),
};

/** A request the fake received, as it arrived. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> | undefined;
  /** Set for `/openai/deployments/{deployment}/...` requests. */
  deployment?: string;
}

export interface FakeOpenAIOptions {
  /** Bearer key the OpenAI path requires; default `sk-test`; `null`: any or none, as local servers (Ollama, llama.cpp) take. */
  apiKey?: string | null;
  /** `api-key` header the Azure path requires; default `azure-test`. */
  azureApiKey?: string;
  /** Models that exist; others get OpenAI's 404 `model_not_found`. Default: any model exists. */
  models?: string[];
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1`, for `OPENAI_BASE_URL`. */
  readonly baseURL: string;
  /** `http://127.0.0.1:PORT`, for `AZURE_OPENAI_ENDPOINT`. */
  readonly endpoint: string;
  /** Every request, oldest first. */
  readonly requests: RecordedRequest[];
  /** Queues replies for the next chat completion requests, in order. */
  enqueue(...replies: FakeReply[]): void;
  /** Replies queued and not yet used. */
  pending(): number;
  /** Forgets requests and queued replies. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local server that speaks the Chat Completions wire protocol, OpenAI's and Azure's paths, and
 * the subset local model servers (Ollama, LM Studio, vLLM, llama.cpp) share: JSON answers, SSE
 * streams of `chat.completion.chunk`s ended by `data: [DONE]`, tool calls (streamed as argument
 * fragments or whole, see {@link ToolCallDeltas}), usage when `stream_options.include_usage`
 * asks, `GET /v1/models`, OpenAI-shaped errors and delays, all scripted with {@link FakeOpenAI.enqueue}. With nothing queued it
 * answers 400 `no scripted reply`, which the client does not retry.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey === undefined ? 'sk-test' : options.apiKey;
  const azureApiKey = options.azureApiKey ?? 'azure-test';
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { message: `fake-openai: ${String(error)}`, type: 'server_error', param: null, code: null } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
    };
    const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
    if (azure?.[1]) recorded.deployment = decodeURIComponent(azure[1]);
    requests.push(recorded);

    if (azure) {
      if (req.headers['api-key'] !== azureApiKey) {
        return sendJson(res, 401, {
          error: {
            code: '401',
            message:
              'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
          },
        });
      }
      if (!url.searchParams.get('api-version')) return sendJson(res, 404, { error: { code: '404', message: 'Resource not found' } });
    } else if (url.pathname.startsWith('/v1/')) {
      if (apiKey !== null && req.headers.authorization !== `Bearer ${apiKey}`) {
        return sendJson(res, 401, {
          error: {
            message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        });
      }
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        const ids = options.models ?? ['gpt-4o-mini'];
        return sendJson(res, 200, {
          object: 'list',
          data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'switchboard-test' })),
        });
      }
    }
    if (req.method !== 'POST' || !(azure || url.pathname === '/v1/chat/completions')) {
      return sendJson(res, 404, {
        error: {
          message: `Unknown request URL: ${req.method} ${url.pathname}`,
          type: 'invalid_request_error',
          param: null,
          code: 'unknown_url',
        },
      });
    }

    const body = recorded.body ?? {};
    const model = typeof body.model === 'string' ? body.model : (recorded.deployment ?? 'unknown');
    if (!azure && options.models && !options.models.includes(model)) {
      return sendJson(res, 404, {
        error: {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          param: null,
          code: 'model_not_found',
        },
      });
    }
    const next = queue.shift() ?? reply.error(400, 'fake-openai: no scripted reply');
    if (next.delayMs) {
      const waited = await delay(next.delayMs, req);
      if (!waited) return;
    }
    if (next.kind === 'error') {
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify(next.body));
      return;
    }
    const completion = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model };
    if (body.stream === true) {
      const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      return streamReply(res, next, completion, includeUsage);
    }
    return sendJson(res, 200, completionBody(next, completion));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface CompletionHead {
  id: string;
  created: number;
  model: string;
}

const USAGE = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };

function completionBody(next: Exclude<FakeReply, { kind: 'error' }>, head: CompletionHead) {
  const message =
    next.kind === 'text'
      ? { role: 'assistant', content: next.text, refusal: null }
      : { role: 'assistant', content: next.text ?? null, refusal: null, tool_calls: toolCalls(next.calls) };
  return {
    ...head,
    object: 'chat.completion',
    choices: [{ index: 0, message, logprobs: null, finish_reason: next.kind === 'text' ? 'stop' : 'tool_calls' }],
    usage: USAGE,
    system_fingerprint: 'fp_fake',
  };
}

function streamReply(res: ServerResponse, next: Exclude<FakeReply, { kind: 'error' }>, head: CompletionHead, includeUsage: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (choices: unknown[], usage?: unknown) =>
    res.write(
      `data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', system_fingerprint: 'fp_fake', choices, ...(includeUsage ? { usage: usage ?? null } : {}) })}\n\n`,
    );
  const delta = (value: Record<string, unknown>, finish: string | null = null) =>
    send([{ index: 0, delta: value, logprobs: null, finish_reason: finish }]);

  delta({ role: 'assistant', content: '', refusal: null });
  if (next.kind === 'text') {
    for (const piece of next.chunks ?? next.text.split(/(?<= )/)) delta({ content: piece });
    delta({}, 'stop');
  } else {
    if (next.text) delta({ content: next.text });
    toolCalls(next.calls).forEach((call, index) => {
      if (next.deltas === 'whole') {
        delta({ tool_calls: [{ index, ...call }] });
        return;
      }
      delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
      // Split arguments mid-token, as OpenAI does, so the client has to join the fragments.
      for (const piece of splitInThree(call.function.arguments)) delta({ tool_calls: [{ index, function: { arguments: piece } }] });
    });
    delta({}, 'tool_calls');
  }
  if (includeUsage) send([], USAGE);
  res.end('data: [DONE]\n\n');
}

function toolCalls(calls: FakeToolCall[]) {
  return calls.map((call) => ({
    id: call.id ?? `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    type: 'function' as const,
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

function splitInThree(text: string): string[] {
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)].filter(Boolean);
}

function errorType(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits `ms`, or resolves false as soon as the client gives up on the request. */
function delay(ms: number, req: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      req.socket.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    req.socket.once('close', onClose);
  });
}
