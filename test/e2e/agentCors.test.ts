import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { defineAgent, defineTool, type RunningAgentServer } from '../../src/mcp/index.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { serve } from '../helpers/mcpClient.ts';

const TOKEN = 'browser-page-token';
const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const skip = browserSkipReason();

/** An agent whose `wait` tool answers only once `release` is called: a stream a page can drop and resume. */
function gatedAgent() {
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  return defineAgent({
    name: 'gated',
    version: '1.0.0',
    instructions: 'A test agent for browsers.',
    tools: [
      defineTool({
        name: 'echo',
        title: 'Echo',
        annotations: readOnly,
        description: 'Returns its text.',
        input: z.object({ text: z.string() }),
        output: z.object({ text: z.string() }),
        handler: async ({ text }) => ({ structured: { text }, text }),
      }),
      defineTool({
        name: 'wait',
        title: 'Wait for release',
        annotations: readOnly,
        description: 'Answers once release is called.',
        input: z.object({}),
        output: z.object({ released: z.boolean() }),
        handler: async () => {
          await gate;
          gate = new Promise<void>((resolve) => (release = resolve));
          return { structured: { released: true }, text: 'released' };
        },
      }),
      defineTool({
        name: 'release',
        title: 'Release wait',
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
        description: 'Lets wait answer.',
        input: z.object({}),
        output: z.object({ ok: z.boolean() }),
        handler: async () => (release(), { structured: { ok: true }, text: 'ok' }),
      }),
    ],
  });
}

/** A blank page under any host name: the browser maps app.test and evil.test to it. */
async function startPageServer(): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/**
 * What the page runs, in the browser: an MCP session over plain fetch as a browser MCP client
 * does, a tool call, a call whose SSE stream it drops after the priming event and resumes with
 * `Last-Event-ID`. Returns what it saw.
 */
async function pageSession(args: { url: string; token: string }) {
  const { url, token } = args;
  const base = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  let sessionId = '';
  let protocol = '';
  const headers = () => ({ ...base, 'mcp-session-id': sessionId, 'mcp-protocol-version': protocol });
  /** Reads SSE events from a response until `stop` says so. */
  async function readEvents(response: Response, stop: (event: { id?: string; data: string }) => boolean) {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += value;
      let at;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const event: { id?: string; data: string } = { data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id:')) event.id = line.slice(3).trim();
          if (line.startsWith('data:')) event.data += line.slice(5).trim();
        }
        if (stop(event)) {
          await reader.cancel();
          return event;
        }
      }
    }
  }
  const answerOf = async (response: Response, id: number) => {
    if ((response.headers.get('content-type') ?? '').startsWith('application/json')) return response.json();
    const event = await readEvents(response, (e) => e.data.includes(`"id":${id}`));
    return JSON.parse(event.data);
  };
  const post = (body: unknown, init: RequestInit = {}) =>
    fetch(url, { method: 'POST', headers: headers(), body: JSON.stringify(body), ...init });

  const initialized = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'page', version: '1' } },
  });
  sessionId = initialized.headers.get('mcp-session-id') ?? '';
  const init = await answerOf(initialized, 1);
  protocol = init.result.protocolVersion;
  const notified = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const echo = await answerOf(
    await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'from the page' } } }),
    2,
  );

  // The wait call streams: keep its priming event's id, drop the stream, let the tool finish, resume.
  const dropped = new AbortController();
  const waiting = await post(
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'wait', arguments: {} } },
    { signal: dropped.signal },
  );
  const primed = await readEvents(waiting, (e) => e.id !== undefined);
  dropped.abort();
  await answerOf(await post({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'release', arguments: {} } }), 4);
  const resumed = await fetch(url, { headers: { ...headers(), accept: 'text/event-stream', 'last-event-id': primed.id! } });
  const waited = JSON.parse((await readEvents(resumed, (e) => e.data.includes('"id":3'))).data);
  await fetch(url, { method: 'DELETE', headers: headers() });
  return {
    sessionId,
    protocol,
    notified: notified.status,
    echo: echo.result.structuredContent,
    primedId: primed.id,
    resumedStatus: resumed.status,
    waited: waited.result.structuredContent,
  };
}

describe('a page on another allowed origin calling an agent directly, in headless Chromium', { timeout: 60_000, skip }, () => {
  const cleanup = cleanupAfter();
  let agent: RunningAgentServer;
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  let browser: Browser;
  let page: Page;
  const seen: string[] = [];

  before(async () => {
    pages = await cleanup.start(startPageServer());
    const allowed = `http://app.test:${pages.port}`;
    [agent, browser] = await Promise.all([
      cleanup.start(serve(gatedAgent(), { allowedOrigins: [allowed], authTokens: { page: TOKEN }, streamAfterMs: 0 })),
      // Both names lead to the page server on loopback: two origins, one allowed, one foreign.
      cleanup.start(launchChromium({ args: ['--host-resolver-rules=MAP app.test 127.0.0.1, MAP evil.test 127.0.0.1'] })),
    ]);
    agent.server.on('request', (req, res) =>
      res.once('finish', () => seen.push(`${req.headers.origin ?? '-'} ${req.method} ${res.statusCode}`)),
    );
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  test('opens a session, calls a tool and resumes a dropped stream with Last-Event-ID', async () => {
    await page.goto(`http://app.test:${pages.port}/`);
    const result = await page.evaluate(pageSession, { url: agent.url, token: TOKEN });
    assert.match(result.sessionId, /^\S{16,}$/, 'the page could read Mcp-Session-Id');
    assert.equal(result.protocol, '2025-11-25');
    assert.equal(result.notified, 202);
    assert.deepEqual(result.echo, { text: 'from the page' });
    assert.ok(result.primedId, 'the stream was primed with an event id');
    assert.equal(result.resumedStatus, 200);
    assert.deepEqual(result.waited, { released: true }, 'the answer arrived on the resumed stream');
    const origin = `http://app.test:${pages.port}`;
    assert.ok(seen.includes(`${origin} OPTIONS 204`), seen.join('\n'));
    assert.ok(seen.includes(`${origin} GET 200`), seen.join('\n'));
  });

  test('a page on a foreign origin is refused: its preflight gets 403, and no session opens', async () => {
    seen.length = 0;
    const sessions = agent.app.sessionCount();
    await page.goto(`http://evil.test:${pages.port}/`);
    const outcome = await page.evaluate(
      async ({ url, token }) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: 1,
              method: 'initialize',
              params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'evil', version: '1' } },
            }),
          });
          return `answered ${response.status}`;
        } catch (error) {
          return `refused: ${(error as Error).name}`;
        }
      },
      { url: agent.url, token: TOKEN },
    );
    assert.equal(outcome, 'refused: TypeError');
    assert.deepEqual(seen, [`http://evil.test:${pages.port} OPTIONS 403`]);
    assert.equal(agent.app.sessionCount(), sessions);
  });
});
