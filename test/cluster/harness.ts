import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type ClusterOptions, type RunningCluster } from '../../scripts/lib/cluster.ts';
import type { Cleanup } from '../helpers/cleanup.ts';
import { TEST_DATABASE_URL, dropSchema, freshSchema } from '../helpers/postgres.ts';
import { createPostgresStore } from '../../src/store/index.ts';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** DATABASE_URL that puts every table of the cluster (runs, threads, incidents) in `schema`. */
export function schemaUrl(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.href;
}

export interface TestCluster {
  readonly cluster: RunningCluster;
  readonly schema: string;
  readonly databaseUrl: string;
}

/**
 * A cluster in a fresh schema with an environment of its own (no key, no token from the developer's
 * shell), stopped and its schema dropped by `cleanup`.
 */
/** A fresh schema for one cluster, dropped by `cleanup`; the DATABASE_URL that selects it. */
export async function startTestSchema(cleanup: Cleanup): Promise<{ schema: string; databaseUrl: string }> {
  const schema = freshSchema('cluster');
  const admin = createPostgresStore({ connectionString: TEST_DATABASE_URL, max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.close();
  }
  cleanup.defer(async () => {
    await dropSchema(schema);
    await dropSchema(`${schema}_boss`); // the service's run queue (pg-boss)
  });
  return { schema, databaseUrl: schemaUrl(schema) };
}

/**
 * A cluster in a fresh schema with an environment of its own (no key, no token from the developer's
 * shell), stopped and its schema dropped by `cleanup`.
 */
export async function startTestCluster(
  cleanup: Cleanup,
  options: Omit<ClusterOptions, 'env'> & { env?: Record<string, string> },
): Promise<TestCluster> {
  const { schema, databaseUrl } = await startTestSchema(cleanup);
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-cluster-data-'));
  cleanup.defer(() => rm(dataDir, { recursive: true, force: true }));
  const cluster = await cleanup.start(
    startCluster({
      ...options,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        DATABASE_URL: databaseUrl,
        SWITCHBOARD_PG_SCHEMA: schema,
        REDIS_URL: TEST_REDIS_URL,
        SWITCHBOARD_DATA_DIR: dataDir,
        SWITCHBOARD_NGINX: process.env['SWITCHBOARD_NGINX'],
        LOG_FORMAT: 'json',
        ...options.env,
      },
    }),
  );
  return { cluster, schema, databaseUrl };
}

/** A JSON-RPC POST; returns status, the replica nginx chose and the parsed JSON body (or the SSE's last message). */
export async function rpc(
  url: string,
  message: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; upstream: string | null; body: Record<string, unknown> | undefined; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', ...message }),
  });
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.length > 6)
      .at(-1);
    body = data === undefined ? undefined : (JSON.parse(data.slice(6)) as Record<string, unknown>);
  } else if (text) {
    body = JSON.parse(text) as Record<string, unknown>;
  }
  return { status: response.status, upstream: response.headers.get('x-switchboard-upstream'), body, headers: response.headers };
}
