import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AIMessage, HumanMessage, ToolMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { z } from 'zod';
import { loadEnv, type Env } from '../../../src/config/env.ts';
import { ConfigError, describeError, UpstreamError } from '../../../src/errors.ts';
import { describeModelError, toModelError } from '../../../src/llm/modelErrors.ts';
import { createChatModel } from '../../../src/llm/models.ts';
import type { ChatModelOptions } from '../../../src/llm/provider.ts';
import { parseModelSpec, type ModelSpec } from '../../../src/llm/spec.ts';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../../helpers/fakeOpenAI.ts';
import { guardHermetic, offLoopback } from '../../helpers/hermetic.ts';

// Every request this file makes must stay on loopback, and nothing may be printed (LangChain's
// token counting warns on stderr when it cannot fetch tiktoken's ranks).
const guard = guardHermetic();

const env = (vars: Record<string, string> = {}): Env => loadEnv(vars);
const FAST: ChatModelOptions = { maxRetries: 0, timeoutMs: 5_000 };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

function assertOneLine(error: Error, ...parts: (string | RegExp)[]): string {
  assert.ok(error instanceof UpstreamError, `expected an UpstreamError, got ${error.name}: ${error.message}`);
  const line = describeModelError(error);
  assert.equal(line, describeError(error));
  assert.doesNotMatch(line, /\n|Troubleshooting URL|at .*\.js:\d+/);
  for (const part of parts) assert.match(line, typeof part === 'string' ? new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : part);
  return line;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const getWeather = tool(async ({ city }) => `sunny in ${city}`, {
  name: 'get_weather',
  description: 'Current weather for a city.',
  schema: z.object({ city: z.string().describe('city name'), unit: z.enum(['c', 'f']).optional() }),
});
const getTime = tool(async ({ zone }) => `12:00 ${zone}`, {
  name: 'get_time',
  description: 'Current time in a time zone.',
  schema: z.object({ zone: z.string() }),
});

describe('parseModelSpec', () => {
  test('defaults to openai:gpt-4o-mini with a key and to offline without one', () => {
    assert.deepEqual(parseModelSpec(undefined, env()), { provider: 'offline' });
    assert.deepEqual(parseModelSpec(undefined, env({ OPENAI_API_KEY: 'sk-x' })), { provider: 'openai', model: 'gpt-4o-mini' });
    assert.deepEqual(parseModelSpec('  ', env({ OPENAI_API_KEY: 'sk-x' })), { provider: 'openai', model: 'gpt-4o-mini' });
    // Azure needs a deployment name, which only a spec carries: never a default.
    const azureEnv = {
      AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_API_VERSION: '2024-10-21',
    };
    assert.deepEqual(parseModelSpec(undefined, env(azureEnv)), { provider: 'offline' });
    assert.deepEqual(parseModelSpec('azure:gpt4o-prod', env(azureEnv)), { provider: 'azure', deployment: 'gpt4o-prod' });
  });

  test('--model wins over SWITCHBOARD_MODEL, which wins over the default', () => {
    const vars = { OPENAI_API_KEY: 'sk-x', SWITCHBOARD_MODEL: 'openai:gpt-4.1' };
    assert.deepEqual(parseModelSpec(undefined, env(vars)), { provider: 'openai', model: 'gpt-4.1' });
    assert.deepEqual(parseModelSpec('offline', env(vars)), { provider: 'offline' });
    assert.deepEqual(parseModelSpec(' OpenAI: gpt-4o ', env(vars)), { provider: 'openai', model: 'gpt-4o' });
    assert.deepEqual(parseModelSpec('openai:llama3.1:8b', env(vars)), { provider: 'openai', model: 'llama3.1:8b' });
  });

  test('a local OpenAI-compatible server needs no key', () => {
    assert.deepEqual(parseModelSpec('openai:llama3.2', env({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })), {
      provider: 'openai',
      model: 'llama3.2',
    });
  });

  const cases: [string, string | undefined, Record<string, string>, RegExp][] = [
    [
      'unknown provider',
      'anthropic:claude',
      {},
      /--model "anthropic:claude": unknown model provider "anthropic" \(use offline, openai:<model> or azure:<deployment>\)/,
    ],
    ['a bare model name', 'gpt-4o', {}, /--model "gpt-4o" is not a model spec \(.*e\.g\. openai:gpt-4o\)/],
    ['openai without a key', 'openai:gpt-4o', {}, /needs OPENAI_API_KEY \(set OPENAI_API_KEY.*or use --model offline\)/],
    ['no model name', 'openai:', { OPENAI_API_KEY: 'k' }, /--model "openai:" names no model \(write openai:gpt-4o-mini\)/],
    ['no deployment name', 'azure: ', {}, /names no deployment/],
    [
      'azure without settings',
      'azure:prod',
      { AZURE_OPENAI_API_KEY: 'k' },
      /azure:prod" needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_VERSION \(set them or use --model offline\)/,
    ],
    ['offline with a name', 'offline:x', {}, /offline planner takes no model name/],
    ['a bad SWITCHBOARD_MODEL', undefined, { SWITCHBOARD_MODEL: 'gemini:pro' }, /^SWITCHBOARD_MODEL="gemini:pro": unknown model provider/],
  ];
  for (const [name, spec, vars, expected] of cases) {
    test(`one-line ConfigError: ${name}`, () => {
      assert.throws(
        () => parseModelSpec(spec, env(vars)),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          const line = describeError(error);
          assert.doesNotMatch(line, /\n/);
          assert.match(line, expected);
          return true;
        },
      );
    });
  }
});

