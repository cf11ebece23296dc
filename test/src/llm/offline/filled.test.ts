import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { ToolIndex, type FunctionTool } from '../../../../src/llm/offline/toolIndex.ts';
import { decide } from '../../../../src/llm/offline/planner.ts';

// A tool whose name the request does not say still fits when the request's values fill it and it asks for what the tool is about.
const NOW = new Date('2026-12-02T12:00:00Z');
const calls = (request: string, tools: readonly FunctionTool[]) => {
  const decision = decide([new HumanMessage(request)], new ToolIndex(tools), { now: NOW });
  return decision.kind === 'calls' ? decision.calls.map((call) => call.name) : [];
};
const FORECAST: FunctionTool = {
  type: 'function',
  function: {
    name: 'detailed_weather_forecast',
    description:
      'Retrieve a detailed weather forecast for a specific location and time frame, including high/low temperatures, humidity, and precipitation.',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city that you want to get the weather for.' },
        days: { type: 'integer', description: 'Number of days for the forecast.' },
      },
      required: ['location', 'days'],
    },
  },
};
const PROFIT: FunctionTool = {
  type: 'function',
  function: {
    name: 'calculate_profit',
    description: 'Calculates the net profit given the total revenue and total cost',
    parameters: {
      type: 'object',
      properties: {
        total_revenue: { type: 'number', description: 'The total revenue for the business.' },
        total_cost: { type: 'number', description: 'The total cost for the business.' },
        tax_rate: { type: 'number', description: 'The tax rate for the business, default is 0.2.' },
      },
      required: ['total_revenue', 'total_cost'],
    },
  },
};

test('values that fill a tool, asking for what its description is about, make the call', () => {
  assert.deepEqual(calls('Find the high and low temperatures, humidity and precipitation for London for the next 3 days.', [FORECAST]), [
    'detailed_weather_forecast',
  ]);
});

test('values that fill a tool make no call when what is asked for is only one of its parameters', () => {
  assert.deepEqual(calls('What is the rate of return for a business with $15000 total revenue and $22000 total cost.', [PROFIT]), []);
});

const tool = (name: string, description: string, properties: Record<string, unknown>): FunctionTool => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required: ['charge', 'distance'] } },
});
const FIELD = tool('calculate_electric_field', 'Calculate the electric field produced by a charge at a certain distance.', {
  charge: { type: 'integer', description: 'Charge in coulombs producing the electric field.' },
  distance: { type: 'integer', description: 'Distance from the charge in meters where the field is being measured.' },
  permitivity: { type: 'number', description: 'Permitivity of the space where field is being calculated, default is 8.854e-12.' },
});
const STRENGTH = tool(
  'calculate_electric_field_strength',
  'Calculate the electric field strength at a certain distance from a point charge.',
  {
    charge: { type: 'number', description: 'The charge in Coulombs.' },
    distance: { type: 'integer', description: 'The distance from the charge in meters.' },
    medium: { type: 'string', description: "The medium in which the charge and the point of calculation is located. Default is 'vacuum'." },
  },
);

test('of two tools of nearly the same name, the one whose whole name the request says is called', () => {
  const request = 'Calculate the electric field at a point 3 meters away from a charge of 2 coulombs.';
  assert.deepEqual(calls(request, [STRENGTH, FIELD]), ['calculate_electric_field']);
  assert.deepEqual(calls(request.replace('electric field', 'electric field strength'), [STRENGTH, FIELD]), [
    'calculate_electric_field_strength',
  ]);
});

const CRIMES: FunctionTool = {
  type: 'function',
  function: {
    name: 'law_crimes_search',
    description: 'Locate individuals based on their crime conviction and location.',
    parameters: {
      type: 'object',
      properties: {
        crime: { type: 'string', description: 'Type of crime to search.' },
        location: { type: 'string', description: 'City or state where the crime was committed.' },
        year: { type: 'integer', description: 'The year when the crime was committed.' },
      },
      required: ['crime', 'location', 'year'],
    },
  },
};

test('many values that fill a tool need only a word of its texts beside them', () => {
  const request =
    'Show me all individuals who were convicted for money laundering from San Francisco in 2019 and ones convicted for the same in Texas in 2018';
  const made = calls(request, [CRIMES]);
  assert.ok(made.length > 0, 'no call made');
  assert.ok(made.every((name) => name === 'law_crimes_search'));
});
