import { canonical, isStopword, splitName } from './tokenize.ts';

/** The parts of a JSON schema the planner reads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly description?: string;
}

/** What kind of value a property takes, as far as filling it from a sentence goes. */
export type PropKind = 'identifier' | 'url' | 'email' | 'date' | 'enum' | 'number' | 'boolean' | 'text' | 'list' | 'other';

/** One property of a tool's input schema, flattened for argument filling. */
export interface PropInfo {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly kind: PropKind;
  readonly types: ReadonlySet<string>;
  /** Enum values of the property, of its union branches and of its array items. */
  readonly enumValues: readonly (string | number)[];
  /** What a value means, where its own branch says (`oneOf: [{ const: "vendor", description: "Waiting on a supplier" }]`). */
  readonly enumDescriptions: ReadonlyMap<string, string>;
  /** Accepts an array; `arrayOnly` when nothing else. */
  readonly array: boolean;
  readonly arrayOnly: boolean;
  readonly integer: boolean;
  /** The first `format` of the property or its branches, and all of them. */
  readonly format: string | undefined;
  readonly formats: readonly string[];
  /** The schema's `pattern`, as a global, case-insensitive search (dates excluded); else one shaped like the description's example. */
  readonly pattern: RegExp | undefined;
  /** The head noun of a short example name ("e.g. Kitchen speaker": speaker), its own or a same-named sibling's. */
  readonly exampleHead: string | undefined;
  /** The pattern is only the shape of the description's example ("e.g. ORD-1001"): a value fits it, it does not vouch for the tool. */
  readonly patternGuessed: boolean;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly hasDefault: boolean;
  /** The schema's own `default`, as given. */
  readonly defaultValue?: unknown;
  /** The default the description states ("Default is true", "default: 52"), typed as the property takes it. */
  readonly describedDefault: string | number | boolean | undefined;
  /** How the description says to write a date ("Format: yyyy-mm-dd", "in MM-DD-YYYY format", "month-day-year"), upper case: `MM-DD-YYYY`. */
  readonly dateLayout: string | undefined;
  /** The properties of an object-valued property (BFCL's `dict` with `properties`), filled from the same text. */
  readonly objectProps: readonly PropInfo[] | undefined;
  /** Lower-case words of the name (`max_results` -> max, results). */
  readonly words: readonly string[];
  /** Canonical terms of the name. */
  readonly terms: readonly string[];
}

const DATE_FORMATS = new Set(['date', 'date-time', 'time']);
const ID_WORDS = new Set(['id', 'number', 'identifier', 'ref', 'reference', 'uuid', 'sys', 'sku', 'guid', 'isbn', 'slug']);

function branches(schema: JsonSchema): JsonSchema[] {
  const nested = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return nested.length === 0 ? [schema] : nested.flatMap(branches);
}

function typesOf(schema: JsonSchema): string[] {
  if (schema.type !== undefined) return typeof schema.type === 'string' ? [schema.type] : [...schema.type];
  if (schema.enum !== undefined) return [...new Set(schema.enum.map((value) => (typeof value === 'number' ? 'number' : typeof value)))];
  if (schema.const !== undefined) return [typeof schema.const];
  return [];
}

function searchPattern(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  const inner = pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  for (const flags of ['giu', 'gi']) {
    try {
      return new RegExp(`(?<![\\p{L}\\p{N}])(?:${inner})(?![\\p{L}\\p{N}])`, flags);
    } catch {
      // not valid with these flags; try the next
    }
  }
  return undefined;
}

