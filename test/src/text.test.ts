import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storable, textProblem } from '../../src/text.ts';

test('textProblem names the first control character or lone surrogate, and lets tab, CR and LF through', () => {
  assert.equal(textProblem('tab\there\r\nnext line 😀'), undefined);
  assert.equal(
    textProblem('ab\u0000c'),
    'contains the control character U+0000 at character 3 (only tab, newline and carriage return are allowed)',
  );
  assert.match(textProblem('\u001b[31m') ?? '', /U\+001B at character 1/);
  assert.match(textProblem('x\u007f') ?? '', /U\+007F at character 2/);
  assert.match(textProblem('x\u0085') ?? '', /U\+0085/);
  assert.equal(textProblem('ok \udc00'), 'is not well-formed Unicode: a lone surrogate at character 4');
});

test('storable replaces NUL and lone surrogates at any depth, and returns clean values untouched', () => {
  const clean = { a: ['x', 1, null, { b: 'y' }], when: new Date(0) };
  assert.equal(storable(clean), clean);
  assert.equal(storable('fine'), 'fine');
  const dirty = { 'k\u0000': ['a\u0000b', { deep: 'x\ud800y', same: 'z' }], n: 5, when: clean.when };
  const fixed = storable(dirty);
  assert.deepEqual(fixed, { 'k\uFFFD': ['a\uFFFDb', { deep: 'x\uFFFDy', same: 'z' }], n: 5, when: clean.when });
  assert.equal(dirty['k\u0000'][0], 'a\u0000b', 'the original is not changed');
  const bare = Object.assign(Object.create(null) as Record<string, string>, { s: '\u0000' });
  assert.deepEqual({ ...storable(bare) }, { s: '\uFFFD' });
});
