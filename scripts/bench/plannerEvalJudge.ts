/**
 * Judges one turn of a case: were the right tools called with the right arguments, nothing
 * else written, and does the answer say what it must (and nothing it must not)?
 */
import { IDEMPOTENCY_KEY_ARG } from '../../src/agent/idempotency.ts';
import { alternativesOf, type ExpectedCall, type ExpectedItem, type FromResults, type ResolvedExpect } from './plannerEvalCases.ts';
import { argAt, containsWords, describeMatcher, mismatch, normalizeText, show, valuesAt } from './plannerEvalMatch.ts';

/** One tool call as the run made it. */
export interface CallRecord {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly ok: boolean;
  /** Parsed JSON when the tool answered JSON, else its text. */
  readonly result: unknown;
}

export interface TurnOutcome {
  readonly user: string;
  readonly answer: string;
  readonly calls: readonly CallRecord[];
  /** The run threw instead of answering. */
  readonly error?: string;
}

/** What the judge needs to know about the tools: which exist, and which only read. */
export interface ToolFacts {
  exists(name: string): boolean;
  readOnly(name: string): boolean;
}

/** Extra read-only calls allowed by default (a look-up before an update, a second search). */
export const DEFAULT_EXTRA_READS = 2;

const REFUSAL =
  /\b(can(?:no|')t|can not|unable|not able|no (?:suitable |matching )?tool|(?:do not|don't) have|not possible|isn't something|not something|outside (?:of )?what|not supported|none of (?:the|my) tools)\b/i;
const ASKING = /\?|\b(please (?:provide|give|tell|send|share|specify|confirm)|which (?:one|incident)|let me know|i need)\b/i;
// "could not find" is a fine thing to say about a search that found nothing; "failed" is not, for a call that worked.
const FAILURE_WORDS = /\b(failed|fails|failure|errors?)\b/gi;

function callIssues(expected: ExpectedCall, call: CallRecord): string[] {
  if (call.name !== expected.tool) return [`not ${expected.tool}`];
  const issues: string[] = [];
  for (const [path, matcher] of Object.entries(expected.args ?? {})) {
    const why = mismatch(argAt(call.args, path), matcher);
    if (why) issues.push(`${path}: ${why}`);
  }
  if (expected.only) {
    // The orchestrator, not the planner, adds each write's idempotency key.
    const extra = Object.keys(call.args).filter(
      (key) => call.args[key] !== undefined && key !== IDEMPOTENCY_KEY_ARG && !expected.only!.includes(key),
    );
    if (extra.length > 0) issues.push(`must not set ${extra.join(', ')}`);
  }
  if (!call.ok) issues.push(`the call failed: ${show(call.result)}`);
  return issues;
}

function describeCall(expected: ExpectedCall): string {
  const args = Object.entries(expected.args ?? {}).map(([path, matcher]) => `${path} ${describeMatcher(matcher)}`);
  return `${expected.tool}(${args.join(', ')})`;
}

function describeItem(item: ExpectedItem): string {
  const alternatives = alternativesOf(item).map((calls) => calls.map(describeCall).join(' then '));
  return alternatives.join(' or ');
}

/**
 * The indices of the calls that satisfy the items together (each item by one of its ways, a
 * write call used once, a read call by any number of items), or undefined when they cannot.
 */
function assign(items: readonly ExpectedItem[], calls: readonly CallRecord[], facts: ToolFacts, ordered: boolean): Set<number> | undefined {
  const used = new Set<number>();
  const fits = (expected: ExpectedCall, index: number) => callIssues(expected, calls[index]!).length === 0;
  const search = (item: number, floor: number): boolean => {
    if (item === items.length) return true;
    for (const alternative of alternativesOf(items[item]!)) {
      const chosen: number[] = [];
      const place = (k: number, min: number): boolean => {
        if (k === alternative.length) return search(item + 1, ordered ? Math.max(floor, ...chosen) : 0);
        for (let i = ordered ? min : 0; i < calls.length; i++) {
          const shared = facts.readOnly(calls[i]!.name);
          if ((used.has(i) && !shared) || !fits(alternative[k]!, i)) continue;
          const fresh = !used.has(i);
          used.add(i);
          chosen.push(i);
          if (place(k + 1, i)) return true;
          chosen.pop();
          if (fresh) used.delete(i);
        }
        return false;
      };
      if (place(0, floor)) return true;
    }
    return false;
  };
  return search(0, 0) ? used : undefined;
}

/**
 * Why an item found no calls: in the way of doing it that came closest, the first expected call
 * nothing matched, and the closest call of that tool with what is wrong with it.
 */
function explainMissing(item: ExpectedItem, calls: readonly CallRecord[]): string {
  const made = calls.length === 0 ? 'no tool was called' : `calls made: ${calls.map((c) => c.name).join(', ')}`;
  const unmatched = alternativesOf(item).map((alternative) =>
    alternative.filter((expected) => !calls.some((call) => callIssues(expected, call).length === 0)),
  );
  const closest = unmatched.reduce((best, missing) => (missing.length < best.length ? missing : best));
  const missing = closest[0];
  if (!missing) return `expected ${describeItem(item)}; the calls are there but not in the right order`;
  let best: { issues: string[]; call: CallRecord } | undefined;
  for (const call of calls.filter((c) => c.name === missing.tool)) {
    const issues = callIssues(missing, call);
    if (!best || issues.length < best.issues.length) best = { issues, call };
  }
  const what = `expected ${describeItem(item)}`;
  if (!best) return 'anyOf' in item ? `${what}; missing ${describeCall(missing)} (${made})` : `${what}; ${made}`;
  return `${what}; ${best.call.name} ${show(best.call.args)}: ${best.issues.join('; ')}`;
}

function judgeCalls(expect: ResolvedExpect, calls: readonly CallRecord[], facts: ToolFacts): string[] {
  const items = expect.calls ?? [];
  const kind = expect.kind ?? 'answer';
  const fit = assign(items, calls, facts, expect.ordered ?? false);
  if (!fit) {
    const alone = items.find((item) => !assign([item], calls, facts, false));
    return [
      alone ? explainMissing(alone, calls) : 'the expected calls are all there but not in the right order (or one call is counted twice)',
    ];
  }
  const expectedTools = new Set(
    items.flatMap((item) =>
      alternativesOf(item)
        .flat()
        .map((c) => c.tool),
    ),
  );
  const extras = calls.filter((_, i) => !fit.has(i));
  // A failed attempt at an expected tool, corrected afterwards, changed nothing: the tools' own advice.
  const counted = extras.filter((call) => !(!call.ok && expectedTools.has(call.name)));
  const others = expect.others ?? (kind === 'refuse' ? 'none' : 'reads');
  const issues: string[] = [];
  if (others === 'none' && counted.length > 0) {
    issues.push(`no other call was expected; got ${counted.map((c) => `${c.name} ${show(c.args)}`).join(', ')}`);
  } else {
    const unknown = counted.filter((call) => !facts.exists(call.name));
    if (unknown.length > 0) issues.push(`called tools that do not exist: ${unknown.map((c) => c.name).join(', ')}`);
    const writes = counted.filter((call) => facts.exists(call.name) && !facts.readOnly(call.name));
    if (writes.length > 0) issues.push(`unexpected write: ${writes.map((c) => `${c.name} ${show(c.args)}`).join(', ')}`);
    const reads = counted.length - writes.length - unknown.length;
    if (reads > DEFAULT_EXTRA_READS)
      issues.push(`${reads} extra read calls (at most ${DEFAULT_EXTRA_READS}): ${counted.map((c) => c.name).join(', ')}`);
  }
  return issues;
}

function judgeFromResults(spec: FromResults, answer: string, calls: readonly CallRecord[]): string | undefined {
  const values: string[] = [];
  let answered = false;
  for (const call of calls) {
    const paths = spec.paths[call.name];
    if (!call.ok || !paths) continue;
    answered = true;
    for (const path of paths) {
      for (const value of valuesAt(call.result, path))
        if (typeof value === 'string' || typeof value === 'number') values.push(String(value));
    }
  }
  const what = spec.what ?? Object.values(spec.paths).flat().join(' / ');
  if (!answered) return `no successful ${Object.keys(spec.paths).join(' or ')} result to report the ${what} from`;
  if (values.length === 0) return undefined; // the tool found nothing of the kind: nothing to repeat
  const said = (value: string) => normalizeText(answer).includes(normalizeText(value));
  if ((spec.mode ?? 'any') === 'any') return values.some(said) ? undefined : `answer does not give the ${what} (${show(values)})`;
  const missing = [...new Set(values)].filter((value) => !said(value));
  return missing.length === 0 ? undefined : `answer leaves out the ${what} ${show(missing)}`;
}

/** Snake-case keys of the tools' results that an answer shows only when it dumps records. */
function fieldNames(calls: readonly CallRecord[]): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (/^[a-z]+(?:_[a-z]+)+$/.test(key)) names.add(key);
        visit(inner);
      }
    }
  };
  calls.forEach((call) => visit(call.result));
  return names;
}

