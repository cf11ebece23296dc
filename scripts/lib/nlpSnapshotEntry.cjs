/**
 * The script of the CLI's start-up snapshot (`node --build-snapshot`, see nlpSnapshot.js): it
 * evaluates compromise's single-file tagger build (argv[2]) as require() would, and leaves the
 * loaded tagger on globalThis for src/llm/offline/lexicon/tagger.ts. Built-in modules only: a
 * snapshot script cannot load others.
 */
'use strict';
const { readFileSync } = process.getBuiltinModule('node:fs');
const { dirname } = process.getBuiltinModule('node:path');

const file = process.argv[2];
const loaded = { exports: {} };
// The wrapper require() gives a CommonJS file; the build needs nothing from it but `module` (it requires nothing).
new Function('exports', 'require', 'module', '__filename', '__dirname', readFileSync(file, 'utf8')).call(
  loaded.exports,
  loaded.exports,
  (id) => {
    throw new Error(`the snapshot's tagger build requires nothing, not ${id}`);
  },
  loaded,
  file,
  dirname(file),
);
const nlp = loaded.exports;
// One sentence through the tagger first: its first use compiles its match patterns into its model
// (the same whatever the text) and its code; a run then starts where any run is after its first use.
const doc = nlp('Please send the two new reports to Anna by Friday, and tell me why they were not happy!');
doc.json();
doc.has('#Expression');
globalThis[Symbol.for('switchboard.compromise-two')] = { file, nlp };
