/**
 * The servers `npm run bench` compares, one per process so each can be pinned to a core:
 *   bare       the ceiling: a node:http handler that parses the same JSON-RPC body, runs the same
 *              SQLite read as get_incident and writes the same JSON, without MCP
 *   sdk        the MCP SDK's stateless example pattern: a new McpServer + transport per request
 *   kit        our kit, stateless
 *   kit-stateful  our kit, stateful (sessions)
 *   kit-redis  our kit, stateful with its sessions and events in Redis (BENCH_REDIS_URL, default 127.0.0.1:6379)
 *   sdk2       the SDK v2 pattern for 2026-07-28: createMcpHandler (a new McpServer per request) on node:http
 *   kit-modern our kit (stateful, so both eras are served), answering 2026-07-28 requests on its own transport
 *   kit-modern-sdk  the same, with every 2026-07-28 request through the SDK v2 handler it mounts
 * Each serves the incident agent's `get_incident` over one incident in a fresh SQLite file (removed at
 * exit). Prints `port=N number=INC...` when listening; answers `gc` on IPC with memory, `cpu` with its CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { createMcpHandler, McpServer as McpServerV2 } from '@modelcontextprotocol/server';
import { RedisEventStore, RedisSessionStore, startAgentServer, uniqueRedisPrefix } from '../../src/mcp/index.ts';
import { createIncidentAgent, openSqliteIncidentRepository } from '../../servers/incident/index.ts';
import { GetIncidentInputSchema, GetIncidentOutputSchema } from '../../servers/incident/schemas.ts';
import { renderIncident, toIncidentView } from '../../servers/incident/view.ts';

const kind = process.argv[2];
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-kit-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
// Exit (rather than die) on a signal, so `--cpu-prof` can write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));

const repository = await openSqliteIncidentRepository({ path: join(dataDir, 'incident.sqlite') });
const { incident } = await repository.create(
  {
    short_description: 'Login fails for all users after the SSO change',
    description: 'Since 8am every sign-in loops back to the login page.',
    urgency: 1,
    impact: 1,
    work_note: 'Rolled back the IdP certificate; waiting for the caller to confirm.',
  },
  'bench',
);

function report(port: number): void {
  process.stdout.write(`port=${port} number=${incident.number}\n`);
  process.on('message', (message) => {
    // CPU time this process has used (user + system, µs): per call it is steadier than calls/s on a busy machine.
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMicros: user + system });
      return;
    }
    if (message !== 'gc') return;
    globalThis.gc?.();
    process.send?.({ heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
  });
}

/** What get_incident does once MCP has handed it its arguments: the read, the view, the text. */
async function getIncident(number: string) {
  const found = await repository.get(number.toUpperCase(), { includeAudit: false });
  if (found === undefined) throw new Error(`no incident ${number}`);
  const view = toIncidentView(found);
  return { content: [{ type: 'text' as const, text: renderIncident(view) }], structuredContent: { incident: view } };
}

if (kind === 'bare') {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; params: { arguments: { number: string } } };
      void getIncident(message.params.arguments.number).then((result) => {
        const body = JSON.stringify({ jsonrpc: '2.0', id: message.id, result });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
  });
  server.listen(0, '127.0.0.1', () => report((server.address() as AddressInfo).port));
} else if (kind === 'sdk') {
  const app = createMcpExpressApp();
  app.post('/mcp', async (req, res) => {
    const server = new McpServer({ name: 'sdk-stateless', version: '1.0.0' }, { capabilities: { logging: {} } });
    server.registerTool(
      'get_incident',
      { description: 'Get incident', inputSchema: GetIncidentInputSchema, outputSchema: GetIncidentOutputSchema },
      async ({ number }) => getIncident(number),
    );
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
  });
  const server = app.listen(0, '127.0.0.1', () => report((server.address() as AddressInfo).port));
} else if (kind === 'sdk2') {
  const handler = createMcpHandler(
    () => {
      const server = new McpServerV2({ name: 'sdk2-modern', version: '1.0.0' }, { capabilities: { logging: {} } });
      server.registerTool(
        'get_incident',
        { description: 'Get incident', inputSchema: GetIncidentInputSchema, outputSchema: GetIncidentOutputSchema },
        async ({ number }) => getIncident(number),
      );
      return server;
    },
    { legacy: 'reject' },
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) });
      void handler.fetch(request).then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': body.length });
        res.end(body);
      });
    });
  });
  server.listen(0, '127.0.0.1', () => report((server.address() as AddressInfo).port));
} else if (kind === 'kit' || kind === 'kit-stateful' || kind === 'kit-redis' || kind === 'kit-modern' || kind === 'kit-modern-sdk') {
  const agent = createIncidentAgent({ repository });
  let redis = {};
  if (kind === 'kit-redis') {
    const url = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    // A prefix of its own, and keys that expire a minute after the run.
    const prefix = uniqueRedisPrefix().replace('switchboard-test', 'switchboard-bench');
    redis = {
      eventStore: await RedisEventStore.connect({ url, prefix: `${prefix}:sse`, ttlSeconds: 60 }),
      sessionStore: await RedisSessionStore.connect({ url, prefix: `${prefix}:sessions`, idleTimeoutMs: 60_000, lifetimeMs: 600_000 }),
      idleTimeoutMs: 60_000,
    };
  }
  const running = await startAgentServer(agent, {
    port: 0,
    stateless: kind === 'kit',
    maxSessions: 10_000,
    modernFastPath: kind !== 'kit-modern-sdk',
    ...redis,
  });
  report(running.port);
} else {
  process.stderr.write(`unknown server kind: ${kind}\n`);
  process.exit(2);
}
