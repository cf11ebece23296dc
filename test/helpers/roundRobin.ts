import { once } from 'node:events';
import { request, createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface RoundRobin {
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  /** Which backend (index into `targets`) served each request, in order. */
  readonly servedBy: number[];
  close(): Promise<void>;
}

/**
 * A plain HTTP balancer for tests, as nginx's default upstream is: each request goes to the next
 * backend in turn, with no affinity; a backend that refuses the connection (a dead replica) is
 * skipped for the next one. Responses stream through (SSE), and a backend dying mid-response
 * drops the client's connection, as a real balancer does.
 */
export async function startRoundRobin(targets: readonly string[]): Promise<RoundRobin> {
  const backends = targets.map((target) => new URL(target));
  const servedBy: number[] = [];
  let next = 0;

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tries: number): void => {
    const index = next++ % backends.length;
    const to = backends[index]!;
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (answer) => {
        servedBy.push(index);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        answer.on('aborted', () => res.destroy());
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      if (error.code === 'ECONNREFUSED' && tries + 1 < backends.length) return forward(req, res, body, tries + 1);
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway: ${error.message}`);
    });
    res.once('close', () => upstream.destroy());
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 0));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    servedBy,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
