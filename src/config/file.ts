import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

export const DEFAULT_SERVER_TIMEOUT_MS = 60_000;

/**
 * How the orchestrator reaches a server: `auto` (the default) speaks Streamable HTTP and falls back
 * to the legacy HTTP+SSE transport when the server answers its initialize with 400, 404 or 405, as
 * the MCP spec's backwards-compatibility section describes; `http` is Streamable HTTP only; `sse`
 * is the legacy transport only (`url` is then the SSE endpoint, e.g. http://127.0.0.1:8000/sse).
 */
export const TransportSchema = z.enum(['auto', 'http', 'sse']);
export type Transport = z.infer<typeof TransportSchema>;

/**
 * When calls to a server's tools wait for a person's approval. Absent: the tools' annotations
 * decide (destructive, or unannotated and not read-only, asks). `"always"`: every call asks, even
 * to read-only tools. `"never"`: no call asks; the server is trusted. A list of tool names (as the
 * server names them; `*` matches any run of characters): those tools never ask, the others follow
 * their annotations. `--yes` (CLI and service) approves whatever would ask.
 */
export const ApproveSchema = z.union([z.enum(['always', 'never']), z.array(z.string().min(1))]);
export type Approve = z.infer<typeof ApproveSchema>;

/**
 * How the orchestrator gets an OAuth access token for a server: the client-credentials grant. Without
 * `tokenUrl` the authorization server is discovered from the server (its 401's resource metadata, RFC 9728,
 * then the authorization server's metadata, RFC 8414). Tokens are cached, renewed shortly before they
 * expire and after a 401.
 */
export const ClientCredentialsAuthSchema = z
  .object({
    type: z.literal('client_credentials'),
    clientId: z.string().min(1).describe('may reference ${ENV_VAR}'),
    clientSecret: z.string().min(1).describe('may reference ${ENV_VAR} (keep secrets out of the file)'),
    tokenUrl: z.string().url().optional().describe("the authorization server's token endpoint; absent: discovered from the server"),
    issuer: z.string().url().optional().describe("with tokenUrl: the issuer of the tokens (default: the token URL's origin)"),
    scope: z.string().min(1).optional().describe("scopes to ask for (space-separated); absent: those the server's challenge names"),
    tokenEndpointAuthMethod: z
      .enum(['client_secret_basic', 'client_secret_post'])
      .optional()
      .describe('how the client authenticates at the token endpoint (default: what the authorization server supports, basic first)'),
  })
  .strict()
  // Without either, the MCP server would choose where the client secret is sent.
  .refine((auth) => auth.tokenUrl !== undefined || auth.issuer !== undefined, {
    path: ['issuer'],
    message: 'set "issuer" (the authorization server the secret may be sent to) or "tokenUrl"',
  });
export type ClientCredentialsAuth = z.infer<typeof ClientCredentialsAuthSchema>;

export const ServerAuthSchema = z.discriminatedUnion('type', [ClientCredentialsAuthSchema]);

export const ServerEntrySchema = z
  .object({
    url: z
      .string()
      .url()
      .describe('the MCP endpoint, e.g. http://127.0.0.1:8101/mcp (Streamable HTTP) or http://127.0.0.1:8000/sse (legacy SSE)'),
    transport: TransportSchema.default('auto').describe('auto (Streamable HTTP, falling back to legacy SSE), http, or sse'),
    headers: z.record(z.string(), z.string()).default({}).describe('sent with every request; values may reference ${ENV_VAR}'),
    timeoutMs: z.number().int().positive().default(DEFAULT_SERVER_TIMEOUT_MS).describe('per tool call, reset by progress'),
    agent: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .optional()
      .describe('a built-in agent (folder under servers/) that serves this url'),
    autoStart: z.boolean().default(false).describe('start the built-in agent on demand when nothing answers at url'),
    ca: z
      .string()
      .min(1)
      .optional()
      .describe(
        'https:// only: PEM file of the CA (a private one) the server certificate must chain to, instead of the usual roots; relative to this file',
      ),
    cert: z.string().min(1).optional().describe('https:// only: PEM client certificate, for a server that requires one (with "key")'),
    key: z.string().min(1).optional().describe('https:// only: PEM private key of "cert"'),
    auth: ServerAuthSchema.optional().describe('OAuth: {"type": "client_credentials", "clientId", "clientSecret", "tokenUrl"?, "scope"?}'),
    enabled: z.boolean().default(true),
    exclude: z.array(z.string()).default([]).describe('tool names of this server to leave out; * matches any run of characters'),
    approve: ApproveSchema.optional().describe(
      'when calls ask for approval: "always", "never" (trusted), or the tools that never ask; absent: their annotations decide',
    ),
  })
  .strict();

export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional(),
    servers: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/, 'server names are letters, digits, _ and -'), ServerEntrySchema),
  })
  .strict();

