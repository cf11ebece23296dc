/**
 * `npm run new-agent -- NAME [--port N] [--root DIR]`: scaffolds an agent built with the kit.
 *
 * Writes servers/NAME/index.ts (the agent and the factory `npm run agent -- NAME` loads),
 * servers/NAME/tools.ts (one example tool: schemas, annotations, structured content and text),
 * test/servers/NAME/contract.test.ts (the kit's contract: conformance, every transport, bad
 * arguments) and NAME's entry in switchboard.config.json: the next free loopback port from 8104
 * unless --port says otherwise, `autoStart`, `exclude: ["ask_*_agent"]`.
 *
 *   --port N     the agent's port in the config (refused when another entry has it)
 *   --root DIR   the project to write into (default: the one this script is in)
 *
 * Refuses, with one line and exit code 2, a name defineAgent would refuse, an existing folder or
 * config entry, and a port in use; nothing is written then.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../src/errors.ts';
import { runMain } from './lib/cli.ts';
import { PROJECT_ROOT, scaffoldAgent } from './scaffold/scaffold.ts';

const USAGE = 'usage: npm run new-agent -- NAME [--port N] [--root DIR]';

const usage = (message: string) => Object.assign(new UserError(message), { exitCode: 2 });

runMain(async () => {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, root: { type: 'string' } } });
  } catch (error) {
    throw usage(`${(error as Error).message}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw usage(positionals.length === 0 ? USAGE : `one name at a time; ${USAGE}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535))
    throw usage(`--port ${values.port}: expected a port number from 1 to 65535`);
  const name = positionals[0]!;
  const root = values.root === undefined ? PROJECT_ROOT : resolve(values.root);

  let done;
  try {
    done = await scaffoldAgent({ name, root, port });
  } catch (error) {
    if (error instanceof UserError) Object.assign(error, { exitCode: 2 });
    throw error;
  }
  const out = (line = '') => process.stdout.write(`${line}\n`);
  for (const file of done.files.slice(0, -1)) out(`created ${file}`);
  out(`added "${name}" to switchboard.config.json at ${done.url}`);
  out();
  out('Next:');
  out(`  serve it:      npm run agent -- ${name}   (127.0.0.1:${done.port}; add --stdio for desktop MCP clients)`);
  out(`  test it:       node --test test/servers/${name}/contract.test.ts`);
  out(`  make it yours: edit servers/${name}/tools.ts, and list each new tool in the test's badArgs`);
});
