import { ANONYMOUS, type Identity, type LogLevel, type ToolContext } from '../../src/mcp/index.ts';

export interface RecordedContext extends ToolContext {
  readonly progressEvents: { done: number; total: number | undefined; message: string | undefined }[];
  readonly logs: { level: LogLevel; message: string }[];
}

/** A tool context that records progress and logs, for calling handlers directly in unit tests. */
export function recordingContext(options: { identity?: Identity; signal?: AbortSignal } = {}): RecordedContext {
  const progressEvents: RecordedContext['progressEvents'] = [];
  const logs: RecordedContext['logs'] = [];
  return {
    progressEvents,
    logs,
    identity: options.identity ?? ANONYMOUS,
    signal: options.signal ?? new AbortController().signal,
    sessionId: undefined,
    async progress(done, total, message) {
      progressEvents.push({ done, total, message });
    },
    async log(level, message) {
      logs.push({ level, message });
    },
    async sessionLog(level, message) {
      logs.push({ level, message });
    },
  };
}
