import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { COMPOSE_GROUPS, composeNginxConfig } from '../../scripts/lib/composeNginx.ts';
import { ConfigFileSchema } from '../../src/config/file.ts';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  deploy?: { replicas?: number };
  volumes?: string[];
  healthcheck?: { test: string[] };
}

// Docker may not run where the tests do: these check what can be checked without it.
describe('Dockerfile and compose.yaml', () => {
  test("compose runs npm run cluster's topology: nginx before 3 replicas of each agent and 2 of the service, on PostgreSQL and Redis", async () => {
    const compose = parse(await readFile('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
    const services = compose.services;
    assert.deepEqual(Object.keys(services).sort(), ['analysis', 'incident', 'nginx', 'postgres', 'redis', 'search', 'service']);
    for (const name of ['incident', 'search', 'analysis']) {
      const service = services[name]!;
      assert.deepEqual(service.command, ['node', 'scripts/agent.ts', name]);
      assert.equal(service.deploy?.replicas, 3, `3 replicas of ${name}`);
      assert.ok(existsSync(`servers/${name}`), `servers/${name} exists`);
      assert.match(service.environment?.['MCP_ALLOWED_HOSTS'] ?? '', /\bnginx\b/, `${name} accepts the Host nginx passes on`);
      assert.ok(service.environment?.['REDIS_URL'], `${name}'s replicas share sessions in Redis`);
      assert.ok(service.environment?.['PORT'], `${name} sets PORT (the health check reads it)`);
      assert.equal(service.ports, undefined, 'agents stay on the compose network');
    }
    const service = services['service']!;
    assert.deepEqual(service.command, ['node', 'scripts/serve.ts']);
    assert.equal(service.deploy?.replicas, 2);
    assert.equal(service.ports, undefined, 'the service is published through nginx only');
    assert.ok(service.environment?.['DATABASE_URL'], 'the service replicas share PostgreSQL');
    for (const dependency of ['postgres', 'incident', 'search', 'analysis'])
      assert.equal(service.depends_on?.[dependency]?.condition, 'service_healthy', `the service waits for ${dependency}`);
    for (const script of new Set(Object.values(services).flatMap((s) => s.command?.filter((part) => part.endsWith('.ts')) ?? [])))
      assert.ok(existsSync(script), `${script} exists`);

    // nginx: the generated config (the same function as npm run cluster's), the one published port.
    const nginx = services['nginx']!;
    assert.deepEqual(nginx.ports, ['127.0.0.1:8100:8100']);
    assert.ok(nginx.volumes?.includes('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro'));
    assert.match(nginx.healthcheck?.test.join(' ') ?? '', /\/healthz/);
    for (const dependency of ['service', 'incident', 'search', 'analysis'])
      assert.ok(nginx.depends_on?.[dependency], `nginx waits for ${dependency}`);
    assert.equal(
      await readFile('deploy/nginx.conf', 'utf8'),
      composeNginxConfig(),
      'deploy/nginx.conf is stale: npm run cluster -- --print-compose-nginx > deploy/nginx.conf',
    );
    for (const group of COMPOSE_GROUPS) {
      assert.equal(services[group.name]!.environment!['PORT'], String(group.port), `nginx reaches ${group.name} on the port it listens on`);
    }

    // The service reaches every agent through nginx, on the port nginx balances that agent on.
    const config = ConfigFileSchema.parse(JSON.parse(await readFile(service.environment!['SWITCHBOARD_CONFIG']!, 'utf8')));
    for (const [name, entry] of Object.entries(config.servers)) {
      assert.ok(services[name], `the config's ${name} is a compose service`);
      assert.equal(new URL(entry.url).hostname, 'nginx');
      assert.equal(new URL(entry.url).port, String(COMPOSE_GROUPS.find((group) => group.name === name)?.port), `${name} through nginx`);
      assert.equal(entry.autoStart, false, 'the service does not start agents of its own');
    }
  });

  test('the Dockerfile: multi-stage on node:24-slim, production dependencies only, non-root, health check, the service by default', async () => {
    const dockerfile = await readFile('Dockerfile', 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(froms.length >= 2, 'multi-stage');
    assert.ok(froms.every((image) => image === 'node:24-slim'));
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^HEALTHCHECK .*\n.*\/healthz/m);
    assert.match(dockerfile, /^ENV NODE_ENV=production/m, 'JSON logs in the container');
    assert.match(dockerfile, /^CMD \["node", "scripts\/serve.ts"\]$/m);
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const path of copied) assert.ok(existsSync(path), `${path} exists`);
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['serve'], 'node scripts/serve.ts', 'the image runs what npm run serve runs');
    assert.equal(pkg.scripts['agent'], 'node scripts/agent.ts');
    const ignored = (await readFile('.dockerignore', 'utf8')).split('\n');
    for (const path of ['node_modules', '.git', 'data', '.env']) assert.ok(ignored.includes(path), `.dockerignore leaves out ${path}`);
  });
});
