import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

/** The client auth scenarios that apply to the orchestrator (authorization code + PKCE, registration, scopes). */
export const CLIENT_AUTH_SCENARIOS = [
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
] as const;

const conformanceClient = fileURLToPath(new URL('./conformanceClient.ts', import.meta.url));

/** Runs one client scenario of the conformance suite against test/helpers/conformanceClient.ts (the orchestrator's connection code). */
export async function runClientConformance(
  scenario: string,
): Promise<{ passed: number; failed: number; warnings: number; output: string }> {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(conformanceClient)}`;
  const { stdout, stderr } = await run(process.execPath, [cli, 'client', '--command', command, '--scenario', scenario], {
    timeout: 90_000,
  }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
  const output = `${stdout}\n${stderr}`;
  const match = /Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/.exec(output);
  if (!match) return { passed: 0, failed: 1, warnings: 0, output };
  return { passed: Number(match[1]), failed: Number(match[3]), warnings: Number(match[4]), output };
}
