/**
 * The BFCL v4 "AST" scoring rules, as /work/shared/bfcl/README.md states them: the function name,
 * required parameters present and no unknown ones, each value one of the allowed values (numbers
 * by value, strings case-insensitively without spaces and `,./-_*^'"`, lists element by element,
 * objects key by key), a parameter left out only where `""` is allowed, parallel calls matched
 * one to one in any order, and no call at all for irrelevance.
 */

/** One call as a model made it: the function name (dots already replaced by `_`) and its arguments. */
export interface MadeCall {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** One ground-truth call: a function name and, per parameter, the values allowed. */
export type ExpectedCall = Readonly<Record<string, Readonly<Record<string, readonly unknown[]>>>>;

/** What a function takes, for the unknown- and required-parameter rules. */
export interface FunctionShape {
  readonly name: string;
  readonly properties: readonly string[];
  readonly required: readonly string[];
}

/** A verdict: `ok`, or the first rule that failed. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verdict = { ok: true };
const fail = (reason: string): Verdict => ({ ok: false, reason });

/** BFCL's function-calling name: dots become underscores. */
export const callableName = (name: string): string => name.replaceAll('.', '_');

/** The leaderboard's string normalisation. */
export const normalizeString = (text: string): string => text.replace(/[\s,./\-_*^'"]/g, '').toLowerCase();

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `given` is the single allowed value `allowed` (itself a nested ground-truth value). */
export function matchesValue(given: unknown, allowed: unknown): boolean {
  if (typeof allowed === 'number') return typeof given === 'number' && given === allowed;
  if (typeof allowed === 'string') return typeof given === 'string' && normalizeString(given) === normalizeString(allowed);
  if (typeof allowed === 'boolean') return given === allowed;
  if (allowed === null) return given === null;
  if (Array.isArray(allowed)) {
    return Array.isArray(given) && given.length === allowed.length && allowed.every((item, i) => matchesValue(given[i], item));
  }
  if (isRecord(allowed)) {
    // Nested objects carry a list of allowed values per key, like top-level parameters.
    if (!isRecord(given)) return false;
    if (Object.keys(given).some((key) => !(key in allowed))) return false;
    return Object.entries(allowed).every(([key, options]) => {
      const list = Array.isArray(options) ? options : [options];
      return key in given ? list.some((option) => matchesValue(given[key], option)) : list.includes('');
    });
  }
  return false;
}

/** Scores one call against one ground-truth call. */
export function scoreCall(call: MadeCall, expected: ExpectedCall, shapes: readonly FunctionShape[]): Verdict {
  const [expectedName, params] = Object.entries(expected)[0] ?? [];
  if (expectedName === undefined || params === undefined) return fail('the ground truth names no function');
  if (call.name !== callableName(expectedName)) return fail(`called ${call.name}, expected ${callableName(expectedName)}`);
  const shape = shapes.find((candidate) => callableName(candidate.name) === call.name);
  for (const key of Object.keys(call.args)) {
    if (shape && !shape.properties.includes(key)) return fail(`${call.name}: unknown parameter ${key}`);
    if (!(key in params)) return fail(`${call.name}: unexpected parameter ${key}`);
  }
  for (const key of shape?.required ?? []) {
    if (!(key in call.args)) return fail(`${call.name}: required parameter ${key} missing`);
  }
  for (const [key, allowed] of Object.entries(params)) {
    if (!(key in call.args)) {
      if (!allowed.includes('')) return fail(`${call.name}: ${key} missing`);
      continue;
    }
    if (!allowed.some((option) => option !== '' && matchesValue(call.args[key], option))) {
      return fail(`${call.name}: ${key}=${JSON.stringify(call.args[key])}, allowed ${JSON.stringify(allowed)}`);
    }
  }
  return OK;
}

/**
 * Scores a turn's calls: exactly as many as expected, matched one to one in any order (a
 * bipartite matching, so one loose call cannot take the only partner of a stricter one).
 */
export function scoreCalls(calls: readonly MadeCall[], expected: readonly ExpectedCall[], shapes: readonly FunctionShape[]): Verdict {
  if (calls.length !== expected.length) return fail(`${calls.length} call(s), expected ${expected.length}`);
  const fits = calls.map((call) => expected.map((truth) => scoreCall(call, truth, shapes)));
  const partnerOf: (number | undefined)[] = expected.map(() => undefined);
  const augment = (callIndex: number, seen: Set<number>): boolean => {
    for (let truth = 0; truth < expected.length; truth++) {
      if (!fits[callIndex]?.[truth]?.ok || seen.has(truth)) continue;
      seen.add(truth);
      const partner = partnerOf[truth];
      if (partner === undefined || augment(partner, seen)) {
        partnerOf[truth] = callIndex;
        return true;
      }
    }
    return false;
  };
  for (let callIndex = 0; callIndex < calls.length; callIndex++) {
    if (!augment(callIndex, new Set())) {
      const verdicts = fits[callIndex] ?? [];
      const first = verdicts.find((verdict): verdict is Extract<Verdict, { ok: false }> => !verdict.ok);
      return fail(first?.reason ?? `call ${calls[callIndex]?.name} matches no expected call left`);
    }
  }
  return OK;
}

/** Irrelevance: right when no call is made. */
export function scoreIrrelevance(calls: readonly MadeCall[]): Verdict {
  return calls.length === 0 ? OK : fail(`made ${calls.length} call(s): ${calls.map((call) => call.name).join(', ')}`);
}