function judgeAnswer(expect: ResolvedExpect, outcome: TurnOutcome): string[] {
  const { answer, calls, user } = outcome;
  const issues: string[] = [];
  if (answer.trim() === '') return ['the answer is empty'];
  const kind = expect.kind ?? 'answer';
  if (kind === 'refuse' && !REFUSAL.test(answer)) issues.push(`a refusal was expected (no tool fits); answer: ${show(answer)}`);
  if (kind === 'clarify' && !ASKING.test(answer))
    issues.push(`a question asking for the missing value was expected; answer: ${show(answer)}`);
  for (const item of expect.answer?.includes ?? []) {
    const options = typeof item === 'string' ? [item] : item;
    if (!options.some((option) => normalizeText(answer).includes(normalizeText(option)))) {
      issues.push(`answer does not mention ${options.map((o) => JSON.stringify(o)).join(' or ')}`);
    }
  }
  for (const word of expect.answer?.excludes ?? []) {
    if (normalizeText(answer).includes(normalizeText(word))) issues.push(`answer must not say ${JSON.stringify(word)}`);
  }
  for (const spec of expect.answer?.fromResults ?? []) {
    const why = judgeFromResults(spec, answer, calls);
    if (why) issues.push(why);
  }
  const dumped = [...fieldNames(calls)].filter((name) => containsWords(answer, name) && !containsWords(user, name));
  if (dumped.length > 0) issues.push(`answer dumps fields (${dumped.slice(0, 4).join(', ')})`);
  if (calls.length > 0 && calls.every((call) => call.ok)) {
    const context = normalizeText(`${user} ${JSON.stringify(calls.map((call) => call.result))}`);
    const claimed = [...answer.matchAll(FAILURE_WORDS)].map((m) => m[0]).filter((word) => !context.includes(word.toLowerCase()));
    if (claimed.length > 0) issues.push(`answer says ${JSON.stringify(claimed[0])} though every call succeeded`);
  }
  return issues;
}

/** The reasons a turn fails its expectation; empty when it passes. */
export function judgeTurn(expect: ResolvedExpect, outcome: TurnOutcome, facts: ToolFacts): string[] {
  if (outcome.error !== undefined) return [`the run failed: ${outcome.error}`];
  return [...judgeCalls(expect, outcome.calls, facts), ...judgeAnswer(expect, outcome)];
}
