/**
 * The built-in agents in a process of their own, so a bench can measure the orchestrator's CPU
 * without theirs: each on 127.0.0.1:0, state in SQLite under a temporary SWITCHBOARD_DATA_DIR
 * (removed at exit), the offline model, no keys from the caller's environment.
 *
 *   node scripts/bench/agentsProcess.ts [name ...]   (default: analysis incident search)
 *
 * Prints `urls={"name":"http://127.0.0.1:N/mcp",...}` when all listen; exits on SIGTERM/SIGINT.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../src/config/env.ts';
import { startBuiltinAgent } from '../lib/builtinAgents.ts';

const names = process.argv.length > 2 ? process.argv.slice(2) : ['analysis', 'incident', 'search'];
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-agents-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));

const env = loadEnv({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_MODEL: 'offline' });
const warn = (message: string) => process.stderr.write(`bench agents: ${message}\n`);
const agents = await Promise.all(names.map((name) => startBuiltinAgent(name, env, { port: 0, onWarning: warn })));
process.stdout.write(`urls=${JSON.stringify(Object.fromEntries(agents.map((agent, i) => [names[i]!, agent.url])))}\n`);
