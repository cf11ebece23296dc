import { nginxConfig } from './nginxConfig.ts';

/** The compose topology's balanced groups: nginx's port of each, and the compose service (DNS name) behind it. */
export const COMPOSE_GROUPS = [
  { name: 'service', port: 8100 },
  { name: 'incident', port: 8101 },
  { name: 'search', port: 8102 },
  { name: 'analysis', port: 8103 },
] as const;

/**
 * deploy/nginx.conf: the balancing of `npm run cluster` for compose. Each name resolves to all of its
 * replicas (`deploy.replicas`), re-resolved through Docker's DNS so a restarted replica's new address is followed.
 */
export function composeNginxConfig(): string {
  return nginxConfig({
    groups: COMPOSE_GROUPS.map((group) => ({ name: group.name, listen: String(group.port), servers: [`${group.name}:${group.port}`] })),
    resolver: '127.0.0.11',
    workers: 2,
    // Published to clients: the replicas' addresses stay inside (the access log has them).
    upstreamHeader: false,
  });
}
