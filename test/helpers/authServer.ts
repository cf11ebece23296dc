import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export interface AuthClient {
  readonly secret: string;
  /** Scopes the client may be granted; a request for others is narrowed to these. */
  readonly scopes: readonly string[];
}

export interface AuthServerOptions {
  /** client id -> its secret and scopes. */
  readonly clients?: Readonly<Record<string, AuthClient>>;
  /** Lifetime of issued tokens. Default 300 s. */
  readonly tokenLifetimeSeconds?: number;
  /** Scopes listed in the metadata. */
  readonly scopesSupported?: readonly string[];
}

export interface TokenOptions {
  readonly audience?: string | string[];
  readonly scope?: string;
  readonly subject?: string;
  /** Seconds from now; negative: already expired. Default: the server's token lifetime. */
  readonly expiresIn?: number;
  readonly notBefore?: number;
  readonly issuer?: string;
  /** Sign with this key instead of the current one (e.g. a key the JWKS does not publish). */
  readonly key?: SigningKey;
}

export interface LocalAuthServer {
  /** The issuer (`http://127.0.0.1:PORT`), also the base of every endpoint. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly tokenUrl: string;
  /** Token requests answered (with a token or an error), by grant. */
  readonly counts: { token: number; jwks: number; metadata: number };
  /** A signed access token with the current key. */
  sign(options?: TokenOptions): Promise<string>;
  /** A key pair the JWKS does not publish (a forger's). */
  foreignKey(): Promise<SigningKey>;
  /** Replaces the signing key: the JWKS then lists only the new one. */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

let kidCounter = 0;
async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `key-${++kidCounter}-${Date.now()}`;
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** Client credentials from `Authorization: Basic` (client_secret_basic) or the form (client_secret_post). */
function credentialsOf(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret ? { id, secret } : undefined;
}

/**
 * A local OAuth 2.1 authorization server for tests, on 127.0.0.1:0: RFC 8414 metadata, a JWKS, and a token
 * endpoint issuing ES256 JWT access tokens for `client_credentials` (audience: the `resource` asked for, RFC 8707).
 */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<LocalAuthServer> {
  const clients = options.clients ?? {};
  const lifetime = options.tokenLifetimeSeconds ?? 300;
  let current = await newKey();
  const counts = { token: 0, jwks: 0, metadata: 0 };
  let issuer = '';

  const sign = async (token: TokenOptions = {}) => {
    const key = token.key ?? current;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ ...(token.scope === undefined ? {} : { scope: token.scope }), client_id: token.subject ?? 'tester' })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(token.issuer ?? issuer)
      .setSubject(token.subject ?? 'tester')
      .setIssuedAt(now)
      .setExpirationTime(now + (token.expiresIn ?? lifetime))
      .setJti(crypto.randomUUID());
    if (token.audience !== undefined) jwt.setAudience(token.audience);
    if (token.notBefore !== undefined) jwt.setNotBefore(now + token.notBefore);
    return jwt.sign(key.privateKey);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', issuer).pathname;
      if (req.method === 'GET' && (path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration')) {
        counts.metadata++;
        json(res, 200, {
          issuer,
          // RFC 8414 lets a client-credentials-only server omit it, the MCP SDK's client does not.
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          response_types_supported: ['token'],
          ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
        });
        return;
      }
      if (req.method === 'GET' && path === '/jwks') {
        counts.jwks++;
        json(res, 200, { keys: [current.jwk] });
        return;
      }
      if (req.method === 'POST' && path === '/token') {
        counts.token++;
        const form = await formOf(req);
        if (form.get('grant_type') !== 'client_credentials') {
          json(res, 400, { error: 'unsupported_grant_type', error_description: 'only client_credentials' });
          return;
        }
        const credentials = credentialsOf(req, form);
        const client = credentials && clients[credentials.id];
        if (!credentials || !client || client.secret !== credentials.secret) {
          json(res, 401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' });
          return;
        }
        const asked = form.get('scope')?.split(' ').filter(Boolean) ?? [...client.scopes];
        const granted = asked.filter((scope) => client.scopes.includes(scope));
        const resource = form.get('resource') ?? undefined;
        const scope = granted.join(' ');
        const accessToken = await sign({ audience: resource, scope, subject: credentials.id });
        json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope });
        return;
      }
      json(res, 404, { error: 'not_found' });
    })().catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    tokenUrl: `${issuer}/token`,
    counts,
    sign,
    foreignKey: newKey,
    async rotate() {
      current = await newKey();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
