import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ConfigError, UpstreamError } from '../errors.ts';
import type { Identity } from './agent.ts';

/** The scope read-only tools need (a write scope also does), unless set otherwise. */
export const DEFAULT_READ_SCOPE = 'mcp:read';
/** The scope every other tool needs, unless set otherwise. */
export const DEFAULT_WRITE_SCOPE = 'mcp:write';
/** Clock difference tolerated on `exp`, `nbf` and `iat`. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
/** The shortest time between two JWKS fetches for an unknown `kid` (jose's default). */
export const DEFAULT_JWKS_COOLDOWN_MS = 30_000;
/** How long a fetched JWKS is used before it is fetched again. */
export const DEFAULT_JWKS_MAX_AGE_MS = 10 * 60_000;

const PRM_PATH = '/.well-known/oauth-protected-resource';
/** Signatures an authorization server's keys make; symmetric and `none` are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export interface OAuthResourceOptions {
  /** The authorization server's issuer (`iss` of its tokens). Its metadata is discovered from it unless `jwksUrl` is set. */
  readonly issuer: string;
  /** The authorization server's JWKS. Default: `jwks_uri` of its metadata (RFC 8414, else OpenID Connect discovery). */
  readonly jwksUrl?: string;
  /**
   * This server's resource URL (RFC 8707/9728), the audience its tokens must carry. Default: the request's
   * checked `Host` and scheme with `/mcp`. Required when `Host` is not checked.
   */
  readonly resourceUrl?: string;
  /** Audiences accepted besides the resource URL (an authorization server that names APIs otherwise). */
  readonly audiences?: readonly string[];
  /** Default {@link DEFAULT_READ_SCOPE}. */
  readonly readScope?: string;
  /** Default {@link DEFAULT_WRITE_SCOPE}. */
  readonly writeScope?: string;
  /** Default {@link DEFAULT_CLOCK_SKEW_SECONDS}. */
  readonly clockSkewSeconds?: number;
  /** Default {@link DEFAULT_JWKS_COOLDOWN_MS}. */
  readonly jwksCooldownMs?: number;
  /** Default {@link DEFAULT_JWKS_MAX_AGE_MS}. */
  readonly jwksMaxAgeMs?: number;
  /** Shown as `resource_name` in the metadata. */
  readonly resourceName?: string;
}

/** A token that is missing, malformed, expired, for someone else, or not signed by the issuer. */
export class InvalidTokenError extends Error {}

/** The authorization server's metadata or keys could not be fetched: the token could not be checked at all. */
export class AuthServerUnavailableError extends UpstreamError {
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super('authorization server', message, options);
  }
}

/** What the HTTP layer needs from OAuth: the resource's URLs and documents, and token checks. */
export interface OAuthResource {
  readonly readScope: string;
  readonly writeScope: string;
  /** This server's resource URL as seen by `req`. */
  resourceUrl(req: IncomingMessage): string;
  /** Where the Protected Resource Metadata of `resourceUrl` is served. */
  metadataUrl(resourceUrl: string): string;
  /** Paths the metadata document answers on: the bare well-known path and the path-suffixed form. */
  metadataPaths(req: IncomingMessage): readonly string[];
  /** The RFC 9728 document. */
  metadata(resourceUrl: string): Record<string, unknown>;
  /** The `WWW-Authenticate` value of a 401 (`error` set for a token that was sent) or a 403 (`insufficient_scope`). */
  challenge(resourceUrl: string, error?: { code: 'invalid_token' | 'insufficient_scope'; description: string; scope?: string }): string;
  /** The token's identity; throws {@link InvalidTokenError} or {@link AuthServerUnavailableError}. */
  verify(token: string, resourceUrl: string): Promise<Identity>;
}

const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** RFC 8414 first (`/.well-known/oauth-authorization-server` before the issuer's path), then OpenID Connect discovery. */
function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${url.origin}${path}/.well-known/openid-configuration`];
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const problems: string[] = [];
  for (const url of metadataUrls(issuer)) {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (!response.ok) {
        problems.push(`${url}: HTTP ${response.status}`);
        continue;
      }
      const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (metadata.issuer !== issuer) {
        problems.push(`${url}: its issuer is ${JSON.stringify(metadata.issuer)}, not "${issuer}"`);
        continue;
      }
      if (typeof metadata.jwks_uri !== 'string' || !URL.canParse(metadata.jwks_uri)) {
        problems.push(`${url}: no jwks_uri`);
        continue;
      }
      return metadata.jwks_uri;
    } catch (error) {
      problems.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new AuthServerUnavailableError(`cannot discover the authorization server's keys (${problems.join('; ')})`, {
    hint: 'check MCP_OAUTH_ISSUER, or set MCP_OAUTH_JWKS_URL',
  });
}

const scopesOf = (payload: JWTPayload): string[] => {
  const scope = payload['scope'] ?? payload['scp'];
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
  if (Array.isArray(scope)) return scope.filter((item): item is string => typeof item === 'string');
  return [];
};

/** Why jose refused a token, in words a client can act on. */
function describeRefusal(error: unknown, issuer: string): string {
  if (error instanceof joseErrors.JWTExpired) return 'the access token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'the access token is not for this resource (its audience differs)';
    if (error.claim === 'iss') return `the access token was not issued by ${issuer}`;
    if (error.claim === 'nbf') return 'the access token is not valid yet';
    return `the access token's "${error.claim}" claim is not valid`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the access token signature is not valid';
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return "the access token is signed with a key the authorization server's JWKS does not have";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the access token is signed with an algorithm that is not accepted';
  return 'the access token is not a valid JWT';
}

