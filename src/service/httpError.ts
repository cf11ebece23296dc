import type { Response } from 'express';
import { RunConflictError, RunLimitedError, RunNotFoundError, RunUnavailableError, type RunRefusal } from './runErrors.ts';

/** Machine-readable error codes of the API's `{ error: { code, message } }` bodies. */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'input_too_long'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'insufficient_scope'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** An error the API answers with its own status and code (never a stack trace). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);

/** The HTTP answer to each way the run layer turns a request down: the one place run errors meet statuses. */
export function runRefusalToHttp(error: RunRefusal): HttpError {
  if (error instanceof RunNotFoundError) return notFound(error.what);
  if (error instanceof RunConflictError) return conflict(error.message);
  if (error instanceof RunLimitedError)
    return new HttpError(429, 'rate_limited', error.message, { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof RunUnavailableError)
    return new HttpError(503, 'unavailable', error.message, { 'retry-after': String(error.retryAfterSeconds) });
  return new HttpError(500, 'internal', error.message);
}

/** Writes `{ error: { code, message } }`; ends the response quietly when headers already went out. */
export function sendError(res: Response, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status).set(headers).json({ error: { code, message } });
}
