import { z } from 'zod';
import { ToolError } from '../../src/errors.ts';
import { defineAgent, defineTool, type AgentDefinition } from '../../src/mcp/index.ts';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/**
 * A small agent for kit tests: echo (fast), count (progress, logs, honours cancellation),
 * fail (a tool error), boom (an unexpected error), whoami (identity).
 */
export function createTestAgent(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return defineAgent({
    name: 'test',
    version: '1.0.0',
    instructions: 'A test agent.',
    tools: [
      defineTool({
        name: 'echo',
        title: 'Echo',
        description: 'Returns its text.',
        input: z.object({ text: z.string().describe('what to echo') }),
        output: z.object({ text: z.string() }),
        annotations: readOnly,
        handler: async ({ text }) => ({ structured: { text }, text }),
      }),
      defineTool({
        name: 'count',
        title: 'Count slowly',
        description: 'Counts to n, reporting progress every step of delay_ms.',
        input: z.object({ n: z.number().int().min(1).max(1000), delay_ms: z.number().int().min(0).max(5000).default(10) }),
        output: z.object({ counted: z.number() }),
        annotations: readOnly,
        handler: async ({ n, delay_ms }, context) => {
          for (let i = 1; i <= n; i++) {
            await new Promise((resolve) => setTimeout(resolve, delay_ms));
            if (context.signal.aborted) throw new ToolError('cancelled');
            await context.progress(i, n, `step ${i}`);
            await context.log('debug', `debug step ${i}`);
            await context.log('info', `info step ${i}`);
          }
          return { structured: { counted: n }, text: `counted to ${n}` };
        },
      }),
      defineTool({
        name: 'fail',
        title: 'Fail',
        description: 'Always fails with a tool error.',
        input: z.object({}),
        output: z.object({}),
        annotations: readOnly,
        handler: async () => {
          throw new ToolError('this tool always fails', { hint: 'do not call it' });
        },
      }),
      defineTool({
        name: 'boom',
        title: 'Boom',
        description: 'Throws an unexpected error.',
        input: z.object({}),
        output: z.object({}),
        annotations: readOnly,
        handler: async () => {
          throw new TypeError('undefined is not a function');
        },
      }),
      defineTool({
        name: 'whoami',
        title: 'Who am I',
        description: 'Returns the caller identity.',
        input: z.object({}),
        output: z.object({ subject: z.string(), session: z.string().optional() }),
        annotations: readOnly,
        handler: async (_args, context) => ({
          structured: { subject: context.identity.subject, ...(context.sessionId ? { session: context.sessionId } : {}) },
          text: context.identity.subject,
        }),
      }),
    ],
    ...overrides,
  });
}
