/**
 * The process `orchestrate` starts the missing built-in agents in (see startMissingAgentsAside in
 * autoStart.ts): argv[2] is a JSON list of agent names. Plain JavaScript for the reason of
 * scripts/orchestrate.js: the compile cache is on before the first TypeScript file loads. Started
 * from the agents' snapshot when there is one (see agentsSnapshotFlags in nlpSnapshot.js), its
 * NLP libraries come from there.
 */
import { enableCompileCache } from 'node:module';
import { usePreloadedNlp } from './agentsPreload.js';
import { enableResolveCache } from './resolveCache.js';

enableCompileCache?.();
enableResolveCache(new URL('../../', import.meta.url), 'agents');
usePreloadedNlp();
// As in scripts/orchestrate.js: these agents serve one run, too short for zod's compiled parsers to pay.
(await import('zod')).config({ jitless: true });
const { serveAgentsForParent } = await import('./autoStart.ts');
await serveAgentsForParent(JSON.parse(process.argv[2] ?? '[]'));
