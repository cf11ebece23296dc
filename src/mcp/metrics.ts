import { Counter, Gauge, type Histogram } from 'prom-client';
import { createMetricsRegistry, renderMetrics } from '../telemetry/index.ts';

/** Latency buckets in seconds: sub-millisecond tool calls up to slow remote ones. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One tool's calls: counts by outcome and its latency histogram (buckets not cumulative; the last is +Inf). */
interface ToolTally {
  readonly outcomes: Map<string, number>;
  readonly buckets: number[];
  sum: number;
  count: number;
}

/**
 * The agent server's Prometheus metrics (prom-client), each labelled with the agent's name, plus
 * the process's default metrics when rendered.
 *
 * Every request and tool call is tallied in plain maps, and the tallies reach prom-client when a
 * scrape collects them: prom-client hashes and validates the label set on every `inc`/`observe`,
 * which costs more per call than the rest of the kit's bookkeeping together.
 */
export class AgentMetrics {
  private readonly registry = createMetricsRegistry();
  private readonly agent: string;
  /** method -> status -> requests not yet handed to prom-client. */
  private readonly http = new Map<string, Map<number, number>>();
  private readonly tools = new Map<string, ToolTally>();
  /** Reads the number of open sessions when metrics are rendered. */
  openSessions: () => number = () => 0;

  constructor(agent: string) {
    this.agent = agent;
    const registers = [this.registry];
    const http = this.http;
    new Counter({
      name: 'mcp_http_requests_total',
      help: 'HTTP requests served, by method and status.',
      labelNames: ['agent', 'method', 'status'],
      registers,
      collect() {
        for (const [method, byStatus] of http)
          for (const [status, n] of byStatus) {
            if (n === 0) continue;
            this.inc({ agent, method, status: String(status) }, n);
            byStatus.set(status, 0);
          }
      },
    });
    const tools = this.tools;
    new Counter({
      name: 'mcp_tool_calls_total',
      help: 'Tool calls, by tool and outcome.',
      labelNames: ['agent', 'tool', 'outcome'],
      registers,
      collect() {
        for (const [tool, tally] of tools)
          for (const [outcome, n] of tally.outcomes) {
            if (n === 0) continue;
            this.inc({ agent, tool, outcome }, n);
            tally.outcomes.set(outcome, 0);
          }
      },
    });
    this.registry.registerMetric(latencyHistogram(agent, tools) as unknown as Histogram);
    const sessions = () => this.openSessions();
    new Gauge({
      name: 'mcp_sessions_open',
      help: 'Open MCP sessions (Streamable HTTP and legacy SSE).',
      labelNames: ['agent'],
      registers,
      collect() {
        this.set({ agent }, sessions());
      },
    });
  }

  countHttp(method: string, status: number): void {
    let byStatus = this.http.get(method);
    if (!byStatus) this.http.set(method, (byStatus = new Map()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** `outcome`: ok | error (a tool error result) | protocol_error | cancelled. */
  observeToolCall(tool: string, outcome: string, seconds: number): void {
    let tally = this.tools.get(tool);
    if (!tally) {
      tally = { outcomes: new Map(), buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      this.tools.set(tool, tally);
    }
    tally.outcomes.set(outcome, (tally.outcomes.get(outcome) ?? 0) + 1);
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
    tally.buckets[bucket]! += 1;
    tally.sum += seconds;
    tally.count += 1;
  }

  /** Prometheus text exposition format 0.0.4: this agent's metrics, then the process's. */
  render(): Promise<string> {
    return renderMetrics(this.registry);
  }
}

/**
 * `mcp_tool_call_duration_seconds` read straight from the tallies, in the shape prom-client's own
 * histogram hands its registry (cumulative `le` buckets, then `_sum` and `_count` per series).
 */
function latencyHistogram(agent: string, tools: ReadonlyMap<string, ToolTally>) {
  const name = 'mcp_tool_call_duration_seconds';
  const metric = {
    name,
    help: 'Tool call latency.',
    type: 'histogram',
    aggregator: 'sum',
    labelNames: ['agent', 'tool'],
    get() {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (const [tool, tally] of tools) {
        let cumulative = 0;
        BUCKETS.forEach((le, i) => {
          cumulative += tally.buckets[i]!;
          values.push({ labels: { le, agent, tool }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push({ labels: { le: '+Inf', agent, tool }, value: tally.count, metricName: `${name}_bucket` });
        values.push({ labels: { agent, tool }, value: tally.sum, metricName: `${name}_sum` });
        values.push({ labels: { agent, tool }, value: tally.count, metricName: `${name}_count` });
      }
      return Promise.resolve({ name, help: metric.help, type: metric.type, values, aggregator: metric.aggregator });
    },
    reset() {
      for (const tally of tools.values()) {
        tally.buckets.fill(0);
        tally.sum = 0;
        tally.count = 0;
      }
    },
  };
  return metric;
}
