/**
 * compromise's tagger (`compromise/two`, no sentence-level methods), loaded as the package's
 * single-file CommonJS build: its ESM entry is 113 modules, whose resolution alone costs a CLI
 * run about 80 ms more than this one file. Same version, same model, same tags.
 */
import { createRequire } from 'node:module';
import type Nlp from 'compromise/two';

export const nlp = createRequire(import.meta.url)('compromise/two') as typeof Nlp;
