import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createInterface } from 'node:readline';
import { UserError } from '../../src/errors.ts';
import { scaffoldAgent } from '../../scripts/scaffold/scaffold.ts';
import { childEnv, runCli, runCommand, type CliResult } from '../helpers/cli.ts';
import { connectStreamable } from '../helpers/mcpClient.ts';

const REPO = resolve(import.meta.dirname, '../..');
const SHIPPED = {
  incident: { url: 'http://127.0.0.1:8101/mcp', agent: 'incident', autoStart: true, timeoutMs: 60000, exclude: ['ask_*_agent'] },
  search: { url: 'http://127.0.0.1:8102/mcp', agent: 'search', autoStart: true, timeoutMs: 60000, exclude: ['ask_*_agent'] },
  analysis: { url: 'http://127.0.0.1:8103/mcp', agent: 'analysis', autoStart: true, timeoutMs: 60000, exclude: ['ask_*_agent'] },
};
// A remote server on 8104 is no clash: only loopback ports are this machine's.
const CONFIG = { servers: { ...SHIPPED, docs: { url: 'https://mcp.example.com:8104/mcp' } } };
const SKELETON = [
  'src',
  'scripts',
  'servers',
  'graphs',
  'test/helpers',
  'package.json',
  'tsconfig.json',
  '.prettierrc.json',
  'eslint.config.js',
];

/** A copy of the project (its code, not its data or node_modules, which is linked) to scaffold into. */
async function copyProject(dir: string): Promise<void> {
  for (const entry of SKELETON) {
    await cp(join(REPO, entry), join(dir, entry), {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|data|\.git)([/\\]|$)/.test(source.slice(REPO.length)),
    });
  }
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'switchboard.config.json'), `${JSON.stringify(CONFIG, null, 2)}\n`);
}

const AGENT_ENV = { DATABASE_URL: '', TAVILY_API_KEY: '', OPENAI_API_KEY: '', SWITCHBOARD_MODEL: 'offline', MCP_AUTH_TOKEN: '', PORT: '' };

