import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import type { TlsFiles } from './tls.ts';

const optionalString = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string())
  .optional()
  .transform((value) => (value ? value : undefined));

const optionalUrl = (what: string) =>
  optionalString.refine((value) => value === undefined || URL.canParse(value), { message: `${what} must be a URL` });

const list = optionalString.transform((value) =>
  value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [],
);

const port = z.coerce.number().int().min(0).max(65535);

/** The levels `LOG_LEVEL` takes (pino's), most severe first. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A number above 0 (fractions allowed) of `unit`, or unset. */
const positiveNumber = (name: string, unit: string) =>
  optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (Number.isFinite(n) && n > 0) return n;
    ctx.addIssue({ code: 'custom', message: `${name} must be a number of ${unit} above 0` });
    return z.NEVER;
  });

/** A whole number of at least 1 (a count, or seconds), or unset. */
const positiveInt = (name: string) =>
  optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (Number.isSafeInteger(n) && n >= 1) return n;
    ctx.addIssue({ code: 'custom', message: `${name} must be a whole number of at least 1, not "${value}"` });
    return z.NEVER;
  });

/** Every environment variable Switchboard reads. `.env.example` lists the same names. */
export const EnvSchema = z.object({
  HOST: optionalString.transform((value) => value ?? '127.0.0.1'),
  PORT: optionalString.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const parsed = port.safeParse(value);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: 'PORT must be a whole number from 0 to 65535' });
    return z.NEVER;
  }),
  MCP_AUTH_TOKEN: optionalString,
  /** OAuth 2.1 resource server: the authorization server's issuer; unset: no OAuth. */
  MCP_OAUTH_ISSUER: optionalUrl('MCP_OAUTH_ISSUER'),
  MCP_OAUTH_JWKS_URL: optionalUrl('MCP_OAUTH_JWKS_URL'),
  /** This server's resource URL (the tokens' audience); `{agent}` stands for the agent's name. */
  MCP_RESOURCE_URL: optionalString.refine((value) => value === undefined || URL.canParse(value.replaceAll('{agent}', 'agent')), {
    message: 'MCP_RESOURCE_URL must be a URL (e.g. https://mcp.example.com/{agent}/mcp)',
  }),
  MCP_OAUTH_AUDIENCE: list,
  MCP_OAUTH_READ_SCOPE: optionalString.refine((value) => value === undefined || /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(value), {
    message: 'MCP_OAUTH_READ_SCOPE must be one scope name (no spaces or quotes)',
  }),
  MCP_OAUTH_WRITE_SCOPE: optionalString.refine((value) => value === undefined || /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(value), {
    message: 'MCP_OAUTH_WRITE_SCOPE must be one scope name (no spaces or quotes)',
  }),
  MCP_ALLOWED_ORIGINS: list,
  MCP_ALLOWED_HOSTS: list,
  MCP_MAX_SESSIONS: positiveInt('MCP_MAX_SESSIONS'),
  MCP_MAX_SESSIONS_PER_CLIENT: positiveInt('MCP_MAX_SESSIONS_PER_CLIENT'),
  MCP_SESSION_IDLE_TIMEOUT: positiveInt('MCP_SESSION_IDLE_TIMEOUT'),
  MCP_SESSION_LIFETIME: positiveInt('MCP_SESSION_LIFETIME'),
  MCP_REQUEST_TIMEOUT: positiveInt('MCP_REQUEST_TIMEOUT'),
  MCP_TRUSTED_PROXIES: list,
  TLS_CERT_FILE: optionalString,
  TLS_KEY_FILE: optionalString,
  TLS_CA_FILE: optionalString,
  SWITCHBOARD_DATA_DIR: optionalString.transform((value) => value ?? './data'),
  SWITCHBOARD_CONFIG: optionalString.transform((value) => value ?? 'switchboard.config.json'),
  DATABASE_URL: optionalUrl('DATABASE_URL'),
  REDIS_URL: optionalUrl('REDIS_URL'),
  SWITCHBOARD_MODEL: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl('OPENAI_BASE_URL'),
  AZURE_OPENAI_ENDPOINT: optionalUrl('AZURE_OPENAI_ENDPOINT'),
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_API_VERSION: optionalString,
  TAVILY_API_KEY: optionalString,
  TAVILY_BASE_URL: optionalUrl('TAVILY_BASE_URL'),
  SEARCH_CORPUS_DIR: optionalString,
  SWITCHBOARD_API_KEYS: list,
  BFCL_DIR: optionalString,
  NODE_ENV: optionalString,
  LOG_LEVEL: optionalString.transform((value, ctx) => {
    const level = (value ?? 'info').toLowerCase();
    if ((LOG_LEVELS as readonly string[]).includes(level)) return level as (typeof LOG_LEVELS)[number];
    ctx.addIssue({ code: 'custom', message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${value}"` });
    return z.NEVER;
  }),
  LOG_FORMAT: optionalString.transform((value, ctx) => {
    if (value === undefined || value === 'json' || value === 'pretty') return value;
    ctx.addIssue({ code: 'custom', message: `LOG_FORMAT must be json or pretty, not "${value}"` });
    return z.NEVER;
  }),
  // OpenTelemetry's standard variables: the SDK is loaded only when these ask for an exporter.
  OTEL_SDK_DISABLED: optionalString.transform((value) => value?.toLowerCase() === 'true'),
  OTEL_TRACES_EXPORTER: list,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_ENDPOINT'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
  OTEL_SERVICE_NAME: optionalString,
  SWITCHBOARD_TRACE_ARGS: optionalString.transform((value, ctx) => {
    if (value === undefined || value === 'false' || value === '0') return false;
    if (value === 'true' || value === '1') return true;
    ctx.addIssue({ code: 'custom', message: `SWITCHBOARD_TRACE_ARGS must be true or false, not "${value}"` });
    return z.NEVER;
  }),
  /** Seconds a run's replica may go silent (crashed) before another replica takes the run over. */
  SWITCHBOARD_TAKEOVER_SECONDS: positiveNumber('SWITCHBOARD_TAKEOVER_SECONDS', 'seconds'),
  /** Days finished runs and their events are kept before they are deleted. */
  SWITCHBOARD_RUN_RETENTION_DAYS: positiveNumber('SWITCHBOARD_RUN_RETENTION_DAYS', 'days'),
  /**
   * PostgreSQL schema of the service's runs and threads, with its run queue in `<schema>_boss`; default: the
   * server's search_path (`public`) and `pgboss`. Lets several services (or tests) share one database.
   */
  SWITCHBOARD_PG_SCHEMA: optionalString.transform((value, ctx) => {
    if (value === undefined || /^[a-z_][a-z0-9_]{0,50}$/.test(value)) return value;
    ctx.addIssue({ code: 'custom', message: `SWITCHBOARD_PG_SCHEMA must be a lower-case SQL name (a-z, 0-9, _), not "${value}"` });
    return z.NEVER;
  }),
});

