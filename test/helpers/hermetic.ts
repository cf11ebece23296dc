import diagnostics from 'node:diagnostics_channel';
import { after, before } from 'node:test';

/** Host names a hermetic test may reach. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** What the guard saw while the file's tests ran. */
export interface HermeticGuard {
  /** URLs the guarded `fetch` refused (any host but loopback). */
  readonly blocked: string[];
  /** Origins of every request undici created, including ones that bypass the global fetch. */
  readonly origins: string[];
  /** Anything written to stderr or the console. */
  readonly printed: string[];
}

/**
 * Registers `before`/`after` hooks for the current test file: the global `fetch` refuses any host
 * but loopback (so an attempt fails loudly where it happens, not only in a later check), undici's
 * request channel records every origin, and stderr and the console are recorded (LangChain warns
 * there when a fetch it wanted fails). Call it at the top level of a test file.
 */
export function guardHermetic(): HermeticGuard {
  const guard: HermeticGuard = { blocked: [], origins: [], printed: [] };
  const onRequest = (message: unknown) => guard.origins.push((message as { request: { origin: string } }).request.origin);
  const originalFetch = globalThis.fetch;
  const originalStderrWrite = process.stderr.write;
  const originalConsole = { log: console.log, warn: console.warn, error: console.error, info: console.info, debug: console.debug };
  before(() => {
    diagnostics.subscribe('undici:request:create', onRequest);
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!LOOPBACK_HOSTS.has(url.hostname)) {
        guard.blocked.push(url.href);
        return Promise.reject(new TypeError(`hermetic test: blocked a request to ${url.href}`));
      }
      return originalFetch(input, init);
    };
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      guard.printed.push(String(chunk));
      return originalStderrWrite.call(process.stderr, chunk, ...rest);
    }) as typeof process.stderr.write;
    for (const name of Object.keys(originalConsole) as (keyof typeof originalConsole)[]) {
      console[name] = (...args: unknown[]) => {
        guard.printed.push(args.map(String).join(' '));
        originalConsole[name](...args);
      };
    }
  });
  after(() => {
    diagnostics.unsubscribe('undici:request:create', onRequest);
    globalThis.fetch = originalFetch;
    process.stderr.write = originalStderrWrite;
    Object.assign(console, originalConsole);
  });
  return guard;
}

/** Origins the guard saw that are not loopback (should be none). */
export function offLoopback(guard: HermeticGuard): string[] {
  return guard.origins.filter((origin) => !LOOPBACK_HOSTS.has(new URL(origin).hostname));
}
