import { ServerConnection, type ServerConnectionOptions } from './serverConnection.ts';

interface Shared {
  readonly connection: ServerConnection;
  /** The `onToolsChanged` of every pool holding it. */
  readonly listeners: Set<() => void>;
  users: number;
}

/** Every shared connection of the process, by what it connects to and how. */
const shared = new Map<string, Shared>();

/** A pool's hold on a connection: `release` once done with it. */
export interface ConnectionLease {
  readonly connection: ServerConnection;
  release(): Promise<void>;
}

/**
 * The connection to the server `options` describe, shared by every pool of the process that
 * names the same server with the same settings, so its session is opened once per process and
 * not once per orchestrator (the service keeps one per model and set of servers). Each holder's
 * `onToolsChanged` hears the server's list changes; the session is closed when the last holder
 * releases it (and again by a holder that used it after that). A connection that authenticates
 * with an OAuth client of its own is not shared.
 */
export function leaseConnection(options: Omit<ServerConnectionOptions, 'onToolsChanged'>, onToolsChanged: () => void): ConnectionLease {
  if (options.oauthProvider) {
    const connection = new ServerConnection({ ...options, onToolsChanged });
    return { connection, release: () => connection.close() };
  }
  const { name, entry, clientInfo, maxTotalTimeoutMs, connectTimeoutMs, maxOutputChars } = options;
  const key = JSON.stringify([name, entry, clientInfo, maxTotalTimeoutMs, connectTimeoutMs, maxOutputChars]);
  let held = shared.get(key);
  if (!held) {
    const listeners = new Set<() => void>();
    const connection = new ServerConnection({ ...options, onToolsChanged: () => listeners.forEach((listener) => listener()) });
    held = { connection, listeners, users: 0 };
    shared.set(key, held);
  }
  const lease = held;
  lease.users++;
  lease.listeners.add(onToolsChanged);
  let released = false;
  return {
    connection: lease.connection,
    async release() {
      if (!released) {
        released = true;
        lease.users--;
        lease.listeners.delete(onToolsChanged);
      }
      if (lease.users > 0) return;
      if (shared.get(key) === lease) shared.delete(key);
      await lease.connection.close();
    },
  };
}
