import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ToolError, UserError } from '../../../src/errors.ts';
import {
  RunConflictError,
  RunInputError,
  RunLimitedError,
  RunNotFoundError,
  RunRefusal,
  RunUnavailableError,
  runRefusalToHttp,
  toolErrorOf,
} from '../../../src/service/index.ts';
import { offlineModels, startService, type ServiceUnderTest } from './harness.ts';

/** Words that belong to the HTTP API or the CLI, never to the run layer's own messages. */
const OUTSIDE_WORDING = /\b(HTTP|40\d|429|503|--yes|--\w+)\b/;

describe('the run layer speaks in its own errors; HTTP and MCP map them once each', () => {
  let dir: string;
  let service: ServiceUnderTest;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-run-errors-'));
    service = await startService({
      dataDir: join(dir, 'service'),
      servers: {},
      resolveModel: offlineModels(),
      concurrencyPerKey: 1,
      queuePerKey: 0,
    });
  });
  after(async () => {
    await service?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('RunManager throws run errors, not HTTP ones: unknown run, bad input', async () => {
    const runs = service.app.runs;
    const missing = await runs.get('someone', 'no-such-run').catch((error: unknown) => error);
    assert.ok(missing instanceof RunNotFoundError, `got ${String(missing)}`);
    assert.ok(missing instanceof RunRefusal);
    assert.equal(missing.message, 'run no-such-run not found');
    assert.doesNotMatch(missing.message, OUTSIDE_WORDING);

    const bad = await runs.begin({ owner: 'someone', input: 'hello\u0000' }).catch((error: unknown) => error);
    assert.ok(bad instanceof RunInputError, `got ${String(bad)}`);
    assert.ok(bad instanceof UserError, 'bad input is the caller’s fault');
    assert.doesNotMatch(bad.message, OUTSIDE_WORDING);
  });

  test('the HTTP API answers the same refusals with their statuses and codes', async () => {
    const missing = await service.api.get('/v1/runs/no-such-run');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: { code: 'not_found', message: 'run no-such-run not found' } });
  });

  test('each refusal has one HTTP answer, with retry-after where waiting helps', () => {
    const cases = [
      [new RunNotFoundError('thread t1'), 404, 'not_found', {}],
      [new RunConflictError('run r1 already completed'), 409, 'conflict', {}],
      [new RunLimitedError('too many runs', 7), 429, 'rate_limited', { 'retry-after': '7' }],
      [new RunUnavailableError('shutting down', 5), 503, 'unavailable', { 'retry-after': '5' }],
    ] as const;
    for (const [error, status, code, headers] of cases) {
      const answer = runRefusalToHttp(error);
      assert.equal(answer.status, status, error.name);
      assert.equal(answer.code, code, error.name);
      assert.deepEqual(answer.headers, headers, error.name);
      assert.equal(answer.message, error.message, error.name);
    }
  });

  test('each refusal and bad input reaches an MCP caller as a tool error; anything else stays a fault of ours', () => {
    for (const error of [
      new RunNotFoundError('run r1'),
      new RunConflictError('busy'),
      new RunLimitedError('too many runs', 3),
      new RunUnavailableError('shutting down', 5),
      new RunInputError('input contains a NUL'),
    ]) {
      const mapped = toolErrorOf(error);
      assert.ok(mapped instanceof ToolError, error.name);
      assert.equal(mapped.message, error.message);
      assert.equal(mapped.cause, error);
    }
    const bug = new TypeError('oops');
    assert.equal(toolErrorOf(bug), bug);
  });
});
