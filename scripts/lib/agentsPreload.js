/**
 * In a process started from the agents' start-up snapshot (agentsSnapshot.js), imports of
 * compromise, wink-nlp and wink's English model get the copies the snapshot already loaded (and
 * wink's `winkNLP(model)` the instance it built from that model), instead of loading them again:
 * about 0.9 s of CPU that is the same every start. Only where the import would load the very
 * file the snapshot loaded; anything else goes to Node's own loader.
 */
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const KEY = Symbol.for('switchboard.agents-nlp');
const SCHEME = 'switchboard-preloaded:';

/** What each preloaded module exports, as the source of an ES module reading the snapshot's copy. */
const SOURCES = {
  compromise: `export default globalThis[Symbol.for('switchboard.agents-nlp')].compromise;`,
  'wink-eng-lite-web-model': `export default globalThis[Symbol.for('switchboard.agents-nlp')].model;`,
  // The snapshot built wink for its model once; a call with that model (and no other argument) gets that instance.
  'wink-nlp': `const preloaded = globalThis[Symbol.for('switchboard.agents-nlp')];
export default function winkNLP(model, ...rest) {
  return model === preloaded.model && rest.length === 0 ? preloaded.wink : preloaded.winkNLP(model, ...rest);
}`,
};

/** The package folder `file` (a file: path) belongs to, with its trailing slash. */
function packageRoot(file) {
  const at = file.lastIndexOf('/node_modules/');
  const rest = file.slice(at + '/node_modules/'.length).split('/');
  return file.slice(0, at + '/node_modules/'.length) + rest.slice(0, rest[0].startsWith('@') ? 2 : 1).join('/') + '/';
}

/** Turns the hooks on when this process started from the snapshot; returns whether it did. */
export function usePreloadedNlp() {
  const preloaded = globalThis[KEY];
  if (!preloaded || typeof registerHooks !== 'function') return false;
  const roots = {
    compromise: pathToFileURL(packageRoot(preloaded.compromiseFile)).href,
    'wink-nlp': pathToFileURL(packageRoot(preloaded.winkFile)).href,
    'wink-eng-lite-web-model': pathToFileURL(packageRoot(preloaded.modelFile)).href,
  };
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      // The same package folder as the snapshot's copy (whose version its file name holds): compromise's
      // ES module entry is another file of the same build.
      return Object.hasOwn(roots, specifier) && resolved.url.startsWith(roots[specifier])
        ? { url: `${SCHEME}${specifier}`, shortCircuit: true }
        : resolved;
    },
    load(url, context, nextLoad) {
      if (!url.startsWith(SCHEME)) return nextLoad(url, context);
      return { format: 'module', source: SOURCES[url.slice(SCHEME.length)], shortCircuit: true };
    },
  });
  return true;
}
