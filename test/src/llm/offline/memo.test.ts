import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMap, perObject } from '../../../../src/llm/offline/memo.ts';

test('a bounded map drops its oldest entry past its ceiling and keeps the newest', () => {
  const map = new BoundedMap<string, number>(3);
  for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) map.set(key, i);
  assert.deepEqual([...map.keys()], ['b', 'c', 'd']);
  assert.equal(map.get('a'), undefined);
  assert.equal(map.get('d'), 3);
});

test('setting a key it holds replaces the value without evicting another', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1).set('b', 2).set('a', 3);
  assert.deepEqual(
    [...map.entries()],
    [
      ['a', 3],
      ['b', 2],
    ],
  );
});

test('a ceiling that is not a whole number >= 1 is refused by name', () => {
  assert.throws(() => new BoundedMap(0), /max must be a whole number >= 1, not 0/);
  assert.throws(() => new BoundedMap(1.5), /not 1\.5/);
});

test('remember computes a missing value once and keeps it, undefined included', () => {
  const map = new BoundedMap<string, string | undefined>(2);
  let runs = 0;
  const compute = (key: string) => {
    runs += 1;
    return key === 'none' ? undefined : key.toUpperCase();
  };
  assert.equal(map.remember('a', compute), 'A');
  assert.equal(map.remember('a', compute), 'A');
  assert.equal(map.remember('none', compute), undefined);
  assert.equal(map.remember('none', compute), undefined);
  assert.equal(runs, 2);
});

test('a per-object memo works a value out once per object, undefined too, and apart for each object', () => {
  let runs = 0;
  const namesOf = perObject((tool: { name: string }) => {
    runs += 1;
    return tool.name === '' ? undefined : tool.name.split('_');
  });
  const tool = { name: 'get_incident' };
  const first = namesOf(tool);
  assert.deepEqual(first, ['get', 'incident']);
  assert.equal(namesOf(tool), first);
  assert.deepEqual(namesOf({ name: 'get_incident' }), ['get', 'incident']);
  const nameless = { name: '' };
  assert.equal(namesOf(nameless), undefined);
  assert.equal(namesOf(nameless), undefined);
  assert.equal(runs, 3);
});
