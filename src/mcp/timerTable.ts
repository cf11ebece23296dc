/**
 * Timers that belong to an owner (a session) and must die with it. A resume-window timer left
 * running after its session closed kept the whole session (its SDK server, streams, handlers)
 * alive for minutes: about 21 KB per expired session, and no plateau while clients kept coming.
 */
export class TimerTable<Owner extends object> {
  private readonly timers = new Map<Owner, Set<NodeJS.Timeout>>();
  private count = 0;

  /** Timers pending now, all owners (for tests and the bench). */
  get size(): number {
    return this.count;
  }

  /** Runs `run` after `ms` unless `owner`'s timers are cancelled first; never keeps the process alive. */
  schedule(owner: Owner, ms: number, run: () => void): void {
    let own = this.timers.get(owner);
    if (!own) this.timers.set(owner, (own = new Set()));
    const timer = setTimeout(() => {
      this.forget(owner, timer);
      run();
    }, ms);
    timer.unref();
    own.add(timer);
    this.count++;
  }

  /** Cancels every timer of `owner`. */
  cancelAll(owner: Owner): void {
    const own = this.timers.get(owner);
    if (!own) return;
    for (const timer of own) clearTimeout(timer);
    this.count -= own.size;
    this.timers.delete(owner);
  }

  private forget(owner: Owner, timer: NodeJS.Timeout): void {
    const own = this.timers.get(owner);
    if (!own?.delete(timer)) return;
    this.count--;
    if (own.size === 0) this.timers.delete(owner);
  }
}
