import pg from 'pg';

/** Wait before reconnecting a listener whose connection broke. */
export const LISTEN_RECONNECT_MS = 1000;

export interface PgListenerOptions {
  readonly connectionString: string;
  readonly channel: string;
  readonly onPayload: (payload: string) => void;
  /** Told when the connection breaks (it is re-opened); default: ignored. */
  readonly onError?: (error: Error) => void;
}

export interface PgListener {
  close(): Promise<void>;
}

/**
 * One dedicated connection that `LISTEN`s on a channel and re-opens itself when it breaks.
 * Notifications sent while it was down are lost: users must not rely on them alone.
 */
export function createPgListener(options: PgListenerOptions): PgListener {
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString: options.connectionString, application_name: 'switchboard-service-listen' });
    let failed = false;
    const retry = (error: Error) => {
      // A connection that breaks during LISTEN both emits the error and fails the query: one reconnect, not two.
      if (failed) return;
      failed = true;
      options.onError?.(error);
      if (client === next) client = undefined;
      next.removeAllListeners();
      next.on('error', () => {});
      void next.end().catch(() => {});
      if (!closed) timer = setTimeout(() => void connect(), LISTEN_RECONNECT_MS);
    };
    next.on('error', retry);
    next.on('notification', (message) => {
      if (message.channel === options.channel && message.payload !== undefined) options.onPayload(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN "${options.channel}"`);
      if (closed) {
        await next.end().catch(() => {});
        return;
      }
      client = next;
    } catch (error) {
      retry(error as Error);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      if (current) {
        current.removeAllListeners();
        current.on('error', () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
