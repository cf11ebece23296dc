import { Counter, Gauge, Histogram } from 'prom-client';
import { createMetricsRegistry, renderMetrics } from '../telemetry/index.ts';

/** Run duration buckets in seconds: a quick lookup up to the 5-minute default limit. */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Statuses that mean a limit turned the request away. */
const REJECTED = new Set([413, 429, 503]);

/** Gauges read when metrics are rendered. */
export interface MetricGauges {
  readonly localRuns: () => number;
  readonly queued: () => number;
  readonly streams: () => number;
  readonly mcpSessions: () => number;
}

/**
 * The service's Prometheus metrics (prom-client), each labelled with this replica's id, plus the
 * process's default metrics when rendered.
 */
export class ServiceMetrics {
  private readonly registry = createMetricsRegistry();
  private readonly replica: string;
  private readonly http: Counter<'replica' | 'method' | 'route' | 'status'>;
  private readonly rejected: Counter<'replica' | 'status'>;
  private readonly segments: Counter<'replica' | 'outcome'>;
  private readonly segmentSeconds: Histogram<'replica'>;
  gauges: MetricGauges = { localRuns: () => 0, queued: () => 0, streams: () => 0, mcpSessions: () => 0 };

  constructor(replica: string) {
    this.replica = replica;
    const registers = [this.registry];
    this.http = new Counter({
      name: 'switchboard_http_requests_total',
      help: 'HTTP requests, by method, route and status.',
      labelNames: ['replica', 'method', 'route', 'status'],
      registers,
    });
    this.rejected = new Counter({
      name: 'switchboard_requests_rejected_total',
      help: 'Requests turned away by a limit (413 body, 429 queue full, 503 draining).',
      labelNames: ['replica', 'status'],
      registers,
    });
    this.segments = new Counter({
      name: 'switchboard_run_segments_total',
      help: 'Stretches of runs executed here, by how they ended.',
      labelNames: ['replica', 'outcome'],
      registers,
    });
    this.segmentSeconds = new Histogram({
      name: 'switchboard_run_segment_duration_seconds',
      help: 'Time a stretch of a run took.',
      labelNames: ['replica'],
      buckets: BUCKETS,
      registers,
    });
    // Observed once so the histogram's series exist from the first scrape, as they did before.
    this.segmentSeconds.zero({ replica });
    const gauge = (name: string, help: string, read: (gauges: MetricGauges) => number) => {
      const current = () => read(this.gauges);
      new Gauge({
        name,
        help,
        labelNames: ['replica'],
        registers,
        collect() {
          this.set({ replica }, current());
        },
      });
    };
    gauge('switchboard_runs_local', 'Runs running or queued on this replica.', (g) => g.localRuns());
    gauge('switchboard_runs_queued', 'Runs waiting for a slot on this replica.', (g) => g.queued());
    gauge('switchboard_event_streams_open', 'Run event streams and waits being served.', (g) => g.streams());
    gauge('switchboard_mcp_sessions_open', 'Open MCP sessions of the orchestrate tool.', (g) => g.mcpSessions());
  }

  /** `route` is the matched pattern (`/v1/runs/:id`), never the raw path, to bound label values. */
  countHttp(method: string, route: string, status: number): void {
    this.http.inc({ replica: this.replica, method, route, status: String(status) });
    if (REJECTED.has(status)) this.rejected.inc({ replica: this.replica, status: String(status) });
  }

  /** One stretch of a run ended (`completed`, `waiting_approval`, `failed`, `cancelled`, `interrupted`). */
  observeSegment(outcome: string, seconds: number): void {
    this.segments.inc({ replica: this.replica, outcome });
    this.segmentSeconds.observe({ replica: this.replica }, seconds);
  }

  /** Prometheus text exposition format 0.0.4: the service's metrics, then the process's. */
  render(): Promise<string> {
    return renderMetrics(this.registry);
  }
}
