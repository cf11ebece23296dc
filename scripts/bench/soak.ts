/**
 * `npm run bench -- soak`: mixed traffic at a fixed rate through nginx into `npm run cluster`'s
 * topology while one replica is killed (kill -9) and started again every minute; then requests,
 * errors, p50/p99 per kind of traffic, and the resident memory of every replica at start and end.
 *
 * Traffic, in turn: tool calls on long-lived 2025-11-25 sessions (incident, stateful: a session
 * must work on every replica), tool calls without a session (analysis, `--stateless`), and service
 * runs (`POST /v1/runs`, the offline planner, tools on search and analysis through nginx). A request
 * that fails is retried once (a new session when the old one is lost): "retried ok" counts those
 * that then succeeded (calls in flight on a killed replica), "errors" those that did not.
 *
 * Flags: --minutes N (default 10), --seconds N (instead), --rate N requests/s (default 10),
 * --restart-every S (default 60), --sessions N (stateful sessions, default 8).
 * Needs nginx, DATABASE_URL and REDIS_URL (as `npm run cluster`); its tables (and the run queue's,
 * in <schema>_boss) live in a fresh schema of DATABASE_URL's database, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { processEnv } from '../../src/config/env.ts';
import { describeError } from '../../src/errors.ts';
import { createPostgresStore } from '../../src/store/index.ts';
import { startCluster, type Replica, type RunningCluster } from '../lib/cluster.ts';

const KINDS = ['stateful call', 'stateless call', 'service run'] as const;
type Kind = (typeof KINDS)[number];
/** Out of 10 requests: 5 stateful calls, 3 stateless ones, 2 service runs. */
const MIX: readonly Kind[] = [
  'stateful call',
  'stateless call',
  'stateful call',
  'service run',
  'stateful call',
  'stateless call',
  'stateful call',
  'stateless call',
  'stateful call',
  'service run',
];
const SERVICE_INPUTS = [
  'what is the sentiment of this review: "The new dashboard is great, setup took five minutes and support was lovely"',
  'search for known fixes for SSO login loops',
];
/** A request taking longer than this is an error (a hang is never a success). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Requests in flight beyond this are refused by the load generator itself (counted as errors): the rate is too high. */
const MAX_IN_FLIGHT = 256;

interface Tally {
  requests: number;
  errors: number;
  retriedOk: number;
  latencies: number[];
  firstError?: string;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 2 ** 20).toFixed(0));
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

function usage(message: string): number {
  process.stderr.write(`bench soak: ${message}\n`);
  return 2;
}

/** A long-lived session on the incident agent through nginx; replaced when lost. */
class Session {
  private client: Client | undefined;
  private readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  private async connect(): Promise<Client> {
    const client = new Client({ name: 'soak', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(this.url)));
    this.client = client;
    return client;
  }

  async call(query: string, fresh: boolean): Promise<void> {
    if (fresh && this.client) {
      const old = this.client;
      this.client = undefined;
      void old.close().catch(() => undefined);
    }
    const client = this.client ?? (await this.connect());
    const result = await client.callTool({ name: 'search_incidents', arguments: { query } }, undefined, { timeout: REQUEST_TIMEOUT_MS });
    if (result.isError) throw new Error(`tool error: ${JSON.stringify(result.content).slice(0, 200)}`);
  }

  async close(): Promise<void> {
    await this.client?.close().catch(() => undefined);
  }
}

async function statelessCall(url: string, i: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: i,
      method: 'tools/call',
      params: { name: 'analyze_sentiment', arguments: { text: `Support fixed my laptop in ten minutes, thank you (${i})` } },
    }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text.startsWith('{') ? text : (/^data: (.+)$/m.exec(text)?.[1] ?? '{}')) as {
    result?: { isError?: boolean };
    error?: unknown;
  };
  if (!body.result || body.result.isError || body.error) throw new Error(`no result: ${text.slice(0, 200)}`);
}

