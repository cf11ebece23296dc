import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

/** A free loopback port (the third-party server cannot listen on port 0 and tell us). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ThirdPartyServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `@modelcontextprotocol/server-everything` from the npm registry, a server we did not write,
 * over Streamable HTTP on a free port.
 */
export async function startEverythingServer(): Promise<ThirdPartyServer> {
  const entry = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [entry, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  for await (const chunk of child.stderr!) {
    log += String(chunk);
    if (log.includes('listening on port')) break;
  }
  if (child.exitCode !== null) throw new Error(`server-everything did not start: ${log}`);
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
