import { after } from 'node:test';

/** Anything a test starts and must stop: a server, a browser, a store. */
export interface Closable {
  close(): unknown;
}

/**
 * What a suite has started, stopped however far its set-up got. A `before` that fails half way
 * (the browser will not launch, a port is taken) must not leave the servers it did start
 * running: they keep the test process alive, and `npm test` never ends. So register each thing
 * the moment it exists: {@link Cleanup.start} wraps the promise that starts it (it is registered
 * on resolving, even inside a `Promise.all` that another start made reject), {@link Cleanup.defer}
 * takes a stop function (a child process, a temporary folder). {@link Cleanup.close} waits for
 * starts still under way, then stops everything, newest first, each even when another throws.
 */
export class Cleanup {
  private readonly stops: (() => unknown)[] = [];
  private readonly starting = new Set<Promise<unknown>>();

  /** Registers `stop`, run by {@link close}. */
  defer(stop: () => unknown): void {
    this.stops.push(stop);
  }

  /** Resolves as `starting` does, its `close()` registered as soon as it has started. */
  start<T extends Closable>(starting: Promise<T>): Promise<T> {
    const registered = starting.then((started) => {
      this.defer(() => started.close());
      return started;
    });
    const settled = registered.then(
      () => undefined,
      () => undefined,
    );
    this.starting.add(settled);
    void settled.then(() => this.starting.delete(settled));
    return registered;
  }

  /** Stops everything registered, newest first; throws (after trying every one) if any stop failed. */
  async close(): Promise<void> {
    await Promise.all(this.starting);
    const failures: unknown[] = [];
    for (const stop of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} things failed to stop`);
  }
}

/** A {@link Cleanup} closed by an `after` hook of the suite it is created in (of the file, at top level). */
export function cleanupAfter(): Cleanup {
  const cleanup = new Cleanup();
  after(() => cleanup.close());
  return cleanup;
}

/**
 * Starts several things at once; when one fails, stops those that did start before rethrowing,
 * so a helper that starts a group never leaves part of it running.
 */
export async function startAll<T extends Closable>(starts: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed === undefined) return results.map((result) => (result as PromiseFulfilledResult<T>).value);
  await Promise.allSettled(results.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
  throw failed.reason;
}
