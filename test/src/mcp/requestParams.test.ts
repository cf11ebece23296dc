import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { invalidParams } from '../../../src/mcp/requestParams.ts';

// invalidParams skips zod for the common tools/call shape; it must still agree with the SDK's
// schema on every params, or the SDK answers what we let through with -32603 and a zod dump.
const CASES: readonly unknown[] = [
  { name: 'get_incident', arguments: { number: 'INC0010001' } },
  { name: 'get_incident' },
  { name: 'x', arguments: {}, _meta: { progressToken: 7 } },
  { name: 'x', arguments: {}, _meta: { progressToken: 'p-1', 'other/key': { any: 1 } } },
  { name: 'x', _meta: { progressToken: 1.5 } },
  { name: 'x', _meta: { progressToken: null } },
  { name: 'x', _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't1' } } },
  { name: 'x', _meta: { 'io.modelcontextprotocol/related-task': { taskId: 3 } } },
  { name: 'x', _meta: [] },
  { name: 'x', task: { ttl: 1000 } },
  { name: 'x', task: { ttl: 'soon' } },
  { name: 'x', arguments: [] },
  { name: 'x', arguments: null },
  { name: 'x', arguments: 'text' },
  { name: 42 },
  { arguments: {} },
  { name: 'x', extra: true },
  [],
  null,
  undefined,
  'tools',
];

describe('invalidParams for tools/call', () => {
  for (const params of CASES) {
    it(`agrees with the SDK's schema on ${JSON.stringify(params)}`, () => {
      const sdkAccepts = CallToolRequestSchema.safeParse({ method: 'tools/call', params }).success;
      const problem = invalidParams('tools/call', params);
      assert.equal(problem === undefined, sdkAccepts, problem ?? 'accepted');
      if (problem !== undefined) assert.match(problem, /^Invalid params for tools\/call: /);
    });
  }
});
