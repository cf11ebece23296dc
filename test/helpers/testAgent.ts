import { z } from 'zod';
import { ToolError } from '../../src/errors.ts';
import { defineAgent, defineTool, type AgentDefinition } from '../../src/mcp/index.ts';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/**
 * A small agent for kit tests: echo (fast), count (progress, logs, honours cancellation),
 * fail (a tool error), boom (an unexpected error), sleep (no progress), big (huge output),
 * note (not idempotent), whoami (identity).
 */
export function createTestAgent(overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  const notes: string[] = [];
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
        name: 'sleep',
        title: 'Sleep',
        description: 'Waits ms milliseconds without reporting progress.',
        input: z.object({ ms: z.number().int().min(0).max(60_000) }),
        output: z.object({ slept: z.number() }),
        annotations: readOnly,
        handler: async ({ ms }, context) => {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            context.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()));
          });
          return { structured: { slept: ms }, text: `slept ${ms} ms` };
        },
      }),
      defineTool({
        name: 'big',
        title: 'Big output',
        description: 'Returns chars characters of text.',
        input: z.object({ chars: z.number().int().min(1).max(1_000_000) }),
        output: z.object({ length: z.number(), text: z.string() }),
        annotations: readOnly,
        handler: async ({ chars }) => {
          const text = 'lorem ipsum '.repeat(Math.ceil(chars / 12)).slice(0, chars);
          return { structured: { length: chars, text }, text };
        },
      }),
      defineTool({
        name: 'note',
        title: 'Append a note',
        description: 'Appends a note (not idempotent).',
        input: z.object({ text: z.string() }),
        output: z.object({ notes: z.number() }),
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
        handler: async ({ text }) => {
          notes.push(text);
          return { structured: { notes: notes.length }, text: `${notes.length} notes` };
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
