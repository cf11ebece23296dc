import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AgentMetrics } from '../../../src/mcp/metrics.ts';

describe('AgentMetrics (tallied per call, handed to prom-client at scrape time)', () => {
  test('counters and the latency histogram read the same after two scrapes as after one, and count later calls on top', async () => {
    const metrics = new AgentMetrics('m');
    metrics.countHttp('POST', 200);
    metrics.countHttp('POST', 200);
    metrics.countHttp('GET', 404);
    metrics.observeToolCall('echo', 'ok', 0.0004);
    metrics.observeToolCall('echo', 'ok', 0.003);
    metrics.observeToolCall('echo', 'error', 0.0005);
    metrics.observeToolCall('echo', 'ok', 60);
    const first = await metrics.render();
    const second = await metrics.render();
    for (const text of [first, second]) {
      assert.match(text, /mcp_http_requests_total\{agent="m",method="POST",status="200"\} 2\n/);
      assert.match(text, /mcp_http_requests_total\{agent="m",method="GET",status="404"\} 1\n/);
      assert.match(text, /mcp_tool_calls_total\{agent="m",tool="echo",outcome="ok"\} 3\n/);
      assert.match(text, /mcp_tool_calls_total\{agent="m",tool="echo",outcome="error"\} 1\n/);
      // a value on a bound falls in that bucket, as in prom-client's own histogram
      assert.match(text, /mcp_tool_call_duration_seconds_bucket\{le="0.0005",agent="m",tool="echo"\} 2\n/);
      assert.match(text, /mcp_tool_call_duration_seconds_bucket\{le="0.0025",agent="m",tool="echo"\} 2\n/);
      assert.match(text, /mcp_tool_call_duration_seconds_bucket\{le="0.005",agent="m",tool="echo"\} 3\n/);
      assert.match(text, /mcp_tool_call_duration_seconds_bucket\{le="30",agent="m",tool="echo"\} 3\n/);
      assert.match(text, /mcp_tool_call_duration_seconds_bucket\{le="\+Inf",agent="m",tool="echo"\} 4\n/);
      assert.match(text, /mcp_tool_call_duration_seconds_sum\{agent="m",tool="echo"\} 60.0039\n/);
      assert.match(text, /mcp_tool_call_duration_seconds_count\{agent="m",tool="echo"\} 4\n/);
      assert.match(text, /# TYPE mcp_tool_call_duration_seconds histogram\n/);
    }
    metrics.countHttp('POST', 200);
    metrics.observeToolCall('echo', 'ok', 0.01);
    const third = await metrics.render();
    assert.match(third, /mcp_http_requests_total\{agent="m",method="POST",status="200"\} 3\n/);
    assert.match(third, /mcp_tool_calls_total\{agent="m",tool="echo",outcome="ok"\} 4\n/);
    assert.match(third, /mcp_tool_call_duration_seconds_count\{agent="m",tool="echo"\} 5\n/);
  });
});
