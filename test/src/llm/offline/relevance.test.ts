import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { nameCoverage } from '../../../../src/llm/offline/choose.ts';
import { decide, unwrapped } from '../../../../src/llm/offline/planner.ts';
import { queryOf, ToolIndex, toToolSpec, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';

// One tool offered, as most public function-calling sets do: the planner calls it when the request is about what it does.
const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]): FunctionTool => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required } },
});
const NUMBER = (description: string) => ({ type: 'integer', description });
const HCF = fn(
  'math_hcf',
  'Calculate the highest common factor of two numbers.',
  { a: NUMBER('First number.'), b: NUMBER('Second number.') },
  ['a', 'b'],
);
const HYPOT = fn(
  'math_hypot',
  'Calculates the hypotenuse of a right triangle from the lengths of its other two sides.',
  { x: NUMBER('Length of the first side.'), y: NUMBER('Length of the second side.') },
  ['x', 'y'],
);
const GCD = fn(
  'math_gcd',
  'Compute the greatest common divisor of two numbers',
  { num1: NUMBER('First number.'), num2: NUMBER('Second number.') },
  ['num1', 'num2'],
);
const CIRCUMFERENCE = fn(
  'calculate_circumference',
  'Calculates the circumference of a circle with a given radius.',
  { radius: NUMBER('The radius of the circle.') },
  ['radius'],
);
const NOW = new Date('2026-11-20T10:00:00Z');

function calls(request: string, tool: FunctionTool) {
  const decision = decide([new HumanMessage(request)], new ToolIndex([tool]), { now: NOW });
  return decision.kind === 'calls' ? decision.calls.map(({ name, args }) => ({ name, args })) : decision.text;
}

test('an abbreviation in a tool name is read from the words of its own description (hcf: highest common factor)', () => {
  const spec = toToolSpec(HCF);
  assert.ok(spec.aliasTerms.includes('highest') && spec.aliasTerms.includes('factor'), spec.aliasTerms.join(' '));
  assert.deepEqual(calls('Find the highest common factor of 36 and 24.', HCF), [{ name: 'math_hcf', args: { a: 36, b: 24 } }]);
});

test('a name cut short stands for the longer word its description uses (hypot: hypotenuse)', () => {
  assert.ok(nameCoverage(toToolSpec(HYPOT), queryOf('the hypotenuse of a right triangle')) >= 0.5);
  const made = calls('What is the hypotenuse of a right triangle with sides 3 and 4?', HYPOT);
  assert.ok(Array.isArray(made) && made[0]?.name === 'math_hypot', JSON.stringify(made));
});

test('a verb the tool is not named with reaches it through the dictionary (calculate ≈ compute)', () => {
  assert.deepEqual(calls('Calculate the greatest common divisor of 40 and 50', GCD), [{ name: 'math_gcd', args: { num1: 40, num2: 50 } }]);
});

test('a question that names what a tool is about goes to it', () => {
  assert.deepEqual(calls('What is the circumference of a circle with a radius of 4?', CIRCUMFERENCE), [
    { name: 'calculate_circumference', args: { radius: 4 } },
  ]);
});

test('a sentence cut off a request that fits no tool alone is read with its neighbour (one call, both values)', () => {
  const BMI_CALC = fn(
    'calculate_BMI',
    "Calculate the Body Mass Index (BMI) given a person's weight and height.",
    {
      weight_kg: NUMBER('The weight of the person in kilograms.'),
      height_m: { type: 'number', description: 'The height of the person in meters.' },
    },
    ['weight_kg', 'height_m'],
  );
  assert.deepEqual(calls('Calculate the BMI (Body Mass Index) of a person who weighs 70kg and is 1.75m tall.', BMI_CALC), [
    { name: 'calculate_BMI', args: { weight_kg: 70, height_m: 1.75 } },
  ]);
});

test('a request pasted in quotation marks is read as the request, not as a quote inside one', () => {
  assert.equal(unwrapped('"Can you find the highest common factor of 36 and 24?"'), 'Can you find the highest common factor of 36 and 24?');
  assert.equal(unwrapped("'a' and 'b'"), "'a' and 'b'", 'two quotes are not one wrapped request');
  assert.deepEqual(calls('"Can you find the highest common factor of 36 and 24?"', HCF), [{ name: 'math_hcf', args: { a: 36, b: 24 } }]);
});
