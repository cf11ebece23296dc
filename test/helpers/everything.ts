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
 * on a free port: over Streamable HTTP (`url` ends in /mcp), or only the legacy HTTP+SSE
 * transport (`sse`: GET /sse + POST /message; `url` ends in /sse, and /mcp answers 404).
 */
export async function startEverythingServer(transport: 'streamableHttp' | 'sse' = 'streamableHttp'): Promise<ThirdPartyServer> {
  const entry = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [entry, transport], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Read with a listener, not `for await`: breaking out of that destroys the pipe, and the
  // server's next log line (the SSE mode logs every connection) would kill it with EPIPE.
  let log = '';
  const started = await new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer) => {
      log += String(chunk);
      if (!/listening on port|running on port/.test(log)) return;
      child.stderr!.off('data', onData);
      child.stderr!.resume();
      resolve(true);
    };
    child.stderr!.on('data', onData);
    child.once('exit', () => resolve(false));
  });
  if (!started) throw new Error(`server-everything did not start: ${log}`);
  return {
    url: `http://127.0.0.1:${port}/${transport === 'sse' ? 'sse' : 'mcp'}`,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
