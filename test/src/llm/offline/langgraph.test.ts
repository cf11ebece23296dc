import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';
import { OfflinePlanner } from '../../../../src/llm/offline/index.ts';

function tinyTools(log: string[]) {
  const openTicket = tool(
    async ({ title, urgency }) => {
      log.push(`open_ticket ${title} ${urgency ?? '-'}`);
      return JSON.stringify({ ticket: { id: 'HD-900', title, status: 'Open', urgency: urgency ?? 'low' } });
    },
    {
      name: 'open_ticket',
      description: 'Open a support ticket for a problem; returns the new ticket with its id (HD-123 style).',
      schema: z.object({
        title: z.string().describe('One-line summary of the problem'),
        urgency: z.enum(['high', 'low']).optional().describe('How fast it must be fixed'),
      }),
    },
  );
  const setStatus = tool(
    async ({ id, status }) => {
      log.push(`set_status ${id} ${status}`);
      return JSON.stringify({ ticket: { id, status } });
    },
    {
      name: 'set_ticket_status',
      description: 'Change the status of an existing ticket.',
      schema: z.object({
        id: z
          .string()
          .regex(/^HD-\d+$/)
          .describe('Ticket id'),
        status: z.enum(['Open', 'In Progress', 'Done']),
      }),
    },
  );
  const multiply = tool(
    async ({ x, y }) => {
      log.push(`multiply ${x} ${y}`);
      return `${x} times ${y} is ${x * y}`;
    },
    { name: 'multiply', description: 'Multiply two numbers (product).', schema: z.object({ x: z.number(), y: z.number() }) },
  );
  return [openTicket, setStatus, multiply];
}

test('inside a LangGraph ReAct loop: bound tools are called, chained and summarised', async () => {
  const log: string[] = [];
  const agent = createReactAgent({ llm: new OfflinePlanner(), tools: tinyTools(log) });
  const state = await agent.invoke({
    messages: [
      new HumanMessage('Open a high urgency ticket for the broken badge reader, then set it to In Progress, and multiply 6 and 7'),
    ],
  });
  assert.deepEqual(log.sort(), ['multiply 6 7', 'open_ticket Broken badge reader high', 'set_status HD-900 In Progress']);
  const messages = state.messages as BaseMessage[];
  const answer = String(messages.at(-1)?.content);
  assert.match(answer, /HD-900/);
  assert.match(answer, /In Progress/);
  assert.match(answer, /42/);
  // Two model steps with tool calls (open + multiply, then set status), then the answer.
  assert.equal(messages.filter((message) => message.getType() === 'tool').length, 3);
});

test('inside a LangGraph ReAct loop: a request no tool fits ends with a question and no tool call', async () => {
  const log: string[] = [];
  const agent = createReactAgent({ llm: new OfflinePlanner(), tools: tinyTools(log) });
  const state = await agent.invoke({ messages: [new HumanMessage('Book me a flight to Paris')] });
  assert.deepEqual(log, []);
  assert.match(String((state.messages as BaseMessage[]).at(-1)?.content), /\?/);
});
