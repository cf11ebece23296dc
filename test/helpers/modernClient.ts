import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** The revision the 2026 client is pinned to: no fallback to `initialize`, anything else fails loudly. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** A real SDK v2 client, pinned to 2026-07-28 (it probes with `server/discover`, then sends the envelope on every request). */
export async function connectModern(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client(
    { name: 'test-client-2026', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: MODERN_PROTOCOL_VERSION } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** The `_meta` envelope a 2026-07-28 request carries, for raw requests. */
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
} as const;

/** The standard headers of a 2026-07-28 request (`Mcp-Name` for the methods that name a thing). */
export function modernHeaders(method: string, name?: string): Record<string, string> {
  return { 'mcp-protocol-version': MODERN_PROTOCOL_VERSION, 'mcp-method': method, ...(name === undefined ? {} : { 'mcp-name': name }) };
}
