/**
 * Builds a start-up snapshot (see nlpSnapshot.js), detached from the run that found none: the
 * CLI's with argv[2] compromise's tagger build and argv[3] the snapshot file; the built-in
 * agents' with `--agents`, the snapshot file, then compromise's, wink-nlp's and wink's model's files. Written aside, checked, and
 * renamed into place, so a run never starts from a partial or broken one; one builder at a time,
 * and a failed build leaves a mark (`<snapshot>.failed`) so that runs stop trying.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const agents = process.argv[2] === '--agents';
const [blob, ...inputs] = agents ? process.argv.slice(3) : [process.argv[3], process.argv[2]];
const SNAPSHOT = agents
  ? {
      entry: './agentsSnapshotEntry.cjs',
      check:
        "const p = globalThis[Symbol.for('switchboard.agents-nlp')]; process.exit(p?.compromise('ok').found && p.wink.readDoc('ok').tokens().length() === 1 ? 0 : 1)",
    }
  : {
      entry: './nlpSnapshotEntry.cjs',
      check: "process.exit(globalThis[Symbol.for('switchboard.compromise-two')]?.nlp('ok').found ? 0 : 1)",
    };
/** A snapshot no run has started from for this long is deleted when another is built. */
const STALE_AFTER_MS = 14 * 24 * 60 * 60 * 1000;
const lock = `${blob}.lock`;
const temp = `${blob}.${process.pid}`;
mkdirSync(dirname(blob), { recursive: true });
try {
  // A lock older than a minute is one a builder left behind when it was killed.
  if (Date.now() - statSync(lock).mtimeMs < 60_000) process.exit(0);
  rmSync(lock, { force: true });
} catch {
  // no lock
}
try {
  closeSync(openSync(lock, 'wx'));
} catch {
  process.exit(0);
}
try {
  const entry = fileURLToPath(new URL(SNAPSHOT.entry, import.meta.url));
  execFileSync(process.execPath, ['--snapshot-blob', temp, '--build-snapshot', entry, ...inputs], { stdio: 'ignore' });
  execFileSync(process.execPath, ['--snapshot-blob', temp, '-e', SNAPSHOT.check], { stdio: 'ignore' });
  renameSync(temp, blob);
  forgetStale(dirname(blob), basename(blob));
} catch {
  rmSync(temp, { force: true });
  writeFileSync(`${blob}.failed`, '');
} finally {
  rmSync(lock, { force: true });
}

/**
 * Each checkout, Node version and library version has its own snapshots (~9 and ~22 MB); one not
 * started from for two weeks (runs mark their snapshot as used, see nlpSnapshot.js) belongs to
 * something since updated or removed, and is deleted. One still wanted is simply built again.
 */
function forgetStale(dir, keep) {
  const cutoff = Date.now() - STALE_AFTER_MS;
  for (const name of readdirSync(dir)) {
    if (name === keep || !/^(?:nlp|agents)-.*\.blob(?:\.failed)?$/.test(name)) continue;
    try {
      if (statSync(join(dir, name)).mtimeMs < cutoff) rmSync(join(dir, name), { force: true });
    } catch {
      // gone meanwhile
    }
  }
}