/** Rules that span variables. */
const CheckedEnvSchema = EnvSchema.superRefine((env, ctx) => {
  // Half a TLS set-up would silently serve plain HTTP: refuse it.
  if (!env.TLS_CERT_FILE !== !env.TLS_KEY_FILE)
    ctx.addIssue({
      code: 'custom',
      path: [env.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'],
      message: 'set TLS_CERT_FILE and TLS_KEY_FILE together',
    });
  for (const name of ['MCP_OAUTH_JWKS_URL', 'MCP_OAUTH_READ_SCOPE', 'MCP_OAUTH_WRITE_SCOPE'] as const)
    if (env[name] && !env.MCP_OAUTH_ISSUER)
      ctx.addIssue({ code: 'custom', path: ['MCP_OAUTH_ISSUER'], message: `${name} is set but OAuth is off: set MCP_OAUTH_ISSUER too` });
  if (env.MCP_OAUTH_AUDIENCE.length > 0 && !env.MCP_OAUTH_ISSUER)
    ctx.addIssue({
      code: 'custom',
      path: ['MCP_OAUTH_ISSUER'],
      message: 'MCP_OAUTH_AUDIENCE is set but OAuth is off: set MCP_OAUTH_ISSUER too',
    });
  if (env.TLS_CA_FILE && !env.TLS_CERT_FILE)
    ctx.addIssue({
      code: 'custom',
      path: ['TLS_CA_FILE'],
      message: 'client certificates need TLS: set TLS_CERT_FILE and TLS_KEY_FILE too',
    });
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * Parses an environment (default: `process.env`) into a typed config.
 * Throws a `ConfigError` naming every bad variable and what it must be.
 */
export function loadEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const parsed = CheckedEnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid environment: ${lines.join('; ')}`, { hint: 'fix the variables named, see .env.example' });
}

/** The process environment, for the few places that pass it on (config interpolation, child processes). */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/**
 * How processes log: `LOG_LEVEL` (default `info`), and `LOG_FORMAT`, by default JSON lines when
 * `NODE_ENV=production` (the container image sets it) and readable lines otherwise.
 */
export function logSettings(env: Env): { level: Env['LOG_LEVEL']; format: 'json' | 'pretty' } {
  return { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty') };
}

/**
 * Whether and where to send traces, from OpenTelemetry's standard variables: on when
 * `OTEL_TRACES_EXPORTER` names `otlp` or `console`, or an OTLP endpoint is set (and neither
 * `OTEL_TRACES_EXPORTER=none` nor `OTEL_SDK_DISABLED=true` says otherwise). Off by default.
 */
export function tracingSettings(env: Env, defaultServiceName: string) {
  const exporters = env.OTEL_TRACES_EXPORTER;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const asked = exporters.includes('otlp') || exporters.includes('console') || (exporters.length === 0 && endpoint !== undefined);
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, '');
  return {
    enabled: asked && !exporters.includes('none') && !env.OTEL_SDK_DISABLED,
    exporter: exporters.includes('otlp') || !exporters.includes('console') ? ('otlp' as const) : ('console' as const),
    tracesUrl: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? undefined : `${base}/v1/traces`),
    serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName,
    recordArgs: env.SWITCHBOARD_TRACE_ARGS,
  };
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : value * 1000);

/** The kit's session limits from the environment (unset: the kit's defaults); times in ms. */
export function sessionSettings(env: Env) {
  return {
    maxSessions: env.MCP_MAX_SESSIONS,
    maxSessionsPerClient: env.MCP_MAX_SESSIONS_PER_CLIENT,
    idleTimeoutMs: seconds(env.MCP_SESSION_IDLE_TIMEOUT),
    sessionLifetimeMs: seconds(env.MCP_SESSION_LIFETIME),
    requestTimeoutMs: seconds(env.MCP_REQUEST_TIMEOUT),
    trustedProxies: env.MCP_TRUSTED_PROXIES,
  };
}

/**
 * The OAuth resource server settings (`MCP_OAUTH_*`, `MCP_RESOURCE_URL` with `{agent}` replaced by `name`),
 * or undefined when `MCP_OAUTH_ISSUER` is unset.
 */
export function oauthSettings(env: Env, name?: string) {
  if (!env.MCP_OAUTH_ISSUER) return undefined;
  return {
    issuer: env.MCP_OAUTH_ISSUER,
    ...(env.MCP_OAUTH_JWKS_URL ? { jwksUrl: env.MCP_OAUTH_JWKS_URL } : {}),
    ...(env.MCP_RESOURCE_URL ? { resourceUrl: env.MCP_RESOURCE_URL.replaceAll('{agent}', name ?? 'service') } : {}),
    ...(env.MCP_OAUTH_AUDIENCE.length > 0 ? { audiences: env.MCP_OAUTH_AUDIENCE } : {}),
    ...(env.MCP_OAUTH_READ_SCOPE ? { readScope: env.MCP_OAUTH_READ_SCOPE } : {}),
    ...(env.MCP_OAUTH_WRITE_SCOPE ? { writeScope: env.MCP_OAUTH_WRITE_SCOPE } : {}),
  };
}

/** The kit's HTTP options that come from the environment; `name`: the agent's (for `{agent}` in `MCP_RESOURCE_URL`). */
export function agentServerSettings(env: Env, name?: string) {
  const oauth = oauthSettings(env, name);
  return {
    host: env.HOST,
    authTokens: (env.MCP_AUTH_TOKEN ? { default: env.MCP_AUTH_TOKEN } : {}) as Record<string, string>,
    ...(oauth ? { oauth } : {}),
    allowedOrigins: env.MCP_ALLOWED_ORIGINS,
    allowedHosts: env.MCP_ALLOWED_HOSTS,
    ...sessionSettings(env),
  };
}

/** `TLS_CERT_FILE` / `TLS_KEY_FILE` / `TLS_CA_FILE`, or undefined when the server speaks plain HTTP. */
export function tlsFileSettings(env: Env): TlsFiles | undefined {
  if (!env.TLS_CERT_FILE || !env.TLS_KEY_FILE) return undefined;
  return { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE, ...(env.TLS_CA_FILE ? { caFile: env.TLS_CA_FILE } : {}) };
}
