/**
 * `npm run bench`: `get_incident` calls (a SQLite read) per second through the kit against two
 * baselines measured in the same run — the ceiling, a bare node:http handler doing the same read
 * and writing the same JSON without MCP, and the MCP SDK's stateless example pattern — each
 * server pinned to one core (taskset, when the machine has it) and the load on the other; the kit
 * must reach 50% of the ceiling and 3x the SDK, stateless and stateful (see bench/servers.ts).
 * Then a long run of the stateful kit to show that memory stays flat (±10%).
 *
 * Scenarios are interleaved over several rounds and each reports its median round, so a burst
 * of other work on the machine does not decide a comparison.
 *
 * Then session churn: 10,000 sessions opened and expired in rounds, the heap after a forced GC
 * flat within 10% and the kit's tables empty (PASS/FAIL).
 *
 * Then the orchestrator (issue 12): its own CPU per three-tool run with the offline planner,
 * beyond the model's (target <= 5 ms p50), and its MCP client's CPU per tool call against the
 * SDK client's on the same server (target: no more); see bench/orchestratorCpu.ts.
 *
 * Then CLI start: `orchestrate` with the agents running (<= 1.25x) and with nothing running
 * (<= 2x) against `node -e "await import('@langchain/langgraph')"` in the same run.
 *
 * Then the service: runs through `POST /v1/runs` with the offline planner and the built-in
 * agents, from one sequential client and from N concurrent ones, with runs/s, latency, and the
 * orchestrator's own overhead per run (latency minus tool time); at 8 clients >= 2x main's
 * figure in the same run (main's code, exported from git to a temporary folder; the figure
 * recorded before issue 12 when there is no git) and p95 < 2x p50.
 *
 * Flags: --seconds N (per scenario and round, default 3), --rounds N (default 3),
 * --connections N (default 32), --long N (seconds of the memory run, default 20),
 * --service-concurrency N (default 8), --service-seconds N (default 10),
 * --churn N (sessions of the churn run, in 10 rounds; default 10000),
 * --orchestrator-runs N (default 40), --cli-rounds N (default 3), --service-baseline REF (the git
 * ref whose service runs the same load first, for the 2x target; default main, `none` to skip),
 * --only kit|churn|orchestrator|cli|service (one part; default all), --kinds bare,sdk,kit,kit-stateful (the kit's
 * scenarios to run; default all), --profile DIR (each kit server writes a `--cpu-prof` profile there).
 *
 * `npm run bench -- planner [flags]`: the offline planner's figures instead (BFCL v4, the
 * help-desk and unseen-tools evaluations, ms per decision); see scripts/bench/planner.ts.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runLoad, type LoadResult } from './bench/load.ts';
import { exportBaselineTree } from './bench/baselineTree.ts';
import { SERVICE_BASELINE_CONCURRENCY, runServiceBench, serviceTable, type ServiceResult } from './bench/service.ts';
import { churnTable, FLAT_TOLERANCE_PERCENT, type ChurnResult } from './bench/sessionChurn.ts';
import { cliStartTable, runCliStartBench } from './bench/cliStart.ts';
import type { OrchestratorCpuResult } from './bench/orchestratorCpu.ts';

if (process.argv[2] === 'planner') {
  const { runPlannerBench } = await import('./bench/planner.ts');
  process.exit(await runPlannerBench(process.argv.slice(3)));
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    long: { type: 'string', default: '20' },
    'service-concurrency': { type: 'string', default: '8' },
    'service-seconds': { type: 'string', default: '10' },
    churn: { type: 'string', default: '10000' },
    only: { type: 'string' },
    profile: { type: 'string' },
    kinds: { type: 'string', default: 'bare,sdk,kit,kit-stateful' },
    'orchestrator-runs': { type: 'string', default: '40' },
    'cli-rounds': { type: 'string', default: '3' },
    'service-baseline': { type: 'string', default: 'main' },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const longSeconds = Number(values.long);
const serviceConcurrency = Number(values['service-concurrency']);
const serviceSeconds = Number(values['service-seconds']);
const only = values.only;
const churnSessions = Number(values.churn);
// Each server process writes a CPU profile (`node --cpu-prof`) into this folder when it stops.
const profileArgs = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
const PARTS = ['kit', 'churn', 'orchestrator', 'cli', 'service'];
if (only !== undefined && !PARTS.includes(only)) {
  process.stderr.write(`bench: --only takes ${PARTS.join(', ')}, not "${only}"\n`);
  process.exit(2);
}
const orchestratorRuns = Number(values['orchestrator-runs']);
const cliRounds = Number(values['cli-rounds']);
if (![orchestratorRuns, cliRounds].every((n) => Number.isInteger(n) && n >= 1)) {
  process.stderr.write('bench: --orchestrator-runs and --cli-rounds must be whole numbers >= 1\n');
  process.exit(2);
}
if (!Number.isInteger(churnSessions) || churnSessions < 10) {
  process.stderr.write('bench: --churn must be a whole number >= 10\n');
  process.exit(2);
}
if (!Number.isInteger(serviceConcurrency) || serviceConcurrency < 1 || !(serviceSeconds > 0)) {
  process.stderr.write('bench: --service-concurrency must be a whole number >= 1 and --service-seconds a positive number\n');
  process.exit(2);
}
if (![rounds, connections].every((n) => Number.isInteger(n) && n >= 1) || !(seconds > 0) || !(longSeconds > 0)) {
  process.stderr.write('bench: --rounds and --connections must be whole numbers >= 1, --seconds and --long positive numbers\n');
  process.exit(2);
}

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasTaskset) execFileSync('taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
const pinToCore0 = (pid: number) => {
  if (hasTaskset) execFileSync('taskset', ['-pc', '0', String(pid)], { stdio: 'ignore' });
};

interface Started {
  child: ChildProcess;
  port: number;
  /** The incident the server's get_incident reads. */
  number: string;
}

