/**
 * General English the planner reads requests with: stop words, question words, synonyms of common
 * verbs. Nothing here names a tool or a tool set's domain: tools are matched only through their own
 * names, descriptions and schemas (a tool set's own words belong in its descriptions).
 */

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but of to in on at by for with from into onto as is are was were be been being am do does did ' +
    "this that these those it its it's i me my we us our you your he she they them their his her there here " +
    'what which who whom whose when where why how all any some each every no nor not only own same so than too very ' +
    'most more less least much s t can could will would shall should may might must just don now please kindly also then about up out over ' +
    "want need like let lets let's me give tell one ones thing things something"
  ).split(' '),
);

/** Words that carry no content in a tool-matching query (besides stop words). */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  'hey hi hello thanks thank okay ok sure quickly asap again really maybe actually basically right'.split(' '),
);

/**
 * Synonym groups: the first word is the canonical term every member maps to. Generic words only,
 * applied alike to requests and to tool texts.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['create', 'open', 'file', 'raise', 'new', 'submit', 'register', 'report', 'log', 'record'],
  [
    'update',
    'change',
    'modify',
    'edit',
    'set',
    'alter',
    'amend',
    'adjust',
    'move',
    'mark',
    'assign',
    'reassign',
    'escalate',
    'put',
    'resolve',
    'close',
    'reopen',
    'cancel',
  ],
  ['get', 'show', 'read', 'fetch', 'display', 'view', 'retrieve', 'see', 'detail', 'print', 'return', 'check'],
  ['search', 'find', 'lookup', 'seek', 'hunt', 'browse', 'list', 'locate'],
  ['delete', 'remove', 'erase', 'drop', 'purge'],
  ['analyze', 'analyse', 'analysis', 'assess', 'evaluate', 'gauge', 'judge', 'examine', 'inspect', 'measure'],
  ['summarize', 'summarise', 'summary', 'tldr', 'recap', 'gist', 'condense', 'shorten', 'digest', 'synopsis', 'abstract'],
  ['sentiment', 'mood', 'feel', 'feeling', 'emotion', 'tone', 'polarity'],
  ['extract', 'identify'],
  ['sum', 'add', 'plus', 'total', 'addition'],
  ['fix', 'solution', 'workaround', 'remedy', 'troubleshoot', 'troubleshooting'],
  ['state', 'status'],
  ['active', 'unresolved', 'outstanding', 'ongoing', 'pending'],
  ['research', 'investigate', 'study'],
  ['keyword', 'keyphrase', 'topic', 'theme'],
  ['person', 'people', 'name', 'names'],
  ['email', 'mail', 'address'],
  ['city', 'location'],
];

/** Adjectives whose meaning differs from the verb they share a spelling with ("open incidents" are active ones). */
export const ADJECTIVES: Readonly<Record<string, string>> = { open: 'active', live: 'active', current: 'active' };

/** Multi-word phrases rewritten to one word before matching (lower-case text). */
export const PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\blook(?:ing)?\s+(?:up|for|into)\b/g, 'lookup'],
  [/\btl;?\s?dr\b/g, 'summary'],
  [/\bsum(?:\s+it)?\s+up\b/g, 'summarize'],
  [/\bpull\s+out\b/g, 'extract'],
  [/\bpull\s+up\b/g, 'show'],
  [/\blook\s+at\b/g, 'show'],
  [/\s\+\s/g, ' plus '],
  [/\bfind\s+out\b/g, 'find'],
  // "check for a fix", "check whether there is a fix": looking for something that may exist, not reading one record.
  [/\bcheck(?:ing)?\s+(?:for\b|(?:whether|if)\s+there(?:'s|\s+is|\s+are)\b)/g, 'lookup'],
  // "make a playlist" makes something new; "make INC0010042 high impact" changes it.
  [/\bmake\s+(?=(?:me\s+|us\s+)?(?:a|an|new|another)\b)/g, 'create '],
  // "set up MFA" configures something; it changes no record ("set the urgency").
  [/\bset(?:ting)?\s+up\b/g, 'setup'],
  [/\be-mail/g, 'email'],
  [/\bwi-fi\b/g, 'wifi'],
  [/\bkey\s+phrases?\b/g, 'keyword'],
  [/\bkey\s+words?\b/g, 'keyword'],
];

/** Canonical terms that name an action; the first of them in a request is its verb. */
export const ACTION_TERMS: ReadonlySet<string> = new Set([
  'create',
  'update',
  'get',
  'search',
  'delete',
  'analyze',
  'summarize',
  'extract',
  'research',
  'toggle',
  'trigger',
  'start',
  'stop',
  'run',
  'check',
  'tell',
  'give',
  'send',
  'close',
  'resolve',
  'reopen',
  'cancel',
  'turn',
  'enable',
  'disable',
  'calculate',
  'compute',
  'translate',
  'book',
  'order',
  'play',
  'buy',
  'schedule',
  'call',
  'write',
  'draft',
  'count',
  'convert',
  'explain',
  'ask',
  'help',
  'generate',
  'work',
  'say',
  'know',
  'detect',
  'classify',
  'score',
  'rate',
  'notify',
  'ping',
  'fetch',
  'download',
]);

/** Verbs that only introduce what is wanted ("tell me how angry", "give me a summary"). */
export const FILLER_VERBS: ReadonlySet<string> = new Set(['tell', 'give', 'let', 'help', 'know', 'say', 'want', 'need']);

/** Words that open a question; after "and" or a comma they start a new part. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  'how',
  'what',
  'whats',
  "what's",
  'who',
  'which',
  'whether',
  'is',
  'are',
  'does',
  'do',
  'can',
  'could',
  'would',
]);

/** Words that point back at something said or found earlier. */
export const REFERENCE_WORDS: ReadonlySet<string> = new Set([
  'it',
  'its',
  "it's",
  'that',
  'this',
  'these',
  'those',
  'them',
  'their',
  'they',
  'same',
  'result',
  'results',
  'one',
  'ones',
  'former',
  'latter',
  'above',
  'previous',
  'earlier',
  'aforementioned',
]);

/** Ordinals a reference may carry ("the second one", "the last result"); -1 is the last. */
export const ORDINALS: Readonly<Record<string, number>> = {
  first: 0,
  top: 0,
  best: 0,
  '1st': 0,
  second: 1,
  '2nd': 1,
  third: 2,
  '3rd': 2,
  fourth: 3,
  '4th': 3,
  fifth: 4,
  '5th': 4,
  last: -1,
  final: -1,
  latest: 0,
  new: 0,
  newest: 0,
  same: 0,
};

/** Words before a request's verb that say nothing about what to do. */
export const LEAD_IN =
  /^(?:(?:hey|hi|hello|ok(?:ay)?|so|now|also|and|then|next|finally|afterwards|after that|please|pls|plz|kindly|quickly)\b[\s,]*|(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?|(?:i\s+(?:need|want|would like|'d like)\s+(?:you\s+)?to|i\s+(?:need|want)|i'd\s+like\s+(?:you\s+)?to|let's|lets|go ahead and|help me(?:\s+to)?|make sure (?:to|you)|be sure to|don't forget to|remember to)\s+)+/i;
