import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { cleanupAfter } from '../helpers/cleanup.ts';
import { childEnv, runCli } from '../helpers/cli.ts';
import { nginxSkipReason } from '../helpers/nginx.ts';
import { TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { TEST_REDIS_URL, startTestSchema } from './harness.ts';

const base = { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, SWITCHBOARD_NGINX: '/bin/true' };

describe('npm run cluster: what it needs, said in one line', () => {
  test('no nginx: names the package and the variable', async () => {
    const result = await runCli('cluster', [], { ...base, SWITCHBOARD_NGINX: '/nonexistent/nginx' });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'error: SWITCHBOARD_NGINX=/nonexistent/nginx is not an executable\n');
  });

  test('no DATABASE_URL, no REDIS_URL, or a Redis that does not answer', async () => {
    const noDb = await runCli('cluster', [], { ...base, DATABASE_URL: '' });
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /^error: npm run cluster needs DATABASE_URL.*postgres:\/\/.*\n$/);
    const noRedis = await runCli('cluster', [], { ...base, REDIS_URL: '' });
    assert.equal(noRedis.code, 1);
    assert.match(noRedis.stderr, /^error: npm run cluster needs REDIS_URL.*redis:\/\/.*\n$/);
    const downRedis = await runCli('cluster', [], { ...base, REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(downRedis.code, 1);
    assert.match(downRedis.stderr, /^error: cannot reach Redis at 127\.0\.0\.1:1.*REDIS_URL/);
  });

  test('bad flags exit 2 with the flag named', async () => {
    const result = await runCli('cluster', ['--agent-replicas', 'two'], base);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: --agent-replicas must be a whole number >= 1, not "two"\n$/);
    const agents = await runCli('cluster', ['--agents', 'incident,mail'], base);
    assert.equal(agents.code, 2);
    assert.match(agents.stderr, /built-in agents are incident, search, analysis/);
  });
});

describe('npm run cluster: starts, prints the URLs, stops everything on SIGTERM', { skip: nginxSkipReason() }, () => {
  const cleanup = cleanupAfter();

  test('nginx balances the replicas it printed, a crashed replica comes back, SIGTERM leaves no process and no run folder behind', async () => {
    const { databaseUrl } = await startTestSchema(cleanup);
    const child = spawn(
      process.execPath,
      ['scripts/cluster.ts', '--agents', 'incident', '--agent-replicas', '2', '--service-replicas', '1'],
      {
        env: childEnv({ DATABASE_URL: databaseUrl, REDIS_URL: TEST_REDIS_URL, SWITCHBOARD_API_KEYS: 'k', MCP_AUTH_TOKEN: '' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanup.defer(() => (child.exitCode === null && child.signalCode === null ? child.kill('SIGKILL') : undefined));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Ctrl-C stops everything.')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`cluster exited with ${code}: ${stderr}`)));
    });
    const service = /service\s+(http:\/\/127\.0\.0\.1:\d+)\s/.exec(stdout)?.[1];
    const incident = /incident\s+(http:\/\/127\.0\.0\.1:\d+)\/mcp/.exec(stdout)?.[1];
    const logs = /logs\s+(\S+)\/\*\.log/.exec(stdout)?.[1];
    assert.ok(service && incident && logs, stdout);
    const health = (await (await fetch(`${service}/healthz`)).json()) as { status: string; service: string };
    assert.equal(health.service, 'switchboard');
    const upstreams = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${incident}/healthz`);
      assert.equal(((await response.json()) as { agent: string }).agent, 'incident');
      upstreams.add(response.headers.get('x-switchboard-upstream')!);
    }
    assert.equal(upstreams.size, 2, `both incident replicas answered: ${[...upstreams].join(', ')}`);

    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
    assert.equal(children.length, 4, 'nginx, two agents and the service');

    // A replica that crashes is started again on its port, as compose's restart policy does.
    const port = Number(/replicas on ports (\d+)/.exec(stdout.slice(stdout.indexOf('incident')))![1]);
    const crashed = children.find((pid) =>
      execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('agent.ts'),
    )!;
    process.kill(crashed, 'SIGKILL');
    while (!/incident-\d is back on port \d+/.test(stderr)) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(stderr, /cluster: incident-\d exited \(SIGKILL\); starting it again/);
    assert.ok(children.includes(crashed));
    children.splice(children.indexOf(crashed), 1);
    children.push(
      ...execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
        .split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0 && !children.includes(pid)),
    );
    assert.equal(children.length, 4, 'the crashed replica was replaced');
    assert.ok(port > 0);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    const alive = children.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(alive, [], 'no replica outlives the cluster');
    assert.equal(existsSync(logs), false, 'the run folder is removed');
  });
});
