import { findNginx } from '../../scripts/lib/cluster.ts';

/**
 * Why the cluster tests cannot run here, as a one-line skip reason; undefined when nginx is there,
 * or when `SWITCHBOARD_REQUIRE_NGINX=1` (CI) asks for a failure instead of a skip.
 */
export function nginxSkipReason(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  if (env['SWITCHBOARD_REQUIRE_NGINX'] === '1' || findNginx(env) !== undefined) return undefined;
  return "no nginx: the cluster tests need Debian's nginx package (apt-get install nginx) or SWITCHBOARD_NGINX=/path/to/nginx (set SWITCHBOARD_REQUIRE_NGINX=1 to fail instead of skipping)";
}

/** Sums a Prometheus counter's samples whose labels include `labels` (e.g. `{ tool: 'get_incident' }`). */
export function counterSum(metrics: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Each replica's count of `counter` (from its own /metrics), by replica name. */
export async function perReplica(
  replicas: readonly { name: string; origin: string }[],
  counter: string,
  labels: Record<string, string> = {},
): Promise<Record<string, number>> {
  const entries = await Promise.all(
    replicas.map(async (replica) => {
      const text = await (await fetch(`${replica.origin}/metrics`)).text();
      return [replica.name, counterSum(text, counter, labels)] as const;
    }),
  );
  return Object.fromEntries(entries);
}