async function start(kind: string): Promise<Started> {
  const script = fileURLToPath(new URL('./bench/servers.ts', import.meta.url));
  const child = fork(script, [kind], { execArgv: ['--expose-gc', ...profileArgs], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  if (child.pid) pinToCore0(child.pid);
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /port=(\d+) number=(\w+)/.exec(output);
    if (match) return { child, port: Number(match[1]), number: match[2]! };
  }
  throw new Error(`bench server ${kind} exited before listening`);
}

async function stop(server: Started): Promise<void> {
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
}

async function memory(server: Started): Promise<{ heapUsed: number; rss: number }> {
  server.child.send('gc');
  const [reply] = (await once(server.child, 'message')) as [{ heapUsed: number; rss: number }];
  return reply;
}

const callBody = (number: string) => (_c: number, i: number) =>
  `{"jsonrpc":"2.0","id":${i},"method":"tools/call","params":{"name":"get_incident","arguments":{"number":"${number}"}}}`;

async function openSessions(port: number, count: number): Promise<string[]> {
  const url = `http://127.0.0.1:${port}/mcp`;
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const init = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
      }),
    });
    await init.text();
    const id = init.headers.get('mcp-session-id');
    if (!id) throw new Error('the stateful kit returned no session id');
    const ack = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
      body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
    });
    await ack.text();
    ids.push(id);
  }
  return ids;
}

