import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { loadEnv } from '../../src/config/env.ts';
import { loadConfigFile, parseConfig } from '../../src/config/file.ts';
import type { AgentDefinition } from '../../src/mcp/index.ts';
import { createOrchestrateAgent } from '../../src/service/mcpFace.ts';
import { builtinAgentNames, loadBuiltinAgent } from '../../scripts/lib/builtinAgents.ts';
import { childEnv } from '../helpers/cli.ts';
import { connectStreamable, rawPost } from '../helpers/mcpClient.ts';
import { shellWords, snippetsOf, where, type Snippet } from './snippets.ts';

// docs/clients.md promises set-ups that work as pasted: this reads every snippet, checks it
// against the project (scripts, agents, ports, paths, tools, arguments), and starts an agent
// over stdio and one over HTTP from the snippets themselves.

const REPO = resolve(import.meta.dirname, '../..');
const PLACEHOLDER = '/ABSOLUTE/PATH/TO/switchboard';
const ROOTS = [PLACEHOLDER, '${workspaceFolder}'];
const SHIPPED_AGENTS = ['incident', 'search', 'analysis'];
const SERVICE = 'service';
const AGENT_PATHS = ['/mcp', '/sse'];
const CLIENTS = ['Claude Desktop', 'VS Code', 'Cursor', 'MCP Inspector'];
const INSPECTOR_METHODS = ['initialize', 'tools/list', 'tools/call', 'resources/list', 'prompts/list', 'logging/setLevel'];

type Json = Record<string, unknown>;
type Target = string; // an agent's name, or SERVICE
type Entry = { key: string; target: Target };

