// The entry of agentHost.ts: plain JavaScript, so Node loads no type stripper before the compile cache is on (see scripts/orchestrate.js).
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
await import('./agentHost.ts');
