import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MemorySaver } from '@langchain/langgraph';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { loadEnv, tracingSettings } from '../../../src/config/env.ts';
import { ServerEntrySchema } from '../../../src/config/file.ts';
import { createOrchestrator } from '../../../src/orchestrator/index.ts';
import { installTracing, startTracing, traced, tracingActive, withTraceMeta, type Tracing } from '../../../src/telemetry/index.ts';
import { serve } from '../../helpers/mcpClient.ts';
import { ScriptedChatModel, callThenAnswer } from '../../helpers/scriptedModel.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';
import { fixedModel, startService } from '../service/harness.ts';

const named = (spans: readonly ReadableSpan[], name: string) => spans.filter((span) => span.name === name);
const one = (spans: readonly ReadableSpan[], name: string) => {
  const found = named(spans, name);
  assert.equal(found.length, 1, `one ${name} span, got ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing is off by default and free when off', () => {
  test('no OTEL_* variable, none, or disabled: nothing is loaded and the helpers pass things through', async () => {
    assert.equal(tracingSettings(loadEnv({}), 'x').enabled, false);
    assert.equal(
      tracingSettings(loadEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }), 'x').enabled,
      false,
    );
    assert.equal(tracingSettings(loadEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }), 'x').enabled, false);
    const on = tracingSettings(loadEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/', OTEL_SERVICE_NAME: 'svc' }), 'x');
    assert.deepEqual(on, {
      enabled: true,
      exporter: 'otlp',
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      serviceName: 'svc',
      recordArgs: false,
    });
    assert.equal(tracingSettings(loadEnv({ OTEL_TRACES_EXPORTER: 'console' }), 'x').exporter, 'console');
    const off = await startTracing(tracingSettings(loadEnv({}), 'x'));
    assert.equal(tracingActive(), false);
    const store = { get: async () => 1 };
    assert.equal(traced(store, 'store', ['get']), store, 'the very same object');
    const meta = { progressToken: 1 };
    assert.equal(withTraceMeta(meta), meta, 'no traceparent added');
    await off.shutdown();
  });
});

describe('one trace per run across the orchestrator and a real agent over HTTP', () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  let agent: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    exporter = new InMemorySpanExporter();
    tracing = await installTracing({ exporter, serviceName: 'test' });
    agent = await serve(createTestAgent());
  });
  after(async () => {
    await agent?.close();
    await tracing?.shutdown();
  });

  async function runWith(calls: { name: string; args: Record<string, unknown> }[]): Promise<ReadableSpan[]> {
    exporter.reset();
    const orchestrator = createOrchestrator({
      servers: { t: ServerEntrySchema.parse({ url: agent.url }) },
      model: new ScriptedChatModel(callThenAnswer(calls, () => 'done')),
      checkpointer: new MemorySaver(),
    });
    try {
      await orchestrator.run('do it');
    } finally {
      await orchestrator.close();
    }
    return exporter.getFinishedSpans();
  }

  test('run -> model calls and tool calls -> the agent continues the trace from _meta; no argument values', async () => {
    const spans = await runWith([{ name: 't__echo', args: { text: 'secret words' } }]);
    const run = one(spans, 'invoke_agent switchboard');
    assert.equal(parentOf(run), undefined, 'the run is the root');
    assert.equal(run.attributes['switchboard.run.status'], 'completed');
    assert.equal(run.attributes['switchboard.run.tool_calls'], 1);
    assert.ok(
      spans.every((span) => span.spanContext().traceId === run.spanContext().traceId),
      'one trace',
    );

    const models = named(spans, 'chat scripted');
    assert.equal(models.length, 2, 'the call, then the answer');
    assert.ok(models.every((span) => parentOf(span) === run.spanContext().spanId && span.kind === SpanKind.CLIENT));

    const calls = named(spans, 'tools/call echo');
    const client = calls.find((span) => span.kind === SpanKind.CLIENT)!;
    const server = calls.find((span) => span.kind === SpanKind.SERVER)!;
    assert.ok(client && server, 'a client and a server span');
    assert.equal(parentOf(client), run.spanContext().spanId);
    assert.deepEqual(
      [client.attributes['switchboard.server'], client.attributes['gen_ai.tool.name'], client.attributes['switchboard.tool.outcome']],
      ['t', 'echo', 'ok'],
    );
    assert.equal(parentOf(server), client.spanContext().spanId, 'the agent continued the caller span');
    assert.equal(server.parentSpanContext?.isRemote, true, 'from the request, not from this process');
    assert.equal(server.attributes['switchboard.tool.outcome'], 'ok');
    assert.ok(client.endTime[0] * 1e9 + client.endTime[1] >= server.endTime[0] * 1e9 + server.endTime[1], 'the call outlasts its handling');
    for (const span of spans) assert.doesNotMatch(JSON.stringify(span.attributes), /secret words/, `${span.name} holds no argument value`);
  });

  test('a tool that answers with an error marks both its spans failed', async () => {
    const spans = await runWith([{ name: 't__fail', args: {} }]);
    const calls = named(spans, 'tools/call fail');
    assert.equal(calls.length, 2);
    for (const span of calls) {
      assert.equal(span.attributes['switchboard.tool.outcome'], 'error');
      assert.equal(span.status.code, SpanStatusCode.ERROR);
    }
  });
});

describe('the service traces each stretch of a run, its store calls included', () => {
  test('switchboard.run is the root of the orchestrator run and the run store calls made meanwhile', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = await installTracing({ exporter, recordArgs: true });
    const agent = await serve(createTestAgent());
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-trace-'));
    try {
      const service = await startService({
        dataDir: join(dir, 'service'),
        servers: { t: ServerEntrySchema.parse({ url: agent.url }) },
        resolveModel: fixedModel(new ScriptedChatModel(callThenAnswer([{ name: 't__echo', args: { text: 'hello' } }], () => 'done'))),
      });
      try {
        const { status } = await service.api.post('/v1/runs', { input: 'echo hello' });
        assert.equal(status, 200);
      } finally {
        await service.close();
      }
      const spans = exporter.getFinishedSpans();
      const segment = one(spans, 'switchboard.run');
      const inTrace = spans.filter((span) => span.spanContext().traceId === segment.spanContext().traceId);
      const run = one(inTrace, 'invoke_agent switchboard');
      assert.equal(parentOf(run), segment.spanContext().spanId);
      assert.ok(named(inTrace, 'run_store.update').length > 0, 'store calls of the run are in its trace');
      assert.ok(inTrace.every((span) => !span.name.startsWith('run_store.') || span.kind === SpanKind.CLIENT));
      assert.equal(one(spans, 'run_store.createRun').attributes['db.system.name'], 'sqlite');
      const client = named(inTrace, 'tools/call echo').find((span) => span.kind === SpanKind.CLIENT)!;
      assert.equal(client.attributes['gen_ai.tool.call.arguments'], '{"text":"hello"}', 'argument values with the flag on');
    } finally {
      await agent.close();
      await tracing.shutdown();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
