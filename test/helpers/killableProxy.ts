import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

export interface KillableProxy {
  /** The proxy's `http://127.0.0.1:<port>` with `path` of the target kept. */
  readonly url: string;
  /** Drops every connection mid-stream and stops listening, as a server process that died: new connections are refused. */
  kill(): Promise<void>;
}

/** A TCP pass-through on 127.0.0.1:0 to `target` (an http URL), for making a server "die" mid-call. */
export async function startKillableProxy(target: string): Promise<KillableProxy> {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(to.port), to.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = new URL(target);
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.href,
    async kill() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
