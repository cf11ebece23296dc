/**
 * The process `orchestrate` starts the missing built-in agents in (see startMissingAgentsAside in
 * autoStart.ts): argv[2] is a JSON list of agent names. Plain JavaScript for the reason of
 * scripts/orchestrate.js: the compile cache is on before the first TypeScript file loads.
 */
import { enableCompileCache } from 'node:module';
import { enableResolveCache } from './resolveCache.js';

enableCompileCache?.();
enableResolveCache(new URL('../../', import.meta.url));
const { serveAgentsForParent } = await import('./autoStart.ts');
await serveAgentsForParent(JSON.parse(process.argv[2] ?? '[]'));
