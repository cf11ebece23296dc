import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadEnv } from '../../src/config/env.ts';
import type { RunningAgentServer } from '../../src/mcp/index.ts';
import { startBuiltinAgent } from '../../scripts/lib/builtinAgents.ts';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { runCli } from '../helpers/cli.ts';
import { startKillableProxy, type KillableProxy } from '../helpers/killableProxy.ts';
import { startSdkServer, workSlowly, type SdkServer } from '../helpers/sdkServer.ts';
import { startEverythingServer, freePort, type ThirdPartyServer } from '../helpers/everything.ts';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../helpers/fakeOpenAI.ts';

interface JsonOutput {
  answer: string;
  threadId: string;
  toolCalls: { name: string; server: string; args: Record<string, unknown>; ok: boolean; durationMs: number; result: unknown }[];
  failedCalls: { name: string; server: string | null; error: string }[];
  warnings: string[];
}

const parse = (stdout: string) => JSON.parse(stdout) as JsonOutput;

/** A server with tool names MCP allows and models refuse. */
function kbServer(): McpServer {
  const server = new McpServer({ name: 'docs', version: '1.0.0' });
  for (const name of ['kb.lookup', 'files/read']) {
    server.registerTool(
      name,
      { description: `The docs tool ${name}.`, inputSchema: { q: z.string() }, annotations: { readOnlyHint: true } },
      async ({ q }) => ({ content: [{ type: 'text', text: `${name} got ${q}` }] }),
    );
  }
  return server;
}