const CHILD_ENV = { DATABASE_URL: '', TAVILY_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', SWITCHBOARD_MODEL: 'offline', PORT: '' };

describe('docs/clients.md and README snippets', () => {
  let dataDir: string;
  let snippets: Snippet[];
  let clientsText: string;
  let scripts: Record<string, string>;
  let agents: string[];
  const agentPorts = new Map<number, string>();
  let servicePort: number;
  /** Tool name -> its argument names, per target. */
  const tools = new Map<Target, Map<string, string[]>>();
  const covered = new Map<string, Set<Target>>();

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchboard-docs-'));
    clientsText = await readFile(join(REPO, 'docs/clients.md'), 'utf8');
    snippets = [...snippetsOf('docs/clients.md', clientsText), ...snippetsOf('README.md', await readFile(join(REPO, 'README.md'), 'utf8'))];
    scripts = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    agents = await builtinAgentNames();
    const config = await loadConfigFile(join(REPO, 'switchboard.config.json'), {});
    for (const entry of Object.values(config.servers)) if (entry.agent) agentPorts.set(Number(new URL(entry.url).port), entry.agent);
    servicePort = Number(/const DEFAULT_PORT = (\d+);/.exec(await readFile(join(REPO, 'scripts/serve.ts'), 'utf8'))?.[1]);
    assert.ok(servicePort > 0, 'scripts/serve.ts has a DEFAULT_PORT');

    const env = loadEnv({ SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_MODEL: 'offline' });
    for (const name of SHIPPED_AGENTS) {
      const agent = await loadBuiltinAgent(name, env);
      tools.set(name, toolArgs(agent));
      await agent.close?.();
    }
    // Only the tool's definition is read: the run machinery behind it is never called.
    tools.set(SERVICE, toolArgs(createOrchestrateAgent({ version: '0', maxInputChars: 1000, autoApprove: false } as never)));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  const toolArgs = (agent: AgentDefinition) => new Map(agent.tools.map((tool) => [tool.name, Object.keys(tool.input.shape)]));

  /** What a URL of the docs points at; fails unless one of our servers serves that port and path. */
  function served(url: string, context: string): Target {
    assert.ok(URL.canParse(url), `${context}: ${url} is not a URL`);
    const parsed = new URL(url);
    assert.equal(parsed.protocol, 'http:', `${context}: ${url}`);
    assert.ok(['127.0.0.1', 'localhost'].includes(parsed.hostname), `${context}: ${url} is not loopback, where the servers bind`);
    const port = Number(parsed.port);
    if (port === servicePort) {
      assert.equal(parsed.pathname, '/mcp', `${context}: the service serves MCP at /mcp, not ${parsed.pathname}`);
      return SERVICE;
    }
    const agent = agentPorts.get(port);
    assert.ok(agent, `${context}: no agent of switchboard.config.json (nor the service, ${servicePort}) is on port ${port}`);
    assert.ok(AGENT_PATHS.includes(parsed.pathname), `${context}: agents serve ${AGENT_PATHS.join(', ')}, not ${parsed.pathname}`);
    return agent;
  }

  /** A stdio entry (`command`, `args`, `env`): a real npm script or file, a real agent, --stdio. */
  function stdio(command: unknown, args: unknown, env: unknown, context: string): Target {
    assert.equal(typeof command, 'string', `${context}: command`);
    assert.ok(Array.isArray(args) && args.every((arg) => typeof arg === 'string'), `${context}: args is a list of strings`);
    const list = args as string[];
    if (env !== undefined) {
      assert.ok(typeof env === 'object' && env !== null, `${context}: env is an object`);
      for (const value of Object.values(env)) assert.equal(typeof value, 'string', `${context}: env values are strings`);
    }
    const vars = (env ?? {}) as Record<string, string>;
    if (command === 'npm') {
      const [prefix, root, silent, run, script, dashes, agent, ...rest] = list;
      assert.deepEqual(
        [prefix, silent, run, dashes],
        ['--prefix', '--silent', 'run', '--'],
        `${context}: npm --prefix ROOT --silent run SCRIPT -- ...`,
      );
      assert.ok(ROOTS.includes(root!), `${context}: --prefix ${root} (use ${ROOTS.join(' or ')})`);
      assert.ok(scripts[script!], `${context}: "${script}" is not an npm script of package.json`);
      assert.ok(agents.includes(agent!), `${context}: "${agent}" is not an agent folder under servers/`);
      assert.ok(rest.includes('--stdio'), `${context}: --stdio`);
      return agent!;
    }
    if (basename(command as string) === 'node') {
      const [script, agent, ...rest] = list;
      const root = ROOTS.find((candidate) => script!.startsWith(`${candidate}/`));
      assert.ok(root, `${context}: ${script} is an absolute path in the checkout`);
      assert.ok(existsSync(join(REPO, script!.slice(root.length))), `${context}: ${script} is no file of the checkout`);
      assert.ok(agents.includes(agent!), `${context}: "${agent}" is not an agent`);
      assert.ok(rest.includes('--stdio'), `${context}: --stdio`);
      if (vars['SWITCHBOARD_DATA_DIR']) assert.ok(vars['SWITCHBOARD_DATA_DIR'].startsWith('/'), `${context}: an absolute data dir`);
      return agent!;
    }
    assert.equal(command, 'npx', `${context}: ${command} is neither npm, node nor the npx mcp-remote bridge`);
    const at = list.indexOf('mcp-remote');
    assert.ok(at >= 0 && list.slice(0, at).every((arg) => arg === '-y'), `${context}: npx -y mcp-remote URL`);
    const target = served(list[at + 1]!, context);
    for (let i = at + 2; i < list.length; i++) {
      assert.equal(list[i], '--header', `${context}: unexpected ${list[i]}`);
      const header = /^Authorization:\$\{(\w+)\}$/.exec(list[++i] ?? '');
      assert.ok(header, `${context}: headers are written Authorization:\${VAR}, with no space (Windows)`);
      assert.match(vars[header[1]!] ?? '', /^Bearer \S/, `${context}: env ${header[1]} holds "Bearer <token>"`);
    }
    return target;
  }

  function http(entry: Json, context: string, variable: RegExp): Target {
    const target = served(entry['url'] as string, context);
    const headers = (entry['headers'] ?? {}) as Record<string, string>;
    for (const [name, value] of Object.entries(headers)) {
      assert.equal(name, 'Authorization', context);
      assert.match(value, variable, `${context}: ${value}`);
    }
    return target;
  }

  function keysWithin(object: Json, allowed: string[], context: string) {
    for (const key of Object.keys(object)) assert.ok(allowed.includes(key), `${context}: "${key}" is not a field this client reads`);
  }

  const clients: Record<string, (config: Json, context: string) => Entry[]> = {
    'Claude Desktop': (config, context) => {
      keysWithin(config, ['mcpServers'], context);
      return Object.entries(config['mcpServers'] as Record<string, Json>).map(([key, entry]) => {
        keysWithin(entry, ['command', 'args', 'env'], `${context} ${key}`); // no url: Claude Desktop reads stdio servers only
        return { key, target: stdio(entry['command'], entry['args'], entry['env'], `${context} ${key}`) };
      });
    },
    'VS Code': (config, context) => {
      keysWithin(config, ['servers', 'inputs'], context);
      const inputs = ((config['inputs'] ?? []) as Json[]).map((input) => {
        keysWithin(input, ['type', 'id', 'description', 'password'], `${context} inputs`);
        assert.equal(input['type'], 'promptString');
        assert.equal(typeof input['description'], 'string');
        return input['id'] as string;
      });
      const reference = new RegExp(`^Bearer \\$\\{input:(${inputs.join('|') || '(?!)'})\\}$`);
      return Object.entries(config['servers'] as Record<string, Json>).map(([key, entry]) => {
        const at = `${context} ${key}`;
        if (entry['type'] === 'http') {
          keysWithin(entry, ['type', 'url', 'headers'], at);
          return { key, target: http(entry, at, reference) };
        }
        assert.equal(entry['type'], 'stdio', `${at}: type is "http" or "stdio"`);
        keysWithin(entry, ['type', 'command', 'args', 'env', 'envFile'], at);
        return { key, target: stdio(entry['command'], entry['args'], entry['env'], at) };
      });
    },
    Cursor: (config, context) => {
      keysWithin(config, ['mcpServers'], context);
      return Object.entries(config['mcpServers'] as Record<string, Json>).map(([key, entry]) => {
        const at = `${context} ${key}`;
        if ('url' in entry) {
          keysWithin(entry, ['url', 'headers'], at);
          return { key, target: http(entry, at, /^Bearer \$\{env:[A-Z_]+\}$/) };
        }
        keysWithin(entry, ['command', 'args', 'env'], at);
        return { key, target: stdio(entry['command'], entry['args'], entry['env'], at) };
      });
    },
  };

  /** `npx -y @modelcontextprotocol/inspector --cli TARGET... [--] OPTIONS` as the Inspector 2.x CLI reads it. */
  function inspector(words: string[], context: string): Target {
    const dashes = words.indexOf('--');
    const leading = dashes >= 0 ? dashes : words.findIndex((word) => word.startsWith('-'));
    const target = words.slice(0, leading < 0 ? words.length : leading);
    const rest = dashes >= 0 ? words.slice(dashes + 1) : words.slice(target.length);
    const options = new Map<string, string[]>();
    for (let i = 0; i < rest.length; i++) {
      const flag = rest[i]!;
      assert.ok(['--transport', '--method', '--tool-name', '--tool-arg', '--header'].includes(flag), `${context}: unexpected ${flag}`);
      assert.ok(i + 1 < rest.length, `${context}: ${flag} takes a value`);
      options.set(flag, [...(options.get(flag) ?? []), rest[++i]!]);
    }
    let server: Target;
    if (/^https?:/.test(target[0] ?? '')) {
      assert.equal(target.length, 1, context);
      server = served(target[0]!, context);
      assert.deepEqual(options.get('--transport'), ['http'], `${context}: a URL needs --transport http (the CLI's default is SSE)`);
    } else {
      const [node, script, agent, ...flags] = target;
      assert.equal(node, 'node', context);
      assert.ok(existsSync(join(REPO, script!)), `${context}: ${script} is no file of the checkout`);
      assert.ok(agents.includes(agent!), `${context}: "${agent}" is not an agent`);
      assert.ok(flags.includes('--stdio'), `${context}: --stdio, before the Inspector's --`);
      assert.ok(dashes >= 0, `${context}: a command with flags needs -- before the Inspector's options`);
      server = agent!;
    }
    const [method, ...more] = options.get('--method') ?? [];
    assert.ok(
      method && INSPECTOR_METHODS.includes(method) && more.length === 0,
      `${context}: one --method of ${INSPECTOR_METHODS.join(', ')}`,
    );
    if (method === 'tools/call') {
      const name = options.get('--tool-name')?.[0];
      const args = tools.get(server)?.get(name ?? '');
      assert.ok(args, `${context}: ${server} has no tool "${name}"`);
      for (const pair of options.get('--tool-arg') ?? []) {
        const key = pair.split('=')[0]!;
        assert.ok(pair.includes('=') && args.includes(key), `${context}: ${name} takes no argument "${key}" (${args.join(', ')})`);
      }
    }
    for (const header of options.get('--header') ?? []) assert.match(header, /^Authorization: Bearer \$[A-Z_]+$/, context);
    return server;
  }

  /**
   * `npm run SCRIPT [-- AGENT ...]` names a script, and an agent when the script serves one:
   * one of servers/, or one an earlier `npm run new-agent -- NAME` of the same snippet creates.
   */
  function npmRun(words: string[], context: string, created: Set<string>): void {
    const start = words.findIndex((word) => !/^[A-Z_]+=/.test(word)); // VAR=value prefixes
    const [npm, run, script, dashes, name] = words.slice(start);
    if (npm !== 'npm' || run !== 'run') return;
    assert.ok(scripts[script!], `${context}: "${script}" is not an npm script`);
    if (dashes !== '--' || !name || name.startsWith('-')) return;
    if (script === 'new-agent') created.add(name);
    else if (script === 'agent') assert.ok(agents.includes(name) || created.has(name), `${context}: "${name}" is not an agent`);
  }

  test('every JSON snippet parses and has the shape its client reads, naming real commands and served URLs', () => {
    const json = snippets.filter((snippet) => snippet.lang === 'json');
    assert.ok(json.length >= 8, `found ${json.length} JSON snippets`);
    for (const snippet of json) {
      let config: Json;
      try {
        config = JSON.parse(snippet.text) as Json;
      } catch (error) {
        assert.fail(`${where(snippet)}: not valid JSON: ${(error as Error).message}`);
      }
      if (snippet.file === 'README.md') {
        assert.ok(['Configuration', 'OAuth'].includes(snippet.section), `${where(snippet)}: README's JSON is switchboard.config.json`);
        const parsed = parseConfig(config, where(snippet), { DOCS_TOKEN: 'x', INCIDENT_CLIENT_SECRET: 'x' });
        for (const [name, entry] of Object.entries(parsed.servers)) {
          // Someone else's server: not ours to check, wherever it runs.
          if (!entry.agent || !['127.0.0.1', 'localhost'].includes(new URL(entry.url).hostname)) continue;
          assert.equal(served(entry.url, `${where(snippet)} ${name}`), entry.agent, `${where(snippet)} ${name}: port and agent agree`);
        }
        continue;
      }
      const check = clients[snippet.section];
      assert.ok(check, `${where(snippet)}: a JSON snippet outside the sections of ${Object.keys(clients).join(', ')}`);
      for (const { key, target } of check(config, where(snippet))) {
        // The entry's name says what it reaches: incident/switchboard-incident, switchboard for the service.
        if (target === SERVICE) assert.equal(key, 'switchboard', `${where(snippet)}: the service's entry is "switchboard"`);
        else assert.ok(key === target || key === `switchboard-${target}`, `${where(snippet)}: "${key}" reaches ${target}`);
        covered.set(snippet.section, (covered.get(snippet.section) ?? new Set()).add(target));
      }
    }
  });

  test('every shell line names a real npm script, agent, file, tool and argument', () => {
    const sh = snippets.filter((snippet) => snippet.lang === 'sh');
    assert.ok(sh.length > 0);
    for (const snippet of sh) {
      const created = new Set<string>();
      for (const [offset, line] of snippet.text.split('\n').entries()) {
        const words = shellWords(line);
        if (words.length === 0) continue;
        const context = `${snippet.file}:${snippet.line + offset + 1}`;
        npmRun(words, context, created);
        if (words.slice(0, 4).join(' ') === 'npx -y @modelcontextprotocol/inspector --cli') {
          assert.equal(snippet.section, 'MCP Inspector', context);
          covered.set('MCP Inspector', (covered.get('MCP Inspector') ?? new Set()).add(inspector(words.slice(4), context)));
        }
      }
    }
    // Inline commands of the page (the table) too.
    for (const [, code] of clientsText.matchAll(/`(npm run [^`]+)`/g)) npmRun(shellWords(code!), `docs/clients.md \`${code}\``, new Set());
  });

  test('every loopback URL on the page is one our servers serve', () => {
    const urls = [...clientsText.matchAll(/http:\/\/(?:127\.0\.0\.1|localhost):\d+[^\s`"')\]]*/g)].map(([url]) => url);
    assert.ok(urls.length > 10);
    for (const url of urls) served(url, 'docs/clients.md');
  });

  test('each client has a set-up for every built-in agent and for the service', () => {
    for (const client of CLIENTS) {
      assert.deepEqual(
        [...(covered.get(client) ?? [])].sort(),
        [...SHIPPED_AGENTS, SERVICE].sort(),
        `${client} covers every agent and the service`,
      );
    }
  });

  test('the Claude Desktop stdio entries start the agents from another working directory', async () => {
    const claude = snippets.filter((snippet) => snippet.section === 'Claude Desktop' && snippet.lang === 'json');
    const entries = claude.flatMap((snippet) => Object.entries((JSON.parse(snippet.text) as Json)['mcpServers'] as Record<string, Json>));
    // The npm form for analysis, the node form for incident (its data kept out of the checkout).
    const picks = [
      entries.find(([key, e]) => key === 'switchboard-analysis' && e['command'] === 'npm'),
      entries.find(([, e]) => e['command'] === 'node'),
    ];
    for (const pick of picks) {
      assert.ok(pick, 'both stdio forms are on the page');
      const [key, entry] = pick;
      const args = (entry['args'] as string[]).map((arg) => arg.replaceAll(PLACEHOLDER, REPO));
      const transport = new StdioClientTransport({
        command: entry['command'] as string,
        args,
        cwd: tmpdir(),
        env: childEnv({
          ...CHILD_ENV,
          ...((entry['env'] ?? {}) as Record<string, string>),
          SWITCHBOARD_DATA_DIR: join(dataDir, key),
        }) as Record<string, string>,
        stderr: 'pipe',
      });
      const client = new Client({ name: 'docs-test', version: '1.0.0' });
      try {
        await client.connect(transport);
        const names = (await client.listTools()).tools.map((tool) => tool.name);
        const agent = key.replace('switchboard-', '');
        assert.deepEqual(names.sort(), [...tools.get(agent)!.keys()].sort(), `${key} serves its agent's tools`);
      } finally {
        await client.close();
      }
    }
  });

  test("an agent started as the page says answers at the VS Code and Cursor snippets' URL with their header", async () => {
    const token = 'docs-test-token';
    const child = spawn('npm', ['--silent', 'run', 'agent', '--', 'analysis', '--port', '0'], {
      cwd: REPO,
      env: childEnv({ ...CHILD_ENV, MCP_AUTH_TOKEN: token }),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true, // its own process group: npm and the agent under it stop together
    });
    try {
      let listening: string | undefined;
      for await (const line of createInterface({ input: child.stderr! })) {
        listening = /listening on (\S+)/.exec(line)?.[1];
        if (listening) break;
      }
      assert.ok(listening, 'the agent says where it listens');
      const origin = new URL(listening).origin;
      const pick = (section: string, container: string) => {
        const snippet = snippets.find((s) => s.section === section && s.lang === 'json' && s.text.includes('"headers"'))!;
        return ((JSON.parse(snippet.text) as Json)[container] as Record<string, Json>)['analysis']!;
      };
      const substitutions: [RegExp, string][] = [
        [/\$\{input:[\w-]+\}/g, token],
        [/\$\{env:MCP_AUTH_TOKEN\}/g, token],
      ];
      for (const entry of [pick('VS Code', 'servers'), pick('Cursor', 'mcpServers')]) {
        const url = `${origin}${new URL(entry['url'] as string).pathname}`;
        const headers = Object.fromEntries(
          Object.entries(entry['headers'] as Record<string, string>).map(([name, value]) => [
            name,
            substitutions.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value),
          ]),
        );
        const refused = await rawPost(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
        assert.equal(refused.status, 401, 'without the header the token is asked for');
        const { client } = await connectStreamable(url, headers);
        const names = (await client.listTools()).tools.map((tool) => tool.name);
        assert.ok(names.includes('analyze_sentiment'), names.join(', '));
        await client.close();
      }
    } finally {
      const exited = child.exitCode === null ? new Promise((resolveExit) => child.once('exit', resolveExit)) : undefined;
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  });
});
