import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceMetrics } from '../../../src/service/metrics.ts';
import { connectStreamable, serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';

/** `# TYPE` lines by metric name; a name twice would make Prometheus reject the whole scrape. */
function typesOf(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!match) continue;
    assert.ok(!types.has(match[1]!), `${match[1]} declared once`);
    types.set(match[1]!, match[2]!);
  }
  return types;
}

describe('metrics through prom-client', () => {
  test("two agents in one process each serve their own metrics over HTTP, and the process's default metrics once", async () => {
    const first = await serve(createTestAgent({ name: 'first' }));
    const second = await serve(createTestAgent({ name: 'second' }));
    const { client } = await connectStreamable(first.url);
    try {
      await client.callTool({ name: 'echo', arguments: { text: 'a' } });
      const response = await fetch(new URL('/metrics', first.url));
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const text = await response.text();
      const types = typesOf(text);
      assert.equal(types.get('mcp_tool_calls_total'), 'counter');
      assert.equal(types.get('mcp_tool_call_duration_seconds'), 'histogram');
      assert.equal(types.get('process_cpu_user_seconds_total'), 'counter', 'default process metrics');
      assert.equal(types.get('process_resident_memory_bytes'), 'gauge');
      assert.equal(types.get('nodejs_heap_size_used_bytes'), 'gauge');
      assert.equal(types.get('nodejs_eventloop_lag_seconds'), 'gauge');
      assert.match(text, /mcp_tool_calls_total\{agent="first",tool="echo",outcome="ok"\} 1\n/);
      assert.match(text, /mcp_tool_call_duration_seconds_bucket\{le="\+Inf",agent="first",tool="echo"\} 1\n/);
      assert.doesNotMatch(text, /agent="second"/, 'the other agent keeps its own series');
      const other = await (await fetch(new URL('/metrics', second.url))).text();
      typesOf(other);
      assert.doesNotMatch(other, /tool="echo"/);
      assert.match(other, /mcp_sessions_open\{agent="second"\} 0\n/);
    } finally {
      await client.close();
      await first.close();
      await second.close();
    }
  });

  test('the service counts requests, limit rejections and run stretches, and reads its gauges at scrape time', async () => {
    const metrics = new ServiceMetrics('replica-1');
    let queued = 2;
    metrics.gauges = { localRuns: () => 3, queued: () => queued, streams: () => 0, mcpSessions: () => 1 };
    metrics.countHttp('POST', '/v1/runs', 200);
    metrics.countHttp('POST', '/v1/runs', 429);
    metrics.countHttp('POST', '/v1/runs', 429);
    metrics.observeSegment('completed', 0.3);
    const text = await metrics.render();
    typesOf(text);
    assert.match(text, /switchboard_http_requests_total\{replica="replica-1",method="POST",route="\/v1\/runs",status="429"\} 2\n/);
    assert.match(text, /switchboard_requests_rejected_total\{replica="replica-1",status="429"\} 2\n/);
    assert.doesNotMatch(text, /switchboard_requests_rejected_total\{[^}]*status="200"/);
    assert.match(text, /switchboard_run_segments_total\{replica="replica-1",outcome="completed"\} 1\n/);
    assert.match(text, /switchboard_run_segment_duration_seconds_bucket\{le="0.25",replica="replica-1"\} 0\n/);
    assert.match(text, /switchboard_run_segment_duration_seconds_bucket\{le="0.5",replica="replica-1"\} 1\n/);
    assert.match(text, /switchboard_runs_queued\{replica="replica-1"\} 2\n/);
    queued = 0;
    assert.match(await metrics.render(), /switchboard_runs_queued\{replica="replica-1"\} 0\n/);
    assert.match(text, /^process_resident_memory_bytes \d+$/m);
  });
});