describe('npm run orchestrate, as a user runs it', () => {
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  const agents: RunningAgentServer[] = [];
  let everything: ThirdPartyServer;
  let legacyEverything: ThirdPartyServer;
  let odd: SdkServer;
  let servers: Record<string, Record<string, unknown>>;
  /** A config file of the agents with `changes` merged into their entries. */
  const configWith = async (file: string, changes: Record<string, Record<string, unknown>>) => {
    const path = join(dir, file);
    const merged = Object.fromEntries(Object.entries(servers).map(([name, entry]) => [name, { ...entry, ...changes[name] }]));
    await writeFile(
      path,
      JSON.stringify({ servers: { ...merged, ...Object.fromEntries(Object.entries(changes).filter(([n]) => !servers[n])) } }),
    );
    return path;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
    env = {
      SWITCHBOARD_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      TAVILY_API_KEY: '',
      OPENAI_API_KEY: '',
      SWITCHBOARD_MODEL: '',
      MCP_AUTH_TOKEN: '',
    };
    const agentEnv = loadEnv({ ...env, SWITCHBOARD_DATA_DIR: join(dir, 'data') });
    servers = {};
    for (const name of ['incident', 'search', 'analysis']) {
      const server = await startBuiltinAgent(name, agentEnv, { port: 0 });
      agents.push(server);
      servers[name] = { url: server.url, exclude: ['ask_*_agent'] };
    }
    [everything, legacyEverything, odd] = await Promise.all([
      startEverythingServer(),
      startEverythingServer('sse'),
      startSdkServer(kbServer, { transport: 'http' }),
    ]);
    config = join(dir, 'switchboard.config.json');
    await writeFile(config, JSON.stringify({ servers }));
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await Promise.all([everything.close(), legacyEverything.close(), odd.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  test('answers a compound request with the offline planner: progress on stderr, answer on stdout', async () => {
    const question =
      'Create a high urgency incident for the login failure affecting all users, search for known fixes for SSO login loops, and tell me how angry this customer is: "Nobody here can log in since 8am and I have a board meeting!"';
    const r = await runCli('orchestrate', ['--config', config, question], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /INC\d{7}/, 'the answer names the incident');
    assert.match(r.stderr, /create_incident \{"urgency":"high"/, 'the enum reached the planner through the adapter');
    assert.match(r.stderr, /→ incident: create_incident/);
    assert.match(r.stderr, /✓ incident__create_incident \d+ ms/);
    assert.match(r.stderr, /search__web_search/);
    assert.match(r.stderr, /analysis__analyze_sentiment|analysis__analyze_text/);
    assert.ok(!r.stderr.includes('\u001b['), 'plain lines when stderr is not a terminal');
  });

  test('--json prints one object with the tool calls, and --thread continues the conversation', async () => {
    const first = await runCli(
      'orchestrate',
      ['--config', config, '--json', 'open an incident: the printer on floor 3 keeps jamming, urgency low'],
      env,
    );
    assert.equal(first.code, 0, first.stderr);
    const out = parse(first.stdout);
    assert.equal(typeof out.threadId, 'string');
    assert.deepEqual(out.warnings, []);
    const created = out.toolCalls.find((c) => c.name === 'incident__create_incident');
    assert.ok(created, JSON.stringify(out.toolCalls));
    assert.equal(created.server, 'incident');
    assert.equal(created.ok, true);
    assert.equal(typeof created.durationMs, 'number');
    const number = (created.result as { incident: { number: string; urgency: number } }).incident.number;
    assert.match(number, /^INC\d{7}$/);

    const second = await runCli(
      'orchestrate',
      ['--config', config, '--json', '--yes', '--thread', out.threadId, 'change its urgency to high'],
      env,
    );
    assert.equal(second.code, 0, second.stderr);
    const update = parse(second.stdout).toolCalls.find((c) => c.name === 'incident__update_incident');
    assert.ok(update, second.stdout);
    assert.equal(update.args['number'], number, 'the reference resolved to the incident of the earlier turn');
    assert.equal(update.args['urgency'], 'high');
    assert.equal(update.ok, true);
    assert.equal((update.result as { incident: { urgency: number } }).incident.urgency, 1);
  });

  test('destructive calls are refused without a terminal, and run with --yes', async () => {
    const created = parse(
      (
        await runCli(
          'orchestrate',
          ['--config', config, '--json', 'create an incident for the broken badge reader at the main entrance'],
          env,
        )
      ).stdout,
    );
    const number = (created.toolCalls[0]!.result as { incident: { number: string } }).incident.number;
    const refused = await runCli('orchestrate', ['--config', config, '--json', `set ${number} to In Progress`], env);
    assert.equal(refused.code, 3, refused.stderr);
    const out = parse(refused.stdout);
    assert.match(out.warnings.join('\n'), /refused incident__update_incident: the tool is marked destructive.*--yes/);
    assert.equal(out.toolCalls.length, 0, 'nothing ran');

    const approved = await runCli('orchestrate', ['--config', config, '--json', '--yes', `set ${number} to In Progress`], env);
    assert.equal(approved.code, 0, approved.stderr);
    const update = parse(approved.stdout).toolCalls[0]!;
    assert.equal((update.result as { incident: { state: string } }).incident.state, 'In Progress');
  });

  test('a third-party MCP server from npm, named with --server, is used like our own agents', async () => {
    const r = await runCli('orchestrate', ['--config', config, '--server', `everything=${everything.url}`, '--json', 'add 17 and 25'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = parse(r.stdout);
    assert.equal(out.toolCalls[0]?.name, 'everything__get-sum');
    assert.deepEqual(out.toolCalls[0]?.args, { a: 17, b: 25 });
    assert.match(out.answer, /42/);
  });

  test('an unreachable server is skipped with a warning naming it; the run goes on', async () => {
    const port = await freePort();
    const r = await runCli(
      'orchestrate',
      [
        '--config',
        config,
        '--server',
        `ghost=http://127.0.0.1:${port}/mcp`,
        '--json',
        'how upset is this customer: "this is the third time my laptop died, I am furious"',
      ],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = parse(r.stdout);
    assert.match(out.warnings.join('\n'), /skipping server "ghost".*unreachable/);
    assert.ok(out.toolCalls.some((c) => c.name.startsWith('analysis__')));
  });

  test('a server whose tool names models refuse (kb.lookup) does not fail the run (regression: every run exited 1)', async () => {
    const r = await runCli(
      'orchestrate',
      ['--config', config, '--server', `docs=${odd.url}`, '--json', 'how upset is this customer: "the VPN is down again, I am furious"'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = parse(r.stdout);
    assert.ok(out.toolCalls.some((c) => c.name.startsWith('analysis__') && c.ok));
    assert.deepEqual(out.warnings, []);
  });

  test('a legacy SSE-only server from npm is found by auto-detection, and used with "transport": "sse"', async () => {
    const auto = await runCli(
      'orchestrate',
      ['--config', config, '--server', `old=${legacyEverything.url}`, '--json', 'add 17 and 25'],
      env,
    );
    assert.equal(auto.code, 0, auto.stderr);
    const out = parse(auto.stdout);
    assert.equal(out.toolCalls[0]?.name, 'old__get-sum');
    assert.match(out.answer, /42/);

    const explicit = await configWith('sse.json', { old: { url: legacyEverything.url, transport: 'sse' } });
    const pinned = await runCli('orchestrate', ['--config', explicit, '--json', 'add 17 and 25'], env);
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.match(parse(pinned.stdout).answer, /42/);
  });

  test('"approve": "never" runs a destructive tool without --yes; "always" asks even for a read-only one', async () => {
    const number = (
      parse(
        (await runCli('orchestrate', ['--config', config, '--json', 'create an incident for the flickering lights in the lab'], env))
          .stdout,
      ).toolCalls[0]!.result as { incident: { number: string } }
    ).incident.number;
    const trusting = await configWith('trusting.json', { incident: { approve: 'never' } });
    const trusted = await runCli('orchestrate', ['--config', trusting, '--json', `set ${number} to In Progress`], env);
    assert.equal(trusted.code, 0, trusted.stderr);
    const update = parse(trusted.stdout).toolCalls[0]!;
    assert.equal(update.name, 'incident__update_incident');
    assert.equal((update.result as { incident: { state: string } }).incident.state, 'In Progress');

    const wary = await configWith('wary.json', { analysis: { approve: 'always' } });
    const asked = await runCli('orchestrate', ['--config', wary, '--json', 'how upset is this customer: "third outage this week!"'], env);
    assert.equal(asked.code, 3, asked.stderr);
    const out = parse(asked.stdout);
    assert.match(
      out.warnings.join('\n'),
      /refused analysis__\w+: server "analysis" is configured to ask before every call \("approve": "always"\)/,
    );
    assert.equal(out.toolCalls.length, 0);
  });

  test('no server reachable: exit 4, naming each server, its URL and the cause; the model is not asked (regression: exit 0)', async () => {
    const ghostPort = await freePort();
    const ghosts = join(dir, 'ghosts.json');
    await writeFile(ghosts, JSON.stringify({ servers: { ghost: { url: `http://127.0.0.1:${ghostPort}/mcp` } } }));
    const r = await runCli('orchestrate', ['--config', ghosts, '--json', 'hello'], env);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, '');
    const error = r.stderr.split('\n').find((line) => line.startsWith('error: '));
    assert.match(
      error ?? r.stderr,
      new RegExp(
        `^error: no MCP server could be reached, so nothing was done \\(MCP server "ghost" at http://127\\.0\\.0\\.1:${ghostPort}/mcp is unreachable: connection refused \\[ECONNREFUSED\\]\\)`,
      ),
    );

    const onlyBare = join(dir, 'only-bare.json');
    await writeFile(onlyBare, JSON.stringify({ servers: { analysis: { ...servers['analysis'], exclude: ['*'] } } }));
    const none = await runCli('orchestrate', ['--config', onlyBare, 'hello'], env);
    assert.equal(none.code, 4, none.stderr);
    assert.match(
      none.stderr,
      /error: no configured MCP server offers a tool, so nothing was done \("analysis" at .*: all \d+ of its tools are left out by its exclude list\)/,
    );
  });

  test('bad usage is a one-line error and exit code 2', async () => {
    const empty = await runCli('orchestrate', ['--config', config, '   '], env);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^error: ask a question: usage: npm run orchestrate/);
    assert.equal(empty.stderr.trim().split('\n').length, 1);
    const badModel = await runCli('orchestrate', ['--config', config, '--model', 'gpt-4o', 'hello'], env);
    assert.equal(badModel.code, 2);
    assert.match(badModel.stderr, /^error: .*gpt-4o.*not a model spec/);
    const badConfig = await runCli('orchestrate', ['--config', join(dir, 'missing.json'), 'hello'], env);
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /cannot read config file .*missing\.json: ENOENT/);
  });

  describe('with an OpenAI-compatible model (a local Chat Completions server)', () => {
    let fake: FakeOpenAI;
    before(async () => {
      fake = await startFakeOpenAI();
    });
    after(() => fake.close());

    test('tool calls go to the agents and the model writes the answer', async () => {
      fake.enqueue(
        reply.toolCalls([
          { id: 'call_1', name: 'analysis__analyze_sentiment', arguments: { text: 'I love the new VPN client, it just works.' } },
        ]),
        reply.text('The customer is happy: sentiment positive.'),
      );
      const r = await runCli(
        'orchestrate',
        [
          '--config',
          config,
          '--json',
          '--model',
          'openai:gpt-4o-mini',
          'how does this customer feel: "I love the new VPN client, it just works."',
        ],
        {
          ...env,
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: fake.baseURL,
        },
      );
      assert.equal(r.code, 0, r.stderr);
      const out = parse(r.stdout);
      assert.equal(out.answer, 'The customer is happy: sentiment positive.');
      assert.equal(out.toolCalls[0]?.name, 'analysis__analyze_sentiment');
      assert.equal((out.toolCalls[0]?.result as { label: string }).label, 'positive');
      const chat = fake.requests.filter((q) => q.path.endsWith('/chat/completions'));
      assert.equal(chat.length, 2);
      const tools = (chat[0]!.body!['tools'] as { function: { name: string } }[]).map((t) => t.function.name);
      assert.ok(tools.includes('incident__create_incident') && tools.includes('search__web_search'), 'the model saw every agent');
      const secondTurn = chat[1]!.body!['messages'] as { role: string; content: string }[];
      assert.match(
        secondTurn.find((m) => m.role === 'tool')!.content,
        /"label":"positive"/,
        'the tool result reached the model as compact JSON',
      );
    });

    test('an agent that dies mid-call: the failure names it and its URL, every call failed, exit 5 (regression: "TypeError: fetch failed", exit 0)', async () => {
      const proxied: { proxy?: KillableProxy } = {}; // the server's tool kills the proxy in front of it
      const doomed = await startSdkServer(
        () => {
          const server = new McpServer({ name: 'doomed', version: '1.0.0' });
          server.registerTool(
            'write_report',
            { description: 'Writes a report.', inputSchema: { title: z.string() } },
            async (_args, extra) => {
              await workSlowly(extra, 1, 0);
              await proxied.proxy!.kill(); // the process "dies" with the call in flight
              return { content: [{ type: 'text', text: 'never delivered' }] };
            },
          );
          return server;
        },
        { transport: 'http' },
      );
      const proxy = (proxied.proxy = await startKillableProxy(doomed.url));
      try {
        fake.enqueue(
          reply.toolCalls([{ id: 'call_1', name: 'doomed__write_report', arguments: { title: 'Q3' } }]),
          reply.text('The report could not be written.'),
        );
        const r = await runCli(
          'orchestrate',
          [
            '--config',
            config,
            '--server',
            `doomed=${proxy.url}`,
            '--json',
            '--yes',
            '--model',
            'openai:gpt-4o-mini',
            'write the Q3 report',
          ],
          { ...env, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL },
        );
        assert.equal(r.code, 5, r.stderr);
        const out = parse(r.stdout);
        assert.equal(out.answer, 'The report could not be written.');
        assert.equal(out.toolCalls[0]?.ok, false);
        assert.equal(out.failedCalls.length, 1);
        assert.equal(out.failedCalls[0]!.name, 'doomed__write_report');
        assert.equal(out.failedCalls[0]!.server, 'doomed');
        assert.match(
          out.failedCalls[0]!.error,
          new RegExp(
            `^calling write_report on MCP server "doomed" at ${proxy.url.replace(/[./]/g, '\\$&')} failed: (the connection broke before the server answered: )?connection closed by the server.*; not retried, since it may have run`,
          ),
        );
        assert.doesNotMatch(out.failedCalls[0]!.error, /fetch failed/);
      } finally {
        await proxy.kill();
        await doomed.close();
      }
    });

    test('tool names reach the model model-safe, and a call under a mapped name reaches the real tool', async () => {
      fake.enqueue(reply.toolCalls([{ id: 'call_1', name: 'docs__files_read', arguments: { q: 'readme' } }]), reply.text('Read it.'));
      const r = await runCli(
        'orchestrate',
        ['--config', config, '--server', `docs=${odd.url}`, '--json', '--model', 'openai:gpt-4o-mini', 'read the readme'],
        { ...env, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(parse(r.stdout).toolCalls[0]?.result, 'files/read got readme');
      const chat = fake.requests.filter((q) => q.path.endsWith('/chat/completions')).at(-2)!;
      const names = (chat.body!['tools'] as { function: { name: string } }[]).map((t) => t.function.name);
      assert.ok(names.includes('docs__kb_lookup') && names.includes('docs__files_read'), names.join(', '));
      for (const name of names) assert.match(name, /^[a-zA-Z0-9_-]{1,64}$/);
    });

    test('a bad key is a one-line error, not a hang', async () => {
      const r = await runCli('orchestrate', ['--config', config, '--model', 'openai:gpt-4o-mini', 'hello'], {
        ...env,
        OPENAI_API_KEY: 'sk-wrong',
        OPENAI_BASE_URL: fake.baseURL,
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error: .*401.*OPENAI_API_KEY/);
      assert.equal(
        r.stderr
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('error')).length,
        1,
      );
    });
  });
});

test('with nothing running, orchestrate starts the built-in agents itself and stops them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const servers = Object.fromEntries(
    ['incident', 'search', 'analysis'].map((name, i) => [
      name,
      { url: `http://127.0.0.1:${ports[i]}/mcp`, agent: name, autoStart: true, exclude: ['ask_*_agent'] },
    ]),
  );
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ servers }));
  const r = await runCli(
    'orchestrate',
    [
      '--config',
      config,
      '--json',
      'summarize this in one sentence: "The VPN failed at 9am. Engineers restarted the gateway. Service was back at 10am."',
    ],
    {
      SWITCHBOARD_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      OPENAI_API_KEY: '',
      SWITCHBOARD_MODEL: '',
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /started built-in agent "analysis" on http:\/\/127\.0\.0\.1:\d+\/mcp/);
  const out = parse(r.stdout);
  assert.ok(
    out.toolCalls.some((c) => c.name === 'analysis__summarize' && c.ok),
    r.stdout,
  );
});

/** Runs a script with a guard: a process that hangs after its error is killed, and the test fails on its exit code. */
function runGuarded(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`scripts/${script}.ts`, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Generous: a hang is what this catches, and a busy machine took over 30 s to start an agent.
      timeout: 120_000,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a failure after built-in agents were started exits with its error (regression: the agents kept the process alive)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const base = { DATABASE_URL: '', OPENAI_API_KEY: '', SWITCHBOARD_MODEL: '', MCP_AUTH_TOKEN: '' };

  test('orchestrate: the thread store cannot be opened', async () => {
    const config = join(dir, 'one.json');
    await writeFile(
      config,
      JSON.stringify({ servers: { analysis: { url: `http://127.0.0.1:${await freePort()}/mcp`, agent: 'analysis', autoStart: true } } }),
    );
    const r = await runGuarded('orchestrate', ['--config', config, 'hello'], { ...base, SWITCHBOARD_DATA_DIR: '/dev/null/not-a-folder' });
    assert.match(r.stderr, /started built-in agent "analysis"/);
    assert.match(r.stderr, /error: cannot open the thread store/);
    assert.equal(r.code, 1, r.stderr);
  });

  test('orchestrate: one agent fails to start while another is still starting', async () => {
    // Something at analysis's url that never answers: its probe times out, so it starts after ghost has failed.
    const silent = createNetServer();
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const config = join(dir, 'two.json');
      const servers = {
        analysis: { url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`, agent: 'analysis', autoStart: true },
        ghost: { url: `http://127.0.0.1:${await freePort()}/mcp`, agent: 'no-such-agent', autoStart: true },
      };
      await writeFile(config, JSON.stringify({ servers }));
      const r = await runGuarded('orchestrate', ['--config', config, 'hello'], { ...base, SWITCHBOARD_DATA_DIR: join(dir, 'data') });
      assert.match(r.stderr, /error: no agent named "no-such-agent"/);
      assert.equal(r.code, 1, r.stderr);
    } finally {
      silent.close();
    }
  });

  test('agents: the second agent’s port is taken', async () => {
    const holder = createNetServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const taken = (holder.address() as AddressInfo).port;
    try {
      const config = join(dir, 'agents.json');
      await writeFile(
        config,
        JSON.stringify({
          servers: {
            analysis: { url: `http://127.0.0.1:${await freePort()}/mcp`, agent: 'analysis' },
            search: { url: `http://127.0.0.1:${taken}/mcp`, agent: 'search' },
          },
        }),
      );
      const r = await runGuarded('agents', ['--config', config], { ...base, SWITCHBOARD_DATA_DIR: join(dir, 'data') });
      assert.match(r.stderr, /\[analysis\] listening on/);
      assert.match(r.stderr, new RegExp(`error: port ${taken} on 127\\.0\\.0\\.1 is already in use`));
      assert.equal(r.code, 1, r.stderr);
    } finally {
      holder.close();
    }
  });
});
