import { Counter, Gauge, Histogram } from 'prom-client';
import { createMetricsRegistry, renderMetrics } from '../telemetry/index.ts';

/** Latency buckets in seconds: sub-millisecond tool calls up to slow remote ones. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The agent server's Prometheus metrics (prom-client), each labelled with the agent's name, plus
 * the process's default metrics when rendered.
 */
export class AgentMetrics {
  private readonly registry = createMetricsRegistry();
  private readonly agent: string;
  private readonly httpRequests: Counter<'agent' | 'method' | 'status'>;
  private readonly toolCalls: Counter<'agent' | 'tool' | 'outcome'>;
  private readonly toolLatency: Histogram<'agent' | 'tool'>;
  /** Reads the number of open sessions when metrics are rendered. */
  openSessions: () => number = () => 0;

  constructor(agent: string) {
    this.agent = agent;
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'mcp_http_requests_total',
      help: 'HTTP requests served, by method and status.',
      labelNames: ['agent', 'method', 'status'],
      registers,
    });
    this.toolCalls = new Counter({
      name: 'mcp_tool_calls_total',
      help: 'Tool calls, by tool and outcome.',
      labelNames: ['agent', 'tool', 'outcome'],
      registers,
    });
    this.toolLatency = new Histogram({
      name: 'mcp_tool_call_duration_seconds',
      help: 'Tool call latency.',
      labelNames: ['agent', 'tool'],
      buckets: BUCKETS,
      registers,
    });
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
    this.httpRequests.inc({ agent: this.agent, method, status: String(status) });
  }

  /** `outcome`: ok | error (a tool error result) | protocol_error | cancelled. */
  observeToolCall(tool: string, outcome: string, seconds: number): void {
    this.toolCalls.inc({ agent: this.agent, tool, outcome });
    this.toolLatency.observe({ agent: this.agent, tool }, seconds);
  }

  /** Prometheus text exposition format 0.0.4: this agent's metrics, then the process's. */
  render(): Promise<string> {
    return renderMetrics(this.registry);
  }
}
