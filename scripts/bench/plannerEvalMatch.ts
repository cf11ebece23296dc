/**
 * Argument matchers of the planner evaluation: does one value satisfy one expectation, and if
 * not, why not (in words a failure list can show).
 */
import type { ArgMatcher, Json, MatcherSpec } from './plannerEvalCases.ts';

/** Lower-case, single spaces, straight quotes: how texts are compared. */
export function normalizeText(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * Loose equality: strings trimmed and case-insensitive, `"1"` equals `1`, arrays as sets (a
 * one-element array equals its element, as schemas taking "one or a list" mean), objects key by key.
 */
export function looseEqual(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual) && actual.length === 1 && !Array.isArray(expected)) return looseEqual(actual[0], expected);
  if (isScalar(actual) && isScalar(expected)) {
    if (typeof actual === 'boolean' || typeof expected === 'boolean') return actual === expected;
    return normalizeText(String(actual)) === normalizeText(String(expected));
  }
  if (actual === null || expected === null) return actual === expected;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && expected.every((e) => actual.some((a) => looseEqual(a, e)));
  }
  if (
    typeof actual === 'object' &&
    typeof expected === 'object' &&
    actual &&
    expected &&
    !Array.isArray(actual) &&
    !Array.isArray(expected)
  ) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    return Object.keys(e).every((key) => looseEqual(a[key], e[key]));
  }
  return false;
}

/** Whole words or phrases, case-insensitive: not part of a longer word on either side. */
export function containsWords(text: string, phrase: string): boolean {
  const haystack = normalizeText(text);
  const needle = normalizeText(phrase);
  const letter = /[\p{L}\p{N}]/u;
  for (let at = needle ? haystack.indexOf(needle) : -1; at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    if ((before === undefined || !letter.test(before)) && (after === undefined || !letter.test(after))) return true;
  }
  return false;
}

export function show(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(' ') : undefined;

function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(time) ? undefined : time;
}

export const isSpec = (matcher: ArgMatcher): matcher is MatcherSpec =>
  typeof matcher === 'object' && matcher !== null && !Array.isArray(matcher);

/** Undefined when `actual` satisfies `matcher`, else a short reason. */
export function mismatch(actual: unknown, matcher: ArgMatcher): string | undefined {
  if (!isSpec(matcher)) return looseEqual(actual, matcher) ? undefined : `expected ${show(matcher)}, got ${show(actual)}`;
  if (actual === undefined || actual === null) {
    if (matcher.absent || matcher.optional) return undefined;
    return `expected ${describeMatcher(matcher)}, got ${show(actual)}`;
  }
  if (matcher.absent) return `must not be passed, got ${show(actual)}`;
  const checks: (string | undefined)[] = [];
  if (matcher.equals !== undefined && !looseEqual(actual, matcher.equals)) checks.push(`expected ${show(matcher.equals)}`);
  if (matcher.oneOf && !matcher.oneOf.some((value) => looseEqual(actual, value))) checks.push(`expected one of ${show(matcher.oneOf)}`);
  const has = (needle: string) =>
    Array.isArray(actual)
      ? actual.some((element) => looseEqual(element, needle))
      : typeof actual === 'string' || typeof actual === 'number'
        ? normalizeText(String(actual)).includes(normalizeText(needle))
        : false;
  if (matcher.includes) {
    const missing = matcher.includes.filter((needle) => !has(needle));
    if (missing.length > 0) checks.push(`missing ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  }
  if (matcher.includesAny && !matcher.includesAny.some(has)) checks.push(`expected one of ${show(matcher.includesAny)} in it`);
  if (matcher.excludes) {
    const text = textOf(actual) ?? JSON.stringify(actual);
    const found = matcher.excludes.filter((word) => containsWords(text, word));
    if (found.length > 0) checks.push(`must not contain ${found.map((f) => JSON.stringify(f)).join(', ')}`);
  }
  if (matcher.dateIn) {
    const time = timeOf(actual);
    const [from, to] = matcher.dateIn.map((d) => timeOf(d)!);
    if (time === undefined || time < from! || time > to!) checks.push(`expected a date from ${matcher.dateIn[0]} to ${matcher.dateIn[1]}`);
  }
  if (matcher.between) {
    const n = typeof actual === 'number' ? actual : Number(actual);
    if (Number.isNaN(n) || n < matcher.between[0] || n > matcher.between[1]) {
      checks.push(`expected a number from ${matcher.between[0]} to ${matcher.between[1]}`);
    }
  }
  const failed = checks.filter(Boolean);
  return failed.length === 0 ? undefined : `${failed.join('; ')}; got ${show(actual)}`;
}

export function describeMatcher(matcher: ArgMatcher): string {
  if (!isSpec(matcher)) return show(matcher);
  const parts: string[] = [];
  if (matcher.absent) parts.push('absent');
  if (matcher.equals !== undefined) parts.push(show(matcher.equals));
  if (matcher.oneOf) parts.push(`one of ${show(matcher.oneOf)}`);
  if (matcher.includes) parts.push(`with ${matcher.includes.map((i) => JSON.stringify(i)).join(' and ')}`);
  if (matcher.includesAny) parts.push(`with ${matcher.includesAny.map((i) => JSON.stringify(i)).join(' or ')}`);
  if (matcher.excludes) parts.push(`without ${matcher.excludes.map((i) => JSON.stringify(i)).join(', ')}`);
  if (matcher.dateIn) parts.push(`a date from ${matcher.dateIn[0]} to ${matcher.dateIn[1]}`);
  if (matcher.between) parts.push(`from ${matcher.between[0]} to ${matcher.between[1]}`);
  if (matcher.optional) parts.push('(optional)');
  return parts.join(' ') || 'any value';
}

/** The values at a dotted path; `*` fans out over an array's elements (or an object's values). */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      if (step === '*') next.push(...(Array.isArray(value) ? value : Object.values(value)));
      else if (step in value) next.push((value as Record<string, unknown>)[step]);
    }
    current = next;
  }
  return current;
}

/** One value at a path in arguments (a `*` path gives the array of values, or undefined when none). */
export function argAt(args: Record<string, unknown>, path: string): unknown {
  if (!path.includes('.')) return args[path];
  const values = valuesAt(args, path);
  if (path.split('.').includes('*')) return values.length > 0 ? values : undefined;
  return values[0];
}

/** A tool's answer as JSON when it is JSON, else as it came. */
export function parseJsonOrText(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

export type { Json };
