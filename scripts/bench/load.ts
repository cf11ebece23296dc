import { connect, type Socket } from 'node:net';

export interface LoadOptions {
  readonly port: number;
  readonly path: string;
  readonly connections: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Builds the body of the i-th request on a connection. */
  readonly body: (connection: number, i: number) => string;
  /** Extra headers per connection (a session id). */
  readonly headers?: (connection: number) => Record<string, string>;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets: each connection sends a
 * request, reads the whole response (Content-Length or chunked), and sends the next. Much
 * lighter than an HTTP client library, so one core of load can saturate one core of server.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const measureFrom = started + options.warmupMs;
    const stopAt = measureFrom + options.durationMs;
    let requests = 0;
    let errors = 0;
    const latencies: number[] = [];
    let open = options.connections;
    const sockets: Socket[] = [];

    const finish = () => {
      if (--open > 0) return;
      latencies.sort((a, b) => a - b);
      const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
      const seconds = options.durationMs / 1000;
      resolve({ requests, errors, seconds, perSecond: requests / seconds, p50Ms: pick(0.5), p99Ms: pick(0.99) });
    };

    for (let c = 0; c < options.connections; c++) {
      // The caller's headers win: a 2026-07-28 request names its own protocol version.
      const extra = Object.entries({ 'Mcp-Protocol-Version': '2025-11-25', ...options.headers?.(c) })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      const head = `POST ${options.path} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n${extra}`;
      const socket = connect(options.port, '127.0.0.1');
      socket.setNoDelay(true);
      sockets.push(socket);
      let i = 0;
      let sentAt = 0;
      let buffer = '';
      const send = () => {
        const body = options.body(c, i++);
        sentAt = performance.now();
        socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      };
      socket.on('connect', send);
      socket.on('error', (error) => reject(error));
      socket.on('close', finish);
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        for (;;) {
          const end = responseEnd(buffer);
          if (end < 0) return;
          const status = buffer.charCodeAt(9) === 50; /* '2' */
          buffer = buffer.slice(end);
          const now = performance.now();
          if (now >= measureFrom && now < stopAt) {
            requests++;
            if (!status) errors++;
            latencies.push(now - sentAt);
          }
          if (now >= stopAt) {
            socket.end();
            return;
          }
          send();
        }
      });
    }
  });
}

/** Index just past the first complete response in `buffer`, or -1. */
function responseEnd(buffer: string): number {
  const headerEnd = buffer.indexOf('\r\n\r\n');
  if (headerEnd < 0) return -1;
  const headers = buffer.slice(0, headerEnd).toLowerCase();
  const bodyStart = headerEnd + 4;
  const lengthAt = headers.indexOf('content-length:');
  if (lengthAt >= 0) {
    const length = parseInt(headers.slice(lengthAt + 15), 10);
    return buffer.length >= bodyStart + length ? bodyStart + length : -1;
  }
  if (headers.includes('transfer-encoding: chunked')) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return -1;
      const size = parseInt(buffer.slice(at, lineEnd), 16);
      if (size === 0) return buffer.length >= lineEnd + 4 ? lineEnd + 4 : -1;
      at = lineEnd + 2 + size + 2;
      if (at > buffer.length) return -1;
    }
  }
  return bodyStart;
}
