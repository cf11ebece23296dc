/**
 * The client the MCP conformance suite drives (`conformance client --command "node test/helpers/conformanceClient.ts"`):
 * the orchestrator's own connection code (McpClientPool → openClient → the OAuth fetch) against the scenario's
 * server (its URL is the last argument), with an authorization-code + PKCE client that registers itself
 * (dynamic client registration) and follows the scenario's non-interactive /authorize redirect. It lists the
 * tools and calls each; exit code 1 when that fails.
 */
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { ServerEntrySchema } from '../../src/config/file.ts';
import { McpClientPool, type HeadlessOAuthProvider } from '../../src/orchestrator/index.ts';

const REDIRECT_URL = 'http://127.0.0.1:3000/callback';

/** A pre-approved client: the authorization server redirects back at once, so the code is read from `Location`. */
class RedirectFollowingProvider implements HeadlessOAuthProvider {
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  private code: string | undefined;

  get redirectUrl(): string {
    return REDIRECT_URL;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'switchboard-conformance',
      redirect_uris: [REDIRECT_URL],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }

  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'client') this.info = undefined;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    const location = response.headers.get('location');
    this.code = location ? (new URL(location, url).searchParams.get('code') ?? undefined) : undefined;
  }

  takeAuthorizationCode() {
    const code = this.code;
    this.code = undefined;
    return code;
  }
}

const url = process.argv.at(-1) ?? '';
const warnings: string[] = [];
const pool = new McpClientPool({
  servers: { conformance: ServerEntrySchema.parse({ url, transport: 'http' }) },
  oauthProviders: { conformance: new RedirectFollowingProvider() },
  onWarning: (warning) => warnings.push(warning),
});
let failed = false;
try {
  const tools = await pool.tools();
  if (tools.length === 0) failed = true;
  for (const tool of tools) {
    try {
      await tool.invoke({});
    } catch (error) {
      failed = true;
      warnings.push(`${tool.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  await pool.close();
}
for (const warning of warnings) process.stderr.write(`${warning}\n`);
process.exitCode = failed ? 1 : 0;
