import { ClientRequestSchema } from '@modelcontextprotocol/sdk/types.js';

type RequestSchema = (typeof ClientRequestSchema.options)[number];

// The SDK parses a request with its method's schema inside the handler and turns a failure into
// -32603 with a zod dump; checked first, it is the -32602 the spec means, in words a person can act on.
const byMethod = new Map<string, RequestSchema>(ClientRequestSchema.options.map((schema) => [schema.shape.method.value, schema]));

/**
 * Why `params` do not fit what the SDK demands of `method`, as one readable line; undefined when
 * they fit or the method is not a client request the SDK knows (its handler, if any, answers).
 */
export function invalidParams(method: string, params: unknown): string | undefined {
  const schema = byMethod.get(method);
  if (!schema) return undefined;
  const parsed = schema.safeParse({ method, params });
  if (parsed.success) return undefined;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return `Invalid params for ${method}: ${problems.join('; ')}`;
}
