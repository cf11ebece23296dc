/**
 * JSON Schema checks for the unseen tool sets: the fakes validate arguments as a real MCP server
 * would (formats as strictly as the adapter's own client-side check: a date-time needs its offset), and the fixture check compiles every input schema in strict mode (unknown keywords,
 * formats and malformed schemas are errors).
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}(:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S+$/i,
  duration: /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
};

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false, allowUnionTypes: true });
  for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
  return ajv;
}

const shared = createAjv();

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}`).join('; ');
}

/** A validator for a tool's arguments: undefined when valid, else what is wrong. Throws when the schema itself is invalid. */
export function schemaValidator(schema: Record<string, unknown>): (args: unknown) => string | undefined {
  const validate = shared.compile(schema);
  return (args) => (validate(args) ? undefined : describe(validate.errors));
}

/** Why a schema is not a valid strict JSON Schema, or undefined. */
export function schemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    shared.compile(schema); // compiled once: Ajv caches a schema it compiled, and the fakes use it next
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
