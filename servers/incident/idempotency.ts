import { createHash } from 'node:crypto';
import { ToolError } from '../../src/errors.ts';

/** The writes that take an `idempotency_key`. */
export type KeyedOperation = 'create_incident' | 'update_incident';

/** What a used key remembers: which request it was for and what that request answered. */
export interface KeyRecord {
  readonly operation: string;
  readonly request_hash: string;
  readonly response: string;
}

/** Key order and absent fields do not change a request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([name, field]) => [name, canonical(field)]));
}

/**
 * A digest of what a keyed write asks for: the operation, its arguments without the key, and who
 * asks (a key is not shared across callers). Equal digests mean "the same request, retried".
 */
export function requestHash(operation: KeyedOperation, input: object, actor: string, target?: string): string {
  const { idempotency_key: _key, ...args } = input as { idempotency_key?: unknown };
  return createHash('sha256')
    .update(JSON.stringify(canonical({ operation, target, args, actor })))
    .digest('base64url');
}

/**
 * The first answer for a key used before, parsed; refuses (a `ToolError`) when the key was used
 * for another request, since replaying that answer would report a write this call did not ask for.
 */
export function replay<T>(record: KeyRecord, key: string, operation: KeyedOperation, hash: string): T {
  if (record.operation !== operation || record.request_hash !== hash) {
    throw new ToolError(
      `idempotency_key "${key}" was already used by ${record.operation} with different arguments; ` +
        'repeat that request exactly to get its result, or use a new key for a new request',
    );
  }
  return JSON.parse(record.response) as T;
}
