import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Cleanup } from './cleanup.ts';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * This process's environment plus `extra`, without node:test's marker: a child `node --test`
 * then reports as a user sees it, not to this test runner.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_TEST_CONTEXT'];
  return env;
}

/** Runs a command to the end (no terminal), collecting its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input);
  });
}

/** Runs `node scripts/<script>.ts ...args` as a user would (no terminal), with the given environment. */
export function runCli(script: string, args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliResult> {
  return runCommand(process.execPath, [`scripts/${script}.ts`, ...args], { env: { ...process.env, ...env } as NodeJS.ProcessEnv, input });
}

/** A script started by {@link startScript}: its process, the URL it listens on, and what it has printed so far. */
export interface StartedScript {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
}

/**
 * Starts `node scripts/<script>.ts` and waits for its "listening on" URL (http or https); `cleanup`
 * kills it, started or not. Rejects with its output when it exits first.
 */
export async function startScript(script: string, args: string[], env: Record<string, string>, cleanup: Cleanup): Promise<StartedScript> {
  const child = spawn(process.execPath, [`scripts/${script}.ts`, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanup.defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  });
  let log = '';
  child.stderr.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: string) => {
      log += chunk;
      const match = /listening on (https?:\/\/\S+)/.exec(log);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${log}`)));
  });
  return { child, url, stderr: () => log };
}
