import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { createPgListener } from '../../../src/service/pgListener.ts';

/** A PostgreSQL server that lets every client in and hangs up on its first query. */
async function startHangUpServer() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let started = false;
    socket.on('data', () => {
      if (started) return void socket.destroy(); // the LISTEN
      started = true;
      const ok = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]); // AuthenticationOk
      const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]); // ReadyForQuery, idle
      socket.write(Buffer.concat([ok, ready]));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `postgres://someone@127.0.0.1:${(server.address() as AddressInfo).port}/db`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

// Regression: a connection that broke during LISTEN emitted an error and failed the query, and
// both scheduled a reconnect: two listening connections, one of them never closed.
test('a connection that breaks during LISTEN is reported and reopened once', async () => {
  const server = await startHangUpServer();
  const errors: string[] = [];
  let reported!: () => void;
  const firstError = new Promise<void>((resolve) => (reported = resolve));
  const listener = createPgListener({
    connectionString: server.url,
    channel: 'test_channel',
    onPayload: () => {},
    onError: (error) => {
      errors.push(error.message);
      reported();
    },
  });
  try {
    await firstError;
    // The query's rejection, when it also reports, lands a few ticks after the emitted error.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 1, errors.join('; '));
  } finally {
    await listener.close();
    await server.close();
  }
});
