import express, { type Request, type Response, type Router } from 'express';
import type { ApiAuth } from './auth.ts';
import { followRun, type RunEventBus } from './events.ts';
import { HttpError, notFound } from './httpError.ts';
import type { OrchestratorCache } from './orchestrators.ts';
import { ApprovalBodySchema, CreateRunSchema, checkInput, parseBody } from './requests.ts';
import type { RunManager } from './runs.ts';
import type { RunRecord, RunStore } from './runStore.ts';
import { openSse, resumePoint, wantsStream, wireEvent } from './sse.ts';
import { threadMessages } from './threads.ts';
import { runView } from './view.ts';

/** Events one JSON page of `GET /v1/runs/:id/events` holds at most. */
export const EVENTS_PAGE_LIMIT = 1000;

/** Open streams and waits, so a shutdown can end them and metrics can count them. */
export class StreamTracker {
  private readonly open = new Set<AbortController>();
  private readonly closing = new AbortController();

  get size(): number {
    return this.open.size;
  }

  /** A signal that fires when the client leaves (`res` closes) or the service shuts down. */
  track(res: Response): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    this.open.add(controller);
    const abort = () => controller.abort();
    res.on('close', abort);
    const signal = AbortSignal.any([controller.signal, this.closing.signal]);
    return {
      signal,
      done: () => {
        res.off('close', abort);
        this.open.delete(controller);
      },
    };
  }

  closeAll(): void {
    this.closing.abort();
  }
}

export interface RouteContext {
  readonly runs: RunManager;
  readonly store: RunStore;
  readonly bus: RunEventBus;
  readonly orchestrators: OrchestratorCache;
  readonly auth: ApiAuth;
  readonly streams: StreamTracker;
  readonly maxBodyBytes: number;
  readonly maxInputChars: number;
  readonly followPollMs?: number;
  readonly keepAliveMs?: number;
}

const idParam = (req: Request) => String(req.params['id']);
const prefersAsync = (req: Request) => /\brespond-async\b/i.test(req.get('prefer') ?? '');

function methodNotAllowed(allowed: string) {
  return (req: Request) => {
    throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed}`, { allow: allowed });
  };
}

/** The `/v1` API: runs, their events and approvals, threads. */
export function createApiRouter(ctx: RouteContext): Router {
  const router = express.Router();
  const json = express.json({ limit: ctx.maxBodyBytes, strict: true });
  const owner = (req: Request, allowQueryToken = false) => {
    const token = allowQueryToken && typeof req.query['access_token'] === 'string' ? req.query['access_token'] : undefined;
    return ctx.auth.identify(req, token);
  };

  const stream = async (res: Response, runId: string, after: number) => {
    const sse = openSse(res, { keepAliveMs: ctx.keepAliveMs, headers: { 'x-run-id': runId } });
    const tracked = ctx.streams.track(res);
    try {
      await followRun({
        store: ctx.store,
        bus: ctx.bus,
        runId,
        after,
        onEvent: (event) => sse.send(event),
        signal: AbortSignal.any([sse.signal, tracked.signal]),
        pollMs: ctx.followPollMs,
      });
    } finally {
      tracked.done();
      sse.end();
    }
  };

  /** A started or resumed run: 202 at once (`Prefer: respond-async`), its live events, or its result once it settles. */
  const respond = async (req: Request, res: Response, run: RunRecord, after: number) => {
    res.set('location', `/v1/runs/${run.id}`);
    if (prefersAsync(req)) {
      res.status(202).json(runView(run));
      return;
    }
    if (wantsStream(req)) {
      await stream(res, run.id, after);
      return;
    }
    const tracked = ctx.streams.track(res);
    try {
      // A client that leaves stops the wait, never the run.
      const settled = await ctx.runs.waitSettled(run.id, after, tracked.signal);
      if (!res.writableEnded && !res.destroyed) res.status(200).json(runView(settled));
    } finally {
      tracked.done();
    }
  };

  router.post(
    '/runs',
    async (req, _res, next) => {
      await owner(req);
      next();
    },
    json,
    async (req, res) => {
      const body = parseBody(CreateRunSchema, req);
      const input = checkInput(body.input, ctx.maxInputChars);
      const run = await ctx.runs.begin({
        owner: await owner(req),
        input,
        threadId: body.threadId,
        model: body.model,
        servers: body.servers,
      });
      await respond(req, res, run, 0);
    },
  );
  router.get('/runs', async (req, res) => {
    const who = await owner(req);
    const threadId = typeof req.query['threadId'] === 'string' ? req.query['threadId'] : undefined;
    const limit = Math.min(200, Math.max(1, Math.trunc(Number(req.query['limit'] ?? 50)) || 50));
    const runs = await ctx.store.listRuns(who, { threadId, limit });
    res.json({ runs: runs.map(runView) });
  });
  router.all('/runs', methodNotAllowed('GET, POST'));

  router.get('/runs/:id', async (req, res) => {
    res.json(runView(await ctx.runs.get(await owner(req), idParam(req))));
  });
  router.delete('/runs/:id', async (req, res) => {
    const { run, accepted } = await ctx.runs.cancel(await owner(req), idParam(req));
    res.status(accepted ? 202 : 200).json(runView(run));
  });
  router.all('/runs/:id', methodNotAllowed('GET, DELETE'));

  router.get('/runs/:id/events', async (req, res) => {
    const run = await ctx.runs.get(await owner(req, true), idParam(req));
    const after = resumePoint(req);
    if (wantsStream(req)) {
      await stream(res, run.id, after);
      return;
    }
    const events = await ctx.store.eventsAfter(run.id, after, EVENTS_PAGE_LIMIT);
    const latest = await ctx.runs.get(run.owner, run.id);
    res.json({ runId: run.id, status: latest.status, lastEventId: latest.lastSeq, events: events.map(wireEvent) });
  });
  router.all('/runs/:id/events', methodNotAllowed('GET'));

  router.post(
    '/runs/:id/approval',
    async (req, _res, next) => {
      await owner(req);
      next();
    },
    json,
    async (req, res) => {
      const body = parseBody(ApprovalBodySchema, req);
      const run = await ctx.runs.approve(await owner(req), idParam(req), body);
      await respond(req, res, run, run.lastSeq);
    },
  );
  router.all('/runs/:id/approval', methodNotAllowed('POST'));

  router.get('/threads/:id', async (req, res) => {
    const who = await owner(req);
    const thread = await ctx.store.getThread(idParam(req));
    if (!thread || thread.owner !== who) throw notFound(`thread ${idParam(req)}`);
    const { orchestrator, release } = ctx.orchestrators.acquireDefault();
    try {
      const [messages, runs] = await Promise.all([
        threadMessages(orchestrator.graph, thread.id),
        ctx.store.listRuns(who, { threadId: thread.id, limit: 200 }),
      ]);
      res.json({
        id: thread.id,
        createdAt: thread.createdAt,
        updatedAt: thread.updatedAt,
        messages,
        runs: runs.map((run) => ({ id: run.id, status: run.status, request: run.request, createdAt: run.createdAt })),
      });
    } finally {
      release();
    }
  });
  router.all('/threads/:id', methodNotAllowed('GET'));
  return router;
}
