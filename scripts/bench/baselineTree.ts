import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface BaselineTree {
  /** The git ref it was taken from, and its commit. */
  readonly ref: string;
  readonly commit: string;
  /** The folder holding its package.json, src/, servers/ and scripts/ (node_modules is this checkout's). */
  readonly dir: string;
  remove(): void;
}

/**
 * The code of another git ref (e.g. `main`) in a temporary folder, so a bench can run that
 * code's servers against the same load in the same run: ratios measured minutes apart on a
 * shared machine say little. It shares this checkout's node_modules, so it suits refs with the
 * same dependencies. Undefined (with the reason) when git or the ref is not there.
 */
export function exportBaselineTree(ref: string): BaselineTree | { problem: string } {
  let commit: string;
  let archive: Buffer;
  try {
    commit = execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' }).trim();
    archive = execFileSync('git', ['archive', '--format=tar', commit, '--', 'package.json', 'src', 'servers', 'scripts'], {
      cwd: root,
      maxBuffer: 256 * 2 ** 20,
    });
  } catch {
    return { problem: `no git ref "${ref}" here` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-baseline-'));
  try {
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { problem: `could not unpack ${ref}: ${(error as Error).message}` };
  }
  return { ref, commit, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
