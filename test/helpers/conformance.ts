import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/dist/index.js');

/** The server scenarios that apply to any MCP server (no scenario-specific tools needed). */
export const GENERIC_SERVER_SCENARIOS = [
  'server-initialize',
  'ping',
  'tools-list',
  'logging-set-level',
  'server-sse-multiple-streams',
  'dns-rebinding-protection',
] as const;

/** Runs one scenario of the official conformance suite; returns its summary line and output. */
export async function runConformance(url: string, scenario: string): Promise<{ passed: number; failed: number; output: string }> {
  const { stdout, stderr } = await run(process.execPath, [cli, 'server', '--url', url, '--scenario', scenario], { timeout: 60_000 }).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  const output = `${stdout}\n${stderr}`;
  const match = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(output);
  if (!match) return { passed: 0, failed: 1, output };
  return { passed: Number(match[1]), failed: Number(match[3]), output };
}
