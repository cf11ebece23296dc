import { createHash } from 'node:crypto';
import type { StructuredToolInterface } from '@langchain/core/tools';

/** The argument a tool declares to make its writes safe to repeat (see servers/README.md). */
export const IDEMPOTENCY_KEY_ARG = 'idempotency_key';

/** Keys stay within what a tool may accept: the incident agent takes at most 200 characters. */
const MAX_KEY_LENGTH = 200;

/** Whether the tool's input schema (JSON Schema from MCP, or zod) has an `idempotency_key` property. */
export function takesIdempotencyKey(tool: StructuredToolInterface): boolean {
  const schema = tool.schema as { properties?: Record<string, unknown>; shape?: Record<string, unknown> } | undefined;
  if (!schema || typeof schema !== 'object') return false;
  return Object.hasOwn(schema.properties ?? {}, IDEMPOTENCY_KEY_ARG) || Object.hasOwn(schema.shape ?? {}, IDEMPOTENCY_KEY_ARG);
}

/**
 * The key of one tool call: its thread, the position of the model message that asked for it, and
 * its call id. All three are in the checkpoint, so a resumed run sends the same key again; the
 * position keeps two turns apart when a model reuses call ids (some number them from 0 each turn).
 */
export function idempotencyKeyOf(threadId: string, messageIndex: number, callId: string): string {
  const key = `sb:${threadId}:${messageIndex}:${callId}`;
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `sb:${createHash('sha256').update(key).digest('base64url')}`;
}

/** The call's arguments with the key added when the tool takes one and the model did not give one. */
export function withIdempotencyKey(
  tool: StructuredToolInterface | undefined,
  args: Record<string, unknown>,
  key: string,
): Record<string, unknown> {
  if (!tool || !takesIdempotencyKey(tool) || typeof args[IDEMPOTENCY_KEY_ARG] === 'string') return args;
  return { ...args, [IDEMPOTENCY_KEY_ARG]: key };
}
