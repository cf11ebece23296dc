/**
 * The session-churn memory check of `npm run bench`: opens and expires sessions in rounds and
 * shows that the heap after a forced GC stays flat. Each session does what a real client does:
 * initialize, `notifications/initialized`, a tool call that streams (progress, stored events, a
 * resume window), and then it goes quiet and expires. Run in a child with --expose-gc.
 */
import { z } from 'zod';
import { defineAgent, defineTool, startAgentServer } from '../../src/mcp/index.ts';

export interface ChurnResult {
  readonly sessions: number;
  readonly rounds: number;
  /** MB after a forced GC: after the first round (warm), then after the last. */
  readonly heapWarmMb: number;
  readonly heapEndMb: number;
  readonly changePercent: number;
  readonly pass: boolean;
  /** The kit's tables after the last expiry (all zero or something leaks). */
  readonly tables: Record<string, number>;
}

/** Within this much of the warm heap, the heap is flat. */
export const FLAT_TOLERANCE_PERCENT = 10;

const V = '2025-11-25';

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) collect();
}

export async function runSessionChurn(options: { sessions: number; rounds: number; parallel?: number }): Promise<ChurnResult> {
  const agent = defineAgent({
    name: 'churn',
    version: '1.0.0',
    instructions: 'Echoes, for the session-churn bench.',
    tools: [
      defineTool({
        name: 'echo',
        title: 'Echo',
        description: 'Returns its text.',
        input: z.object({ text: z.string() }),
        output: z.object({ text: z.string() }),
        annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        handler: async ({ text }, context) => {
          await context.progress(1, 1, 'done'); // an event: the answer streams, and its events are stored
          return { structured: { text }, text };
        },
      }),
    ],
  });
  // A short resume window and idle timeout: the round's sessions are expired by hand anyway.
  const server = await startAgentServer(agent, { port: 0, maxSessions: 100_000, maxSessionsPerClient: 100_000 });
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': V };
  const post = async (body: unknown, session?: string) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: session ? { ...headers, 'mcp-session-id': session } : headers,
      body: JSON.stringify(body),
    });
    await response.text();
    return response;
  };
  const oneSession = async (i: number) => {
    const init = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'churn', version: '1' } },
    });
    const id = init.headers.get('mcp-session-id')!;
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, id);
    await post(
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: `s${i}` }, _meta: { progressToken: 1 } } },
      id,
    );
  };
  const parallel = options.parallel ?? 20;
  const heaps: number[] = [];
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < options.sessions; i += parallel) {
        await Promise.all(Array.from({ length: Math.min(parallel, options.sessions - i) }, (_, j) => oneSession(i + j)));
      }
      await new Promise((resolve) => setTimeout(resolve, 20)); // resume windows (1 ms) end
      await server.app.expireIdleSessions(Date.now() + 365 * 24 * 3600_000);
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      heaps.push(process.memoryUsage().heapUsed / 1e6);
    }
    const tables = { ...server.app.kitTables() };
    const warm = heaps[0]!;
    const end = heaps.at(-1)!;
    const changePercent = ((end - warm) / warm) * 100;
    return {
      sessions: options.sessions * options.rounds,
      rounds: options.rounds,
      heapWarmMb: warm,
      heapEndMb: end,
      changePercent,
      pass: Math.abs(changePercent) <= FLAT_TOLERANCE_PERCENT && Object.values(tables).every((n) => n === 0),
      tables,
    };
  } finally {
    await server.close();
  }
}

/** Heap figures as a table row and a PASS/FAIL line. */
export function churnTable(r: ChurnResult): string[] {
  const tables = Object.entries(r.tables)
    .filter(([, n]) => n !== 0)
    .map(([name, n]) => `${name}=${n}`);
  return [
    '| session churn | sessions | rounds | heap after round 1 (MB) | heap after last (MB) | change | tables left |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    `| kit, stateful | ${r.sessions.toLocaleString('en-US')} | ${r.rounds} | ${r.heapWarmMb.toFixed(1)} | ${r.heapEndMb.toFixed(1)} | ${r.changePercent >= 0 ? '+' : ''}${r.changePercent.toFixed(1)}% | ${tables.length ? tables.join(', ') : 'none'} |`,
  ];
}

// As a child of `npm run bench`: `node --expose-gc sessionChurn.ts SESSIONS ROUNDS` prints the result as JSON.
if (import.meta.main) {
  const [sessions, rounds] = process.argv.slice(2).map(Number);
  const result = await runSessionChurn({ sessions: sessions!, rounds: rounds! });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
