import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { queryOf, ToolIndex, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';
import { saysApart } from '../../../../src/llm/offline/choose.ts';
import { decide } from '../../../../src/llm/offline/planner.ts';

// Many tools bound at once, as a run binds every server's tools: a request must say what sets a tool apart.
const fn = (name: string, description: string, properties: Record<string, unknown>): FunctionTool => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required: Object.keys(properties) } },
});
const int = (description: string) => ({ type: 'integer', description });
const str = (description: string) => ({ type: 'string', description });
const CALCULATORS = [
  fn('calculate_neuronal_activity', 'Calculate the neuronal activity based on synaptic input rate and decay rate.', {
    input_synaptic_rate: int('The synaptic input rate.'),
    decay_rate: int('The decay rate.'),
  }),
  fn('calculate_triangle_area', 'Calculate the area of a triangle from its base and height.', {
    base: int('The base of the triangle.'),
    height: int('The height of the triangle.'),
  }),
  fn('calculate_bmi', 'Calculate the body mass index from weight and height.', {
    weight: int('Weight in kg.'),
    height: int('Height in cm.'),
  }),
  fn('calculate_electric_field', 'Calculate the electric field produced by a charge at a distance.', {
    charge: int('The charge in coulombs.'),
    distance: int('The distance in meters.'),
  }),
  fn('calculate_compound_interest', 'Calculate compound interest on a principal.', {
    principal: int('The principal.'),
    rate: int('The annual rate.'),
    years: int('The number of years.'),
  }),
  fn('get_museum_hours', 'Get the opening hours of a museum.', { museum: str('Name of the museum.') }),
  fn('find_recipe', 'Find a recipe by its name.', { recipe_name: str('The name of the dish.') }),
];
const NOW = new Date('2026-12-02T12:00:00Z');
const calls = (request: string, tools: readonly FunctionTool[]) => {
  const decision = decide([new HumanMessage(request)], new ToolIndex(tools), { now: NOW });
  return decision.kind === 'calls' ? decision.calls.map((call) => call.name) : [];
};

test('a request that matches bound tools only by a shared verb and its numbers makes no call', () => {
  assert.deepEqual(calls('Solve for the roots of the equation 3x^2 - 2x - 5.', CALCULATORS), []);
  assert.deepEqual(calls('Calculate the hypotenuse of a right-angled triangle whose other sides are 5 and 6', CALCULATORS.slice(2)), []);
});

test('the same kind of request reaches the tool whose own words it says', () => {
  const quadratic = fn('solve_quadratic', 'Find the roots of a quadratic equation.', { a: int('a'), b: int('b'), c: int('c') });
  assert.deepEqual(calls('Find the roots of the quadratic equation with a=3, b=-2 and c=-5.', [...CALCULATORS, quadratic]), [
    'solve_quadratic',
  ]);
  assert.deepEqual(calls('Calculate the area of a triangle with base 10 and height 5.', CALCULATORS), ['calculate_triangle_area']);
});

test("words a server's tools share set that server apart, not one tool of it", () => {
  const desk = [
    fn('desk__open_ticket', 'Open a new ticket.', { caller: str('Who reports it.') }),
    fn('desk__update_ticket', 'Change a ticket.', { caller: str('Who reports it.') }),
    fn('web__search', 'Search the web.', { query: str('Words to look for.') }),
  ];
  const index = new ToolIndex(desk);
  assert.equal(index.families, 2);
  assert.equal(saysApart(index.tools[0]!, queryOf('caller Mei Chen'), undefined, index), true);
  assert.equal(saysApart(index.tools[2]!, queryOf('caller Mei Chen'), undefined, index), false);
});

test('with a handful of servers bound, a word two of four servers use still sets a tool apart', () => {
  const four = [
    fn('desk__search_tickets', 'Find tickets and the fixes they were resolved with.', { query: str('Words to look for.') }),
    fn('kb__search_articles', 'Search knowledge base articles: fixes and how-to guides.', { query: str('Words to look for.') }),
    fn('notes__search_notes', 'Search saved notes.', { query: str('Words to look for.') }),
    fn('demo__search_samples', 'Search sample data.', { query: str('Words to look for.') }),
  ];
  const index = new ToolIndex(four);
  assert.equal(index.families, 4);
  assert.equal(saysApart(index.tools[1]!, queryOf('search for printer fixes'), undefined, index), true);
  assert.equal(saysApart(index.tools[2]!, queryOf('search for printer fixes'), undefined, index), false);
});
