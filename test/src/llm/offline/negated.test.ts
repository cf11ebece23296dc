import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { negatedZeros } from '../../../../src/llm/offline/negated.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

const tool = (properties: Record<string, unknown>) =>
  toToolSpec({ type: 'function', function: { name: 't', description: '', parameters: { type: 'object', properties } } });

describe('numbers a clause says there is none of', () => {
  test('"without any acceleration" and "did not pay any dividends" are 0', () => {
    const motion = tool({ acceleration: { type: 'number', description: 'The acceleration in m/s^2.' }, time: { type: 'number' } });
    assert.deepEqual(negatedZeros('a third car travels for a time of 8 seconds without any acceleration', motion.props), {
      acceleration: 0,
    });
    const equity = tool({ dividends_paid: { type: 'integer', description: 'Total dividends paid.' } });
    assert.deepEqual(negatedZeros('but did not pay any dividends', equity.props), { dividends_paid: 0 });
  });

  test('a word no number property names, or a property above zero, gives nothing', () => {
    const motion = tool({ acceleration: { type: 'number' }, count: { type: 'integer', minimum: 1 } });
    assert.deepEqual(negatedZeros('without any delay', motion.props), {});
    assert.deepEqual(negatedZeros('with no count', motion.props), {});
  });
});
