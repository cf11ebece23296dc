/**
 * The root a stemmed term shares with the words derived from it: "discoverer" and "discover",
 * "similarity" and "similar", "genetically" and "genetic", "significance" and "significant".
 * English derivational suffixes only; the stemmer (tokenize.ts) has already taken inflections off.
 */

/** Derivational endings, longest first, as they look after stemming (a final "e" is gone). */
const SUFFIXES = [
  'ational',
  'ical',
  'ation',
  'ness',
  'ment',
  'ity',
  'anc',
  'enc',
  'ant',
  'ent',
  'ion',
  'ist',
  'ic',
  'al',
  'er',
  'or',
  'at',
  'y',
];
/** Shortest root kept: shorter ones ("stat" of "statistic" is also "state") say too little. */
const MIN_ROOT = 5;

/** The term's derivational root; the term itself when no ending comes off (numbers and short words stay). */
export function rootOf(term: string): string {
  if (/\d/.test(term)) return term;
  let root = term;
  // Two rounds: "statistical" -> "statist", "computational" -> "comput".
  for (let round = 0; round < 2; round++) {
    const suffix = SUFFIXES.find((ending) => root.endsWith(ending) && root.length - ending.length >= MIN_ROOT);
    if (suffix === undefined) break;
    root = root.slice(0, -suffix.length);
  }
  return root;
}
