import { fillArguments, type FillContext, type Filled } from './args.ts';
import { datesFoundSoFar } from './dates.ts';
import { BoundedMap } from './memo.ts';
import type { ToolSpec } from './toolIndex.ts';

/** Fillings kept per tool: the parts of the requests a service sees most, a few hundred KB at most. */
export const FILL_MEMO_SIZE = 256;

interface Kept {
  readonly filled: Filled;
}

const memos = new WeakMap<ToolSpec, BoundedMap<string, Kept>>();
const nounKeys = new WeakMap<ReadonlySet<string>, string>();

const nounKey = (nouns: ReadonlySet<string> | undefined) => {
  if (!nouns) return '';
  let key = nounKeys.get(nouns);
  if (key === undefined) nounKeys.set(nouns, (key = JSON.stringify([...nouns])));
  return key;
};

/**
 * The key of a filling: the text and every field of the context but the clock (only dates read it,
 * and a filling that found one is not kept), the lookup (kept only when it was never called) and the
 * noun set (keyed by identity). Every other field counts, so a field added to {@link FillContext}
 * later is part of the key without anyone remembering to add it here.
 */
export function memoKey(request: string, context: FillContext): string {
  const fields: unknown[] = [request, nounKey(context.nouns), context.resolve !== undefined];
  for (const name of Object.keys(context).sort()) {
    if (name === 'now' || name === 'resolve' || name === 'nouns') continue;
    const value = context[name as keyof FillContext];
    if (value !== undefined && value !== false) fields.push(name, value);
  }
  return JSON.stringify(fields);
}

/** The filling as plain values, its lazy sets worked out, the values copied so no caller can change the kept ones. */
function snapshot(filled: Filled): Filled {
  const { args, fanOut, sets } = structuredClone({ args: filled.args, fanOut: filled.fanOut, sets: filled.sets });
  return {
    args,
    missing: filled.missing.slice(),
    missingRequired: filled.missingRequired,
    referenced: filled.referenced.slice(),
    cues: filled.cues,
    patternHits: filled.patternHits,
    fanOut,
    sets,
  };
}

/**
 * {@link fillArguments}, remembered per tool and (part text, context): ranking fills every
 * candidate tool's schema for every part, and a service sees the same requests again. A filling
 * is kept only when it is the same at any time and for any thread: it read no date (dates are
 * relative to `now`) and took nothing from earlier results (`resolve`). Each caller gets its own
 * copy of the values. The context's sets (`nouns`) and lists (`shared`) must not change after use.
 */
export function fillArgumentsMemo(request: string, tool: ToolSpec, context: FillContext): Filled {
  const key = memoKey(request, context);
  let memo = memos.get(tool);
  const kept = memo?.get(key);
  if (kept) return snapshot(kept.filled);
  let resolved = false;
  const given = context.resolve;
  const tracked: FillContext = given
    ? {
        ...context,
        resolve: (prop) => {
          resolved = true;
          return given(prop);
        },
      }
    : context;
  const dates = datesFoundSoFar();
  const filled = fillArguments(request, tool, tracked);
  // Reading the lazy sets here (ranking reads them anyway) keeps what they read, dates among them, inside the check.
  void filled.args;
  if (resolved || datesFoundSoFar() !== dates) return filled;
  let own: Filled;
  try {
    own = snapshot(filled);
  } catch {
    return filled; // a value that cannot be copied: not kept
  }
  if (!memo) memos.set(tool, (memo = new BoundedMap(FILL_MEMO_SIZE)));
  memo.set(key, { filled: own });
  return filled;
}
