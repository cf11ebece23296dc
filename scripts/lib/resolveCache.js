/**
 * A cache of module resolutions into node_modules, for the CLI entries (plain JavaScript: it runs
 * before the compile cache is on, and before anything TypeScript is loaded).
 *
 * Most of a one-shot run's start-up beyond compiling is Node resolving the ~900 modules of
 * LangChain, LangGraph and the SDK: for every import it reads the package.json files on the way
 * (exports maps, "type") again. The answer is the same from one run to the next while node_modules
 * is, so it is kept in a file under the user's cache folder, keyed by the Node version and the
 * project's lockfiles; a run whose resolutions are all in it resolves nothing itself. Only
 * resolutions into node_modules are kept: a project file moved or renamed is resolved afresh.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fnv, startCacheDir, startCachesOff } from './startCaches.js';

const VERSION = 1;

/** What the resolutions depend on besides the importing file: Node, and what npm installed. */
function fingerprint(root) {
  const parts = [VERSION, process.version];
  for (const file of ['node_modules/.package-lock.json', 'package-lock.json', 'package.json']) {
    try {
      const stat = statSync(join(root, file));
      parts.push(`${stat.mtimeMs}:${stat.size}`);
    } catch {
      parts.push('-');
    }
  }
  return parts.join('|');
}

/** The folder of the package a file in node_modules belongs to: a bare name resolves the same from all its files. */
const packageRoot = (url) => /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+\/)/.exec(url)?.[1];

/**
 * Serves resolutions from the cache of the project at `rootUrl` (a file: URL of a folder ending
 * in "/"), and adds the new ones to it when the process exits. Does nothing where Node has no
 * synchronous module hooks (before 22.15) or the cache cannot be read or written.
 *
 * `name` keeps one cache per kind of process: the CLI and the agents load different modules, and
 * each reads the whole file at start, so neither reads the other's ~half. Default: "cli".
 */
export function enableResolveCache(rootUrl, name = 'cli') {
  if (typeof nodeModule.registerHooks !== 'function' || startCachesOff()) return;
  const root = fileURLToPath(rootUrl);
  const dir = startCacheDir();
  const file = join(dir, `resolve-${name}-${fnv(root)}.json`);
  const key = fingerprint(root);
  /** @returns {[string, [string, string | null]][]} id -> [url, format] */
  const read = () => {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8'));
      if (stored.key === key) return Object.entries(stored.entries);
    } catch {
      // no cache yet, or an unreadable one: it is rebuilt
    }
    return [];
  };
  const entries = new Map(read());
  let added = false;
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL ?? '';
      const relative = specifier.startsWith('.') || specifier.startsWith('/');
      const from = relative ? parent : (packageRoot(parent) ?? parent);
      const type = context.importAttributes?.type ?? '';
      const id = `${specifier}\0${from}\0${context.conditions?.join(',') ?? ''}\0${type}`;
      const hit = entries.get(id);
      // No format for a CommonJS file (required, or imported: its format is found when it loads).
      if (hit) return hit[1] ? { url: hit[0], format: hit[1], shortCircuit: true } : { url: hit[0], shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      if (resolved.url.startsWith('file:') && resolved.url.includes('/node_modules/')) {
        entries.set(id, [resolved.url, resolved.format ?? null]);
        added = true;
      }
      return resolved;
    },
  });
  process.once('exit', () => {
    if (!added) return;
    try {
      // What other processes of this kind (a run beside this one) wrote meanwhile is kept too.
      for (const [id, hit] of read()) if (!entries.has(id)) entries.set(id, hit);
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed: a run reading it meanwhile sees the old file or the new one, whole.
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, JSON.stringify({ key, entries: Object.fromEntries(entries) }));
      renameSync(temp, file);
      // The one file both kinds of process shared before each had its own.
      rmSync(join(dir, `resolve-${fnv(root)}.json`), { force: true });
    } catch {
      // a read-only home: every run resolves for itself
    }
  });
}
