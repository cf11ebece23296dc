import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { LazyJsonSchemaValidator } from '../../../src/orchestrator/lazyValidator.ts';

const schema = {
  type: 'object',
  properties: { incident: { type: 'object', properties: { number: { type: 'string', pattern: '^INC\\d{7}$' } }, required: ['number'] } },
  required: ['incident'],
} as const;

describe('the lazy output-schema validator', () => {
  test("answers exactly as the SDK client's own validator, call after call", () => {
    const lazy = new LazyJsonSchemaValidator().getValidator(schema);
    const eager = new AjvJsonSchemaValidator().getValidator(schema);
    const inputs = [
      { incident: { number: 'INC0010001' } },
      { incident: { number: 'nope' } },
      {},
      null,
      { incident: { number: 'INC0010002' } },
    ];
    for (const input of inputs) {
      const a = lazy(input);
      const b = eager(input);
      assert.equal(a.valid, b.valid, JSON.stringify(input));
      assert.equal(a.errorMessage, b.errorMessage);
    }
  });

  test('a schema Ajv cannot compile fails at the first call, not when the tool list arrives', () => {
    const validator = new LazyJsonSchemaValidator().getValidator({ type: 'object', properties: { x: { $ref: '#/nowhere' } } });
    assert.throws(() => validator({ x: 1 }), /nowhere|resolve/i);
  });
});
