/** A tool call as a run's JSON result lists it (the fields the bench reads). */
export interface RunToolCall {
  readonly id: string;
  readonly ok: boolean;
  readonly durationMs: number;
}

interface RunResult {
  readonly status?: string;
  readonly toolCalls?: readonly RunToolCall[];
  readonly error?: { message?: string } | null;
}

export interface ServiceLoadOptions {
  /** The service's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Clients, each running one run at a time. */
  readonly concurrency: number;
  readonly durationMs: number;
  /** Runs before the measured window, not counted. */
  readonly warmupMs: number;
  /** Requests the clients take in turn; each run starts a fresh thread. */
  readonly inputs: readonly string[];
}

export interface ServiceLoadResult {
  readonly concurrency: number;
  /** Runs that finished in the measured window. */
  readonly runs: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Latency minus tool time, per run. */
  readonly overheadP50Ms: number;
  readonly overheadP95Ms: number;
  /** Overhead over latency, summed over the window's runs. */
  readonly overheadShare: number;
  /** What went wrong first, when something did. */
  readonly firstError?: string;
}

/**
 * Time a run spent in its tools: calls of one model turn run in parallel, so each turn counts
 * its longest call. The turn is read from the call id (`call_<turn>_<part>`, as the offline
 * planner names them); a call with another id counts as a turn of its own.
 */
export function toolTimeMs(calls: readonly RunToolCall[]): number {
  const turns = new Map<string, number>();
  for (const call of calls) {
    const turn = /^call_(\d+)_\d+$/.exec(call.id)?.[1] ?? call.id;
    turns.set(turn, Math.max(turns.get(turn) ?? 0, call.durationMs));
  }
  let total = 0;
  for (const ms of turns.values()) total += ms;
  return total;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * Closed-loop load on `POST /v1/runs` (JSON answer: the call returns once the run settles): each
 * client posts a run, reads its result, and posts the next. A run counts when it ends inside the
 * measured window; it is an error unless it answers 200 with status `completed` and every tool
 * call ok.
 */
export async function runServiceLoad(options: ServiceLoadOptions): Promise<ServiceLoadResult> {
  const measureFrom = performance.now() + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;
  const latencies: number[] = [];
  const overheads: number[] = [];
  let latencyTotal = 0;
  let overheadTotal = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;

  const one = async (): Promise<void> => {
    const input = options.inputs[next++ % options.inputs.length]!;
    const sentAt = performance.now();
    let problem: string | undefined;
    let toolMs = 0;
    try {
      const response = await fetch(`${options.url}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ input }),
      });
      const text = await response.text();
      const run = (response.headers.get('content-type') ?? '').startsWith('application/json') ? (JSON.parse(text) as RunResult) : {};
      const calls = run.toolCalls ?? [];
      if (response.status !== 200) problem = `HTTP ${response.status}: ${text.slice(0, 200)}`;
      else if (run.status !== 'completed') problem = `run ${run.status}: ${run.error?.message ?? ''}`;
      else if (calls.length === 0 || calls.some((call) => !call.ok))
        problem = `tool calls failed or missing: ${JSON.stringify(calls).slice(0, 200)}`;
      toolMs = toolTimeMs(calls);
    } catch (error) {
      problem = (error as Error).message;
    }
    const now = performance.now();
    if (now < measureFrom || now >= stopAt) return;
    if (problem) {
      errors++;
      firstError ??= problem;
      return;
    }
    const latency = now - sentAt;
    latencies.push(latency);
    overheads.push(latency - toolMs);
    latencyTotal += latency;
    overheadTotal += latency - toolMs;
  };

  const client = async () => {
    while (performance.now() < stopAt) await one();
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));

  latencies.sort((a, b) => a - b);
  overheads.sort((a, b) => a - b);
  return {
    concurrency: options.concurrency,
    runs: latencies.length + errors,
    errors,
    perSecond: latencies.length / (options.durationMs / 1000),
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    overheadP50Ms: quantile(overheads, 0.5),
    overheadP95Ms: quantile(overheads, 0.95),
    overheadShare: latencyTotal > 0 ? overheadTotal / latencyTotal : 0,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
