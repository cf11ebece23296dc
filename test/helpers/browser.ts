import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Names the system browser goes by on PATH (Debian's `chromium` package first). */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser'];

/** Flags for a quiet, hermetic headless browser: no sandbox (containers), no GPU, nothing phoning home. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How the browser tests find their browser; read from the environment by default. */
export interface BrowserEnv {
  /** `SWITCHBOARD_CHROMIUM`: the browser executable; default: `chromium` or `chromium-browser` on `PATH`. */
  readonly SWITCHBOARD_CHROMIUM?: string | undefined;
  /** `SWITCHBOARD_REQUIRE_BROWSER=1` (CI): a missing browser fails the tests instead of skipping them. */
  readonly SWITCHBOARD_REQUIRE_BROWSER?: string | undefined;
  readonly PATH?: string | undefined;
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The Chromium executable to drive, or undefined when there is none. */
export function findChromium(env: BrowserEnv = process.env): string | undefined {
  if (env.SWITCHBOARD_CHROMIUM) return executable(env.SWITCHBOARD_CHROMIUM) ? env.SWITCHBOARD_CHROMIUM : undefined;
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return folders.flatMap((folder) => CHROMIUM_NAMES.map((name) => join(folder, name))).find(executable);
}

const NEEDED = "the browser tests need Debian's chromium package (apt-get install chromium) or SWITCHBOARD_CHROMIUM=/path/to/chrome";

/**
 * Why the browser tests cannot run here, as a one-line skip reason; undefined when a browser is
 * there, or when `SWITCHBOARD_REQUIRE_BROWSER=1` asks for a failure instead of a skip.
 */
export function browserSkipReason(env: BrowserEnv = process.env): string | undefined {
  if (env.SWITCHBOARD_REQUIRE_BROWSER === '1' || findChromium(env) !== undefined) return undefined;
  return `no Chromium: ${NEEDED} (set SWITCHBOARD_REQUIRE_BROWSER=1 to fail instead of skipping)`;
}

export interface LaunchOptions {
  /** Default: `SWITCHBOARD_CHROMIUM`, else {@link findChromium}. */
  readonly executablePath?: string;
  /** How long launching may take. Default 20 s. */
  readonly timeoutMs?: number;
  /** Flags besides the hermetic defaults, e.g. `--host-resolver-rules` to give loopback more names. */
  readonly args?: readonly string[];
}

/**
 * Headless Chromium from the system package, driven by playwright-core (which brings no browser
 * of its own). Playwright gives each launch a fresh temporary profile and deletes it on close.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? (process.env['SWITCHBOARD_CHROMIUM'] || findChromium());
  if (executablePath === undefined || !executable(executablePath)) {
    throw new Error(`no Chromium${executablePath === undefined ? '' : ` at ${executablePath}`}: ${NEEDED}`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    timeout: options.timeoutMs ?? 20_000,
  });
}
