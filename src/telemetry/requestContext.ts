import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header a request id arrives in and is echoed back in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Ids a caller may choose: short, printable, no spaces (they land in log lines and headers). */
const CALLER_ID = /^[\w.:@/+=-]{1,128}$/;

const scope = new AsyncLocalStorage<string>();

/** The caller's `x-request-id` when it is a sensible one, else a new id (`fresh`, default a random UUID). */
export function requestIdOf(header: string | readonly string[] | undefined, fresh: () => string = randomUUID): string {
  const given = Array.isArray(header) ? header[0] : header;
  return typeof given === 'string' && CALLER_ID.test(given) ? given : fresh();
}

/** Runs `fn` (and everything it starts, awaits included) as part of request `id`: log lines then carry it. */
export function withRequestId<T>(id: string, fn: () => T): T {
  return scope.run(id, fn);
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore();
}
