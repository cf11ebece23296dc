/**
 * What the CLI's two start-up caches (nlpSnapshot.js, resolveCache.js) share: their folder, the
 * hash that names their files, and the switch that turns both off. Plain JavaScript: it loads
 * before anything TypeScript.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `SWITCHBOARD_START_CACHES=off` (or 0, false, no): no snapshot and no resolve cache, every run starts from scratch. */
export const startCachesOff = () => /^(?:off|0|false|no)$/i.test(process.env.SWITCHBOARD_START_CACHES ?? '');

/** `~/.cache/switchboard`, or `$XDG_CACHE_HOME/switchboard`. */
export const startCacheDir = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'switchboard');

/** FNV-1a of a string, in hex: names a cache file after what it depends on. */
export function fnv(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}
