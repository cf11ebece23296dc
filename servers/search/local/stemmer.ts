// The Porter (1980) English stemmer, in its widely used revised form
// (https://tartarus.org/martin/PorterStemmer/). Words are expected lower-case.

const STEP2: Readonly<Record<string, string>> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
};
const STEP3: Readonly<Record<string, string>> = {
  icate: 'ic',
  ative: '',
  alize: 'al',
  iciti: 'ic',
  ical: 'ic',
  ful: '',
  ness: '',
};

const c = '[^aeiou]';
const v = '[aeiouy]';
const C = `${c}[^aeiouy]*`;
const V = `${v}[aeiou]*`;
const MEASURE_GT_0 = new RegExp(`^(${C})?${V}${C}`);
const MEASURE_EQ_1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const MEASURE_GT_1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const HAS_VOWEL = new RegExp(`^(${C})?${v}`);
const ENDS_CVC = new RegExp(`^${C}${v}[^aeiouwxy]$`);
const DOUBLE_CONSONANT = /([^aeiouylsz])\1$/;

const STEP2_RE =
  /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const STEP3_RE = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const STEP4_RE = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
const STEP4_ION_RE = /^(.+?)(s|t)(ion)$/;

/** Reduces an English word to its Porter stem: `connections`, `connected`, `connecting` -> `connect`. */
export function stem(word: string): string {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return word;
  const initialY = word.startsWith('y');
  let w = initialY ? `Y${word.slice(1)}` : word;
  let match: RegExpExecArray | null;

  // Step 1a: plurals.
  if ((match = /^(.+?)(ss|i)es$/.exec(w))) w = `${match[1]}${match[2]}`;
  else if ((match = /^(.+?)([^s])s$/.exec(w))) w = `${match[1]}${match[2]}`;

  // Step 1b: -eed, -ed, -ing.
  if ((match = /^(.+?)eed$/.exec(w))) {
    if (MEASURE_GT_0.test(match[1] ?? '')) w = w.slice(0, -1);
  } else if ((match = /^(.+?)(ed|ing)$/.exec(w))) {
    const base = match[1] ?? '';
    if (HAS_VOWEL.test(base)) {
      w = base;
      if (/(at|bl|iz)$/.test(w)) w += 'e';
      else if (DOUBLE_CONSONANT.test(w)) w = w.slice(0, -1);
      else if (ENDS_CVC.test(w)) w += 'e';
    }
  }

  // Step 1c: y -> i after a vowel-bearing stem.
  if ((match = /^(.+?)y$/.exec(w)) && HAS_VOWEL.test(match[1] ?? '')) w = `${match[1]}i`;

  // Steps 2 and 3: double and single suffixes.
  if ((match = STEP2_RE.exec(w)) && MEASURE_GT_0.test(match[1] ?? '')) {
    w = `${match[1]}${STEP2[match[2] ?? ''] ?? ''}`;
  }
  if ((match = STEP3_RE.exec(w)) && MEASURE_GT_0.test(match[1] ?? '')) {
    w = `${match[1]}${STEP3[match[2] ?? ''] ?? ''}`;
  }

  // Step 4: remaining suffixes on long stems.
  if ((match = STEP4_RE.exec(w))) {
    if (MEASURE_GT_1.test(match[1] ?? '')) w = match[1] ?? w;
  } else if ((match = STEP4_ION_RE.exec(w))) {
    const base = `${match[1]}${match[2]}`;
    if (MEASURE_GT_1.test(base)) w = base;
  }

  // Step 5: final -e and -ll.
  if ((match = /^(.+?)e$/.exec(w))) {
    const base = match[1] ?? '';
    if (MEASURE_GT_1.test(base) || (MEASURE_EQ_1.test(base) && !ENDS_CVC.test(base))) w = base;
  }
  if (/ll$/.test(w) && MEASURE_GT_1.test(w)) w = w.slice(0, -1);

  return initialY ? `y${w.slice(1)}` : w;
}