async function serviceRun(url: string, i: number): Promise<void> {
  const response = await fetch(`${url}/v1/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ input: SERVICE_INPUTS[i % SERVICE_INPUTS.length] }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  const run = JSON.parse(text) as { status?: string; error?: { message?: string }; toolCalls?: { ok: boolean }[] };
  if (run.status !== 'completed') throw new Error(`run ${run.status}: ${run.error?.message ?? ''}`);
  if (!run.toolCalls?.length || run.toolCalls.some((call) => !call.ok)) throw new Error(`tool calls failed: ${text.slice(0, 200)}`);
}

async function withSchema<T>(databaseUrl: string, work: (url: string, schema: string) => Promise<T>): Promise<T> {
  const schema = `soak_${randomBytes(6).toString('hex')}`;
  const admin = createPostgresStore({ connectionString: databaseUrl, max: 1, connectTimeoutMs: 5000 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return await work(url.href, schema);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`).catch(() => undefined);
    await admin.close();
  }
}

export async function runSoakBench(args: readonly string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        minutes: { type: 'string' },
        seconds: { type: 'string' },
        rate: { type: 'string', default: '10' },
        'restart-every': { type: 'string', default: '60' },
        sessions: { type: 'string', default: '8' },
      },
    }).values;
  } catch (error) {
    return usage((error as Error).message);
  }
  const seconds = values.seconds !== undefined ? Number(values.seconds) : Number(values.minutes ?? '10') * 60;
  const rate = Number(values.rate);
  const restartEvery = Number(values['restart-every']);
  const sessionCount = Number(values.sessions);
  if (!(seconds > 0)) return usage('--minutes and --seconds take a positive number');
  if (!(rate > 0) || !(restartEvery > 0)) return usage('--rate and --restart-every take a positive number');
  if (!Number.isInteger(sessionCount) || sessionCount < 1) return usage('--sessions takes a whole number >= 1');

  const progress = (message: string) => process.stderr.write(`bench soak: ${message}\n`);
  const env = processEnv();
  if (!env['DATABASE_URL'] || !env['REDIS_URL']) {
    process.stderr.write('bench soak: needs DATABASE_URL and REDIS_URL, as npm run cluster does\n');
    return 2;
  }
  try {
    return await withSchema(env['DATABASE_URL'], async (databaseUrl, schema) => {
      const cluster = await startCluster({
        env: {
          ...env,
          DATABASE_URL: databaseUrl,
          SWITCHBOARD_PG_SCHEMA: schema,
          // Offline and open: the soak measures the cluster, not a model or a key check.
          SWITCHBOARD_MODEL: 'offline',
          OPENAI_API_KEY: '',
          TAVILY_API_KEY: '',
          SWITCHBOARD_API_KEYS: '',
          MCP_AUTH_TOKEN: '',
          LOG_FORMAT: 'json',
        },
        statelessAgents: ['analysis'],
        serviceArgs: ['--takeover', '2'],
        progress,
      });
      try {
        return await soak(cluster, { seconds, rate, restartEvery, sessionCount, progress });
      } finally {
        await cluster.close();
      }
    });
  } catch (error) {
    process.stderr.write(`bench soak: ${describeError(error)}\n`);
    return 1;
  }
}

interface SoakOptions {
  readonly seconds: number;
  readonly rate: number;
  readonly restartEvery: number;
  readonly sessionCount: number;
  readonly progress: (message: string) => void;
}

