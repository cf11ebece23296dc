import { AsyncLocalStorage } from 'node:async_hooks';

export interface ToolProgress {
  readonly progress: number;
  readonly total: number | undefined;
  readonly message: string | undefined;
}

export type ProgressListener = (progress: ToolProgress) => void;

const scope = new AsyncLocalStorage<ProgressListener>();

/**
 * Runs a tool call with a progress listener in scope. Tools are shared between runs, so the
 * listener travels with the call's async context rather than with the tool object.
 */
export function withToolProgress<T>(listener: ProgressListener, work: () => Promise<T>): Promise<T> {
  return scope.run(listener, work);
}

/** The progress listener of the tool call in progress, read when the call starts. */
export function currentProgressListener(): ProgressListener | undefined {
  return scope.getStore();
}
