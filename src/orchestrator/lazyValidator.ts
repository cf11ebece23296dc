import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

/**
 * The SDK client's own validator (Ajv), compiling each tool's output schema at its first call
 * instead of when the tool list arrives. The SDK compiles every schema at `tools/list`, which in a
 * one-shot CLI run cost more than the run's calls (Ajv generates code per schema), though a run
 * calls few of the tools it lists. Validation itself is unchanged.
 */
export class LazyJsonSchemaValidator implements jsonSchemaValidator {
  readonly #inner = new AjvJsonSchemaValidator();

  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    let compiled: JsonSchemaValidator<T> | undefined;
    return (input) => {
      compiled ??= this.#inner.getValidator<T>(schema);
      return compiled(input);
    };
  }
}