/** One server under load; `memorySeconds` makes it the memory run (the stateful kit only) of that length instead. */
async function scenario(
  kind: string,
  memorySeconds?: number,
): Promise<LoadResult & { memory?: { before: number; after: number; rss: number } }> {
  const server = await start(kind);
  try {
    const sessions = kind === 'kit-stateful' ? await openSessions(server.port, connections) : [];
    const headers = sessions.length ? (c: number) => ({ 'Mcp-Session-Id': sessions[c]! }) : undefined;
    const load = (ms: number, warmupMs: number) =>
      runLoad({ port: server.port, path: '/mcp', connections, durationMs: ms, warmupMs, body: callBody(server.number), headers });
    if (memorySeconds === undefined) return await load(seconds * 1000, 1500);
    await load(3000, 1000);
    const before = await memory(server);
    const result = await load(memorySeconds * 1000, 0);
    const after = await memory(server);
    return { ...result, memory: { before: before.heapUsed, after: after.heapUsed, rss: after.rss } };
  } finally {
    await stop(server);
  }
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

/** The kit against the baselines, and the memory run; returns its targets. */
async function benchKit(): Promise<{ name: string; ok: boolean }[]> {
  progress(
    `${connections} connections, ${seconds}s per scenario, ${rounds} rounds, server ${hasTaskset ? 'pinned to core 0, load on core 1' : 'unpinned (no taskset)'}`,
  );
  const kinds = values.kinds.split(',');
  const samples: Record<string, LoadResult[]> = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const kind of kinds) {
      progress(`round ${round}/${rounds}: ${kind} ...`);
      samples[kind]!.push(await scenario(kind));
    }
  }
  const median = (list: LoadResult[]) => [...list].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(list.length / 2)]!;
  const results: Record<string, LoadResult> = Object.fromEntries(kinds.map((k) => [k, median(samples[k]!)]));
  const bare = results['bare']?.perSecond ?? 0;
  const sdk = results['sdk']?.perSecond ?? 0;
  console.log(row(['server', 'calls/s', 'p50 ms', 'p99 ms', 'errors', 'vs SDK example', 'vs ceiling']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
  const labels: Record<string, string> = {
    bare: 'ceiling: bare node:http + SQLite',
    sdk: 'SDK stateless example',
    kit: 'kit, stateless',
    'kit-stateful': 'kit, stateful (sessions)',
  };
  for (const [kind, r] of Object.entries(results)) {
    console.log(
      row([
        labels[kind]!,
        fmt(r.perSecond),
        r.p50Ms.toFixed(2),
        r.p99Ms.toFixed(2),
        String(r.errors),
        `${(r.perSecond / sdk).toFixed(2)}x`,
        `${((100 * r.perSecond) / bare).toFixed(0)}%`,
      ]),
    );
  }

  progress(`memory: the stateful kit for ${longSeconds}s ...`);
  const long = await scenario('kit-stateful', longSeconds);
  const mem = long.memory!;
  const perThousand = ((mem.after - mem.before) / (long.requests / 1000)).toFixed(1);
  console.log('');
  console.log(row(['long run', 'calls', 'heap before (MB)', 'heap after (MB)', 'bytes per 1k calls', 'rss (MB)']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  console.log(
    row([
      'kit, stateful',
      fmt(long.requests),
      (mem.before / 2 ** 20).toFixed(1),
      (mem.after / 2 ** 20).toFixed(1),
      perThousand,
      (mem.rss / 2 ** 20).toFixed(1),
    ]),
  );

  const targets: { name: string; ok: boolean }[] = [];
  const growth = (mem.after - mem.before) / mem.before;
  targets.push({
    name: `heap flat (±${FLAT_TOLERANCE_PERCENT}%) over the long run (${(100 * growth).toFixed(1)}%)`,
    ok: Math.abs(growth) <= FLAT_TOLERANCE_PERCENT / 100,
  });
  for (const [kind, label] of [
    ['kit', 'stateless'],
    ['kit-stateful', 'stateful'],
  ] as const) {
    const r = results[kind];
    if (!r) continue;
    if (sdk) targets.unshift({ name: `kit (${label}) >= 3x SDK example`, ok: r.perSecond >= 3 * sdk });
    if (bare) targets.unshift({ name: `kit (${label}) >= 50% of the bare node:http ceiling`, ok: r.perSecond >= 0.5 * bare });
  }
  return targets;
}

/** Opens and expires sessions in a child with --expose-gc; the heap must stay flat. */
async function benchChurn(): Promise<{ name: string; ok: boolean }[]> {
  const CHURN_ROUNDS = 10;
  progress(`session churn: ${churnSessions} sessions in ${CHURN_ROUNDS} rounds ...`);
  const script = fileURLToPath(new URL('./bench/sessionChurn.ts', import.meta.url));
  const perRound = Math.ceil(churnSessions / CHURN_ROUNDS);
  const child = fork(script, [String(perRound), String(CHURN_ROUNDS)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  if (child.pid) pinToCore0(child.pid);
  let output = '';
  for await (const chunk of child.stdout!) output += String(chunk);
  const result = JSON.parse(output) as ChurnResult;
  for (const line of churnTable(result)) console.log(line);
  return [
    {
      name: `heap flat (±${FLAT_TOLERANCE_PERCENT}%) and kit tables empty after ${fmt(result.sessions)} sessions expired`,
      ok: result.pass,
    },
  ];
}

/** Issue 12's targets for the orchestrator's own CPU per run and its MCP client. */
const ORCHESTRATOR_OVERHEAD_TARGET_MS = 5;

/** The orchestrator's CPU per three-tool run beyond the model's, and its MCP client's CPU per call against the SDK's. */
async function benchOrchestrator(): Promise<{ name: string; ok: boolean }[]> {
  progress(`orchestrator: ${orchestratorRuns} three-tool runs, then get_incident through both clients ...`);
  const script = fileURLToPath(new URL('./bench/orchestratorCpu.ts', import.meta.url));
  const child = fork(script, [String(orchestratorRuns), '200'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  if (child.pid) pinToCore0(child.pid);
  let output = '';
  for await (const chunk of child.stdout!) output += String(chunk);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the orchestrator bench exited with ${code} (its error is above)`);
  const r = JSON.parse(output) as OrchestratorCpuResult;
  console.log(
    row(['orchestrator per run (3 tools, offline planner)', 'runs', 'CPU beyond model p50 ms', 'p95 ms', 'model CPU p50 ms', 'target']),
  );
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  console.log(
    row([
      "thread CPU of the run minus the model's",
      String(r.runs),
      r.overheadP50Ms.toFixed(1),
      r.overheadP95Ms.toFixed(1),
      r.modelP50Ms.toFixed(1),
      `<= ${ORCHESTRATOR_OVERHEAD_TARGET_MS} ms p50`,
    ]),
  );
  console.log('');
  console.log(row(['MCP client per get_incident call', 'calls', 'CPU µs', 'vs SDK client']));
  console.log(row(['---', '---:', '---:', '---:']));
  console.log(row(['SDK Client.callTool', String(r.calls), r.sdkClientUs.toFixed(0), '1.00x']));
  console.log(
    row([
      'orchestrator (tool, adapter, connection)',
      String(r.calls),
      r.ourClientUs.toFixed(0),
      `${(r.ourClientUs / r.sdkClientUs).toFixed(2)}x`,
    ]),
  );
  return [
    {
      name: `orchestrator CPU per three-tool run beyond the model <= ${ORCHESTRATOR_OVERHEAD_TARGET_MS} ms p50 (${r.overheadP50Ms.toFixed(1)} ms)`,
      ok: r.overheadP50Ms <= ORCHESTRATOR_OVERHEAD_TARGET_MS,
    },
    {
      name: `orchestrator's MCP client CPU per call <= the SDK client's (${r.ourClientUs.toFixed(0)} vs ${r.sdkClientUs.toFixed(0)} µs)`,
      ok: r.ourClientUs <= r.sdkClientUs,
    },
  ];
}

const wants = (part: string) => only === undefined || only === part;
const targets: { name: string; ok: boolean }[] = [];
const section = async (part: string, bench: () => Promise<{ name: string; ok: boolean }[]>) => {
  if (!wants(part)) return;
  if (targets.length || part !== 'kit') console.log('');
  targets.push(...(await bench()));
};
await section('kit', benchKit);
await section('churn', benchChurn);
await section('orchestrator', benchOrchestrator);
await section('cli', async () => {
  const result = cliStartTable(await runCliStartBench({ rounds: cliRounds, progress }));
  for (const line of result.lines) console.log(line);
  return result.targets;
});
await section('service', async () => {
  progress(`service: server ${hasTaskset ? 'pinned to core 0, load on core 1' : 'unpinned (no taskset)'}`);
  // The baseline's code under the same load in the same run, when this is a git checkout with that ref.
  let baseline: { label: string; result: ServiceResult } | undefined;
  const ref = values['service-baseline'];
  if (ref !== 'none' && serviceConcurrency === SERVICE_BASELINE_CONCURRENCY) {
    const tree = exportBaselineTree(ref);
    if ('problem' in tree) progress(`service: no baseline in this run (${tree.problem}); the recorded figure stands in`);
    else {
      try {
        progress(`service: baseline ${ref} (${tree.commit.slice(0, 10)}) first ...`);
        const script = join(tree.dir, 'scripts', 'bench', 'serviceServer.ts');
        const [result] = await runServiceBench({
          concurrency: serviceConcurrency,
          seconds: serviceSeconds,
          pin: pinToCore0,
          progress,
          script,
          concurrentOnly: true,
        });
        baseline = { label: `${ref} ${tree.commit.slice(0, 7)}`, result: result! };
      } finally {
        tree.remove();
      }
    }
  }
  const service = await runServiceBench({ concurrency: serviceConcurrency, seconds: serviceSeconds, pin: pinToCore0, progress });
  const table = serviceTable(service, serviceConcurrency, baseline);
  for (const line of table.lines) console.log(line);
  const errors = service.reduce((sum, r) => sum + r.errors, 0);
  return [...table.targets, ...(errors > 0 ? [{ name: `service runs without errors (${errors})`, ok: false }] : [])];
});
console.log('');
for (const target of targets) console.log(`${target.ok ? 'PASS' : 'FAIL'}  ${target.name}`);
process.exitCode = targets.every((t) => t.ok) ? 0 : 1;
