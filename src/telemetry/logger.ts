import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import { currentRequestId } from './requestContext.ts';

export type { Logger };

/** The levels `LOG_LEVEL` takes, most severe first. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json`: one JSON object a line (for log collectors); `pretty`: a readable line for a person. */
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** Default `info`. */
  readonly level?: LogLevel;
  /** Default `pretty`. */
  readonly format?: LogFormat;
  /** Bound to every line (`name`, e.g. the agent's). */
  readonly name?: string;
  /** Default standard error: standard output carries answers (CLI) and JSON-RPC (stdio agents). */
  readonly destination?: { write(text: string): unknown; isTTY?: boolean };
  /** Colour pretty lines. Default: when the destination is a terminal. */
  readonly colour?: boolean;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Fields every line has, which a pretty line shows in its own place (or not at all). */
const PLACED = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname']);

/** One pino JSON line as `12:30:01.123 WARN  [incident] message reqId=… key=value`. */
export function prettyLine(json: string, colour = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = Number(entry['level']);
  const name = LEVEL_NAMES[level] ?? String(entry['level']);
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString().slice(11, 23) : '';
  const label = colour ? `\u001b[${LEVEL_COLOURS[level] ?? '0'}m${name.padEnd(5)}\u001b[0m` : name.padEnd(5);
  const who = typeof entry['name'] === 'string' ? `[${entry['name']}] ` : '';
  const extras = Object.entries(entry)
    .filter(([key]) => !PLACED.has(key))
    .map(([key, value]) => ` ${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`)
    .join('');
  return `${time} ${label} ${who}${String(entry['msg'] ?? '')}${extras}\n`;
}

/**
 * A pino logger: JSON lines, or readable lines for a person. Lines written while a request is
 * served carry its `reqId` (see `withRequestId`).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.destination ?? process.stderr;
  const colour = options.colour ?? out.isTTY === true;
  const destination: DestinationStream =
    (options.format ?? 'pretty') === 'pretty'
      ? { write: (line) => void out.write(prettyLine(line, colour)) }
      : { write: (line) => void out.write(line) };
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name === undefined ? null : { name: options.name },
      mixin: () => {
        const reqId = currentRequestId();
        return reqId === undefined ? {} : { reqId };
      },
    },
    destination,
  );
}

/** A logger that writes nothing: the default of apps built in tests and libraries. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
