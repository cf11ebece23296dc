import { describeError } from '../../src/errors.ts';

/** Runs a CLI's main; any error becomes one line on stderr and exit code 1 (2 for usage). */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${describeError(error)}\n`);
      process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
    },
  );
}

/** Stops `stop` on SIGINT/SIGTERM once; a second signal exits at once. */
export function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`${signal}: shutting down (in-flight calls may finish; again to force)\n`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error during shutdown: ${describeError(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
