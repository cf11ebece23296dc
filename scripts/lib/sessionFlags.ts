import { sessionSettings, type Env } from '../../src/config/env.ts';
import { UserError } from '../../src/errors.ts';

/** The session flags `npm run agent` and `npm run serve` take (`parseArgs` options); each overrides its MCP_* variable. */
export const SESSION_FLAGS = {
  'max-sessions': { type: 'string' },
  'max-sessions-per-client': { type: 'string' },
  'session-idle-timeout': { type: 'string' },
  'session-lifetime': { type: 'string' },
  'request-timeout': { type: 'string' },
  'trusted-proxies': { type: 'string' },
} as const;

export type SessionSettings = ReturnType<typeof sessionSettings>;

type SessionFlagValues = { readonly [K in keyof typeof SESSION_FLAGS]?: string | undefined };

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw Object.assign(new UserError(`--${flag} must be a whole number of at least 1, not "${value}"`), { exitCode: 2 });
  return n;
}

const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

/** The session settings: each flag given, else its environment variable, else the kit's default (undefined). */
export function sessionFlagSettings(values: SessionFlagValues, env: Env): SessionSettings {
  const fromEnv = sessionSettings(env);
  const proxies = values['trusted-proxies']
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return {
    maxSessions: positive('max-sessions', values['max-sessions']) ?? fromEnv.maxSessions,
    maxSessionsPerClient: positive('max-sessions-per-client', values['max-sessions-per-client']) ?? fromEnv.maxSessionsPerClient,
    idleTimeoutMs: ms(positive('session-idle-timeout', values['session-idle-timeout'])) ?? fromEnv.idleTimeoutMs,
    sessionLifetimeMs: ms(positive('session-lifetime', values['session-lifetime'])) ?? fromEnv.sessionLifetimeMs,
    requestTimeoutMs: ms(positive('request-timeout', values['request-timeout'])) ?? fromEnv.requestTimeoutMs,
    trustedProxies: proxies ?? fromEnv.trustedProxies,
  };
}
