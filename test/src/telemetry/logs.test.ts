import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadEnv, logSettings } from '../../../src/config/env.ts';
import { ConfigError } from '../../../src/errors.ts';
import { createLogger, prettyLine, withRequestId } from '../../../src/telemetry/index.ts';
import { connectStreamable, serve } from '../../helpers/mcpClient.ts';
import { createTestAgent } from '../../helpers/testAgent.ts';
import { offlineModels, startService } from '../service/harness.ts';

/** A destination that keeps what the logger writes. */
function capture() {
  const lines: string[] = [];
  return {
    lines,
    json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    write: (text: string) => void lines.push(text),
  };
}

describe('logs through pino', () => {
  test('LOG_LEVEL and LOG_FORMAT come from the environment: JSON in production, readable otherwise; bad values name the variable', () => {
    assert.deepEqual(logSettings(loadEnv({})), { level: 'info', format: 'pretty' });
    assert.deepEqual(logSettings(loadEnv({ NODE_ENV: 'production' })), { level: 'info', format: 'json' });
    assert.deepEqual(logSettings(loadEnv({ NODE_ENV: 'production', LOG_FORMAT: 'pretty', LOG_LEVEL: 'DEBUG' })), {
      level: 'debug',
      format: 'pretty',
    });
    assert.throws(
      () => loadEnv({ LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud"/);
        return true;
      },
    );
    assert.throws(() => loadEnv({ LOG_FORMAT: 'xml' }), /LOG_FORMAT must be json or pretty/);
  });

  test('JSON lines carry the level, the name and, inside a request, its id; levels below the threshold are dropped', () => {
    const out = capture();
    const logger = createLogger({ format: 'json', level: 'info', name: 'incident', destination: out });
    logger.debug('not shown');
    logger.info('outside');
    withRequestId('req-1', () => logger.warn({ tool: 'create_incident' }, 'inside'));
    const [outside, inside] = out.json();
    assert.equal(out.lines.length, 2);
    assert.equal(outside!['msg'], 'outside');
    assert.equal(outside!['level'], 30);
    assert.equal(outside!['name'], 'incident');
    assert.equal(outside!['reqId'], undefined);
    assert.deepEqual([inside!['msg'], inside!['level'], inside!['reqId'], inside!['tool']], ['inside', 40, 'req-1', 'create_incident']);
  });

  test('pretty lines are one readable line each, uncoloured unless asked', () => {
    const out = capture();
    const logger = createLogger({ format: 'pretty', name: 'search', destination: out });
    withRequestId('abc', () => logger.warn({ ms: 12, path: '/mcp', note: 'two words' }, 'slow call'));
    assert.match(out.lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} WARN {2}\[search\] slow call reqId=abc ms=12 path=\/mcp note="two words"\n$/);
    assert.ok(prettyLine('{"level":50,"time":0,"msg":"x"}', true).includes('\u001b[31mERROR\u001b[0m x'));
    assert.equal(prettyLine('not json'), 'not json', 'anything else is passed through');
  });

  test("the service logs each request with its id, the one it answers in x-request-id (the caller's when sensible)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-logs-'));
    const out = capture();
    const service = await startService({
      dataDir: join(dir, 'service'),
      servers: {},
      resolveModel: offlineModels(),
      logger: createLogger({ format: 'json', destination: out }),
    });
    try {
      const mine = await fetch(new URL('/healthz', service.url), { headers: { 'x-request-id': 'caller-42' } });
      assert.equal(mine.headers.get('x-request-id'), 'caller-42');
      const made = await fetch(new URL('/v1/runs', service.url), { headers: { 'x-request-id': 'has spaces\tand tabs' } });
      const id = made.headers.get('x-request-id');
      assert.match(id ?? '', /^[0-9a-f-]{36}$/, 'an unusable id is replaced');
      await made.text();
      const requests = out.json().filter((line) => line['msg'] === 'request');
      assert.deepEqual(
        requests.map((line) => [line['reqId'], line['route'], line['status']]),
        [
          ['caller-42', '/healthz', 200],
          [id, '/v1/runs', 200],
        ],
      );
    } finally {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("an agent's warnings about a request carry that request's id, and its request lines show at debug", async () => {
    const out = capture();
    const server = await serve(createTestAgent(), { logger: createLogger({ format: 'json', level: 'debug', destination: out }) });
    const { client } = await connectStreamable(server.url, { 'x-request-id': 'call-7' });
    try {
      await client.callTool({ name: 'boom', arguments: {} });
      const lines = out.json();
      const warning = lines.find((line) => line['level'] === 40);
      assert.match(String(warning?.['msg']), /^tool boom threw: TypeError: undefined is not a function/);
      assert.equal(warning?.['reqId'], 'call-7');
      const requests = lines.filter((line) => line['msg'] === 'request');
      assert.ok(requests.length >= 2, 'initialize and the call at least');
      assert.ok(requests.every((line) => line['reqId'] === 'call-7' && line['path'] === '/mcp'));
    } finally {
      await client.close();
      await server.close();
    }
  });
});
