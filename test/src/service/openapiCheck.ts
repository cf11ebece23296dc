import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { createOpenApiDocument } from '../../../src/service/index.ts';

type Doc = ReturnType<typeof createOpenApiDocument>;
type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };

const pointer = (...segments: string[]) => segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/**
 * Checks real responses against the OpenAPI document: the status must be documented for the
 * path and method, and a JSON body (or each SSE event's data) must match its schema.
 */
export function createResponseChecker(doc: Doc = createOpenApiDocument({ version: 'test', maxBodyBytes: 1, maxInputChars: 1 })) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addSchema(doc as unknown as Record<string, unknown>, 'openapi');
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ref: string) => {
    let fn = compiled.get(ref);
    if (!fn) compiled.set(ref, (fn = ajv.compile({ $ref: `openapi#/${ref}` })));
    return fn;
  };
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const seen = new Set<string>();

  const assertValid = (ref: string, value: unknown, where: string) => {
    const validate = validator(ref);
    assert.ok(
      validate(value),
      `${where} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 600)}`,
    );
  };

  return {
    seen,
    /** Asserts that a response (status, content type, parsed body) is documented and matches. */
    check(method: string, path: string, status: number, contentType: string, body: unknown): void {
      const bare = path.split('?')[0]!;
      const found = templates.find((t) => t.regex.test(bare));
      assert.ok(found, `${bare} is not in the OpenAPI document`);
      const operation = (doc.paths as unknown as Record<string, Record<string, Operation | undefined>>)[found.template]![
        method.toLowerCase()
      ];
      assert.ok(operation, `${method} ${found.template} is not in the OpenAPI document`);
      const key = operation.responses[String(status)] ? String(status) : `${String(status)[0]}XX`;
      const response = operation.responses[key];
      assert.ok(response, `${method} ${found.template} answered ${status}, which the OpenAPI document does not list`);
      seen.add(`${method} ${found.template} ${status}`);
      const media = contentType.split(';')[0]!.trim();
      if (!response.content) return;
      assert.ok(
        media in response.content,
        `${method} ${found.template} ${status} answered ${media}, documented: ${Object.keys(response.content).join(', ')}`,
      );
      const base = pointer('paths', found.template, method.toLowerCase(), 'responses', key, 'content', media);
      if (media === 'application/json') assertValid(`${base}/schema`, body, `${method} ${bare} ${status}`);
      if (media === 'text/event-stream')
        for (const event of body as unknown[]) assertValid('components/schemas/RunEvent', event, `an event of ${method} ${bare}`);
    },
    /** Compiles a component schema (throws when it is not a valid schema). */
    compile(component: string): void {
      validator(`components/schemas/${component}`);
    },
    /** Asserts a value matches a component schema. */
    matches(component: string, value: unknown): void {
      assertValid(`components/schemas/${component}`, value, component);
    },
  };
}

export type ResponseChecker = ReturnType<typeof createResponseChecker>;
