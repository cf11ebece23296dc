import { ClientRequestSchema } from '@modelcontextprotocol/sdk/types.js';

type RequestSchema = (typeof ClientRequestSchema.options)[number];

// The SDK parses a request with its method's schema inside the handler and turns a failure into
// -32603 with a zod dump; checked first, it is the -32602 the spec means, in words a person can act on.
const byMethod = new Map<string, RequestSchema>(ClientRequestSchema.options.map((schema) => [schema.shape.method.value, schema]));

const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * True for the common shape of `tools/call` params, which the SDK's schema surely accepts: a
 * string name, plain-object arguments, and at most a progress token in `_meta`. Anything else
 * (tasks, related tasks, odd types) takes the full schema. Parsing every call with zod here,
 * before the SDK parses it twice more, cost about a tenth of a quick call's CPU.
 */
function plainToolCall(params: unknown): boolean {
  if (!isPlainObject(params) || typeof params['name'] !== 'string' || params['task'] !== undefined) return false;
  const args = params['arguments'];
  if (args !== undefined && !isPlainObject(args)) return false;
  const meta = params['_meta'];
  if (meta === undefined) return true;
  if (!isPlainObject(meta) || meta[RELATED_TASK_META_KEY] !== undefined) return false;
  const token = meta['progressToken'];
  return token === undefined || typeof token === 'string' || Number.isInteger(token);
}

/**
 * Why `params` do not fit what the SDK demands of `method`, as one readable line; undefined when
 * they fit or the method is not a client request the SDK knows (its handler, if any, answers).
 */
export function invalidParams(method: string, params: unknown): string | undefined {
  if (method === 'tools/call' && plainToolCall(params)) return undefined;
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