/**
 * An OAuth 2.1 resource server: JWT access tokens checked against the authorization server's JWKS (fetched
 * once, cached, fetched again for a `kid` it does not know), `iss`, `aud` (RFC 8707: this server) and
 * `exp`/`nbf` with a little clock skew; and the Protected Resource Metadata (RFC 9728) clients discover it by.
 */
export function createOAuthResource(options: OAuthResourceOptions, host: { readonly checkHost: boolean }): OAuthResource {
  if (!URL.canParse(options.issuer)) throw new ConfigError(`MCP_OAUTH_ISSUER must be a URL, not "${options.issuer}"`);
  if (options.jwksUrl !== undefined && !URL.canParse(options.jwksUrl))
    throw new ConfigError(`MCP_OAUTH_JWKS_URL must be a URL, not "${options.jwksUrl}"`);
  if (options.resourceUrl !== undefined && !URL.canParse(options.resourceUrl))
    throw new ConfigError(`MCP_RESOURCE_URL must be a URL, not "${options.resourceUrl}"`);
  // Without a checked Host, a request could name any resource and have us accept tokens minted for it.
  if (options.resourceUrl === undefined && !host.checkHost)
    throw new ConfigError('MCP_RESOURCE_URL must be set when the Host check is off: the resource URL cannot be derived from Host');
  const issuer = options.issuer;
  const readScope = options.readScope ?? DEFAULT_READ_SCOPE;
  const writeScope = options.writeScope ?? DEFAULT_WRITE_SCOPE;
  const fixed = options.resourceUrl === undefined ? undefined : new URL(options.resourceUrl).href;
  let keys: Promise<JWTVerifyGetKey> | undefined;

  const keySet = (): Promise<JWTVerifyGetKey> => {
    if (!keys) {
      keys = (async () => {
        const url = options.jwksUrl ?? (await discoverJwksUrl(issuer));
        return createRemoteJWKSet(new URL(url), {
          cooldownDuration: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
          cacheMaxAge: options.jwksMaxAgeMs ?? DEFAULT_JWKS_MAX_AGE_MS,
          timeoutDuration: 10_000,
        });
      })();
      // A failed discovery is tried again by the next request, not remembered.
      keys.catch(() => (keys = undefined));
    }
    return keys;
  };

  const resourceUrl = (req: IncomingMessage): string => {
    if (fixed) return fixed;
    const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
    return new URL('/mcp', `${scheme}://${req.headers.host ?? 'localhost'}`).href;
  };
  const metadataUrl = (resource: string): string => {
    const url = new URL(resource);
    const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
    return `${url.origin}${PRM_PATH}${path}`;
  };

  return {
    readScope,
    writeScope,
    resourceUrl,
    metadataUrl,
    metadataPaths(req) {
      const path = new URL(metadataUrl(resourceUrl(req))).pathname;
      return [...new Set([PRM_PATH, path, `${PRM_PATH}/mcp`])];
    },
    metadata(resource) {
      return {
        resource,
        authorization_servers: [issuer],
        scopes_supported: [readScope, writeScope],
        bearer_methods_supported: ['header'],
        ...(options.resourceName ? { resource_name: options.resourceName } : {}),
      };
    },
    challenge(resource, error) {
      const parts = [`resource_metadata=${quoted(metadataUrl(resource))}`];
      if (error) {
        parts.unshift(`error=${quoted(error.code)}`, `error_description=${quoted(error.description)}`);
        parts.push(`scope=${quoted(error.scope ?? `${readScope} ${writeScope}`)}`);
      } else parts.push(`scope=${quoted(`${readScope} ${writeScope}`)}`);
      return `Bearer ${parts.join(', ')}`;
    },
    async verify(token, resource) {
      const getKey = await keySet();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer,
          audience: [resource, ...(options.audiences ?? [])],
          clockTolerance: options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid)
          throw new AuthServerUnavailableError(`cannot fetch the authorization server's keys: ${error.message}`, { cause: error });
        if (error instanceof joseErrors.JOSEError) throw new InvalidTokenError(describeRefusal(error, issuer), { cause: error });
        // fetch failures of the JWKS surface as plain errors
        throw new AuthServerUnavailableError(`cannot fetch the authorization server's keys: ${String(error)}`, { cause: error });
      }
      const clientId = typeof payload['client_id'] === 'string' ? payload['client_id'] : undefined;
      const subject = payload.sub ?? clientId ?? 'unknown';
      return { subject, authenticated: true, scopes: scopesOf(payload), ...(clientId ? { clientId } : {}) };
    },
  };
}

/** The scope a request needs that the caller's token lacks, or undefined when it may go on. */
export type ScopeCheck = (method: string, params: Record<string, unknown> | undefined, identity: Identity) => string | undefined;

/**
 * Scopes per tool: calling a read-only tool (`annotations.readOnlyHint`) needs the read or the write
 * scope, any other tool the write scope; listing and everything else needs a valid token only.
 * Callers without `scopes` (static tokens, no auth) are not limited.
 */
export function createScopeCheck(
  tools: readonly { name: string; annotations?: { readOnlyHint?: boolean } }[],
  scopes: { readScope: string; writeScope: string },
): ScopeCheck {
  const readOnly = new Set(tools.filter((tool) => tool.annotations?.readOnlyHint === true).map((tool) => tool.name));
  const known = new Set(tools.map((tool) => tool.name));
  return (method, params, identity) => {
    if (method !== 'tools/call' || identity.scopes === undefined) return undefined;
    const name = params?.['name'];
    if (typeof name !== 'string' || !known.has(name)) return undefined; // the server answers an unknown tool itself
    const held = new Set(identity.scopes);
    if (held.has(scopes.writeScope)) return undefined;
    if (readOnly.has(name)) return held.has(scopes.readScope) ? undefined : scopes.readScope;
    return scopes.writeScope;
  };
}
