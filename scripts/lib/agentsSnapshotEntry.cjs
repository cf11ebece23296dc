/**
 * The script of the built-in agents' start-up snapshot (`node --build-snapshot`, see
 * agentsSnapshot.js): the analysis agent's NLP libraries, loaded as require() would load them
 * and used once, left on globalThis for the loader hooks of agentsPreload.js. argv[2..4] are
 * compromise's single-file build, wink-nlp's main file and wink's English model. Built-in modules
 * only: a snapshot script cannot load others, so their (relative, CommonJS) requires are served
 * by the small loader below.
 */
'use strict';
const { readFileSync } = process.getBuiltinModule('node:fs');
const { dirname, resolve } = process.getBuiltinModule('node:path');

const [compromiseFile, winkFile, modelFile] = process.argv.slice(2);
const cache = new Map();

/** CommonJS `file` with its relative requires (the three packages require nothing else). */
function load(file) {
  const cached = cache.get(file);
  if (cached) return cached.exports;
  const module = { exports: {} };
  cache.set(file, module);
  if (file.endsWith('.json')) {
    module.exports = JSON.parse(readFileSync(file, 'utf8'));
    return module.exports;
  }
  const require = (id) => {
    if (!id.startsWith('./') && !id.startsWith('../')) throw new Error(`the agents' snapshot loads no package from ${file}, not ${id}`);
    const target = resolve(dirname(file), id);
    return load(/\.(c?js|json)$/.test(target) ? target : `${target}.js`);
  };
  new Function('exports', 'require', 'module', '__filename', '__dirname', readFileSync(file, 'utf8')).call(
    module.exports,
    module.exports,
    require,
    module,
    file,
    dirname(file),
  );
  return module.exports;
}

const compromise = load(compromiseFile);
const winkNLP = load(winkFile);
const model = load(modelFile);
const wink = winkNLP(model);
// One text through each first: their first use compiles patterns and code the same way whatever the text.
const sample = 'Nobody here can log in since 8am, and I am not happy! Please call Anna Smith at Acme Corp by Friday.';
const doc = compromise(sample);
doc.json();
doc.people().out('array');
doc.has('#Negative');
const parsed = wink.readDoc(sample);
parsed.tokens().out(wink.its.pos);
parsed.entities().out(wink.its.detail);
parsed.sentences().out(wink.its.sentiment);
globalThis[Symbol.for('switchboard.agents-nlp')] = { compromiseFile, winkFile, modelFile, compromise, winkNLP, model, wink };
