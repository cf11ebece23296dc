/**
 * A start-up snapshot for the CLI: loading compromise's tagger (its lexicon unpacked and merged
 * into its model) is a quarter of a second of every `orchestrate` run, and the same each time.
 * Node can start from a V8 heap snapshot taken just after that load (`--build-snapshot`): the
 * entry re-runs itself with the snapshot once one is built for this Node, this checkout and this
 * compromise, and src/llm/offline/lexicon/tagger.ts takes the tagger from it. The first run
 * without one builds it in the background (nlpSnapshotBuild.js) and goes on without it.
 *
 * The built-in agents' process the CLI starts has a snapshot of its own, made the same way:
 * see agentsSnapshotFlags.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fnv, startCacheDir, startCachesOff } from './startCaches.js';

const KEY = Symbol.for('switchboard.compromise-two');
const DAY_MS = 24 * 60 * 60 * 1000;
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

/**
 * The snapshot file for `kind` ('nlp': the CLI's tagger, 'agents': the analysis agent's NLP
 * libraries) over the `inputs` files as they are now, its script, and this Node.
 */
function blobPath(kind, entry, inputs) {
  const parts = [...inputs, entry].map((file) => {
    const stat = statSync(file);
    return `${file}|${stat.size}|${stat.mtimeMs}`;
  });
  return join(startCacheDir(), `${kind}-${process.version}-${process.arch}-${fnv(parts.join('|'))}.blob`);
}

/**
 * The snapshot of `kind` for `inputs`, once built (marked as used); else `undefined`, and one is
 * being built in the background for the next run (unless a build failed here before).
 */
function builtSnapshot(kind, entry, inputs) {
  const blob = blobPath(kind, here(entry), inputs);
  const built = statSync(blob, { throwIfNoEntry: false });
  if (!built) {
    // A build that failed here once (a Node without user snapshots, say) is not tried on every run.
    if (existsSync(`${blob}.failed`)) return undefined;
    const args = kind === 'nlp' ? [inputs[0], blob] : [`--${kind}`, blob, ...inputs];
    const builder = spawn(process.execPath, [here('./nlpSnapshotBuild.js'), ...args], { detached: true, stdio: 'ignore' });
    builder.on('error', () => {});
    builder.unref();
    return undefined;
  }
  // Marked as used (once a day at most), so that a builder elsewhere does not take it for stale.
  if (Date.now() - built.mtimeMs > DAY_MS) {
    try {
      utimesSync(blob, new Date(), new Date());
    } catch {
      // a read-only cache: it may be rebuilt after two weeks
    }
  }
  return blob;
}

/**
 * The Node flags that start the built-in agents' process (agentsChild.js) from its snapshot:
 * compromise, wink-nlp and wink's English model loaded and used once (agentsSnapshotEntry.cjs),
 * taken from there by agentsPreload.js. None while there is none yet (one is then being built).
 */
export function agentsSnapshotFlags() {
  if (startCachesOff()) return [];
  try {
    const require = createRequire(import.meta.url);
    const inputs = ['compromise', 'wink-nlp', 'wink-eng-lite-web-model'].map((name) => require.resolve(name));
    const blob = builtSnapshot('agents', './agentsSnapshotEntry.cjs', inputs);
    return blob ? ['--snapshot-blob', blob] : [];
  } catch {
    return [];
  }
}

/**
 * Runs `script` (this process's own entry) again, started from the snapshot, with the same
 * arguments, terminal and environment, and resolves with its exit code; `undefined` when this
 * process should go on itself: it already runs from the snapshot, or there is none yet (one is
 * then being built for the next run).
 */
export async function rerunFromSnapshot(script) {
  if (globalThis[KEY] || startCachesOff()) return undefined;
  let blob;
  try {
    blob = builtSnapshot('nlp', './nlpSnapshotEntry.cjs', [createRequire(script).resolve('compromise/two')]);
  } catch {
    return undefined;
  }
  if (!blob) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, '--snapshot-blob', blob, fileURLToPath(script), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl-C reaches both processes from the terminal: this one waits for the other to finish.
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal) {
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
      }
      resolve(code ?? 1);
    });
  });
}
