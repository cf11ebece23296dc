/**
 * The service `npm run bench` loads, in one process so it can be pinned to a core: the three
 * built-in agents on 127.0.0.1:0 and the service on 127.0.0.1:0 with the offline planner, state
 * in SQLite under a temporary SWITCHBOARD_DATA_DIR (removed at exit), no API keys, and limits
 * raised so the bench measures the service rather than its throttle.
 *
 *   node scripts/bench/serviceServer.ts [concurrency]
 *
 * Prints `port=N` when listening; answers `cpu` on IPC with the process's CPU time so far (ms).
 * Exits on SIGTERM/SIGINT (so `--cpu-prof` can write its profile).
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../src/config/env.ts';
import { ServerEntrySchema } from '../../src/config/file.ts';
import { createChatModel, parseModelSpec } from '../../src/llm/index.ts';
import { createServiceApp, openRunStore, type ModelResolver } from '../../src/service/index.ts';
import { createCheckpointer } from '../../src/store/checkpoint/index.ts';
import { startBuiltinAgent } from '../lib/builtinAgents.ts';

const AGENTS = ['analysis', 'incident', 'search'] as const;
const concurrency = Math.max(1, Number(process.argv[2] ?? 8) || 8);

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
const warn = (message: string) => process.stderr.write(`bench service: ${message}\n`);

// Only what is given here: no model keys or tokens from the caller's environment.
const env = loadEnv({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_MODEL: 'offline' });
const agents = await Promise.all(AGENTS.map((name) => startBuiltinAgent(name, env, { port: 0, onWarning: warn })));
// Without the ask_*_agent tools, as the service tests run them: each request is one direct tool call.
const servers = Object.fromEntries(
  agents.map((agent, i) => [AGENTS[i]!, ServerEntrySchema.parse({ url: agent.url, exclude: ['ask_*_agent'] })]),
);

const offline = createChatModel(parseModelSpec('offline', env), env);
const resolveModel: ModelResolver = () => ({ name: 'offline', model: offline });
const checkpointer = await createCheckpointer({ dataDir });
const store = await openRunStore({ dataDir, onWarning: warn });
const app = createServiceApp({
  servers,
  checkpointer: checkpointer.saver,
  store,
  resolveModel,
  concurrencyPerKey: concurrency,
  queuePerKey: Math.max(1000, concurrency * 10),
  onWarning: warn,
});
const server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 }, app);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
await app.start();

process.stdout.write(`port=${(server.address() as AddressInfo).port}\n`);
process.on('message', (message) => {
  if (message !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMs: (user + system) / 1000 });
});
