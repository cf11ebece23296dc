import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { respectiveValues } from '../../../../src/llm/offline/respectively.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

const tool = (properties: Record<string, unknown>) =>
  toToolSpec({ type: 'function', function: { name: 't', description: '', parameters: { type: 'object', properties } } });

const QUADRATIC = tool({
  a: { type: 'integer', description: 'Coefficient of x squared' },
  b: { type: 'integer', description: 'Coefficient of x' },
  c: { type: 'integer', description: 'Constant term in the quadratic equation' },
});

describe('values given to named properties "respectively"', () => {
  test('each name goes to the property that holds its words and the fewest others', () => {
    assert.deepEqual(
      respectiveValues(
        'The first equation has coefficients of x squared, x, and the constant term as 5, 6, and 1 respectively.',
        QUADRATIC.props,
      ),
      { a: 5, b: 6, c: 1 },
    );
  });

  test('nothing when the names and values do not pair, or a name fits no property', () => {
    assert.deepEqual(respectiveValues('coefficients of x squared and x as 5, 6, and 1 respectively', QUADRATIC.props), {});
    assert.deepEqual(respectiveValues('the height, the width and the depth as 5, 6 and 1 respectively', QUADRATIC.props), {});
    assert.deepEqual(respectiveValues('x squared, x and the constant term are 5, 6 and 1', QUADRATIC.props), {});
  });
});