describe('OpenAI over the Chat Completions wire protocol', () => {
  let fake: FakeOpenAI;
  let vars: Env;
  const model = (
    options: ChatModelOptions = FAST,
    spec: Extract<ModelSpec, { provider: 'openai' }> = { provider: 'openai', model: 'gpt-4o-mini' },
  ) => createChatModel(spec, vars, options);

  before(async () => {
    fake = await startFakeOpenAI({ apiKey: 'sk-test', models: ['gpt-4o-mini', 'gpt-5.6-codex'] });
    vars = env({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  test('a text reply, with the key, the model and usage', async () => {
    fake.enqueue(reply.text('Hello from the fake.'));
    const answer = await model().invoke([new HumanMessage('hi')]);
    assert.equal(answer.content, 'Hello from the fake.');
    assert.deepEqual(answer.usage_metadata && { input: answer.usage_metadata.input_tokens, output: answer.usage_metadata.output_tokens }, {
      input: 12,
      output: 5,
    });
    const [request] = fake.requests;
    assert.equal(request?.path, '/v1/chat/completions');
    assert.equal(request?.headers.authorization, 'Bearer sk-test');
    assert.equal(request?.body?.model, 'gpt-4o-mini');
    assert.deepEqual(request?.body?.messages, [{ role: 'user', content: 'hi' }]);
    assert.notEqual(request?.body?.stream, true);
  });

  test('tools go out in OpenAI format and tool calls come back parsed, round trip', async () => {
    fake.enqueue(
      reply.toolCalls([{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }]),
      reply.text('It is sunny in Paris.'),
    );
    const bound = model().bindTools!([getWeather]);
    const first = await bound.invoke([new HumanMessage('weather in Paris?')]);
    assert.deepEqual(first.tool_calls, [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris', unit: 'c' }, type: 'tool_call' }]);
    const tools = fake.requests[0]?.body?.tools as {
      type: string;
      function: { name: string; description: string; parameters: Record<string, unknown> };
    }[];
    assert.equal(tools.length, 1);
    assert.equal(tools[0]?.type, 'function');
    assert.equal(tools[0]?.function.name, 'get_weather');
    assert.equal(tools[0]?.function.description, 'Current weather for a city.');
    assert.equal(tools[0]?.function.parameters.type, 'object');
    assert.deepEqual(tools[0]?.function.parameters.required, ['city']);
    assert.deepEqual(Object.keys(tools[0]?.function.parameters.properties as object), ['city', 'unit']);

    const history: BaseMessage[] = [
      new HumanMessage('weather in Paris?'),
      first,
      new ToolMessage({ tool_call_id: 'call_1', content: 'sunny, 21 C' }),
    ];
    const second = await bound.invoke(history);
    assert.equal(second.content, 'It is sunny in Paris.');
    const sent = fake.requests[1]?.body?.messages as Record<string, unknown>[];
    assert.deepEqual(sent[1]?.tool_calls, [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' } },
    ]);
    assert.deepEqual(sent[2], { role: 'tool', content: 'sunny, 21 C', tool_call_id: 'call_1' });
  });

  test('parallel tool calls', async () => {
    fake.enqueue(
      reply.toolCalls([
        { name: 'get_weather', arguments: { city: 'Oslo' } },
        { name: 'get_time', arguments: { zone: 'Europe/Oslo' } },
      ]),
    );
    const answer = await model().bindTools!([getWeather, getTime]).invoke('weather and time in Oslo');
    assert.deepEqual(
      answer.tool_calls?.map(({ name, args }) => ({ name, args })),
      [
        { name: 'get_weather', args: { city: 'Oslo' } },
        { name: 'get_time', args: { zone: 'Europe/Oslo' } },
      ],
    );
    assert.equal(new Set(answer.tool_calls?.map((call) => call.id)).size, 2);
  });

  test('.stream() yields tokens as they arrive, then the server usage', async () => {
    fake.enqueue(reply.text('one two three four', { chunks: ['one ', 'two ', 'three ', 'four'] }));
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model().stream('count')) chunks.push(chunk);
    assert.deepEqual(chunks.map((chunk) => chunk.content).filter(Boolean), ['one ', 'two ', 'three ', 'four']);
    const full = chunks.reduce((sum, chunk) => sum.concat(chunk));
    assert.equal(full.content, 'one two three four');
    assert.equal(full.usage_metadata?.total_tokens, 17);
    assert.equal(fake.requests[0]?.body?.stream, true);
    assert.deepEqual(fake.requests[0]?.body?.stream_options, { include_usage: true });
  });

  test('streamed tool calls: argument fragments are joined, parallel calls kept apart', async () => {
    fake.enqueue(
      reply.toolCalls([
        { id: 'call_a', name: 'get_weather', arguments: { city: 'Lisbon' } },
        { id: 'call_b', name: 'get_time', arguments: { zone: 'Europe/Lisbon' } },
      ]),
    );
    let full: AIMessageChunk | undefined;
    let count = 0;
    for await (const chunk of await model().bindTools!([getWeather, getTime]).stream('Lisbon?')) {
      full = full ? full.concat(chunk) : chunk;
      count++;
    }
    assert.ok(count > 4, `expected many chunks, got ${count}`);
    assert.deepEqual(
      full?.tool_calls?.map(({ id, name, args }) => ({ id, name, args })),
      [
        { id: 'call_a', name: 'get_weather', args: { city: 'Lisbon' } },
        { id: 'call_b', name: 'get_time', args: { zone: 'Europe/Lisbon' } },
      ],
    );
  });

  test('a LangGraph graph streams tokens in "messages" mode', async () => {
    fake.enqueue(reply.text('alpha beta gamma'));
    const llm = model();
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('model', async (state) => ({ messages: [await llm.invoke(state.messages)] }))
      .addEdge(START, 'model')
      .addEdge('model', END)
      .compile();
    const tokens: string[] = [];
    for await (const [message] of await graph.stream({ messages: [new HumanMessage('go')] }, { streamMode: 'messages' })) {
      if (typeof message.content === 'string' && message.content) tokens.push(message.content);
    }
    assert.deepEqual(tokens, ['alpha ', 'beta ', 'gamma']);
    assert.equal(fake.requests[0]?.body?.stream, true);
  });

  test('streaming: false sends one JSON request even when the caller streams', async () => {
    fake.enqueue(reply.text('whole answer'));
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model({ ...FAST, streaming: false }).stream('hi')) chunks.push(chunk);
    assert.deepEqual(
      chunks.map((chunk) => chunk.content),
      ['whole answer'],
    );
    assert.notEqual(fake.requests[0]?.body?.stream, true);
  });

  test('names that @langchain/openai sends to the Responses API still use Chat Completions', async () => {
    fake.enqueue(reply.text('ok'));
    const answer = await model(FAST, { provider: 'openai', model: 'gpt-5.6-codex' }).invoke('hi');
    assert.ok(AIMessage.isInstance(answer));
    assert.equal(fake.requests[0]?.path, '/v1/chat/completions');
  });

  test('a wrong key is a one-line error, not retried', async () => {
    const wrong = createChatModel(
      { provider: 'openai', model: 'gpt-4o-mini' },
      env({ OPENAI_API_KEY: 'sk-wrong', OPENAI_BASE_URL: fake.baseURL }),
      { maxRetries: 2 },
    );
    const error = await rejection(wrong.invoke('hi'));
    assertOneLine(error, `the model server at ${fake.baseURL} rejected the API key with 401 (check OPENAI_API_KEY)`);
    assert.equal((error as UpstreamError).status, 401);
    assert.equal(fake.requests.length, 1);
  });

  test('an unknown model is a 404 that names the model, not retried', async () => {
    const error = await rejection(model({ maxRetries: 2 }, { provider: 'openai', model: 'gpt-nope' }).invoke('hi'));
    assertOneLine(error, 'has no model "gpt-nope"', 'does not exist', '(check the model in --model or SWITCHBOARD_MODEL)');
    assert.equal(fake.requests.length, 1);
  });

  test('a 429 with retry-after is retried maxRetries times, then reported', async () => {
    const limited = () => reply.error(429, 'Rate limit reached for gpt-4o-mini.', { headers: { 'retry-after': '0' } });
    fake.enqueue(limited(), limited());
    const error = await rejection(model({ maxRetries: 1 }).invoke('hi'));
    assertOneLine(error, 'rate-limited the request with 429: Rate limit reached for gpt-4o-mini. (wait a little and retry)');
    assert.equal(fake.requests.length, 2);
  });

  test('a 429 for an exhausted quota is not retried', async () => {
    fake.enqueue(reply.error(429, 'You exceeded your current quota.', { code: 'insufficient_quota', type: 'insufficient_quota' }));
    const error = await rejection(model({ maxRetries: 2 }).invoke('hi'));
    assertOneLine(error, 'quota is used up');
    assert.equal(fake.requests.length, 1);
  });

  test('a 500 is retried maxRetries times; a retry that succeeds is an answer', async () => {
    fake.enqueue(reply.error(500, 'The server had an error.'), reply.error(500, 'The server had an error.'));
    const error = await rejection(model({ maxRetries: 1 }).invoke('hi'));
    assertOneLine(error, 'failed with 500: The server had an error.');
    assert.equal(fake.requests.length, 2);

    fake.reset();
    fake.enqueue(reply.error(503, 'overloaded'), reply.text('recovered'));
    assert.equal((await model({ maxRetries: 1 }).invoke('hi')).content, 'recovered');
    assert.equal(fake.requests.length, 2);
  });

  test('an error while streaming is the same one-line error', async () => {
    fake.enqueue(reply.error(400, "Invalid value for 'temperature'."));
    const error = await rejection(
      (async () => {
        for await (const _ of await model().stream('hi'));
      })(),
    );
    assertOneLine(error, "rejected the request with 400: Invalid value for 'temperature'.");
  });

  test('a timeout names the endpoint and the limit', async () => {
    fake.enqueue(reply.text('too late', { delayMs: 5_000 }));
    const error = await rejection(model({ maxRetries: 0, timeoutMs: 200 }).invoke('hi'));
    assertOneLine(error, `no answer from ${fake.baseURL} within 200 ms`);
    assert.equal(fake.requests.length, 1);
  });

  test('an unreachable endpoint says so and what to set', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const llm = createChatModel(
      { provider: 'openai', model: 'gpt-4o-mini' },
      env({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: url }),
      FAST,
    );
    const error = await rejection(llm.invoke('hi'));
    assertOneLine(error, `cannot reach ${url} (ECONNREFUSED): is the server running? (set OPENAI_BASE_URL)`);
  });

  test('createChatModel and loadChatModel build the model a spec names, after checking its settings', async () => {
    const llm = await import('../../../src/llm/index.ts');
    fake.enqueue(reply.text('via the factory'), reply.text('via the loader'));
    const spec = llm.parseModelSpec(undefined, vars);
    assert.equal((await llm.createChatModel(spec, vars, FAST).invoke('hi')).content, 'via the factory');
    assert.equal((await (await llm.loadChatModel(spec, vars, FAST)).invoke('hi')).content, 'via the loader');
    assert.deepEqual(
      fake.requests.map((request) => request.body?.model),
      ['gpt-4o-mini', 'gpt-4o-mini'],
    );
    assert.throws(() => llm.createChatModel({ provider: 'azure', deployment: 'x' }, vars), ConfigError);
    await assert.rejects(llm.loadChatModel({ provider: 'azure', deployment: 'x' }, vars), ConfigError);
    assert.equal(typeof llm.createChatModel({ provider: 'offline' }, env()).bindTools, 'function');
    assert.equal(typeof (await llm.loadChatModel({ provider: 'offline' }, env())).bindTools, 'function');
  });

  test('describeModelError also describes a raw client error', () => {
    const raw = Object.assign(new Error('401 Incorrect API key\n\nTroubleshooting URL: https://example.invalid\n'), { status: 401 });
    const endpoint = { provider: 'openai' as const, model: 'gpt-4o-mini', url: 'https://api.openai.com/v1', timeoutMs: 60_000 };
    assert.equal(describeModelError(raw, endpoint), 'OpenAI rejected the API key with 401 (check OPENAI_API_KEY)');
    assert.equal(describeModelError(raw), '401 Incorrect API key');
    const abort = Object.assign(new Error('Aborted'), { name: 'AbortError' });
    assert.equal(toModelError(abort, endpoint), abort);
  });
});

describe('Azure OpenAI over the Chat Completions wire protocol', () => {
  let fake: FakeOpenAI;
  let vars: Record<string, string>;
  const model = (extra: Record<string, string> = {}, options: ChatModelOptions = FAST) =>
    createChatModel({ provider: 'azure', deployment: 'gpt4o-prod' }, env({ ...vars, ...extra }), options);

  before(async () => {
    fake = await startFakeOpenAI({ azureApiKey: 'azure-key' });
    vars = { AZURE_OPENAI_ENDPOINT: `${fake.endpoint}/`, AZURE_OPENAI_API_KEY: 'azure-key', AZURE_OPENAI_API_VERSION: '2024-10-21' };
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  test('the deployment URL, api-version and api-key header; tool calls', async () => {
    fake.enqueue(reply.toolCalls([{ id: 'call_z', name: 'get_time', arguments: { zone: 'UTC' } }]));
    const answer = await model().bindTools!([getTime]).invoke('time?');
    assert.deepEqual(answer.tool_calls, [{ id: 'call_z', name: 'get_time', args: { zone: 'UTC' }, type: 'tool_call' }]);
    const [request] = fake.requests;
    assert.equal(request?.path, '/openai/deployments/gpt4o-prod/chat/completions');
    assert.deepEqual(request?.query, { 'api-version': '2024-10-21' });
    assert.equal(request?.headers['api-key'], 'azure-key');
    assert.equal(request?.headers.authorization, undefined);
    assert.equal((request?.body?.tools as unknown[]).length, 1);
  });

  test('streams tokens', async () => {
    fake.enqueue(reply.text('streamed from azure'));
    const parts: string[] = [];
    for await (const chunk of await model().stream('hi')) if (typeof chunk.content === 'string' && chunk.content) parts.push(chunk.content);
    assert.deepEqual(parts, ['streamed ', 'from ', 'azure']);
    assert.equal(fake.requests[0]?.body?.stream, true);
  });

  test('a wrong key names AZURE_OPENAI_API_KEY; an unknown deployment names the deployment', async () => {
    const badKey = await rejection(model({ AZURE_OPENAI_API_KEY: 'nope' }, { maxRetries: 2 }).invoke('hi'));
    assertOneLine(badKey, `Azure OpenAI at ${fake.endpoint} rejected the API key with 401 (check AZURE_OPENAI_API_KEY)`);
    assert.equal(fake.requests.length, 1);

    fake.enqueue(reply.error(404, 'The API deployment for this resource does not exist.', { code: 'DeploymentNotFound' }));
    const missing = await rejection(model().invoke('hi'));
    assertOneLine(missing, 'has no deployment "gpt4o-prod"', 'AZURE_OPENAI_API_VERSION');
  });

  test('an unreachable endpoint points at AZURE_OPENAI_ENDPOINT', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await rejection(model({ AZURE_OPENAI_ENDPOINT: endpoint }).invoke('hi'));
    assertOneLine(error, `cannot reach ${endpoint} (ECONNREFUSED): is the server running? (check AZURE_OPENAI_ENDPOINT)`);
  });
});

describe('hermetic', () => {
  test('no request left loopback (none was even attempted) and nothing was printed', () => {
    assert.ok(guard.origins.length > 0, 'the guard saw no requests at all');
    assert.deepEqual(guard.blocked, []);
    assert.deepEqual(offLoopback(guard), []);
    assert.deepEqual(guard.printed, []);
  });
});
