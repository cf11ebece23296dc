/**
 * The service scenario of `npm run bench`: runs through `POST /v1/runs` with the offline planner
 * and the built-in agents (see `serviceServer.ts`), first from one sequential client as the
 * baseline, then from `concurrency` clients at once, against the same server.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { runServiceLoad, type ServiceLoadResult } from './serviceLoad.ts';

/** Realistic single-tool requests, one per built-in agent, taken in turn. */
export const SERVICE_INPUTS: readonly string[] = [
  'what is the sentiment of this review: "The new dashboard is great, setup took five minutes and support was lovely"',
  'search for known fixes for SSO login loops',
  'create an incident for the broken projector in room 4',
];

/** Runs before each measured window, not counted: 2 s. */
export const SERVICE_WARMUP_MS = 2000;

export interface ServiceBenchOptions {
  readonly concurrency: number;
  /** The server script to run; default this checkout's serviceServer.ts (a baseline passes another tree's). */
  readonly script?: string;
  /** Only the concurrent clients, not the sequential one first. Default false. */
  readonly concurrentOnly?: boolean;
  readonly seconds: number;
  /** Pins the server process to its core (taskset), when the machine allows. */
  readonly pin?: (pid: number) => void;
  readonly progress: (message: string) => void;
}

export interface ServiceResult extends ServiceLoadResult {
  /** The server process's CPU time (user + system) per run in the window. */
  readonly cpuMsPerRun: number;
  /** Its CPU time over the window's wall time: 1 is one core busy throughout. */
  readonly cpuBusy: number;
}

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

async function start(concurrency: number, pin: ServiceBenchOptions['pin'], script: string): Promise<Started> {
  const child = fork(script, [String(concurrency)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  if (child.pid) pin?.(child.pid);
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /port=(\d+)/.exec(output);
    if (match) return { child, url: `http://127.0.0.1:${match[1]}` };
  }
  throw new Error('the bench service exited before listening (its error is above)');
}

async function cpuMs(child: ChildProcess): Promise<number> {
  const reply = once(child, 'message') as Promise<[{ cpuMs: number }]>;
  child.send('cpu');
  return (await reply)[0].cpuMs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sequential baseline, then `concurrency` clients; one server process for both. */
export async function runServiceBench(options: ServiceBenchOptions): Promise<ServiceResult[]> {
  const script = options.script ?? fileURLToPath(new URL('./serviceServer.ts', import.meta.url));
  const server = await start(options.concurrency, options.pin, script);
  try {
    const results: ServiceResult[] = [];
    for (const concurrency of [...new Set(options.concurrentOnly ? [options.concurrency] : [1, options.concurrency])]) {
      options.progress(
        `service: ${concurrency} concurrent client${concurrency === 1 ? '' : 's'}, ${options.seconds}s after ${SERVICE_WARMUP_MS / 1000}s warm-up ...`,
      );
      const durationMs = options.seconds * 1000;
      const load = runServiceLoad({ url: server.url, concurrency, durationMs, warmupMs: SERVICE_WARMUP_MS, inputs: SERVICE_INPUTS });
      const cpuFrom = sleep(SERVICE_WARMUP_MS).then(() => cpuMs(server.child));
      const cpuTo = sleep(SERVICE_WARMUP_MS + durationMs).then(() => cpuMs(server.child));
      const [result, from, to] = await Promise.all([load, cpuFrom, cpuTo]);
      if (result.firstError) options.progress(`service: ${result.errors} error(s), the first: ${result.firstError}`);
      const done = Math.max(1, result.runs - result.errors);
      const cpuBusy = (to - from) / durationMs;
      options.progress(`service: ${result.perSecond.toFixed(1)} runs/s, server process busy ${(100 * cpuBusy).toFixed(0)}% of a core`);
      results.push({ ...result, cpuMsPerRun: (to - from) / done, cpuBusy });
    }
    return results;
  } finally {
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
}

/**
 * Runs/s at 8 concurrent clients on main before issue 12's speed round (`npm run bench`, the
 * machine loaded by other work as usual): what the 2x target is against when no baseline can be
 * measured in the same run (see `baseline` of {@link serviceTable}).
 */
export const SERVICE_BASELINE_RUNS_PER_SECOND = 45.0;
export const SERVICE_BASELINE_CONCURRENCY = 8;

/** The results as a Markdown table, in the style of the kit's, and the targets (at 8 clients). */
export function serviceTable(
  results: readonly ServiceResult[],
  concurrency: number,
  /** The same load on the baseline's code (main), measured in this run; else the recorded constant is the baseline. */
  baseline?: { readonly label: string; readonly result: ServiceResult },
): { lines: string[]; targets: { name: string; ok: boolean }[] } {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const sequential = results[0]?.perSecond ?? 0;
  const lines = [
    row([
      'service (offline planner)',
      'runs/s',
      'p50 ms',
      'p95 ms',
      'errors',
      'overhead p50 ms',
      'overhead p95 ms',
      'overhead share',
      'server CPU ms/run',
      'vs 1 client',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  const cells = (label: string, r: ServiceResult) =>
    row([
      label,
      r.perSecond.toFixed(1),
      r.p50Ms.toFixed(1),
      r.p95Ms.toFixed(1),
      String(r.errors),
      r.overheadP50Ms.toFixed(1),
      r.overheadP95Ms.toFixed(1),
      `${(100 * r.overheadShare).toFixed(0)}%`,
      r.cpuMsPerRun.toFixed(1),
      sequential > 0 ? `${(r.perSecond / sequential).toFixed(2)}x` : '-',
    ]);
  if (concurrency === SERVICE_BASELINE_CONCURRENCY) {
    lines.push(
      row([
        `${SERVICE_BASELINE_CONCURRENCY} concurrent, main before issue 12 (recorded)`,
        SERVICE_BASELINE_RUNS_PER_SECOND.toFixed(1),
        ...Array<string>(8).fill('-'),
      ]),
    );
  }
  if (baseline) lines.push(cells(`${baseline.result.concurrency} concurrent, ${baseline.label} (this run)`, baseline.result));
  for (const r of results) lines.push(cells(r.concurrency === 1 ? '1 client, sequential' : `${r.concurrency} concurrent`, r));
  const loaded = results.find((r) => r.concurrency === SERVICE_BASELINE_CONCURRENCY);
  const against = baseline?.result.perSecond ?? SERVICE_BASELINE_RUNS_PER_SECOND;
  const againstLabel = baseline ? `${baseline.label}'s ${against.toFixed(1)} in this run` : `main's recorded ${against}`;
  const targets = loaded
    ? [
        {
          name: `service at ${SERVICE_BASELINE_CONCURRENCY} clients >= 2x ${againstLabel} runs/s (${loaded.perSecond.toFixed(1)}, ${(loaded.perSecond / against).toFixed(2)}x)`,
          ok: loaded.perSecond >= 2 * against,
        },
        {
          name: `service at ${SERVICE_BASELINE_CONCURRENCY} clients: p95 < 2x p50 (${loaded.p95Ms.toFixed(1)} vs ${loaded.p50Ms.toFixed(1)} ms)`,
          ok: loaded.p95Ms < 2 * loaded.p50Ms,
        },
      ]
    : [];
  return { lines, targets };
}