const STATED_DEFAULT = /\bdefaults?(?:\s+(?:value\s+)?(?:is|to|of))?\s*[:=]?\s*(?:(["'‘“])([^"'’”]{1,40})["'’”]|([-\w.]+))/i;

/**
 * The default a description states, when it is a value of the property's own type: a boolean, a
 * number, an enum value, or a quoted or single-word text ("Default is 'USD'"), not a phrase
 * ("Default is the current time").
 */
function statedDefault(info: Omit<PropInfo, 'kind' | 'describedDefault'>): PropInfo['describedDefault'] {
  const match = info.description.match(STATED_DEFAULT);
  const said = (match?.[2] ?? match?.[3] ?? '').replace(/\.$/, '');
  if (!said) return undefined;
  if (info.types.has('boolean') && /^(?:true|false)$/i.test(said)) return said.toLowerCase() === 'true';
  if ((info.types.has('number') || info.types.has('integer')) && /^-?\d+(?:\.\d+)?$/.test(said)) return Number(said);
  if (info.enumValues.length > 0) return info.enumValues.find((value) => String(value).toLowerCase() === said.toLowerCase());
  const article = /^(?:the|a|an|none|null|empty|all|current|no)$/i.test(said);
  return info.types.has('string') && !info.arrayOnly && !article && (match?.[2] !== undefined || /^\w+$/.test(said)) ? said : undefined;
}

function kindOf(info: Omit<PropInfo, 'kind' | 'describedDefault'>): PropKind {
  const { types, format, words, description } = info;
  const last = words[words.length - 1] ?? '';
  if (format !== undefined && DATE_FORMATS.has(format)) return 'date';
  if (
    format === 'uri' ||
    format === 'url' ||
    format === 'uri-reference' ||
    words.some((word) => ['url', 'uri', 'href', 'link'].includes(word))
  ) {
    return 'url';
  }
  // "to": "The email address to send to." The description says what the name does not.
  if (format === 'email' || words.includes('email') || (types.has('string') && /^(?:the\s+|an?\s+)?e-?mail\s+address/i.test(description)))
    return 'email';
  if (info.enumValues.length > 0 && info.enumValues.some((value) => typeof value === 'string')) return 'enum';
  if (info.arrayOnly) return types.has('string') ? 'list' : 'other';
  if (types.has('string')) {
    if (info.pattern !== undefined) return 'identifier';
    if (ID_WORDS.has(last) || /^id\b/i.test(description)) return 'identifier';
    if (/\b(?:date|since|until|before|after)\b/.test(words.join(' ')) && /\bdate\b/i.test(description)) return 'date';
    return 'text';
  }
  if (types.has('number') || types.has('integer')) return info.enumValues.length > 0 ? 'enum' : 'number';
  if (types.has('boolean')) return 'boolean';
  return 'other';
}

/** A description that lists the values a text takes: "Choices are 'trapezoid' or 'simpson'", "either 'summary' or 'full'". */
const OPTIONS_LEAD = /\b(?:options?|choices?|choose|either|one of|can be|possible values|allowed values|must be|valid values)\b/i;
const ALTERNATIVES = /['"‘“][^'"’”]{1,30}['"’”](?:\s*,\s*['"‘“][^'"’”]{1,30}['"’”])*,?\s+or\s+['"‘“]/;
const OPTION = /['"‘“]([^'"’”]{1,30})['"’”]/g;

/**
 * The values a string property's description offers where the schema has no enum: two or more
 * quoted values after a word that offers a choice, in one sentence, not examples ("e.g.", "such as").
 */
function describedOptions(description: string): string[] {
  for (const sentence of description.split(/(?<=\.)\s+/)) {
    // "('miles' or 'kilometers')", "format: '12h' or '24h'": quoted values joined by "or" offer a choice too.
    const lead = OPTIONS_LEAD.exec(sentence) ?? ALTERNATIVES.exec(sentence);
    if (!lead || /\b(?:e\.g|such as|for example|like|etc)\b/i.test(sentence)) continue;
    const options = [...sentence.slice(lead.index).matchAll(OPTION)].map((match) => match[1] ?? '').filter(Boolean);
    if (options.length >= 2) return [...new Set(options)];
  }
  return [];
}

const LAYOUT_PART = '(?:YYYY|YYY|YY|MM|DD)';
const LAYOUT = new RegExp(`\\b${LAYOUT_PART}([-/.])${LAYOUT_PART}(?:\\1${LAYOUT_PART})?\\b`, 'i');
const WORD_LAYOUT = /\b(year|month|day)-(year|month|day)(?:-(year|month|day))?\b/i;
const WORD_PARTS: Readonly<Record<string, string>> = { year: 'YYYY', month: 'MM', day: 'DD' };

/** The date layout a description spells out, as `YYYY`/`MM`/`DD` parts ("MM-DD-YYY" is a year too). */
function dateLayoutOf(description: string): string | undefined {
  const spelled = LAYOUT.exec(description)?.[0];
  if (spelled) return spelled.toUpperCase().replace(/\bY{2,4}\b/, (year) => (year === 'YY' ? 'YY' : 'YYYY'));
  const words = WORD_LAYOUT.exec(description);
  return words
    ? words
        .slice(1)
        .filter(Boolean)
        .map((word) => WORD_PARTS[word.toLowerCase()] ?? '')
        .join('-')
    : undefined;
}

/** "Channel name, e.g. #general", "Order id such as ORD-1001": one code-like example after a word that gives one. */
const EXAMPLE = /\b(?:e\.g\.?|eg\.|for example|such as|like)[:,]?\s+["'‘“`]?([^\s"'’”`,;()]+?)["'’”`]?(?=[\s,;)]|\.?$)/i;
/** A code's marks: what sets it apart from a word ("#general", ":palm_tree:", "ORD-1001", "sh_100"). */
const CODE_MARK = /[#:_@$]|\p{L}.*\d|\d.*\p{L}/u;

/**
 * A pattern for values shaped like the code a description gives as its example, where the schema
 * has none: letters, digits and marks in the same order ("ORD-1001" -> `[A-Z]+-\d+`). Plain words,
 * numbers and dates give none: their shape says nothing a sentence's other words do not share.
 */
export function examplePattern(description: string): string | undefined {
  const example = EXAMPLE.exec(description)?.[1]?.replace(/[.]$/, '');
  if (!example || example.length > 40 || !CODE_MARK.test(example) || !/\p{L}/u.test(example)) return undefined;
  // "pi_123", "cus_123": APIs mint a prefix and a token of letters and digits ("pi_3Nx8"); the example's digits only stand for it.
  if (/^[a-z]{1,6}_\d+$/.test(example)) return '\\p{L}+_(?=[\\p{L}\\d]*\\d)[\\p{L}\\d]+';
  const shapeOf = (text: string) =>
    (text.match(/\p{L}+|\d+|[^\p{L}\d]/gu) ?? [])
      .map((run) =>
        /^\p{L}/u.test(run) ? '\\p{L}+(?:-\\p{L}+)*' : /^\d/.test(run) ? '\\d+' : run.replace(/[.*+?^${}()|[\]\\]/g, (mark) => `\\${mark}`),
      )
      .join('');
  // "Sheet1!A1:C10": what stands before a "!" qualifies the rest and may be left out ("A1:B10"), where the rest is a code itself.
  const bang = example.indexOf('!');
  const rest = example.slice(bang + 1);
  if (bang > 0 && CODE_MARK.test(rest)) return `(?:${shapeOf(example.slice(0, bang + 1))})?${shapeOf(rest)}`;
  return shapeOf(example);
}

/** What a property's example says about its values: a code's shape, or a short name's head noun ("e.g. Kitchen speaker"). */
export interface ExampleHint {
  readonly pattern?: string;
  readonly head?: string;
}

/** The last word of an example of two or three words: "Device name, e.g. Kitchen speaker" -> speaker. */
function exampleHeadOf(description: string): string | undefined {
  const match = /\b(?:e\.g\.?|eg\.|for example|such as|like)[:,]?\s+["'‘“]?((?:\p{L}+\s+){1,2}\p{L}+)(?=["'’”]?\s*(?:[,.;)]|$))/iu.exec(
    description,
  );
  const head = match?.[1]?.split(/\s+/).at(-1)?.toLowerCase();
  return head !== undefined && !isStopword(head) ? head : undefined;
}

/**
 * Example hints by property name, from the descriptions of a server's tools: `get_order` says
 * "Order id, e.g. ORD-1001", and `refund_order`'s `order_id` takes the same shape unsaid.
 */
export function sharedExamples(schemas: readonly (JsonSchema | undefined)[]): Map<string, ExampleHint> {
  const found = new Map<string, ExampleHint | undefined>();
  for (const schema of schemas) {
    for (const [name, prop] of Object.entries(schema?.properties ?? {})) {
      const pattern = examplePattern(prop.description ?? '');
      const head = pattern === undefined ? exampleHeadOf(prop.description ?? '') : undefined;
      if (pattern === undefined && head === undefined) continue;
      const known = found.get(name);
      // Two hints for one name: neither is the server's.
      const same = known !== undefined && known.pattern === pattern && known.head === head;
      found.set(name, found.has(name) && !same ? undefined : { ...(pattern ? { pattern } : {}), ...(head ? { head } : {}) });
    }
  }
  return new Map([...found].filter((entry): entry is [string, ExampleHint] => entry[1] !== undefined));
}

/** Flattens the properties of an object schema, in schema order; `examples` are patterns shared by the tool's siblings. */
export function describeProps(parameters: JsonSchema | undefined, examples?: ReadonlyMap<string, ExampleHint>): PropInfo[] {
  const required = new Set(parameters?.required ?? []);
  return Object.entries(parameters?.properties ?? {}).map(([name, schema]) => {
    const options = branches(schema);
    const items = options.flatMap((option) => (option.items ? branches(option.items) : []));
    const scalarTypes = options.flatMap(typesOf).filter((type) => type !== 'array');
    const itemTypes = items.flatMap(typesOf);
    const hasArray = options.some((option) => typesOf(option).includes('array'));
    const enumValues = [...options, ...items].flatMap((option) =>
      (option.enum ?? (option.const !== undefined ? [option.const] : [])).filter(
        (value): value is string | number => typeof value === 'string' || typeof value === 'number',
      ),
    );
    const enumDescriptions = new Map<string, string>();
    for (const option of options) {
      const value = option.const ?? (option.enum?.length === 1 ? option.enum[0] : undefined);
      if ((typeof value === 'string' || typeof value === 'number') && option.description)
        enumDescriptions.set(String(value), option.description);
    }
    const numeric = [...options, ...items].find((option) => option.minimum !== undefined || option.maximum !== undefined);
    const formats = [...options, ...items].flatMap((option) => (option.format === undefined ? [] : [option.format]));
    const format = formats[0];
    const types = new Set([...scalarTypes, ...itemTypes]);
    const offered = enumValues.length === 0 && types.has('string') ? describedOptions(schema.description ?? '') : [];
    const words = splitName(name).words;
    const objectSchema = options.find((option) => typesOf(option).includes('object') && option.properties !== undefined);
    const stated = options.find((option) => option.pattern)?.pattern;
    const base = {
      name,
      description: schema.description ?? options.find((option) => option.description)?.description ?? '',
      required: required.has(name),
      types,
      enumValues: [...new Set([...enumValues, ...offered])],
      enumDescriptions,
      array: hasArray,
      arrayOnly: hasArray && scalarTypes.filter((type) => type !== 'null').length === 0,
      integer: types.has('integer') && !types.has('number'),
      format,
      formats,
      pattern:
        format !== undefined && DATE_FORMATS.has(format)
          ? undefined
          : searchPattern(
              stated ??
                (types.has('string') && enumValues.length === 0 && !hasArray
                  ? (examplePattern(schema.description ?? '') ?? examples?.get(name)?.pattern)
                  : undefined),
            ),
      patternGuessed: stated === undefined,
      exampleHead: exampleHeadOf(schema.description ?? '') ?? examples?.get(name)?.head,
      minimum: numeric?.minimum,
      maximum: numeric?.maximum,
      hasDefault: schema.default !== undefined,
      defaultValue: schema.default,
      dateLayout: dateLayoutOf(schema.description ?? ''),
      objectProps: objectSchema ? describeProps(objectSchema) : undefined,
      words,
      terms: words.map(canonical),
    };
    return { ...base, describedDefault: statedDefault(base), kind: kindOf(base) };
  });
}
