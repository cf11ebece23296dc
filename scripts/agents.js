/**
 * `npm run agents`: every built-in agent of switchboard.config.json on its configured port, in one process;
 * HTTPS with TLS_CERT_FILE and TLS_KEY_FILE.
 *
 *   --config FILE   default switchboard.config.json
 *   --stateless     no MCP sessions: every request stands alone
 *
 * Plain JavaScript, with scripts/agents.ts a symbolic link to it, for the reason of
 * scripts/orchestrate.js: the compile cache (and the resolve cache) are on before the first
 * TypeScript file loads, and Node's type stripper never loads for the entry itself.
 */
import { enableCompileCache } from 'node:module';
import { enableResolveCache } from './lib/resolveCache.js';

enableCompileCache?.();
enableResolveCache(new URL('../', import.meta.url), 'agents');
await import('./lib/agentsCli.ts');
