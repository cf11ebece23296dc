import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findQuotes } from '../../../../src/llm/offline/split.ts';
import { isStopword, stem, terms, tokenize } from '../../../../src/llm/offline/tokenize.ts';

// The memos behind these functions hand out lists that callers may change; a change must not reach the next caller.

test('a memoised token list is handed out as a copy each time', () => {
  const first = tokenize('reset the VPN for Paris');
  first.pop();
  first.push({ text: 'x', lower: 'x', stem: 'x', term: 'x', start: 0, end: 1 });
  assert.deepEqual(
    tokenize('reset the VPN for Paris').map((token) => token.text),
    ['reset', 'the', 'VPN', 'for', 'Paris'],
  );
});

test('a memoised quote list is handed out as a copy each time', () => {
  const text = 'post "server down" to the channel';
  findQuotes(text).length = 0;
  assert.deepEqual(
    findQuotes(text).map((quote) => quote.text),
    ['server down'],
  );
});

test('memoised stems, stop words and terms answer the same on every call', () => {
  for (let i = 0; i < 2; i++) {
    assert.equal(stem('Running'), 'run');
    assert.equal(stem('boxes'), 'box');
    assert.equal(isStopword('the'), true);
    assert.equal(isStopword('printer'), false);
    assert.deepEqual(terms('look up the printers'), ['search', 'printer']);
  }
});
