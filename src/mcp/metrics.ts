/** Latency buckets in seconds: sub-millisecond tool calls up to slow remote ones. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The agent server's Prometheus metrics. Hand-written: the hot path is a map lookup and an
 * increment, and the text format is a few lines.
 */
export class AgentMetrics {
  private readonly httpRequests = new Map<string, number>();
  private readonly toolCalls = new Map<string, number>();
  private readonly toolLatency = new Map<string, Histogram>();
  private readonly agent: string;
  /** Reads the number of open sessions when metrics are rendered. */
  openSessions: () => number = () => 0;

  constructor(agent: string) {
    this.agent = agent;
  }

  countHttp(method: string, status: number): void {
    const key = `${method} ${status}`;
    this.httpRequests.set(key, (this.httpRequests.get(key) ?? 0) + 1);
  }

  /** `outcome`: ok | error (a tool error result) | protocol_error | cancelled. */
  observeToolCall(tool: string, outcome: string, seconds: number): void {
    const key = `${tool}\u0000${outcome}`;
    this.toolCalls.set(key, (this.toolCalls.get(key) ?? 0) + 1);
    let histogram = this.toolLatency.get(tool);
    if (!histogram) {
      histogram = { counts: new Array<number>(BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.toolLatency.set(tool, histogram);
    }
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]!) {
        histogram.counts[i]!++;
        break;
      }
    }
    histogram.sum += seconds;
    histogram.count++;
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const agent = `agent="${escapeLabel(this.agent)}"`;
    const lines: string[] = [
      '# HELP mcp_http_requests_total HTTP requests served, by method and status.',
      '# TYPE mcp_http_requests_total counter',
    ];
    for (const [key, value] of this.httpRequests) {
      const [method, status] = key.split(' ');
      lines.push(`mcp_http_requests_total{${agent},method="${method}",status="${status}"} ${value}`);
    }
    lines.push('# HELP mcp_tool_calls_total Tool calls, by tool and outcome.', '# TYPE mcp_tool_calls_total counter');
    for (const [key, value] of this.toolCalls) {
      const [tool, outcome] = key.split('\u0000');
      lines.push(`mcp_tool_calls_total{${agent},tool="${escapeLabel(tool!)}",outcome="${outcome}"} ${value}`);
    }
    lines.push('# HELP mcp_tool_call_duration_seconds Tool call latency.', '# TYPE mcp_tool_call_duration_seconds histogram');
    for (const [tool, histogram] of this.toolLatency) {
      const labels = `${agent},tool="${escapeLabel(tool)}"`;
      let cumulative = 0;
      BUCKETS.forEach((bound, i) => {
        cumulative += histogram.counts[i]!;
        lines.push(`mcp_tool_call_duration_seconds_bucket{${labels},le="${bound}"} ${cumulative}`);
      });
      lines.push(`mcp_tool_call_duration_seconds_bucket{${labels},le="+Inf"} ${histogram.count}`);
      lines.push(`mcp_tool_call_duration_seconds_sum{${labels}} ${histogram.sum}`);
      lines.push(`mcp_tool_call_duration_seconds_count{${labels}} ${histogram.count}`);
    }
    lines.push('# HELP mcp_sessions_open Open MCP sessions (Streamable HTTP and legacy SSE).', '# TYPE mcp_sessions_open gauge');
    lines.push(`mcp_sessions_open{${agent}} ${this.openSessions()}`);
    const memory = process.memoryUsage();
    lines.push('# HELP process_resident_memory_bytes Resident memory size.', '# TYPE process_resident_memory_bytes gauge');
    lines.push(`process_resident_memory_bytes ${memory.rss}`);
    lines.push('# HELP nodejs_heap_used_bytes V8 heap in use.', '# TYPE nodejs_heap_used_bytes gauge');
    lines.push(`nodejs_heap_used_bytes ${memory.heapUsed}`);
    return `${lines.join('\n')}\n`;
  }
}
