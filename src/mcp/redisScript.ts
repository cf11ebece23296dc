import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, so it can be run by digest. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** The two commands of a node-redis client that run scripts. */
export interface ScriptClient {
  evalSha(sha: string, options: ScriptArguments): Promise<unknown>;
  eval(source: string, options: ScriptArguments): Promise<unknown>;
}

export interface ScriptArguments {
  keys: string[];
  arguments: string[];
}

/** Runs a Lua script by its digest (the script is sent only the first time a server sees it). */
export async function runScript(client: ScriptClient, script: LuaScript, options: ScriptArguments): Promise<unknown> {
  try {
    return await client.evalSha(script.sha, options);
  } catch (error) {
    if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
    return client.eval(script.source, options);
  }
}
