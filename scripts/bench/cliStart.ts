/**
 * The CLI-start rows of `npm run bench`: the wall time of `orchestrate --json` on the three-tool
 * request, with the agents already running (they run in another process, see agentsProcess.ts)
 * and with nothing running (the CLI starts the built-in agents itself), against the floor of
 * any LangGraph CLI on this machine: `node -e "await import('@langchain/langgraph')"`. The three
 * are interleaved over rounds and each reports its median, in the same run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchAgents } from './benchAgents.ts';
import { THREE_TOOL_REQUEST } from './orchestratorCpu.ts';

export interface CliStartResult {
  readonly rounds: number;
  /** Median wall times, ms. */
  readonly floorMs: number;
  readonly warmMs: number;
  readonly coldMs: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const AGENTS = ['analysis', 'incident', 'search'] as const;

/** Wall time of one command to its exit; a non-zero exit or an unexpected output is an error. */
async function timed(args: string[], env: NodeJS.ProcessEnv, check?: (stdout: string) => string | undefined): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const [code] = (await once(child, 'exit')) as [number | null];
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${args.slice(0, 2).join(' ')} exited with ${code}: ${stderr.trim().slice(-400)}`);
  const problem = check?.(stdout);
  if (problem) throw new Error(`${args.slice(0, 2).join(' ')}: ${problem}`);
  return ms;
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

const threeCalls = (stdout: string) => {
  const result = JSON.parse(stdout) as { toolCalls?: { ok: boolean }[] };
  const calls = result.toolCalls ?? [];
  return calls.length === 3 && calls.every((call) => call.ok) ? undefined : `expected 3 good tool calls, got ${JSON.stringify(calls)}`;
};

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;

export async function runCliStartBench(options: { rounds: number; progress: (message: string) => void }): Promise<CliStartResult> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-cli-'));
  const agents = await startBenchAgents();
  const { urls } = agents;
  try {
    const entry = (url: string, agent: string) => ({ url, agent, autoStart: true, exclude: ['ask_*_agent'] });
    const warmConfig = join(dir, 'warm.json');
    writeFileSync(warmConfig, JSON.stringify({ servers: Object.fromEntries(AGENTS.map((a) => [a, entry(urls[a]!, a)])) }));
    const coldConfig = join(dir, 'cold.json');
    const nobody = `http://127.0.0.1:${await closedPort()}/mcp`;
    writeFileSync(coldConfig, JSON.stringify({ servers: Object.fromEntries(AGENTS.map((a) => [a, entry(nobody, a)])) }));
    // Only what is given here: no model keys, tokens or tracing from the caller's environment.
    const env = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      SWITCHBOARD_MODEL: 'offline',
      SWITCHBOARD_DATA_DIR: join(dir, 'data'),
    };
    const floor = () => timed(['--input-type=module', '-e', "await import('@langchain/langgraph')"], env);
    const cli = (config: string) => timed(['scripts/orchestrate.js', '--config', config, '--json', THREE_TOOL_REQUEST], env, threeCalls);
    // One of each first, not counted: the OS file cache and Node's compile cache start warm, as on a machine in use.
    await floor();
    await cli(warmConfig);
    await cli(coldConfig);
    const samples = { floor: [] as number[], warm: [] as number[], cold: [] as number[] };
    for (let round = 1; round <= options.rounds; round++) {
      options.progress(`cli start: round ${round}/${options.rounds} ...`);
      samples.floor.push(await floor());
      samples.warm.push(await cli(warmConfig));
      samples.cold.push(await cli(coldConfig));
    }
    return { rounds: options.rounds, floorMs: median(samples.floor), warmMs: median(samples.warm), coldMs: median(samples.cold) };
  } finally {
    await agents.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows, as Markdown, and the targets: warm <= 1.25x the floor, cold <= 2x. */
export function cliStartTable(result: CliStartResult): { lines: string[]; targets: { name: string; ok: boolean }[] } {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const ratio = (ms: number) => ms / result.floorMs;
  const lines = [
    row(['CLI start (median of ' + result.rounds + ')', 'wall ms', 'vs floor', 'target']),
    row(['---', '---:', '---:', '---:']),
    row(['floor: node -e "await import(\'@langchain/langgraph\')"', result.floorMs.toFixed(0), '1.00x', '-']),
    row(['orchestrate, agents running', result.warmMs.toFixed(0), `${ratio(result.warmMs).toFixed(2)}x`, '<= 1.25x']),
    row(['orchestrate, nothing running (starts agents)', result.coldMs.toFixed(0), `${ratio(result.coldMs).toFixed(2)}x`, '<= 2x']),
  ];
  return {
    lines,
    targets: [
      {
        name: `CLI start, agents running <= 1.25x the LangGraph import floor (${ratio(result.warmMs).toFixed(2)}x)`,
        ok: ratio(result.warmMs) <= 1.25,
      },
      { name: `CLI start, nothing running <= 2x the floor (${ratio(result.coldMs).toFixed(2)}x)`, ok: ratio(result.coldMs) <= 2 },
    ],
  };
}
