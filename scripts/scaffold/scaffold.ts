import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Prettier from 'prettier';
import { UserError } from '../../src/errors.ts';
// agent.ts, not the kit's index: the rule without loading express and the MCP SDK.
import { defineAgent } from '../../src/mcp/agent.ts';
import { agentNames, contractTestTemplate, indexTemplate, toolsTemplate } from './templates.ts';

/** The first port a new agent gets when none is given; the built-in agents hold 8101-8103. */
export const FIRST_AGENT_PORT = 8104;
/** The service's default port (`npm run serve`): never an agent's. */
const SERVICE_PORT = 8100;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const CONFIG_FILE = 'switchboard.config.json';

export interface ScaffoldOptions {
  /** The agent's name: lower-case letters, digits and dashes, as `defineAgent` requires. */
  readonly name: string;
  /** The project's root (where package.json and switchboard.config.json are). */
  readonly root: string;
  /** The agent's port in the config; default the first free one from {@link FIRST_AGENT_PORT}. */
  readonly port?: number;
}

export interface Scaffolded {
  /** Files written, relative to the root, in the order they were written. */
  readonly files: string[];
  readonly port: number;
  readonly url: string;
}

type Config = { servers?: Record<string, { url?: unknown } & Record<string, unknown>> } & Record<string, unknown>;

/**
 * Writes `servers/<name>/` (index.ts, tools.ts), `test/servers/<name>/contract.test.ts` and the
 * agent's entry in switchboard.config.json. Everything is checked before anything is written; a
 * failure while writing removes what was written, and the config file is replaced last, whole.
 * Throws a `UserError` for a bad name, an existing folder or config entry, or a port in use.
 */
export async function scaffoldAgent(options: ScaffoldOptions): Promise<Scaffolded> {
  const { name, root } = options;
  assertAgentName(name);
  const agentDir = join(root, 'servers', name);
  const testDir = join(root, 'test', 'servers', name);
  for (const dir of [agentDir, testDir]) {
    if (await exists(dir)) throw new UserError(`${relative(root, dir)} already exists: choose another name or remove it`);
  }
  const configPath = join(root, CONFIG_FILE);
  const config = await readConfig(configPath);
  const servers = config.servers ?? {};
  if (Object.hasOwn(servers, name)) throw new UserError(`${CONFIG_FILE} already has a server named "${name}": choose another name`);
  const port = choosePort(servers, options.port);
  const url = `http://127.0.0.1:${port}/mcp`;

  const names = agentNames(name);
  const format = await formatter(root);
  const files: [string, string][] = [
    [join(agentDir, 'index.ts'), await format(indexTemplate(names), 'index.ts')],
    [join(agentDir, 'tools.ts'), await format(toolsTemplate(names), 'tools.ts')],
    [join(testDir, 'contract.test.ts'), await format(contractTestTemplate(names), 'contract.test.ts')],
  ];
  const entry = { url, agent: name, autoStart: true, timeoutMs: 60000, exclude: ['ask_*_agent'] };
  const configText = await format(`${JSON.stringify({ ...config, servers: { ...servers, [name]: entry } }, null, 2)}\n`, CONFIG_FILE);

  const written: string[] = [];
  const created: string[] = [];
  try {
    await mkdir(join(root, 'servers'), { recursive: true });
    await mkdir(join(root, 'test', 'servers'), { recursive: true });
    for (const dir of [agentDir, testDir]) {
      await mkdir(dir); // not recursive: fails if someone created it meanwhile
      created.push(dir);
    }
    for (const [path, text] of files) {
      await writeFile(path, text, { flag: 'wx' });
      written.push(relative(root, path));
    }
    const staged = `${configPath}.${process.pid}.tmp`;
    await writeFile(staged, configText);
    await rename(staged, configPath).catch(async (error: unknown) => {
      await rm(staged, { force: true });
      throw error;
    });
    written.push(CONFIG_FILE);
  } catch (error) {
    await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
    throw error;
  }
  return { files: written, port, url };
}

/** The rule of `defineAgent`, checked by it, with a message that says what a name may be. */
export function assertAgentName(name: string): void {
  try {
    defineAgent({ name, version: '0.0.0', instructions: '', tools: [] });
  } catch {
    throw new UserError(`"${name}" is not an agent name`, {
      hint: 'use lower-case letters, digits and dashes, starting with a letter, at most 32 characters, e.g. weather-desk',
    });
  }
}

function choosePort(servers: NonNullable<Config['servers']>, wanted: number | undefined): number {
  const taken = new Map<number, string>([[SERVICE_PORT, 'the service (npm run serve)']]);
  for (const [key, entry] of Object.entries(servers)) {
    const url = typeof entry?.url === 'string' && URL.canParse(entry.url) ? new URL(entry.url) : undefined;
    if (url && LOOPBACK.has(url.hostname))
      taken.set(Number(url.port || (url.protocol === 'https:' ? 443 : 80)), `server "${key}" of ${CONFIG_FILE}`);
  }
  if (wanted === undefined) {
    let port = FIRST_AGENT_PORT;
    while (taken.has(port)) port++;
    return port;
  }
  const holder = taken.get(wanted);
  if (holder)
    throw new UserError(`port ${wanted} is taken by ${holder}`, {
      hint: 'pass another --port, or none for the next free one',
    });
  return wanted;
}

async function readConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${CONFIG_FILE} is not valid JSON (${(error as Error).message}): fix it first`, { cause: error });
  }
  const servers = (parsed as Config | null)?.servers;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers)))
  ) {
    throw new UserError(`${CONFIG_FILE} must be an object with a "servers" object: fix it first`);
  }
  return parsed as Config;
}

/**
 * Prettier with the project's settings when it is installed (a development checkout), so the
 * new files pass `npm run check` as they are; the text unchanged otherwise.
 */
async function formatter(root: string): Promise<(text: string, file: string) => Promise<string>> {
  let prettier: typeof Prettier;
  try {
    prettier = await import('prettier');
  } catch {
    return async (text) => text;
  }
  return async (text, file) => {
    const options = (await prettier.resolveConfig(join(root, file))) ?? {};
    return prettier.format(text, { ...options, filepath: join(root, file) });
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

/** The project this script belongs to: the default root. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
