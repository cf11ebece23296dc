/**
 * `npm run orchestrate -- "question"`: answers a request with the configured agents.
 * Progress goes to stderr, the answer to stdout.
 *
 *   --json            stdout is one JSON object {answer, threadId, toolCalls, failedCalls, warnings}
 *   --thread ID       continue a conversation thread
 *   --server NAME=URL add (or replace) an MCP server; repeatable
 *   --config FILE     default SWITCHBOARD_CONFIG, else switchboard.config.json
 *   --model SPEC      offline | openai:<model> | azure:<deployment> (default: SWITCHBOARD_MODEL, else openai if OPENAI_API_KEY, else offline)
 *   --yes             approve tools marked destructive without asking
 *
 * Exit codes: 0 answered; 1 the run failed; 2 bad usage or configuration; 3 answered, but
 * destructive calls were refused because nobody could approve them; 4 nothing could be done: no
 * server could be reached, or none offers a tool (the model is not asked); 5 answered, but every
 * tool call that ran failed.
 */
import { enableCompileCache } from 'node:module';
import { rerunFromSnapshot } from './lib/nlpSnapshot.js';
import { enableResolveCache } from './lib/resolveCache.js';

// Plain JavaScript, with scripts/orchestrate.ts a symbolic link to it: Node runs the file a link
// points to as what its own name says, so `node scripts/orchestrate.ts` strips no types here.
// Stripping the entry would load Node's TypeScript stripper (a WebAssembly module) before the
// compile cache below is on, about 200 ms of every run; every file loaded after this one has its
// stripped text in that cache.
//
// The NLP tagger's load is the same every run: started from a snapshot taken after it, once one
// is built (see nlpSnapshot.js), this process only waits for that one.
const code = await rerunFromSnapshot(import.meta.url);
if (code === undefined) {
  // Before anything else loads: most of a one-shot run is compiling LangChain, LangGraph and the
  // SDK, and Node's compile cache (in the OS temp folder) keeps that work from one run to the next.
  enableCompileCache?.();
  // And where each of those modules is: see resolveCache.js.
  enableResolveCache(new URL('../', import.meta.url));
  // A one-shot run parses each of its hundreds of zod schemas (the SDK's messages, LangChain's,
  // the config's) a few times at most: zod's compiled fast path (`new Function` per object
  // schema, on its first parse) costs more to build than it saves here. Read when a schema is
  // built, so set before any module that builds one loads.
  (await import('zod')).config({ jitless: true });
  await import('./lib/orchestrateCli.ts');
} else {
  process.exitCode = code;
}