describe('npm run new-agent -- NAME, into a copy of the project', () => {
  let root: string;
  let created: CliResult;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchboard-new-agent-'));
    await copyProject(root);
    // The repository's script, pointed at the copy: nothing is written into the repository.
    created = await runCli('new-agent', ['weather-desk', '--root', root]);
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('writes the agent, its tools, its contract test and its config entry on the next free port', async () => {
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stderr, '');
    assert.match(created.stdout, /^created servers\/weather-desk\/index\.ts$/m);
    assert.match(created.stdout, /^created servers\/weather-desk\/tools\.ts$/m);
    assert.match(created.stdout, /^created test\/servers\/weather-desk\/contract\.test\.ts$/m);
    assert.match(created.stdout, /added "weather-desk" to switchboard\.config\.json at http:\/\/127\.0\.0\.1:8104\/mcp/);
    assert.match(created.stdout, /npm run agent -- weather-desk/);

    const config = JSON.parse(await readFile(join(root, 'switchboard.config.json'), 'utf8')) as typeof CONFIG;
    assert.deepEqual(config, {
      servers: {
        ...CONFIG.servers,
        'weather-desk': {
          url: 'http://127.0.0.1:8104/mcp',
          agent: 'weather-desk',
          autoStart: true,
          timeoutMs: 60000,
          exclude: ['ask_*_agent'],
        },
      },
    });
    const index = await readFile(join(root, 'servers/weather-desk/index.ts'), 'utf8');
    assert.match(index, /export default createAgent;/);
    assert.match(index, /defineAgent\(\{\s+name: 'weather-desk'/);
    const tools = await readFile(join(root, 'servers/weather-desk/tools.ts'), 'utf8');
    for (const part of ['input: z.object(', 'output: WordCountSchema', 'annotations: READ_ONLY', 'structured: counted'])
      assert.ok(tools.includes(part), part);
    assert.match(await readFile(join(root, 'test/servers/weather-desk/contract.test.ts'), 'utf8'), /describeAgentContract\(\{/);
  });

  test('the generated contract test passes as it is: conformance scenarios, every transport, bad arguments', async () => {
    const result = await runCommand(process.execPath, ['--test', 'test/servers/weather-desk/contract.test.ts'], {
      cwd: root,
      env: childEnv(AGENT_ENV),
    });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    // As many passes as the shared contract has tests (it grows), none skipped, none failed.
    const contract = await readFile(join(root, 'test/helpers/agentContract.ts'), 'utf8');
    const expected = contract.match(/^\s+test\(/gm)?.length ?? 0;
    assert.ok(expected >= 6, `the contract has ${expected} tests`);
    assert.match(result.stdout, new RegExp(`ℹ pass ${expected}\\b`));
    assert.match(result.stdout, /ℹ fail 0\b/);
    assert.match(result.stdout, /ℹ skipped 0\b/);
    assert.match(result.stdout, /passes the official MCP conformance scenarios/);
    assert.match(result.stdout, /both protocol eras on one \/mcp/);
  });

  test("the generated files pass the project's type check, lint and formatting", async () => {
    await writeFile(
      join(root, 'tsconfig.scaffold.json'),
      JSON.stringify({ extends: './tsconfig.json', include: ['servers/weather-desk', 'test/servers/weather-desk'] }),
    );
    const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);
    const files = ['servers/weather-desk', 'test/servers/weather-desk'];
    const [tsc, eslint, prettier] = await Promise.all([
      runCommand(bin('tsc'), ['--noEmit', '-p', 'tsconfig.scaffold.json'], { cwd: root }),
      runCommand(bin('eslint'), files, { cwd: root }),
      runCommand(bin('prettier'), ['--check', ...files, 'switchboard.config.json'], { cwd: root }),
    ]);
    assert.equal(tsc.code, 0, tsc.stdout);
    assert.equal(eslint.code, 0, eslint.stdout);
    assert.equal(prettier.code, 0, prettier.stdout + prettier.stderr);
  });

  test('npm run agent finds it by its folder and serves it over Streamable HTTP, ask_<name>_agent included', async () => {
    const usage = await runCommand(process.execPath, ['scripts/agent.ts'], { cwd: root, env: childEnv(AGENT_ENV) });
    assert.match(usage.stderr, /agents: analysis, incident, search, weather-desk/);

    const child = spawn(process.execPath, ['scripts/agent.ts', 'weather-desk', '--port', '0'], {
      cwd: root,
      env: childEnv(AGENT_ENV),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let url: string | undefined;
      for await (const line of createInterface({ input: child.stderr })) {
        url = /listening on (\S+)/.exec(line)?.[1];
        if (url) break;
      }
      assert.ok(url, 'the agent said where it listens');
      assert.equal(((await (await fetch(new URL('/healthz', url))).json()) as { agent: string }).agent, 'weather-desk');
      const { client } = await connectStreamable(url);
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['ask_weather_desk_agent', 'count_words']);
      const result = (await client.callTool({ name: 'count_words', arguments: { text: 'Hello there. Hello again.' } })) as unknown as {
        structuredContent: { words: number };
        content: { text: string }[];
      };
      assert.equal(result.structuredContent.words, 4);
      assert.equal(result.content[0]?.text, '4 words in 2 sentences (25 characters)');
      await client.close();
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });

  test('the repository itself was left alone', async () => {
    await assert.rejects(readdir(join(REPO, 'servers/weather-desk')), { code: 'ENOENT' });
    assert.doesNotMatch(await readFile(join(REPO, 'switchboard.config.json'), 'utf8'), /weather-desk/);
  });
});

describe('new-agent refuses, in one line, and writes nothing', () => {
  let root: string;
  const snapshot = async () => ({
    servers: (await readdir(join(root, 'servers'))).sort(),
    tests: (await readdir(join(root, 'test/servers'))).sort(),
    config: await readFile(join(root, 'switchboard.config.json'), 'utf8'),
  });

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchboard-new-agent-refusals-'));
    for (const dir of ['servers/incident', 'servers/search', 'servers/analysis', 'test/servers/orphan'])
      await mkdir(join(root, dir), { recursive: true });
    await writeFile(join(root, 'switchboard.config.json'), `${JSON.stringify(CONFIG, null, 2)}\n`);
  });
  after(() => rm(root, { recursive: true, force: true }));

  const cases: [string, string[], RegExp][] = [
    ['no name', [], /^error: usage: npm run new-agent -- NAME \[--port N\] \[--root DIR\]$/],
    ['two names', ['a', 'b'], /one name at a time/],
    [
      'upper case',
      ['Weather'],
      /^error: "Weather" is not an agent name \(use lower-case letters, digits and dashes, starting with a letter/,
    ],
    ['a leading digit', ['1desk'], /"1desk" is not an agent name/],
    ['an underscore', ['weather_desk'], /"weather_desk" is not an agent name/],
    ['a leading dash', ['-x'], /Unknown option|is not an agent name/],
    ['33 characters', ['a'.repeat(33)], /is not an agent name/],
    ['an existing agent folder', ['analysis'], /^error: servers\/analysis already exists: choose another name or remove it$/],
    ['an existing test folder', ['orphan'], /^error: test\/servers\/orphan already exists/],
    ['an existing config entry', ['docs'], /^error: switchboard\.config\.json already has a server named "docs"/],
    [
      'a port another agent has',
      ['desk', '--port', '8102'],
      /^error: port 8102 is taken by server "search" of switchboard\.config\.json \(pass another --port/,
    ],
    ["the service's port", ['desk', '--port', '8100'], /port 8100 is taken by the service \(npm run serve\)/],
    ['a port that is no port', ['desk', '--port', '70000'], /--port 70000: expected a port number from 1 to 65535/],
    ['an unknown flag', ['desk', '--force'], /Unknown option '--force'/],
  ];
  for (const [what, args, expected] of cases) {
    test(what, async () => {
      const before = await snapshot();
      const result = await runCli('new-agent', [...args, '--root', root]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
      assert.match(result.stderr.trimEnd(), expected);
      assert.deepEqual(await snapshot(), before);
    });
  }

  test('a config file that is not JSON is named, and left as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-new-agent-badjson-'));
    try {
      await writeFile(join(dir, 'switchboard.config.json'), '{ "servers": { ');
      const result = await runCli('new-agent', ['desk', '--root', dir]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^error: switchboard\.config\.json is not valid JSON \(.*\): fix it first\n$/);
      assert.deepEqual(await readdir(dir), ['switchboard.config.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('scaffoldAgent', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchboard-scaffold-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const project = async (name: string, servers: Record<string, unknown>) => {
    const dir = join(root, name);
    await mkdir(join(dir, 'servers'), { recursive: true });
    await writeFile(join(dir, 'switchboard.config.json'), JSON.stringify({ servers }));
    return dir;
  };

  test('takes the first free loopback port from 8104, whatever the entry is called; --port wins', async () => {
    const dir = await project('gaps', {
      a: { url: 'http://127.0.0.1:8104/mcp' },
      b: { url: 'http://localhost:8105/mcp' },
      c: { url: 'http://127.0.0.1:8107/mcp' },
      remote: { url: 'https://example.com:8106/mcp' },
    });
    assert.equal((await scaffoldAgent({ name: 'one', root: dir })).port, 8106);
    assert.equal((await scaffoldAgent({ name: 'two', root: dir })).port, 8108);
    assert.equal((await scaffoldAgent({ name: 'three', root: dir, port: 9300 })).url, 'http://127.0.0.1:9300/mcp');
  });

  test('without a config file it writes one with the new entry only', async () => {
    const dir = join(root, 'fresh');
    await mkdir(dir);
    const done = await scaffoldAgent({ name: 'fresh-agent', root: dir });
    assert.deepEqual(done.files, [
      'servers/fresh-agent/index.ts',
      'servers/fresh-agent/tools.ts',
      'test/servers/fresh-agent/contract.test.ts',
      'switchboard.config.json',
    ]);
    const config = JSON.parse(await readFile(join(dir, 'switchboard.config.json'), 'utf8')) as { servers: Record<string, { url: string }> };
    assert.deepEqual(Object.keys(config.servers), ['fresh-agent']);
    assert.equal(config.servers['fresh-agent']?.url, 'http://127.0.0.1:8104/mcp');
  });

  test('a failure while writing removes what it wrote and leaves the config as it was', async () => {
    const dir = await project('rollback', SHIPPED);
    const original = await readFile(join(dir, 'switchboard.config.json'), 'utf8');
    // The config is replaced through a staging file; a directory in its place makes that step fail.
    await mkdir(join(dir, `switchboard.config.json.${process.pid}.tmp`));
    await assert.rejects(scaffoldAgent({ name: 'doomed', root: dir }), { code: 'EISDIR' });
    await assert.rejects(readdir(join(dir, 'servers/doomed')), { code: 'ENOENT' });
    await assert.rejects(readdir(join(dir, 'test/servers/doomed')), { code: 'ENOENT' });
    assert.equal(await readFile(join(dir, 'switchboard.config.json'), 'utf8'), original);
  });

  test('names follow defineAgent: dashes and digits are fine, 32 characters at most', async () => {
    const dir = await project('names', {});
    await scaffoldAgent({ name: 'a1-b2', root: dir });
    await scaffoldAgent({ name: 'x'.repeat(32), root: dir });
    await assert.rejects(scaffoldAgent({ name: 'x'.repeat(33), root: dir }), UserError);
    const index = await readFile(join(dir, 'servers/a1-b2/index.ts'), 'utf8');
    assert.match(index, /export function createA1B2Agent\(\)/);
    assert.match(index, /export const A1_B2_INSTRUCTIONS/);
  });
});