async function soak(cluster: RunningCluster, options: SoakOptions): Promise<number> {
  const incident = `${cluster.urls['incident']}/mcp`;
  const analysis = `${cluster.urls['analysis']}/mcp`;
  const service = cluster.urls['service']!;
  const sessions = Array.from({ length: options.sessionCount }, () => new Session(incident));
  const tallies = Object.fromEntries(
    KINDS.map((kind) => [kind, { requests: 0, errors: 0, retriedOk: 0, latencies: [] } as Tally]),
  ) as Record<Kind, Tally>;
  const rssStart = new Map(cluster.replicas.map((replica) => [replica.name, replica.rss()]));
  const restarts = new Map<string, number>();

  const attempt = (kind: Kind, i: number, retry: boolean): Promise<void> => {
    if (kind === 'stateful call') return sessions[i % sessions.length]!.call(`vpn login ${i}`, retry);
    if (kind === 'stateless call') return statelessCall(analysis, i);
    return serviceRun(service, i);
  };
  let inFlight = 0;
  const one = async (i: number) => {
    const kind = MIX[i % MIX.length]!;
    const tally = tallies[kind];
    tally.requests++;
    if (inFlight >= MAX_IN_FLIGHT) {
      tally.errors++;
      tally.firstError ??= `more than ${MAX_IN_FLIGHT} requests in flight: lower --rate`;
      return;
    }
    inFlight++;
    const sentAt = performance.now();
    try {
      try {
        await attempt(kind, i, false);
      } catch {
        await attempt(kind, i, true);
        tally.retriedOk++;
      }
      tally.latencies.push(performance.now() - sentAt);
    } catch (error) {
      tally.errors++;
      tally.firstError ??= describeError(error);
    } finally {
      inFlight--;
    }
  };

  // Kill -9 and restart one replica per interval, in turn over the groups (incident-1, search-1, ...).
  const order = [...cluster.replicas].sort((a, b) => Number(a.name.split('-').at(-1)) - Number(b.name.split('-').at(-1)));
  const endAt = performance.now() + options.seconds * 1000;
  let stopped = false;
  const restarter = (async () => {
    for (let k = 0; ; k++) {
      const due = performance.now() + options.restartEvery * 1000;
      while (!stopped && performance.now() < due) await sleep(200);
      if (stopped || performance.now() > endAt - 5000) return;
      const replica: Replica = order[k % order.length]!;
      const downAt = performance.now();
      await replica.kill('SIGKILL');
      await replica.start();
      restarts.set(replica.name, (restarts.get(replica.name) ?? 0) + 1);
      options.progress(`killed and restarted ${replica.name} (back in ${((performance.now() - downAt) / 1000).toFixed(1)} s)`);
    }
  })();

  options.progress(`${options.rate} requests/s for ${options.seconds} s, a replica killed every ${options.restartEvery} s ...`);
  const pending = new Set<Promise<void>>();
  const startedAt = performance.now();
  for (let i = 0; performance.now() < endAt; i++) {
    const at = startedAt + (i * 1000) / options.rate;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    const request = one(i);
    pending.add(request);
    void request.finally(() => pending.delete(request));
  }
  stopped = true;
  await Promise.all([...pending]);
  await restarter;
  await Promise.all(sessions.map((session) => session.close()));

  console.log(row(['traffic', 'requests', 'errors', 'retried ok', 'p50 ms', 'p99 ms']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  const all: Tally = { requests: 0, errors: 0, retriedOk: 0, latencies: [] };
  for (const kind of KINDS) {
    const tally = tallies[kind];
    all.requests += tally.requests;
    all.errors += tally.errors;
    all.retriedOk += tally.retriedOk;
    all.latencies.push(...tally.latencies);
    const sorted = [...tally.latencies].sort((a, b) => a - b);
    console.log(
      row([kind, tally.requests, tally.errors, tally.retriedOk, quantile(sorted, 0.5).toFixed(1), quantile(sorted, 0.99).toFixed(1)]),
    );
  }
  all.latencies.sort((a, b) => a - b);
  console.log(
    row([
      '**all**',
      all.requests,
      all.errors,
      all.retriedOk,
      quantile(all.latencies, 0.5).toFixed(1),
      quantile(all.latencies, 0.99).toFixed(1),
    ]),
  );
  console.log('');
  console.log(row(['replica', 'RSS start (MB)', 'RSS end (MB)', 'killed and restarted']));
  console.log(row(['---', '---:', '---:', '---:']));
  for (const replica of cluster.replicas) {
    console.log(row([replica.name, mb(rssStart.get(replica.name)), mb(replica.rss()), restarts.get(replica.name) ?? 0]));
  }
  for (const kind of KINDS) if (tallies[kind].firstError) options.progress(`${kind}: first error: ${tallies[kind].firstError}`);
  console.log('');
  const ok = all.errors === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'}  0 errors over ${all.requests} requests (${all.errors}; ${all.retriedOk} retried ok after a kill)`);
  return ok ? 0 : 1;
}
