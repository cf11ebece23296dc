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

const VERSION = 2;

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
  // Kept flat, [id, url, format, id, url, format, ...] ("" for no format): parsed and indexed
  // without an object per entry, this is about half the work of a map of [url, format] pairs.
  /** @returns {string[]} */
  const read = () => {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8'));
      if (stored.key === key && Array.isArray(stored.entries)) return stored.entries;
    } catch {
      // no cache yet, or an unreadable one: it is rebuilt
    }
    return [];
  };
  const stored = read();
  /** id -> where its url is in `stored` */
  const at = new Map();
  for (let i = 0; i + 2 < stored.length; i += 3) at.set(stored[i], i + 1);
  /** Resolved by this process and not in the file: id -> [url, format] */
  const added = new Map();
  /** The ids of `stored` this process used: the others are left out when it writes the file. */
  const used = new Set();
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL ?? '';
      const relative = specifier.startsWith('.') || specifier.startsWith('/');
      const from = relative ? parent : (packageRoot(parent) ?? parent);
      const type = context.importAttributes?.type ?? '';
      const id = `${specifier}\0${from}\0${context.conditions?.join(',') ?? ''}\0${type}`;
      const hit = at.get(id);
      if (hit !== undefined) {
        used.add(id);
        const format = stored[hit + 1];
        // No format for a CommonJS file (required, or imported: its format is found when it loads).
        return format ? { url: stored[hit], format, shortCircuit: true } : { url: stored[hit], shortCircuit: true };
      }
      const resolved = nextResolve(specifier, context);
      if (resolved.url.startsWith('file:') && resolved.url.includes('/node_modules/')) added.set(id, [resolved.url, resolved.format ?? '']);
      return resolved;
    },
  });
  process.once('exit', () => {
    if (added.size === 0) return;
    try {
      // What this process used or added, and what other processes of this kind (a run beside this
      // one) added meanwhile; entries no run of late used are dropped this way over time.
      const out = [];
      const now = read();
      const inNow = new Set();
      for (let i = 0; i + 2 < now.length; i += 3) {
        const id = now[i];
        inNow.add(id);
        if (!added.has(id) && (used.has(id) || !at.has(id))) out.push(id, now[i + 1], now[i + 2]);
      }
      for (const id of used) if (!inNow.has(id)) out.push(id, stored[at.get(id)], stored[at.get(id) + 1]);
      for (const [id, [url, format]] of added) out.push(id, url, format);
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed: a run reading it meanwhile sees the old file or the new one, whole.
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, JSON.stringify({ key, entries: out }));
      renameSync(temp, file);
      // The one file both kinds of process shared before each had its own.
      rmSync(join(dir, `resolve-${fnv(root)}.json`), { force: true });
    } catch {
      // a read-only home: every run resolves for itself
    }
  });
}
