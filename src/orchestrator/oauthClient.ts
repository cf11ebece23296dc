import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import {
  auth,
  extractWWWAuthenticateParams,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AuthorizationServerMetadata, OAuthClientInformation, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ClientCredentialsAuth } from '../config/file.ts';

/** A token is renewed once less than this share of its lifetime is left (and at most this long before it expires). */
const RENEW_SHARE = 0.1;
const RENEW_MAX_MS = 60_000;

/**
 * A provider that can finish an authorization without a person: its `redirectToAuthorization` obtains
 * the code itself (a pre-approved client whose authorization server redirects at once), or none is needed
 * (client credentials). The fetch of {@link createOAuthFetch} drives it.
 */
export interface HeadlessOAuthProvider extends OAuthClientProvider {
  /** The code the last `redirectToAuthorization` obtained, taken once; undefined: the flow cannot go on. */
  takeAuthorizationCode?(): string | undefined | Promise<string | undefined>;
  /** Whether the current token should be renewed before it is sent (it expires soon). */
  renewDue?(): boolean;
  /** The scope the server asked for (its `WWW-Authenticate` or metadata), for grants that take it at the token endpoint. */
  askScope?(scope: string | undefined): void;
}

/**
 * The OAuth client of a server entry's `"auth": {"type": "client_credentials", …}`: the SDK's client-credentials
 * provider, plus a token endpoint given in the config instead of discovery, the configured client
 * authentication method, and renewal shortly before the token expires.
 */
export class ClientCredentialsClient extends ClientCredentialsProvider implements HeadlessOAuthProvider {
  private expiresAt: number | undefined;
  private lifetimeMs: number | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private asked: string | undefined;
  private readonly configuredScope: string | undefined;
  private readonly authMethod: string | undefined;

  constructor(config: ClientCredentialsAuth) {
    const issuer = config.issuer ?? new URL(config.tokenUrl!).origin;
    // The secret goes only to this authorization server, whatever a server's metadata names.
    super({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      clientName: 'switchboard',
      scope: config.scope,
      expectedIssuer: issuer,
    });
    this.configuredScope = config.scope;
    this.authMethod = config.tokenEndpointAuthMethod;
    if (config.tokenUrl) {
      // A token endpoint from the config: no discovery of the authorization server.
      this.discovery = {
        authorizationServerUrl: issuer,
        // Only what the client-credentials grant reads; no authorization endpoint is ever used.
        authorizationServerMetadata: {
          issuer,
          token_endpoint: config.tokenUrl,
          response_types_supported: ['token'],
          grant_types_supported: ['client_credentials'],
          ...(config.tokenEndpointAuthMethod ? { token_endpoint_auth_methods_supported: [config.tokenEndpointAuthMethod] } : {}),
        } as unknown as AuthorizationServerMetadata,
      };
    }
  }

  /** With the configured `tokenEndpointAuthMethod`, which the SDK prefers over its own choice. */
  override clientInformation(): OAuthClientInformation {
    const info = super.clientInformation();
    return (this.authMethod ? { ...info, token_endpoint_auth_method: this.authMethod } : info) as OAuthClientInformation;
  }

  override saveTokens(tokens: OAuthTokens): void {
    super.saveTokens(tokens);
    this.lifetimeMs = tokens.expires_in === undefined ? undefined : tokens.expires_in * 1000;
    this.expiresAt = this.lifetimeMs === undefined ? undefined : Date.now() + this.lifetimeMs;
  }

  renewDue(): boolean {
    if (this.expiresAt === undefined || this.lifetimeMs === undefined) return false;
    return Date.now() >= this.expiresAt - Math.min(RENEW_MAX_MS, this.lifetimeMs * RENEW_SHARE);
  }

  askScope(scope: string | undefined): void {
    this.asked = scope;
  }

  override prepareTokenRequest(scope?: string): URLSearchParams {
    return super.prepareTokenRequest(this.configuredScope ?? this.asked ?? scope);
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}

/** One client per configured `auth` object, so every connection to the server shares its cached token. */
const clients = new WeakMap<ClientCredentialsAuth, ClientCredentialsClient>();

/** The OAuth client of an entry's `auth`, shared by its connections. */
export function oauthClientFor(config: ClientCredentialsAuth): ClientCredentialsClient {
  let client = clients.get(config);
  if (!client) clients.set(config, (client = new ClientCredentialsClient(config)));
  return client;
}

/** Refused for good: the authorization could not be completed (the message says why). */
export class OAuthFlowError extends Error {}

const withBearer = (init: RequestInit | undefined, token: string | undefined): RequestInit => {
  const headers = new Headers(init?.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
};

/**
 * A fetch that authenticates every request to an MCP server with `provider`'s access token: it gets one
 * when there is none or it is about to expire, and on a `401` (the server's `WWW-Authenticate` names the
 * resource metadata and scope) or a `403 insufficient_scope` (step-up, once per challenge) it authorizes
 * again and retries the request once. Discovery follows the MCP authorization spec (the SDK's `auth`).
 */
export function createOAuthFetch(provider: HeadlessOAuthProvider, serverUrl: string, inner: FetchLike = fetch): FetchLike {
  let resourceMetadataUrl: URL | undefined;
  let scope: string | undefined;
  let lastStepUp: string | undefined;
  let authorizing: Promise<void> | undefined;

  const authorize = (): Promise<void> => {
    authorizing ??= (async () => {
      provider.askScope?.(scope);
      const options = { serverUrl, resourceMetadataUrl, scope, fetchFn: inner };
      let result = await auth(provider, options);
      if (result === 'REDIRECT') {
        const code = await provider.takeAuthorizationCode?.();
        if (code === undefined)
          throw new OAuthFlowError('the authorization server asks for a person to sign in, which this client cannot do');
        result = await auth(provider, { ...options, authorizationCode: code });
      }
      if (result !== 'AUTHORIZED') throw new OAuthFlowError('the authorization did not complete');
    })().finally(() => (authorizing = undefined));
    return authorizing;
  };

  const send = async (url: string | URL, init: RequestInit | undefined) =>
    inner(url, withBearer(init, (await provider.tokens())?.access_token));

  return async (url, init) => {
    if ((await provider.tokens()) === undefined || provider.renewDue?.()) {
      // Nothing to send yet, or about to expire: authorize first when the server is known to want it.
      if (resourceMetadataUrl !== undefined || provider.renewDue?.()) await authorize();
    }
    const response = await send(url, init);
    const challenge = extractWWWAuthenticateParams(response);
    if (response.status === 401) {
      await response.body?.cancel();
      resourceMetadataUrl = challenge.resourceMetadataUrl ?? resourceMetadataUrl;
      scope = challenge.scope ?? scope;
      // A refresh token, if any, is tried first (the SDK's auth does that); otherwise a new grant.
      await authorize();
      return send(url, init);
    }
    if (response.status === 403 && challenge.error === 'insufficient_scope') {
      const header = response.headers.get('www-authenticate') ?? '';
      // The same challenge again after a step-up: the authorization server will not grant more; stop.
      if (header === lastStepUp) return response;
      lastStepUp = header;
      await response.body?.cancel();
      resourceMetadataUrl = challenge.resourceMetadataUrl ?? resourceMetadataUrl;
      scope = challenge.scope ?? scope;
      // More scope needs a new grant: a refresh would only renew the scopes the token has.
      await provider.invalidateCredentials?.('tokens');
      await authorize();
      return send(url, init);
    }
    if (response.ok) lastStepUp = undefined;
    return response;
  };
}
