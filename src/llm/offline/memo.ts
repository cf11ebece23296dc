/**
 * A memo table with a ceiling: the planner caches what it learns about words (WordNet lookups,
 * tagger verdicts), and the words come from whatever people type, so an unbounded map would grow
 * for as long as a service runs. Past `max` entries the oldest entry goes.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly max: number;

  constructor(max: number) {
    super();
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`BoundedMap: max must be a whole number >= 1, not ${max}`);
    this.max = max;
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }

  /** The value kept for `key`, or `compute(key)`, kept from now on (`undefined` too). */
  remember(key: K, compute: (key: K) => V): V {
    if (this.has(key)) return this.get(key) as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }
}

/** The default ceiling of a word-keyed memo: far more words than a request uses, a few MB at most. */
export const WORD_MEMO_SIZE = 20_000;

/**
 * `compute` remembered per object: for what depends only on a tool or a property of the tool index
 * (its texts' stems, its nouns), which the index keeps as long as the tool list is bound, so a
 * decision does not work them out again for every part and every candidate tool. The objects must
 * not change after their first use; an object no longer referenced is forgotten with it.
 */
export function perObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>();
  return (key) => {
    if (memo.has(key)) return memo.get(key) as V;
    const value = compute(key);
    memo.set(key, value);
    return value;
  };
}
