import { watch, type FSWatcher } from 'node:fs';

/** Quiet period after the last file event before a rescan (editors write files in several steps). */
export const DEFAULT_DEBOUNCE_MS = 150;
/** Rescan interval when file events are unavailable (inotify limits, network file systems). */
export const DEFAULT_POLL_MS = 5_000;

export interface WatchOptions {
  readonly debounceMs?: number;
  readonly pollMs?: number;
}

/** Stops watching; idempotent. */
export type StopWatching = () => void;

/**
 * Calls `onChange` once things have been quiet for `debounceMs` after any change under
 * `dir` (recursive `fs.watch`), falling back to calling it every `pollMs` when the
 * platform cannot watch. `onChange` should compare mtimes itself: events are hints.
 */
export function watchDirectory(dir: string, onChange: () => void, options: WatchOptions = {}): StopWatching {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | undefined;
  let poller: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let stopped = false;

  const poll = () => {
    watcher?.close();
    watcher = undefined;
    if (!stopped && !poller) poller = setInterval(onChange, options.pollMs ?? DEFAULT_POLL_MS).unref();
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };

  try {
    watcher = watch(dir, { recursive: true, persistent: false }, schedule);
    watcher.on('error', poll);
  } catch {
    poll();
  }

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(poller);
    watcher?.close();
  };
}
