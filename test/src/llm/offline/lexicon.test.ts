import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { baseForms, closeWordnet, isWord, related, sameSense, synonyms } from '../../../../src/llm/offline/lexicon/index.ts';

after(closeWordnet);

describe('lexicon (WordNet)', () => {
  test('base forms undo inflection only to words WordNet has', () => {
    assert.deepEqual(baseForms('awaiting', 'verb'), ['await']);
    assert.deepEqual(baseForms('boxes', 'noun'), ['box']);
    assert.deepEqual(baseForms('stopped', 'verb'), ['stop']);
    assert.deepEqual(baseForms('Queries', 'noun'), ['query']);
    assert.deepEqual(baseForms('qzxv', 'noun'), []);
    assert.equal(isWord('vendor', 'noun'), true);
    assert.equal(isWord('vendor', 'verb'), false);
  });

  test('synonyms share a frequent sense; multi-word lemmas come with spaces', () => {
    assert.ok(synonyms('fetch', 'verb').has('get'));
    assert.ok(synonyms('raise', 'verb').has('lift'));
    assert.ok(synonyms('check', 'verb').has('look into'));
    assert.ok(!synonyms('fetch', 'verb').has('delete'));
    assert.equal(sameSense('waiting', 'await', 'verb'), true);
    assert.equal(sameSense('create', 'delete', 'verb'), false);
  });

  test('related words reach the more general sense', () => {
    assert.ok(related('stroll', 'verb').has('walk'));
    assert.ok(!synonyms('stroll', 'verb').has('walk'));
  });
});
