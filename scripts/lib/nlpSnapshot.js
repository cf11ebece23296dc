/**
 * A start-up snapshot for the CLI: loading compromise's tagger (its lexicon unpacked and merged
 * into its model) is a quarter of a second of every `orchestrate` run, and the same each time.
 * Node can start from a V8 heap snapshot taken just after that load (`--build-snapshot`): the
 * entry re-runs itself with the snapshot once one is built for this Node, this checkout and this
 * compromise, and src/llm/offline/lexicon/tagger.ts takes the tagger from it. The first run
 * without one builds it in the background (nlpSnapshotBuild.js) and goes on without it.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fnv, startCacheDir, startCachesOff } from './startCaches.js';

const KEY = Symbol.for('switchboard.compromise-two');
const DAY_MS = 24 * 60 * 60 * 1000;

/** The snapshot file for the compromise build at `file` and the snapshot's script, as they are now, and this Node. */
function blobPath(file) {
  const stat = statSync(file);
  const entry = statSync(fileURLToPath(new URL('./nlpSnapshotEntry.cjs', import.meta.url)));
  return join(
    startCacheDir(),
    `nlp-${process.version}-${process.arch}-${fnv(`${file}|${stat.size}|${stat.mtimeMs}|${entry.size}|${entry.mtimeMs}`)}.blob`,
  );
}

/**
 * Runs `script` (this process's own entry) again, started from the snapshot, with the same
 * arguments, terminal and environment, and resolves with its exit code; `undefined` when this
 * process should go on itself: it already runs from the snapshot, or there is none yet (one is
 * then being built for the next run).
 */
export async function rerunFromSnapshot(script) {
  if (globalThis[KEY] || startCachesOff()) return undefined;
  let file, blob;
  try {
    file = createRequire(script).resolve('compromise/two');
    blob = blobPath(file);
  } catch {
    return undefined;
  }
  const built = statSync(blob, { throwIfNoEntry: false });
  if (!built) {
    // A build that failed here once (a Node without user snapshots, say) is not tried on every run.
    if (existsSync(`${blob}.failed`)) return undefined;
    const builder = spawn(process.execPath, [fileURLToPath(new URL('./nlpSnapshotBuild.js', import.meta.url)), file, blob], {
      detached: true,
      stdio: 'ignore',
    });
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
