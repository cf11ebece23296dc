import type { Request } from 'express';
import { z } from 'zod';
import { HttpError, badRequest } from './httpError.ts';

/** Default cap on a request body: 256 kB (413 beyond). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/** Default cap on a request's text: 20,000 characters. */
export const DEFAULT_MAX_INPUT_CHARS = 20_000;

/** Thread ids clients choose: 1 to 128 letters, digits, `.`, `_`, `:` or `-`. */
export const THREAD_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const CreateRunSchema = z
  .object({
    input: z.string().describe('the request, in plain language'),
    threadId: z.string().regex(THREAD_ID_PATTERN, 'threadId must be 1-128 letters, digits, ".", "_", ":" or "-"').optional(),
    model: z.string().min(1).max(200).optional(),
    servers: z.array(z.string().min(1).max(100)).min(1).max(64).optional(),
  })
  .strict();
export type CreateRunBody = z.infer<typeof CreateRunSchema>;

const DecisionSchema = z.object({ approve: z.boolean(), edit: z.record(z.string(), z.unknown()).optional() }).strict();
export const ApprovalBodySchema = z.union([DecisionSchema, z.object({ decisions: z.record(z.string(), DecisionSchema) }).strict()]);
export type ApprovalBody = z.infer<typeof ApprovalBodySchema>;

/** The JSON body, parsed and checked; 415 for another content type, 400 naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  if (req.body === undefined || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body))
    throw badRequest('the body must be a JSON object');
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw badRequest(`invalid body: ${issues.join('; ')}`);
}

/** The request text, trimmed; 400 when empty or longer than `maxChars`. */
export function checkInput(input: string, maxChars: number): string {
  const text = input.trim();
  if (!text) throw badRequest('input: ask something (the request is empty)');
  if (text.length > maxChars)
    throw new HttpError(400, 'input_too_long', `input: ${text.length} characters is more than the ${maxChars} allowed`);
  return text;
}
