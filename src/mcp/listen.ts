import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsServerMaterial } from '../config/tls.ts';

/**
 * Timeouts for long-lived MCP traffic: no request timeout (SSE streams last), 30 s to send headers,
 * idle keep-alive connections kept past a typical balancer's 60 s.
 */
const SERVER_TIMEOUTS = { requestTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 65_000 } as const;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether `host` (what the server binds to) is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || host.startsWith('127.');
}

/**
 * An HTTP/1.1 server for `listener`: `node:https` with `tls` (client certificates required when
 * it has a CA), plain `node:http` without. Never listens itself.
 */
export function createWebServer(listener: RequestListener, tls?: TlsServerMaterial): Server {
  if (!tls) return createHttpServer(SERVER_TIMEOUTS, listener);
  const clientCerts = tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {};
  // https.Server extends tls.Server, not http.Server, but serves the same requests and events.
  return createHttpsServer(
    { ...SERVER_TIMEOUTS, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', ...clientCerts },
    listener,
  ) as unknown as Server;
}

/** `http(s)://host:port`, with an IPv6 host in brackets. */
export function originOf(host: string, port: number, tls: boolean): string {
  return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A start-up line about transport security, and how loud it is. */
export interface TransportNotice {
  readonly level: 'info' | 'warn';
  readonly message: string;
}

/**
 * What an operator should hear at start-up about how the traffic travels: nothing on loopback
 * without TLS, a note when TLS serves other machines, a warning when tokens would cross the
 * network in clear. `tokens` names what is sent (`bearer tokens`, `API keys`).
 */
export function transportNotice(host: string, tls: TlsServerMaterial | undefined, tokens: string): TransportNotice | undefined {
  if (isLoopbackHost(host)) return undefined;
  if (tls)
    return {
      level: 'info',
      message: `TLS on: serving ${host} to other machines over HTTPS${tls.ca ? ', client certificates signed by TLS_CA_FILE required' : ''}`,
    };
  return {
    level: 'warn',
    message: `HOST ${host} is reachable from other machines over plain HTTP: ${tokens} and data travel in clear (set TLS_CERT_FILE and TLS_KEY_FILE, or keep HOST on loopback behind a TLS reverse proxy)`,
  };
}