export type ServerEntry = z.infer<typeof ServerEntrySchema>;
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** Replaces `${NAME}` in header values; an unset variable is an error naming it. */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>>, where: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const found = env[name];
    if (found === undefined)
      throw new ConfigError(`${where} references \${${name}}, which is not set`, { hint: `export ${name}=... or remove the reference` });
    return found;
  });
}

/** The entry's `auth` with `${ENV}` references replaced; an `Authorization` header next to it is refused. */
function authOf(entry: ServerEntry, name: string, source: string, env: Readonly<Record<string, string | undefined>>) {
  if (!entry.auth) return {};
  const where = `${source}: servers.${name}.auth`;
  if (Object.keys(entry.headers).some((header) => header.toLowerCase() === 'authorization'))
    throw new ConfigError(`${where} and servers.${name}.headers.Authorization both set how to authenticate`, {
      hint: 'keep one: "auth" for OAuth, or a static "Authorization" header',
    });
  const auth = entry.auth;
  return {
    auth: {
      ...auth,
      clientId: interpolate(auth.clientId, env, `${where}.clientId`),
      clientSecret: interpolate(auth.clientSecret, env, `${where}.clientSecret`),
    },
  };
}

/**
 * The entry's TLS files resolved against the config file's folder (so the config works from any
 * working directory); TLS settings on a plain http:// URL, or a certificate without its key, are refused.
 */
function tlsPaths(entry: ServerEntry, name: string, source: string): Pick<ServerEntry, 'ca' | 'cert' | 'key'> {
  const given = (['ca', 'cert', 'key'] as const).filter((field) => entry[field] !== undefined);
  if (given.length === 0) return {};
  const where = `${source}: servers.${name}`;
  if (new URL(entry.url).protocol !== 'https:')
    throw new ConfigError(`${where}.${given[0]} is set but the url ${entry.url} is not https://`, {
      hint: 'use an https:// url, or remove the TLS settings',
    });
  if ((entry.cert === undefined) !== (entry.key === undefined))
    throw new ConfigError(`${where}: "cert" and "key" go together (a client certificate and its private key)`);
  const base = dirname(resolve(source));
  const at = (path: string | undefined) => (path === undefined ? undefined : resolve(base, path));
  return { ca: at(entry.ca), cert: at(entry.cert), key: at(entry.key) };
}

/**
 * Reads every TLS file the servers name, so a bad one fails at start-up with its config path.
 * node:tls and node:crypto (tls.ts) load only when a server names one: a plain-HTTP config skips them.
 */
export async function checkTlsFiles(config: ConfigFile, source: string): Promise<void> {
  const entries = Object.entries(config.servers).filter(([, entry]) => entry.ca !== undefined || entry.cert !== undefined);
  if (entries.length === 0) return;
  const { loadTlsMaterial, readCaFile } = await import('./tls.ts');
  for (const [name, entry] of entries) {
    const where = `${source}: servers.${name}`;
    if (entry.ca !== undefined) readCaFile(entry.ca, `${where}.ca`);
    if (entry.cert !== undefined && entry.key !== undefined)
      loadTlsMaterial({ certFile: entry.cert, keyFile: entry.key }, { cert: `${where}.cert`, key: `${where}.key`, ca: `${where}.ca` });
  }
}

/** Parses a config object; errors name the offending path (`servers.search.url`). */
export function parseConfig(raw: unknown, source: string, env: Readonly<Record<string, string | undefined>>): ConfigFile {
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`${source} is invalid: ${issues.join('; ')}`);
  }
  const servers: Record<string, ServerEntry> = {};
  for (const [name, entry] of Object.entries(parsed.data.servers)) {
    const headers: Record<string, string> = {};
    for (const [header, value] of Object.entries(entry.headers))
      headers[header] = interpolate(value, env, `${source}: servers.${name}.headers.${header}`);
    servers[name] = { ...entry, headers, ...authOf(entry, name, source, env), ...tlsPaths(entry, name, source) };
  }
  return { servers };
}

/** Reads and parses a config file; a missing or malformed file is a one-line error. */
export async function loadConfigFile(path: string, env: Readonly<Record<string, string | undefined>>): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const config = parseConfig(raw, path, env);
  await checkTlsFiles(config, path);
  return config;
}

/** `NAME=URL` from `--server`; a bare URL without a name is refused (names prefix tool names). */
export function parseServerFlag(flag: string): [string, ServerEntry] {
  const at = flag.indexOf('=');
  const name = at > 0 ? flag.slice(0, at) : '';
  const url = flag.slice(at + 1);
  if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(name) || !URL.canParse(url)) {
    throw new ConfigError(`--server ${flag}: expected NAME=URL, e.g. --server docs=http://127.0.0.1:9000/mcp`);
  }
  return [name, ServerEntrySchema.parse({ url })];
}
