/** Run duration buckets in seconds: a quick lookup up to the 5-minute default limit. */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Gauges read when metrics are rendered. */
export interface MetricGauges {
  readonly localRuns: () => number;
  readonly queued: () => number;
  readonly streams: () => number;
  readonly mcpSessions: () => number;
}

/** The service's Prometheus metrics (text format 0.0.4), hand-written like the kit's. */
export class ServiceMetrics {
  private readonly http = new Map<string, number>();
  private readonly runs = new Map<string, number>();
  private readonly rejected = new Map<string, number>();
  private readonly counts = new Array<number>(BUCKETS.length).fill(0);
  private sum = 0;
  private total = 0;
  private readonly replica: string;
  gauges: MetricGauges = { localRuns: () => 0, queued: () => 0, streams: () => 0, mcpSessions: () => 0 };

  constructor(replica: string) {
    this.replica = replica;
  }

  /** `route` is the matched pattern (`/v1/runs/:id`), never the raw path, to bound label values. */
  countHttp(method: string, route: string, status: number): void {
    const key = `${method}\u0000${route}\u0000${status}`;
    this.http.set(key, (this.http.get(key) ?? 0) + 1);
    if (status === 429 || status === 503 || status === 413) this.rejected.set(String(status), (this.rejected.get(String(status)) ?? 0) + 1);
  }

  /** One stretch of a run ended (`completed`, `waiting_approval`, `failed`, `cancelled`, `interrupted`). */
  observeSegment(outcome: string, seconds: number): void {
    this.runs.set(outcome, (this.runs.get(outcome) ?? 0) + 1);
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]!) {
        this.counts[i]!++;
        break;
      }
    }
    this.sum += seconds;
    this.total++;
  }

  render(): string {
    const replica = `replica="${escapeLabel(this.replica)}"`;
    const lines = [
      '# HELP switchboard_http_requests_total HTTP requests, by method, route and status.',
      '# TYPE switchboard_http_requests_total counter',
    ];
    for (const [key, value] of this.http) {
      const [method, route, status] = key.split('\u0000');
      lines.push(
        `switchboard_http_requests_total{${replica},method="${method}",route="${escapeLabel(route!)}",status="${status}"} ${value}`,
      );
    }
    lines.push(
      '# HELP switchboard_requests_rejected_total Requests turned away by a limit (413 body, 429 queue full, 503 draining).',
      '# TYPE switchboard_requests_rejected_total counter',
    );
    for (const [status, value] of this.rejected) lines.push(`switchboard_requests_rejected_total{${replica},status="${status}"} ${value}`);
    lines.push(
      '# HELP switchboard_run_segments_total Stretches of runs executed here, by how they ended.',
      '# TYPE switchboard_run_segments_total counter',
    );
    for (const [outcome, value] of this.runs) lines.push(`switchboard_run_segments_total{${replica},outcome="${outcome}"} ${value}`);
    lines.push(
      '# HELP switchboard_run_segment_duration_seconds Time a stretch of a run took.',
      '# TYPE switchboard_run_segment_duration_seconds histogram',
    );
    let cumulative = 0;
    BUCKETS.forEach((bound, i) => {
      cumulative += this.counts[i]!;
      lines.push(`switchboard_run_segment_duration_seconds_bucket{${replica},le="${bound}"} ${cumulative}`);
    });
    lines.push(`switchboard_run_segment_duration_seconds_bucket{${replica},le="+Inf"} ${this.total}`);
    lines.push(
      `switchboard_run_segment_duration_seconds_sum{${replica}} ${this.sum}`,
      `switchboard_run_segment_duration_seconds_count{${replica}} ${this.total}`,
    );
    const gauge = (name: string, help: string, value: number) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}{${replica}} ${value}`);
    gauge('switchboard_runs_local', 'Runs running or queued on this replica.', this.gauges.localRuns());
    gauge('switchboard_runs_queued', 'Runs waiting for a slot on this replica.', this.gauges.queued());
    gauge('switchboard_event_streams_open', 'Run event streams and waits being served.', this.gauges.streams());
    gauge('switchboard_mcp_sessions_open', 'Open MCP sessions of the orchestrate tool.', this.gauges.mcpSessions());
    const memory = process.memoryUsage();
    lines.push(
      '# HELP process_resident_memory_bytes Resident memory size.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${memory.rss}`,
    );
    lines.push(
      '# HELP nodejs_heap_used_bytes V8 heap in use.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${memory.heapUsed}`,
    );
    return `${lines.join('\n')}\n`;
  }
}
