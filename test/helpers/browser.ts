import { access, constants } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

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

export interface LaunchOptions {
  /** Default {@link DEFAULT_CHROMIUM_PATH}. */
  readonly executablePath?: string;
  /** How long launching may take. Default 20 s. */
  readonly timeoutMs?: number;
}

/**
 * Headless Chromium from the system package, driven by playwright-core (which brings no browser
 * of its own). Playwright gives each launch a fresh temporary profile and deletes it on close.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH;
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(`no Chromium at ${executablePath}: the browser tests need Debian's chromium package (apt-get install chromium)`);
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: options.timeoutMs ?? 20_000 });
}
