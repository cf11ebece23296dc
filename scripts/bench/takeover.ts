/**
 * The takeover scenario of `npm run bench` (`--only takeover`): two service replicas (`scripts/serve.ts`,
 * child processes) on the local PostgreSQL with runs on pg-boss and the default settings. A run holds a
 * tool call on replica A; A is killed (SIGKILL); the figure is the time from the kill until replica B
 * has the run going again (the held call started anew on B). PASS when every round is within
 * {@link TAKEOVER_TARGET_SECONDS}. Each round uses a fresh schema, dropped afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineAgent, defineTool, startAgentServer } from '../../src/mcp/index.ts';
import { createPostgresStore } from '../../src/store/index.ts';

/** What a takeover may take with the default settings. */
export const TAKEOVER_TARGET_SECONDS = 5;
/** The database when neither `DATABASE_URL` nor `TEST_DATABASE_URL` names one. */
const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const KEY = 'bench-takeover-key';

export interface TakeoverOptions {
  readonly rounds: number;
  readonly progress: (message: string) => void;
}

export interface TakeoverResult {
  /** Seconds from the kill to the run going again on the other replica, per round. */
  readonly seconds: readonly number[];
  /** Rounds whose run did not complete on the surviving replica. */
  readonly failures: number;
}

/** A tool that holds until released, counting its calls and telling when the n-th began. */
function createHoldAgent() {
  const waiters: { n: number; resolve: () => void }[] = [];
  let calls = 0;
  let release!: () => void;
  let released = new Promise<void>((resolve) => (release = resolve));
  const agent = defineAgent({
    name: 'bench',
    version: '1.0.0',
    instructions: 'Holds a call open until the benchmark lets it go.',
    tools: [
      defineTool({
        name: 'hold_line',
        title: 'Hold the line',
        description: 'Holds the line: waits until the operator releases it.',
        input: z.object({}),
        output: z.object({ held: z.boolean() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        handler: async (_input, context) => {
          calls++;
          for (const waiter of waiters.filter((w) => w.n <= calls)) waiter.resolve();
          const aborted = new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
          await Promise.race([released, aborted]);
          return { structured: { held: true }, text: 'line held and released' };
        },
      }),
    ],
  });
  return {
    agent,
    called: (n: number) => (calls >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    release: () => release(),
    reset: () => {
      calls = 0;
      waiters.length = 0;
      released = new Promise<void>((resolve) => (release = resolve));
    },
  };
}

interface Replica {
  readonly child: ChildProcess;
  readonly url: string;
}

async function startReplica(env: Record<string, string>, args: string[]): Promise<Replica> {
  const script = fileURLToPath(new URL('../serve.ts', import.meta.url));
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      const match = /listening on (https?:\/\/\S+)/.exec(log);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`a service replica exited with ${code}: ${log.slice(-2000)}`)));
  });
  return { child, url };
}

async function stop(replica: Replica | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!replica || replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  const exited = once(replica.child, 'exit');
  replica.child.kill(signal);
  await exited;
}

const call = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });

/** Waits until the run settles, through its event stream on `url`, and returns its status. */
async function settled(url: string, runId: string): Promise<string> {
  for (;;) {
    const run = (await (await call(url, `/v1/runs/${runId}`)).json()) as { status: string; lastEventId: number };
    if (!['queued', 'running', 'interrupted'].includes(run.status)) return run.status;
    const stream = await call(url, `/v1/runs/${runId}/events`, {
      headers: { accept: 'text/event-stream', 'last-event-id': String(run.lastEventId) },
    });
    await stream.text();
  }
}

export async function runTakeoverBench(options: TakeoverOptions): Promise<TakeoverResult> {
  const databaseUrl = process.env['DATABASE_URL'] || process.env['TEST_DATABASE_URL'] || LOCAL_DATABASE_URL;
  const hold = createHoldAgent();
  const agent = await startAgentServer(hold.agent, { port: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-takeover-'));
  const admin = createPostgresStore({ connectionString: databaseUrl, max: 1 });
  const seconds: number[] = [];
  let failures = 0;
  try {
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ servers: { bench: { url: agent.url } } }));
    for (let round = 1; round <= options.rounds; round++) {
      hold.reset();
      const schema = `bench_takeover_${randomBytes(5).toString('hex')}`;
      const env = (name: string) => ({
        SWITCHBOARD_DATA_DIR: join(dir, `${schema}-${name}`),
        DATABASE_URL: databaseUrl,
        SWITCHBOARD_PG_SCHEMA: schema,
        SWITCHBOARD_MODEL: 'offline',
        SWITCHBOARD_API_KEYS: KEY,
        SWITCHBOARD_TAKEOVER_SECONDS: '',
        HOST: '127.0.0.1',
        PORT: '0',
      });
      let a: Replica | undefined;
      let b: Replica | undefined;
      try {
        a = await startReplica(env('a'), ['--config', config]);
        const started = await call(a.url, '/v1/runs', {
          method: 'POST',
          headers: { prefer: 'respond-async' },
          body: JSON.stringify({ input: 'hold the line' }),
        });
        if (started.status !== 202) throw new Error(`the run was refused: ${started.status} ${await started.text()}`);
        const run = (await started.json()) as { id: string };
        await hold.called(1);
        b = await startReplica(env('b'), ['--config', config]); // after A took the run, so A is the one killed
        const killed = performance.now();
        await stop(a, 'SIGKILL');
        await hold.called(2);
        seconds.push((performance.now() - killed) / 1000);
        options.progress(`takeover round ${round}: ${seconds.at(-1)!.toFixed(2)} s`);
        hold.release();
        if ((await settled(b.url, run.id)) !== 'completed') failures++;
      } finally {
        hold.release();
        await stop(a, 'SIGKILL');
        await stop(b, 'SIGTERM');
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`);
      }
    }
  } finally {
    await admin.close();
    await agent.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { seconds, failures };
}

/** The rows `npm run bench` prints. */
export function takeoverTable(result: TakeoverResult): string[] {
  const sorted = [...result.seconds].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const worst = sorted.at(-1) ?? NaN;
  return [
    'takeover (kill -9 of the replica running a run → the run going again on the other; PostgreSQL, pg-boss, default settings)',
    `  rounds ${result.seconds.length}   median ${median.toFixed(2)} s   worst ${worst.toFixed(2)} s   target ≤ ${TAKEOVER_TARGET_SECONDS} s`,
    `  each round: ${result.seconds.map((s) => s.toFixed(2)).join(', ')} s${result.failures ? `; ${result.failures} run(s) did not complete` : ''}`,
  ];
}
