import express, { type Router } from 'express';
import type { ServerEntry } from '../config/file.ts';
import { describeError } from '../errors.ts';
import type { ApiAuth } from './auth.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../telemetry/index.ts';
import type { ServiceMetrics } from './metrics.ts';
import type { RunManager } from './runs.ts';
import type { RunStore } from './runStore.ts';

/** How long `/readyz` waits for an agent or the store to answer. Default 2 s. */
export const DEFAULT_PROBE_TIMEOUT_MS = 2000;

export interface OpsContext {
  readonly servers: Readonly<Record<string, ServerEntry>>;
  readonly store: RunStore;
  readonly runs: RunManager;
  readonly metrics: ServiceMetrics;
  readonly auth: ApiAuth;
  readonly version: string;
  readonly probeTimeoutMs?: number;
}

export interface AgentProbe {
  readonly reachable: boolean;
  /** The HTTP status the agent's endpoint answered with (any answer means it is up). */
  readonly httpStatus?: number;
  readonly error?: string;
}

/** Whether an MCP server answers HTTP at its URL at all; a 4xx to a bare GET still means it is up. */
async function probe(entry: ServerEntry, timeoutMs: number): Promise<AgentProbe> {
  try {
    const response = await fetch(entry.url, {
      method: 'GET',
      headers: { ...entry.headers, accept: 'text/event-stream' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return { reachable: true, httpStatus: response.status };
  } catch (error) {
    return { reachable: false, error: describeError((error as { cause?: unknown }).cause ?? error) };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** `/healthz` (the process is up), `/readyz` (store and agents reachable, not draining), `/metrics`. */
export function createOpsRouter(ctx: OpsContext): Router {
  const router = express.Router();
  const timeoutMs = ctx.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'switchboard', version: ctx.version, replica: ctx.runs.replicaId, draining: ctx.runs.isDraining });
  });
  router.get('/readyz', async (_req, res) => {
    const enabled = Object.entries(ctx.servers).filter(([, entry]) => entry.enabled);
    const [store, probes] = await Promise.all([
      withTimeout(ctx.store.ping(), timeoutMs, 'the store').then(
        () => ({ kind: ctx.store.kind, ok: true }),
        (error: unknown) => ({ kind: ctx.store.kind, ok: false, error: describeError(error) }),
      ),
      Promise.all(enabled.map(async ([name, entry]) => [name, await probe(entry, timeoutMs)] as const)),
    ]);
    const agents = Object.fromEntries(probes);
    const reachable = probes.filter(([, p]) => p.reachable).length;
    const draining = ctx.runs.isDraining;
    const ready = store.ok && !draining && (enabled.length === 0 || reachable > 0);
    res.status(ready ? 200 : 503).json({ ready, draining, store, agents });
  });
  router.get('/metrics', async (req, res) => {
    await ctx.auth.identify(req);
    res.type(PROMETHEUS_CONTENT_TYPE).send(await ctx.metrics.render());
  });
  return router;
}
