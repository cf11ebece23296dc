import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { JsonSchemaType } from '@modelcontextprotocol/sdk/validation/types.js';
import { INTERPRETED_CALLS, LazyJsonSchemaValidator } from '../../../src/orchestrator/lazyValidator.ts';

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

describe('the quick check before Ajv', () => {
  /** The SDK's Ajv validator, counting the schemas it compiles. */
  function countingAjv() {
    const ajv = new AjvJsonSchemaValidator();
    const counter = {
      compiled: 0,
      getValidator: <T>(schema: Parameters<AjvJsonSchemaValidator['getValidator']>[0]) => {
        counter.compiled++;
        return ajv.getValidator<T>(schema);
      },
    };
    return counter;
  }

  const plain = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      number: { type: 'string', pattern: '^INC\\d{7}$' },
      urgency: { type: 'integer', minimum: 1, maximum: 3 },
      state: { type: 'string', enum: ['New', 'Closed'] },
      notes: { type: 'array', items: { type: 'string', minLength: 1 } },
      score: { anyOf: [{ type: 'number' }, { type: 'null' }] },
    },
    required: ['number', 'urgency'],
    additionalProperties: false,
  } as const;

  test('a result that passes never compiles the schema with Ajv', () => {
    const ajv = countingAjv();
    const validate = new LazyJsonSchemaValidator(ajv).getValidator(plain);
    const input = { number: 'INC0010001', urgency: 2, state: 'New', notes: ['x'], score: null };
    const result = validate(input);
    assert.equal(result.valid, true);
    assert.equal(result.data, input);
    assert.equal(ajv.compiled, 0);
  });

  test("a schema checked often enough goes to Ajv's compiled code, with the same answers", () => {
    const ajv = countingAjv();
    const validate = new LazyJsonSchemaValidator(ajv).getValidator(plain);
    const good = { number: 'INC0010001', urgency: 2 };
    for (let i = 0; i < INTERPRETED_CALLS; i++) assert.equal(validate(good).valid, true);
    assert.equal(ajv.compiled, 0);
    assert.equal(validate(good).valid, true);
    assert.equal(ajv.compiled, 1);
    const eager = new AjvJsonSchemaValidator().getValidator(plain);
    const bad = { number: 'nope', urgency: 2 };
    assert.equal(validate(bad).errorMessage, eager(bad).errorMessage);
    assert.equal(ajv.compiled, 1);
  });

  test('a result that fails gets exactly what Ajv says, and Ajv compiles it once', () => {
    const ajv = countingAjv();
    const lazy = new LazyJsonSchemaValidator(ajv).getValidator(plain);
    const eager = new AjvJsonSchemaValidator().getValidator(plain);
    const inputs = [
      { number: 'INC0010001', urgency: 2 },
      { number: 'nope', urgency: 2 },
      { number: 'INC0010001', urgency: 1.5 },
      { number: 'INC0010001', urgency: 4, state: 'Open' },
      { number: 'INC0010001', urgency: 2, extra: true },
      { number: 'INC0010001', urgency: 2, notes: [''] },
      { number: 'INC0010001', urgency: 2, score: 'high' },
      { urgency: 2 },
      [],
      'text',
    ];
    for (const input of inputs) {
      const a = lazy(input);
      const b = eager(input);
      assert.equal(a.valid, b.valid, JSON.stringify(input));
      assert.equal(a.errorMessage, b.errorMessage, JSON.stringify(input));
    }
    assert.equal(ajv.compiled, 1);
  });

  test('schemas whose meaning the two validators may not share go to Ajv alone', () => {
    for (const schema of [
      { type: 'string', format: 'date-time' },
      { $ref: '#/definitions/x', definitions: { x: { type: 'string' } } },
      { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string' },
      { type: 'object', properties: { n: { type: 'number', exclusiveMinimum: true, minimum: 0 } } },
      { type: 'array', items: [{ type: 'string' }] },
      { type: 'number', multipleOf: 0.1 },
      { type: 'object', patternProperties: { '^x': { type: 'string' } } },
    ] as JsonSchemaType[]) {
      const ajv = countingAjv();
      try {
        new LazyJsonSchemaValidator(ajv).getValidator(schema)('2026-12-03T10:00:00Z');
      } catch {
        // Ajv refuses some of these schemas (draft-04's boolean bounds): what counts is that it was asked.
      }
      assert.equal(ajv.compiled, 1, JSON.stringify(schema));
    }
  });
});
