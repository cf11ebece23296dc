/**
 * Runs Jest/Vitest-style spec files (such as @langchain/langgraph-checkpoint-validation's, which use
 * the globals `describe`, `it`, `beforeAll`, `expect`, ...) under node:test with node:assert.
 *
 * Only what those specs use is provided; anything else is undefined, so a spec relying on a missing
 * API fails loudly instead of passing. `toEqual` follows Jest: properties whose value is undefined
 * are ignored and class instances compare with plain objects by their own enumerable fields.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { format, inspect, isDeepStrictEqual } from 'node:util';

type Body = (...args: unknown[]) => unknown;

const timeoutOf = (timeout?: number) => (timeout === undefined ? {} : { timeout });
// node:test passes (context, done) and treats a two-argument function as callback style: drop both.
const wrap =
  (fn: Body, args: unknown[] = []) =>
  async () => {
    await fn(...args);
  };

/** Vitest's `.each` naming: `$key` picks a field of an object row, printf (`%s`) formats the others. */
function nameOf(template: string, row: unknown, index: number): string {
  if (row !== null && typeof row === 'object' && !Array.isArray(row)) {
    return template.replace(/\$([A-Za-z_]\w*)/g, (_, key: string) => String((row as Record<string, unknown>)[key]));
  }
  const args = Array.isArray(row) ? row : [row];
  return format(template.replace(/%#/g, String(index)), ...args);
}

const argsOf = (row: unknown) => (Array.isArray(row) ? row : [row]);

function eachOf(define: (name: string, fn: () => unknown, timeout?: number) => void) {
  return (table: readonly unknown[]) => (template: string, fn: Body, timeout?: number) => {
    table.forEach((row, index) => define(nameOf(template, row, index), () => fn(...argsOf(row)), timeout));
  };
}

const jestIt = Object.assign((name: string, fn: Body, timeout?: number) => void it(name, timeoutOf(timeout), wrap(fn)), {
  skip: (name: string, fn?: Body, timeout?: number) => void it.skip(name, timeoutOf(timeout), wrap(fn ?? (() => {}))),
  each: eachOf((name, fn, timeout) => void it(name, timeoutOf(timeout), wrap(fn))),
});

const jestDescribe = Object.assign((name: string, fn: () => void) => void describe(name, () => fn()), {
  each: eachOf((name, fn) => void describe(name, () => void fn())),
});

class ArrayContaining {
  readonly expected: readonly unknown[];
  constructor(expected: readonly unknown[]) {
    this.expected = expected;
  }
  matches(actual: unknown): boolean {
    return Array.isArray(actual) && this.expected.every((item) => actual.some((candidate) => jestEquals(candidate, item)));
  }
  [inspect.custom]() {
    return `ArrayContaining ${inspect(this.expected)}`;
  }
}

/** Jest's recursive equality for `toEqual`. */
export function jestEquals(actual: unknown, expected: unknown): boolean {
  if (expected instanceof ArrayContaining) return expected.matches(actual);
  if (Object.is(actual, expected)) return true;
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) return false;
  const tag = Object.prototype.toString.call(actual);
  if (tag !== Object.prototype.toString.call(expected)) return false;
  if (actual instanceof Date || ArrayBuffer.isView(actual) || actual instanceof Map || actual instanceof Set) {
    return isDeepStrictEqual(actual, expected);
  }
  if (Array.isArray(actual)) {
    const other = expected as unknown[];
    return actual.length === other.length && actual.every((item, index) => jestEquals(item, other[index]));
  }
  const definedKeys = (value: object) => Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  const actualKeys = definedKeys(actual);
  const expectedKeys = definedKeys(expected);
  return (
    actualKeys.length === expectedKeys.length &&
    expectedKeys.every(
      (key) =>
        Object.hasOwn(actual, key) && jestEquals((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key]),
    )
  );
}

function fail(operator: string, actual: unknown, expected?: unknown): never {
  throw new assert.AssertionError({
    message: `expect(${inspect(actual, { depth: 8 })}).${operator}(${expected === undefined ? '' : inspect(expected, { depth: 8 })})`,
    actual,
    expected,
    operator,
  });
}

function matchers(actual: unknown, negated: boolean) {
  const check = (pass: boolean, operator: string, expected?: unknown) => {
    if (pass === negated) fail(negated ? `not.${operator}` : operator, actual, expected);
  };
  return {
    toBe: (expected: unknown) => check(Object.is(actual, expected), 'toBe', expected),
    toEqual: (expected: unknown) => check(jestEquals(actual, expected), 'toEqual', expected),
    toBeUndefined: () => check(actual === undefined, 'toBeUndefined'),
    toBeDefined: () => check(actual !== undefined, 'toBeDefined'),
    toBeTruthy: () => check(Boolean(actual), 'toBeTruthy'),
  };
}

function jestExpect(actual: unknown) {
  return {
    ...matchers(actual, false),
    not: matchers(actual, true),
    rejects: {
      async toThrow(expected?: string | RegExp) {
        const pending = typeof actual === 'function' ? (actual as () => unknown)() : actual;
        await assert.rejects(Promise.resolve(pending), (error: unknown) => {
          if (expected === undefined) return true;
          const message = error instanceof Error ? error.message : String(error);
          return typeof expected === 'string' ? message.includes(expected) : expected.test(message);
        });
      },
    },
  };
}

/** `expect.soft` is strict here: the first failed soft assertion fails the test. */
const expectGlobal = Object.assign(jestExpect, {
  soft: jestExpect,
  arrayContaining: (expected: readonly unknown[]) => new ArrayContaining(expected),
});

/** Installs `describe`, `it`, `test`, `beforeAll`, `afterAll`, `beforeEach`, `afterEach` and `expect`. */
export function installJestGlobals(): void {
  Object.assign(globalThis, {
    describe: jestDescribe,
    it: jestIt,
    test: jestIt,
    expect: expectGlobal,
    beforeAll: (fn: Body, timeout?: number) => before(wrap(fn), timeoutOf(timeout)),
    afterAll: (fn: Body, timeout?: number) => after(wrap(fn), timeoutOf(timeout)),
    beforeEach: (fn: Body, timeout?: number) => beforeEach(wrap(fn), timeoutOf(timeout)),
    afterEach: (fn: Body, timeout?: number) => afterEach(wrap(fn), timeoutOf(timeout)),
  });
}
