/**
 * compromise's tagger (`compromise/two`, no sentence-level methods), loaded as the package's
 * single-file CommonJS build: its ESM entry is 113 modules, whose resolution alone costs a CLI
 * run about 80 ms more than this one file. Same version, same model, same tags.
 *
 * A process the CLI started from its start-up snapshot (scripts/lib/nlpSnapshot.js) has that
 * very file already evaluated, its lexicon unpacked, on globalThis: taken from there when it is
 * the file this would load.
 */
import { createRequire } from 'node:module';
import type Nlp from 'compromise/two';

const require = createRequire(import.meta.url);
const file = require.resolve('compromise/two');
const preloaded = (globalThis as Record<symbol, { file: string; nlp: typeof Nlp } | undefined>)[Symbol.for('switchboard.compromise-two')];

export const nlp = (preloaded?.file === file ? preloaded.nlp : require(file)) as typeof Nlp;
