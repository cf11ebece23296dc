import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface BenchAgents {
  /** Agent name -> its /mcp URL. */
  readonly urls: Record<string, string>;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** The built-in agents in a process of their own (agentsProcess.ts), once all of them listen. */
export async function startBenchAgents(): Promise<BenchAgents> {
  const child = fork(fileURLToPath(new URL('./agentsProcess.ts', import.meta.url)), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    const match = /urls=(\{.*\})\n/.exec(output);
    if (match) return { urls: JSON.parse(match[1]!) as Record<string, string>, child, stop };
  }
  await stop();
  throw new Error('the bench agents exited before listening (their error is above)');
}
