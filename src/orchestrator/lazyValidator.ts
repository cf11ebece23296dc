import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker-provider.js';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

/** Keywords whose value is a list of schemas, a schema, or a map of schemas. */
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf']);
const SCHEMAS = new Set(['not', 'additionalProperties', 'items']);
/** Keywords that mean the same to Ajv (draft-07) and @cfworker/json-schema (draft 7), whatever their value. */
const SAME_MEANING = new Set([
  'type',
  'enum',
  'const',
  'required',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'title',
  'description',
  'default',
  'examples',
  '$comment',
]);
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

/**
 * Whether both validators read `schema` alike: only the keywords above, no `$ref` or `format`
 * (each validator has its own resolution and format rules), draft-07 or no `$schema`.
 */
export function isPlainSchema(schema: unknown, root = true): boolean {
  if (typeof schema === 'boolean') return true;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return false;
  for (const [keyword, value] of Object.entries(schema as Record<string, unknown>)) {
    if (keyword === '$schema') {
      if (!root || typeof value !== 'string' || !DRAFT_07.test(value)) return false;
    } else if (keyword === 'properties') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      if (!Object.values(value).every((sub) => isPlainSchema(sub, false))) return false;
    } else if (SCHEMA_LISTS.has(keyword)) {
      if (!Array.isArray(value) || !value.every((sub) => isPlainSchema(sub, false))) return false;
    } else if (SCHEMAS.has(keyword)) {
      if (!isPlainSchema(value, false)) return false;
    } else if (!SAME_MEANING.has(keyword)) return false;
    // draft-04's boolean exclusive bounds mean something else to each.
    if ((keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') && typeof value !== 'number') return false;
  }
  return true;
}

/**
 * Results of one schema checked by @cfworker/json-schema before Ajv's compiled code takes over:
 * compiling costs a few ms, interpreting ~10 µs a result more than running Ajv's code, so a
 * long-lived process (the service) repays the compile well before this many more calls.
 */
export const INTERPRETED_CALLS = 256;

/**
 * The SDK client's own validator (Ajv), compiling each tool's output schema at its first call
 * instead of when the tool list arrives. The SDK compiles every schema at `tools/list`, which in a
 * one-shot CLI run cost more than the run's calls (Ajv generates code per schema), though a run
 * calls few of the tools it lists. A {@link isPlainSchema plain} schema is checked first by
 * @cfworker/json-schema, which interprets it without generating code: a result it accepts is
 * accepted (Ajv would too), and only one it rejects goes to Ajv, whose verdict and message are the
 * answer. After {@link INTERPRETED_CALLS} results of one schema, Ajv's compiled code checks
 * them all. Validation itself is unchanged.
 */
export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  #inner: jsonSchemaValidator | undefined;
  #quick: CfWorkerJsonSchemaValidator | undefined;

  /**
   * `inner` is the validator whose answers count (default the SDK's Ajv one, built at the first
   * result the quick check does not accept: a run whose results all pass never builds one).
   */
  constructor(inner?: jsonSchemaValidator) {
    this.#inner = inner;
  }

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    let compiled: JsonSchemaValidator<T> | undefined;
    const exact: JsonSchemaValidator<T> = (input) => {
      compiled ??= (this.#inner ??= new AjvJsonSchemaValidator()).getValidator<T>(schema);
      return compiled(input);
    };
    if (!isPlainSchema(schema)) return exact;
    let quick: JsonSchemaValidator<T> | undefined;
    let left = INTERPRETED_CALLS;
    return (input) => {
      if (left === 0) return exact(input);
      left--;
      quick ??= (this.#quick ??= new CfWorkerJsonSchemaValidator({ draft: '7', shortcircuit: true })).getValidator<T>(schema);
      const result = quick(input);
      return result.valid ? result : exact(input);
    };
  }
}
