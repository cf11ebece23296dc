import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOpenApiDocument } from '../../../src/service/index.ts';
import { createResponseChecker } from './openapiCheck.ts';

test('the response checker rejects what the document does not allow (it is not vacuous)', () => {
  const checker = createResponseChecker();
  assert.throws(() => checker.check('GET', '/v1/runs/abc', 200, 'application/json', { id: 'abc' }), /does not match/);
  assert.throws(() => checker.check('GET', '/v1/runs/abc', 418, 'application/json', {}), /does not list/);
  assert.throws(() => checker.check('GET', '/v2/x', 200, 'application/json', {}), /not in the OpenAPI document/);
  assert.throws(
    () => checker.check('POST', '/v1/runs', 400, 'application/json', { error: { code: 'oops', message: 'x' } }),
    /does not match/,
  );
  assert.throws(
    () =>
      checker.check('GET', '/v1/runs/abc/events', 200, 'text/event-stream', [
        { seq: 1, runId: 'r', type: 'tool_end', at: '2026-01-01T00:00:00Z' },
      ]),
    /does not match/,
  );
  checker.check('POST', '/v1/runs', 429, 'application/json', { error: { code: 'rate_limited', message: 'slow down' } });
});

test('every schema of the document compiles, and every operation documents its errors', () => {
  const doc = createOpenApiDocument({ version: '1', maxBodyBytes: 10, maxInputChars: 10 });
  const checker = createResponseChecker(doc);
  for (const name of Object.keys(doc.components.schemas)) checker.compile(name);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(
      item as Record<string, { responses?: Record<string, unknown>; security?: unknown[] }>,
    )) {
      if (method === 'parameters' || !path.startsWith('/v1')) continue;
      assert.ok(
        operation.responses?.['401'] && operation.responses['403'] && operation.responses['500'],
        `${method} ${path} documents 401, 403 and 500`,
      );
    }
  }
});
